package server

import (
	"context"
	"os"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.uber.org/zap/zaptest"

	"github.com/asyncmig/asyncmig/server/lsptest"
)

func TestMain(m *testing.M) { os.Exit(lsptest.Main(m)) }

// Non-ASCII text as it appears in the Python files asyncmig serves.
const spanish = "# Conexión asíncrona: ¡ojo con la sesión! 🎉 ñandú"

// testMethods are registered, through the unexported method table, on top of
// the real ones. "test/echo" returns its params unchanged.
func newTestServer(t *testing.T, opts Options, extra map[string]handlerFunc) *Server {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = zaptest.NewLogger(t)
	}
	if opts.Version == "" {
		opts.Version = "1.2.3-test"
	}
	s := New(opts)
	s.methods["test/echo"] = func(_ *Server, _ context.Context, r *request) (any, *jsonrpc2.Error) {
		return r.params, nil
	}
	for method, h := range extra {
		s.methods[method] = h
	}
	return s
}

// start serves a fresh server over a pipe; the client is not initialized.
func start(t *testing.T, extra map[string]handlerFunc) *lsptest.Client {
	t.Helper()
	return lsptest.New(t, newTestServer(t, Options{}, extra).Serve)
}

// startInitialized is start plus initialize/initialized.
func startInitialized(t *testing.T, extra map[string]handlerFunc) *lsptest.Client {
	t.Helper()
	c := start(t, extra)
	c.Initialize(nil)
	return c
}

// wantError fails unless err has the code and its message contains every
// part.
func wantError(t *testing.T, err *lsptest.ResponseError, code int64, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got success, want error %d", code)
	}
	if err.Code != code {
		t.Fatalf("got error %d %q, want code %d", err.Code, err.Message, code)
	}
	for _, p := range parts {
		if !strings.Contains(err.Message, p) {
			t.Errorf("error message %q does not mention %q", err.Message, p)
		}
	}
}

// echo checks that the server still answers requests.
func echo(t *testing.T, c *lsptest.Client) {
	t.Helper()
	var got map[string]string
	if err := c.Call("test/echo", map[string]string{"text": spanish}, &got); err != nil {
		t.Fatalf("the server stopped answering: %v", err)
	}
	if got["text"] != spanish {
		t.Fatalf("echo returned %q, want %q", got["text"], spanish)
	}
}
