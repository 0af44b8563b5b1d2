package server

import (
	"context"
	"sync/atomic"
	"testing"

	"go.lsp.dev/jsonrpc2"

	"github.com/asyncmig/asyncmig/server/lsptest"
)

// slowUntilCancelled releases the queue and waits for its ctx.
func slowUntilCancelled(started chan<- string) handlerFunc {
	return func(_ *Server, ctx context.Context, r *request) (any, *jsonrpc2.Error) {
		r.release()
		started <- r.method
		<-ctx.Done()
		return "finished", nil // too late: the client was already answered
	}
}

func TestCancelRequest(t *testing.T) {
	tests := []struct {
		name string
		send func(c *lsptest.Client) (id string, cancelID any)
	}{
		{"numeric id", func(c *lsptest.Client) (string, any) {
			id := c.Send("test/slow", nil)
			return id, jsonNumber(id)
		}},
		{"string id", func(c *lsptest.Client) (string, any) {
			c.SendRaw(lsptest.Frame(`{"jsonrpc":"2.0","id":"lento-ñ","method":"test/slow"}`))
			return `"lento-ñ"`, "lento-ñ"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			started := make(chan string, 1)
			c := startInitialized(t, map[string]handlerFunc{"test/slow": slowUntilCancelled(started)})
			id, cancelID := tt.send(c)
			<-started
			c.Notify("$/cancelRequest", map[string]any{"id": cancelID})
			reply := c.WaitResponse(id)
			if reply.Error == nil || reply.Error.Code != -32800 {
				t.Fatalf("cancelled request: got %s, want error -32800", reply.Raw)
			}
			echo(t, c)
		})
	}
}

// jsonNumber sends the id as a JSON number, which Go decodes to float64:
// the case v0.12.0's CancelHandler never matched (gotcha 2).
func jsonNumber(id string) any { return rawJSON(id) }

type rawJSON string

func (r rawJSON) MarshalJSON() ([]byte, error) { return []byte(r), nil }

// The client is answered at once even when the handler ignores its ctx.
func TestCancelAnswersEvenIfTheHandlerIgnoresIt(t *testing.T) {
	started := make(chan struct{})
	stuck := make(chan struct{})
	c := startInitialized(t, map[string]handlerFunc{
		"test/stubborn": func(_ *Server, _ context.Context, r *request) (any, *jsonrpc2.Error) {
			r.release()
			close(started)
			<-stuck
			return "late", nil
		},
	})
	t.Cleanup(func() { close(stuck) }) // runs before the client's cleanup
	id := c.Send("test/stubborn", nil)
	<-started
	c.Notify("$/cancelRequest", map[string]any{"id": jsonNumber(id)})
	wantError(t, c.WaitResponse(id).Error, -32800)
	echo(t, c)
}

// A request cancelled while it waits in the queue is answered and never run.
func TestCancelWhileQueued(t *testing.T) {
	holding := make(chan struct{})
	hold := make(chan struct{})
	var ran atomic.Bool
	c := startInitialized(t, map[string]handlerFunc{
		"test/hold": func(*Server, context.Context, *request) (any, *jsonrpc2.Error) {
			close(holding)
			<-hold
			return nil, nil
		},
		"test/queued": func(*Server, context.Context, *request) (any, *jsonrpc2.Error) {
			ran.Store(true)
			return nil, nil
		},
	})
	c.Notify("test/hold", nil)
	<-holding
	id := c.Send("test/queued", nil)
	c.Notify("$/cancelRequest", map[string]any{"id": jsonNumber(id)})
	wantError(t, c.WaitResponse(id).Error, -32800)
	close(hold)
	echo(t, c) // runs after test/queued would have
	if ran.Load() {
		t.Error("a request cancelled in the queue was run")
	}
}

// Cancelling a request that was already answered sends nothing (lsptest
// fails the test on a second reply).
func TestCancelAfterReply(t *testing.T) {
	c := startInitialized(t, nil)
	id := c.Send("test/echo", map[string]string{"text": spanish})
	c.WaitResponse(id)
	c.Notify("$/cancelRequest", map[string]any{"id": jsonNumber(id)})
	c.Notify("$/cancelRequest", map[string]any{"id": "never-sent"})
	c.Notify("$/cancelRequest", map[string]any{"id": 1.5})
	echo(t, c)
}

// $/cancelRequest sent as a request still gets its one reply.
func TestCancelRequestSentAsARequest(t *testing.T) {
	c := startInitialized(t, nil)
	wantError(t, c.Call("$/cancelRequest", map[string]any{"id": 1}, nil), -32601, "$/cancelRequest")
	echo(t, c)
}

func TestParseCancelID(t *testing.T) {
	tests := []struct {
		params  string
		want    jsonrpc2.ID
		wantErr bool
	}{
		{`{"id":7}`, jsonrpc2.NewNumberID(7), false},
		{`{"id":7.0}`, jsonrpc2.NewNumberID(7), false},
		{`{"id":-3}`, jsonrpc2.NewNumberID(-3), false},
		{`{"id":"7"}`, jsonrpc2.NewStringID("7"), false},
		{`{"id":"petición-🎉"}`, jsonrpc2.NewStringID("petición-🎉"), false},
		{`{"id":7.5}`, jsonrpc2.ID{}, true},
		{`{"id":4294967296}`, jsonrpc2.ID{}, true},
		{`{"id":null}`, jsonrpc2.ID{}, true},
		{`{}`, jsonrpc2.ID{}, true},
		{`{"id":[1]}`, jsonrpc2.ID{}, true},
		{`not json`, jsonrpc2.ID{}, true},
	}
	for _, tt := range tests {
		got, err := parseCancelID([]byte(tt.params))
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseCancelID(%s) = %v, %v; want %v, error %v", tt.params, got, err, tt.want, tt.wantErr)
		}
	}
}
