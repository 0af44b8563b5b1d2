package server

// Text synchronisation: didOpen, didChange, didClose, didSave. These
// notifications run strictly in arrival order (dispatch.go), so the
// document store sees changes in the order the client made them. Parsing
// is synchronous (≈1 ms per keystroke on a 5,000-line file, incremental);
// only the rule run is debounced (diagnose.go).
//
// A change the store cannot apply — a version that is not newer, a range
// outside the document — leaves the document as it was and is logged; the
// client's copy has then diverged from ours, so its diagnostics are cleared
// rather than shown at positions that may no longer mean anything.

import (
	"context"
	"encoding/json"
	"errors"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/internal/document"
)

func (s *Server) didOpen(_ context.Context, req *request) (any, *jsonrpc2.Error) {
	var p protocol.DidOpenTextDocumentParams
	if err := req.decode(&p); err != nil {
		return nil, err
	}
	uri := string(p.TextDocument.URI)
	if uri == "" {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "textDocument/didOpen: the document has no uri")
	}
	snap := s.docs.Open(uri, p.TextDocument.Version, []byte(p.TextDocument.Text))
	if path, err := uriToPath(p.TextDocument.URI); err == nil {
		s.code.setOpen(path, uri, true)
		s.code.folderOf(path).forgetVersion(path) // versions restart with each didOpen
	} else {
		s.log.Debug("single-file analysis for a document that is not a file", zap.String("uri", uri), zap.Error(err))
	}
	if snap.ParseErr != nil {
		s.log.Warn("opened a document that cannot be analysed", zap.String("uri", uri), zap.Error(snap.ParseErr))
	}
	s.scheduleDiagnostics(uri, 0)
	return nil, nil
}

func (s *Server) didChange(_ context.Context, req *request) (any, *jsonrpc2.Error) {
	var p didChangeParams
	if err := req.decode(&p); err != nil {
		// We cannot apply it, and the client has applied it: whatever we
		// show for this document is now wrong.
		if uri := uriOfParams(req.params); uri != "" && s.docs.Get(uri) != nil {
			s.log.Warn("undecodable didChange; the document is kept as it was and its diagnostics are cleared",
				zap.String("uri", uri), zap.String("error", err.Message))
			s.clearDiagnostics(uri)
		}
		return nil, err
	}
	uri := string(p.TextDocument.URI)
	changes := make([]document.Change, len(p.ContentChanges))
	for i, ch := range p.ContentChanges {
		changes[i].Text = ch.Text
		if ch.Range != nil {
			r := fromProtocolRange(*ch.Range)
			changes[i].Range = &r
		}
	}
	_, err := s.docs.Change(uri, p.TextDocument.Version, changes, s.session().positionEncoding)
	switch {
	case err == nil:
		s.scheduleDiagnostics(uri, s.debounce())
	case errors.Is(err, document.ErrNotOpen):
		s.log.Warn("didChange for a document that is not open (likely a client bug); ignored", zap.String("uri", uri), zap.Error(err))
	default:
		s.log.Warn("didChange not applied; the document is kept as it was and its diagnostics are cleared until the client resends it",
			zap.String("uri", uri), zap.Int32("version", p.TextDocument.Version), zap.Error(err))
		s.clearDiagnostics(uri)
	}
	return nil, nil
}

func (s *Server) didClose(_ context.Context, req *request) (any, *jsonrpc2.Error) {
	var p protocol.DidCloseTextDocumentParams
	if err := req.decode(&p); err != nil {
		return nil, err
	}
	uri := string(p.TextDocument.URI)
	if !s.docs.Close(uri) {
		s.log.Warn("didClose for a document that is not open", zap.String("uri", uri))
	}
	s.clearDiagnostics(uri)
	s.forgetDiagnostics(uri)
	if path, err := uriToPath(p.TextDocument.URI); err == nil {
		s.code.setOpen(path, uri, false)
		s.code.folderOf(path).forgetVersion(path)
		// The file on disk is the truth again for the index.
		s.goBackground(func() { s.reloadFromDisk(path) })
	}
	return nil, nil
}

// didSave needs nothing: the text is already ours (includeText is false),
// and config files reach us through didChangeWatchedFiles.
func (s *Server) didSave(context.Context, *request) (any, *jsonrpc2.Error) {
	return nil, nil
}

// uriOfParams digs textDocument.uri out of params that did not decode as a
// whole.
func uriOfParams(params json.RawMessage) string {
	var p struct {
		TextDocument struct {
			URI string `json:"uri"`
		} `json:"textDocument"`
	}
	if json.Unmarshal(params, &p) != nil {
		return ""
	}
	return p.TextDocument.URI
}
