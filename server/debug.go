package server

// Debug requests, for tests that drive a real `asyncmig serve` (the soak
// and robustness tests): asyncmig/debugDocument returns the server's copy of
// an open document, so a test can prove it never drifted from the client's;
// asyncmig/debugRuntime returns goroutine and live-heap counts, so a test
// can prove a long session leaks neither.
//
// They exist only when the server's environment has
// ASYNCMIG_DEBUG_REQUESTS=1; otherwise they answer -32601 like any unknown
// method. Even then they only read: the text is what the client itself
// sent, and the counters say nothing about the user's code.

import (
	"context"
	"os"
	"runtime"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// DebugRequestsEnv is the environment variable that enables the debug
// requests.
const DebugRequestsEnv = "ASYNCMIG_DEBUG_REQUESTS"

const (
	methodDebugDocument = "asyncmig/debugDocument"
	methodDebugRuntime  = "asyncmig/debugRuntime"
)

func init() {
	methods[methodDebugDocument] = (*Server).debugDocument
	methods[methodDebugRuntime] = (*Server).debugRuntime
}

func debugEnabled(method string) *jsonrpc2.Error {
	if os.Getenv(DebugRequestsEnv) == "1" {
		return nil
	}
	return jsonrpc2.NewError(jsonrpc2.MethodNotFound, "method not found: "+method)
}

// DebugDocumentResult is the reply to asyncmig/debugDocument.
type DebugDocumentResult struct {
	URI     string `json:"uri"`
	Version int32  `json:"version"`
	Text    string `json:"text"`
	// Parsed is false for documents kept but not analysed (binary, too
	// large).
	Parsed bool `json:"parsed"`
}

func (s *Server) debugDocument(_ context.Context, req *request) (any, *jsonrpc2.Error) {
	if err := debugEnabled(req.method); err != nil {
		return nil, err
	}
	var p protocol.TextDocumentIdentifier
	var params struct {
		TextDocument *protocol.TextDocumentIdentifier `json:"textDocument"`
	}
	if err := req.decode(&params); err != nil {
		return nil, err
	}
	if params.TextDocument != nil {
		p = *params.TextDocument
	}
	snap := s.docs.Get(string(p.URI))
	if snap == nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, req.method+": document is not open: "+string(p.URI))
	}
	return &DebugDocumentResult{URI: snap.URI, Version: snap.Version, Text: string(snap.Text), Parsed: snap.Tree != nil}, nil
}

// DebugRuntimeResult is the reply to asyncmig/debugRuntime, measured after
// a garbage collection.
type DebugRuntimeResult struct {
	Goroutines    int    `json:"goroutines"`
	HeapAlloc     uint64 `json:"heapAlloc"`
	HeapObjects   uint64 `json:"heapObjects"`
	OpenDocuments int    `json:"openDocuments"`
}

func (s *Server) debugRuntime(_ context.Context, req *request) (any, *jsonrpc2.Error) {
	if err := debugEnabled(req.method); err != nil {
		return nil, err
	}
	// Twice: the first collection leaves sync.Pool contents to the second.
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return &DebugRuntimeResult{
		Goroutines:    runtime.NumGoroutine(),
		HeapAlloc:     m.HeapAlloc,
		HeapObjects:   m.HeapObjects,
		OpenDocuments: len(s.docs.URIs()),
	}, nil
}
