package server

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/server/lsptest"
)

// testApplyEdit asks the client to apply an edit and returns its answer.
func testApplyEdit(s *Server, ctx context.Context, r *request) (any, *jsonrpc2.Error) {
	r.release() // never wait on the client from the ordered section
	resp, err := s.applyEdit(ctx, &protocol.ApplyWorkspaceEditParams{
		Label: "asyncmig: añadir await 🎉",
		Edit: protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{
			"file:///app/servicios/sesión.py": {{NewText: "await "}},
		}},
	})
	if err != nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InternalError, err.Error())
	}
	return resp, nil
}

// Clients answer workspace/applyEdit with {"applied": …}; v0.12.0's client
// decoded that into a bool and always failed (gotcha 3).
func TestApplyEditRoundTrip(t *testing.T) {
	for _, answer := range []string{
		`{"applied":true}`,
		`{"applied":false,"failureReason":"el documento cambió"}`,
	} {
		t.Run(answer, func(t *testing.T) {
			c := startInitialized(t, map[string]handlerFunc{"test/apply": testApplyEdit})
			var label string
			c.HandleRequest("workspace/applyEdit", func(params json.RawMessage) (any, *lsptest.ResponseError) {
				var p protocol.ApplyWorkspaceEditParams
				if err := json.Unmarshal(params, &p); err != nil {
					return nil, &lsptest.ResponseError{Code: -32602, Message: err.Error()}
				}
				label = p.Label
				return json.RawMessage(answer), nil
			})
			var got, want protocol.ApplyWorkspaceEditResponse
			if err := c.Call("test/apply", nil, &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(answer), &want); err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("the server decoded %+v, the client answered %s", got, answer)
			}
			if label != "asyncmig: añadir await 🎉" {
				t.Errorf("the client received label %q", label)
			}
		})
	}
}

func TestApplyEditRefusedByTheClient(t *testing.T) {
	c := startInitialized(t, map[string]handlerFunc{"test/apply": testApplyEdit})
	c.HandleRequest("workspace/applyEdit", func(json.RawMessage) (any, *lsptest.ResponseError) {
		return nil, &lsptest.ResponseError{Code: -32803, Message: "rechazado"}
	})
	wantError(t, c.Call("test/apply", nil, nil), -32603, "rechazado")
}

func testProgress(s *Server, ctx context.Context, r *request) (any, *jsonrpc2.Error) {
	r.release()
	w := s.beginWorkDone(ctx, "index", "Indexando módulos")
	w.report(ctx, "app/servicios 🐍", 50)
	w.end(ctx, "listo")
	w.end(ctx, "twice") // ignored
	return nil, nil
}

// ProgressToken marshals only through its pointer: passed by value it went
// out as {} (gotcha 14).
func TestProgressTokenIsAString(t *testing.T) {
	c := start(t, map[string]handlerFunc{"test/progress": testProgress})
	c.Initialize(map[string]any{"capabilities": map[string]any{"window": map[string]any{"workDoneProgress": true}}})
	if err := c.Call("test/progress", nil, nil); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, m := range c.Messages() {
		var p struct {
			Token any `json:"token"`
			Value struct {
				Kind string `json:"kind"`
			} `json:"value"`
		}
		switch m.Method {
		case "window/workDoneProgress/create", "$/progress":
			if err := json.Unmarshal(m.Params, &p); err != nil {
				t.Fatal(err)
			}
			if p.Token != "asyncmig/index/1" {
				t.Errorf("%s carries token %#v, want the string %q: %s", m.Method, p.Token, "asyncmig/index/1", m.Raw)
			}
			if m.Method == "$/progress" {
				kinds = append(kinds, p.Value.Kind)
			}
		}
	}
	if got := strings.Join(kinds, ","); got != "begin,report,end" {
		t.Errorf("progress kinds %s, want begin,report,end", got)
	}
}

func TestNoProgressWithoutClientSupport(t *testing.T) {
	c := startInitialized(t, map[string]handlerFunc{"test/progress": testProgress})
	if err := c.Call("test/progress", nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, m := range c.Messages() {
		if m.Method == "window/workDoneProgress/create" || m.Method == "$/progress" {
			t.Errorf("progress sent to a client that did not ask for it: %s", m.Raw)
		}
	}
}
