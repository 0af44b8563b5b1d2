package server

import (
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"

	"github.com/asyncmig/asyncmig/server/lsptest"
)

func TestUnknownRequestNamesTheMethod(t *testing.T) {
	c := startInitialized(t, nil)
	wantError(t, c.Call("textDocument/semanticTokens/full", map[string]any{}, nil), -32601, "textDocument/semanticTokens/full")
	echo(t, c)
}

func TestUnknownNotificationIsIgnored(t *testing.T) {
	c := startInitialized(t, nil)
	c.Notify("$/setTrace", map[string]any{"value": "verbose"})
	c.Notify("custom/whatever", nil)
	id := c.Send("test/echo", map[string]string{"text": spanish})
	c.WaitResponse(id)
	for _, m := range c.Messages() {
		if m.IsResponse() && string(m.ID) != "1" && string(m.ID) != id {
			t.Errorf("a notification got a reply: %s", m.Raw)
		}
	}
}

func TestHandlerPanicIsAnsweredAndSurvived(t *testing.T) {
	notePanicked := make(chan struct{})
	c := startInitialized(t, map[string]handlerFunc{
		"test/panic": func(*Server, context.Context, *request) (any, *jsonrpc2.Error) {
			panic("sesión rota 💥")
		},
		"test/panicNote": func(*Server, context.Context, *request) (any, *jsonrpc2.Error) {
			close(notePanicked)
			var m map[string]int
			m["x"]++ // a nil-map write: a runtime panic, not a deliberate one
			return nil, nil
		},
	})
	wantError(t, c.Call("test/panic", nil, nil), -32603, "test/panic", "sesión rota 💥")
	c.WaitNotification("window/logMessage", func(params json.RawMessage) bool {
		return strings.Contains(string(params), "internal error while handling test/panic") &&
			strings.Contains(string(params), `"type":1`)
	}, lsptest.Timeout)
	echo(t, c)

	c.Notify("test/panicNote", nil)
	<-notePanicked
	echo(t, c)
}

func TestInvalidParams(t *testing.T) {
	type params struct {
		Line uint32 `json:"line"`
	}
	c := startInitialized(t, map[string]handlerFunc{
		"test/typed": func(_ *Server, _ context.Context, r *request) (any, *jsonrpc2.Error) {
			var p params
			if err := r.decode(&p); err != nil {
				return nil, err
			}
			return p.Line, nil
		},
	})
	wantError(t, c.Call("test/typed", map[string]any{"line": -1}, nil), -32602, "test/typed", "invalid params", "uint32")
	wantError(t, c.Call("test/typed", nil, nil), -32602, "test/typed", "params are missing")
	var line uint32
	if err := c.Call("test/typed", map[string]any{"line": 7}, &line); err != nil || line != 7 {
		t.Errorf("valid params: got %d, %v", line, err)
	}
}

// Error replies must carry a real code: v0.12.0 sent plain Go errors as
// "code": 0 (gotcha 9). lsptest checks every reply of every test; this test
// covers the handler that gets it wrong and a result that cannot be encoded.
func TestErrorRepliesNeverCarryCodeZero(t *testing.T) {
	c := startInitialized(t, map[string]handlerFunc{
		"test/codeless": func(*Server, context.Context, *request) (any, *jsonrpc2.Error) {
			return nil, &jsonrpc2.Error{Message: "se me olvidó el código"}
		},
		"test/unencodable": func(*Server, context.Context, *request) (any, *jsonrpc2.Error) {
			return func() {}, nil
		},
	})
	wantError(t, c.Call("test/codeless", nil, nil), -32603, "se me olvidó el código")
	wantError(t, c.Call("test/unencodable", nil, nil), -32603, "could not encode")
	wantError(t, c.Call("nope", nil, nil), -32601)
	c.SendRaw(lsptest.Frame(`{"jsonrpc":"2.0","id":99,"method":"test/echo","params":`)) // cut short
	for _, m := range c.Messages() {
		if m.Error != nil && strings.Contains(string(m.Raw), `"code":0`) {
			t.Errorf("error reply with code 0: %s", m.Raw)
		}
	}
	echo(t, c)
}

// A request that releases the queue must not hold up what comes after it.
func TestSlowRequestDoesNotBlockLaterMessages(t *testing.T) {
	unblock := make(chan struct{})
	noted := make(chan struct{})
	c := startInitialized(t, map[string]handlerFunc{
		"test/slow": func(_ *Server, ctx context.Context, r *request) (any, *jsonrpc2.Error) {
			r.release() // took its snapshot; the rest is read-only work
			select {
			case <-unblock:
				return "slow done", nil
			case <-ctx.Done():
				return nil, nil
			}
		},
		"test/note": func(*Server, context.Context, *request) (any, *jsonrpc2.Error) {
			close(noted)
			return nil, nil
		},
	})
	slow := c.Send("test/slow", nil)
	c.Notify("test/note", nil)
	select {
	case <-noted:
	case <-time.After(lsptest.Timeout):
		t.Fatal("a notification waited for a slow request that released the queue")
	}
	echo(t, c)
	close(unblock)
	if reply := c.WaitResponse(slow); string(reply.Result) != `"slow done"` {
		t.Errorf("slow request: %s", reply.Raw)
	}
}

// Notifications (text sync) and requests that do not release run to
// completion before the next message starts.
func TestMessagesRunInOrderByDefault(t *testing.T) {
	for _, kind := range []string{"notification", "request"} {
		t.Run(kind, func(t *testing.T) {
			started := make(chan struct{})
			hold := make(chan struct{})
			var finished atomic.Bool
			first := func(*Server, context.Context, *request) (any, *jsonrpc2.Error) {
				close(started)
				<-hold
				finished.Store(true)
				return nil, nil
			}
			c := startInitialized(t, map[string]handlerFunc{
				"test/first": first,
				"test/second": func(*Server, context.Context, *request) (any, *jsonrpc2.Error) {
					return finished.Load(), nil
				},
			})
			if kind == "notification" {
				c.Notify("test/first", nil)
			} else {
				c.Send("test/first", nil)
			}
			<-started
			second := c.Send("test/second", nil)
			// Room for a broken scheduler to start test/second early; a
			// correct one never does, so this cannot make the test flaky.
			time.Sleep(20 * time.Millisecond)
			close(hold)
			if reply := c.WaitResponse(second); string(reply.Result) != "true" {
				t.Errorf("test/second ran before test/first finished: %s", reply.Raw)
			}
		})
	}
}

// BenchmarkRequestRoundTrip measures one request through framing, the
// lifecycle gate, the ordered queue and the reply, over an in-memory pipe.
func BenchmarkRequestRoundTrip(b *testing.B) {
	s := New(Options{})
	s.methods["test/echo"] = func(_ *Server, _ context.Context, r *request) (any, *jsonrpc2.Error) {
		return r.params, nil
	}
	c := lsptest.New(b, s.Serve)
	c.Initialize(nil)
	params := map[string]string{"text": spanish}
	for b.Loop() {
		if err := c.Call("test/echo", params, nil); err != nil {
			b.Fatal(err)
		}
	}
}
