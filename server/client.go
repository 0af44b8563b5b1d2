package server

import (
	"context"

	"go.lsp.dev/protocol"
)

// Server→client messages. Notifications go through s.client
// (protocol.ClientDispatcher: logMessage, publishDiagnostics, $/progress, …);
// requests whose reply v0.12.0 decodes wrongly go through call.

// call sends a server→client request and decodes the reply into result. If
// ctx is cancelled first, the client is sent $/cancelRequest. params is a
// pointer by type: ProgressToken and jsonrpc2.ID marshal only through their
// pointer, so a struct passed by value sends a token as {} (gotcha 14).
func call[P, R any](ctx context.Context, s *Server, method string, params *P, result *R) error {
	return protocol.Call(ctx, s.conn, method, params, result)
}

// applyEdit asks the client to apply edit and returns its answer.
// protocol.Client.ApplyEdit decodes the reply into a bool, but clients answer
// {"applied": true, …}, so it always failed with "cannot unmarshal"
// (gotcha 3, go-language-server/protocol#38). Never call it from the ordered
// part of a handler while holding a document lock: the client may send
// didChange before it answers.
func (s *Server) applyEdit(ctx context.Context, params *protocol.ApplyWorkspaceEditParams) (protocol.ApplyWorkspaceEditResponse, error) {
	var resp protocol.ApplyWorkspaceEditResponse
	err := call(ctx, s, protocol.MethodWorkspaceApplyEdit, params, &resp)
	return resp, err
}
