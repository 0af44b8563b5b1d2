package server

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/internal/textpos"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// editorApplying answers workspace/applyEdit like an editor, keeping the
// edits it was asked to apply.
type editorApplying struct {
	mu    sync.Mutex
	edits []protocol.ApplyWorkspaceEditParams
}

func (e *editorApplying) handle(params json.RawMessage) (any, *lsptest.ResponseError) {
	var p protocol.ApplyWorkspaceEditParams
	if err := json.Unmarshal(params, &p); err != nil {
		return nil, &lsptest.ResponseError{Code: -32602, Message: err.Error()}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.edits = append(e.edits, p)
	return map[string]any{"applied": true}, nil
}

func (e *editorApplying) last(t *testing.T) protocol.ApplyWorkspaceEditParams {
	t.Helper()
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.edits) == 0 {
		t.Fatal("no workspace/applyEdit received")
	}
	return e.edits[len(e.edits)-1]
}

func executeCommand(c *lsptest.Client, command string, args ...any) *lsptest.ResponseError {
	return c.Call("workspace/executeCommand", map[string]any{"command": command, "arguments": args}, nil)
}

func TestCommandFixAll(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	editor := &editorApplying{}
	c.HandleRequest("workspace/applyEdit", editor.handle)
	docURI := "file:///proyecto/fechas.py"
	openDoc(t, c, docURI, twoFaults)
	if err := executeCommand(c, "asyncmig.fixAll", docURI); err != nil {
		t.Fatal(err)
	}
	applied := editor.last(t)
	if applied.Label != "asyncmig: Fix all safe problems" {
		t.Errorf("label %q", applied.Label)
	}
	checkFixedAll(t, applyWorkspaceEdit(t, twoFaults, docURI, 1, &applied.Edit, textpos.UTF16))

	// The object form of the argument works too.
	if err := executeCommand(c, "asyncmig.fixAll", map[string]any{"uri": docURI}); err != nil {
		t.Fatal(err)
	}
}

func TestCommandIgnoreRule(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	editor := &editorApplying{}
	c.HandleRequest("workspace/applyEdit", editor.handle)
	docURI := "file:///proyecto/tienda.py"
	openDoc(t, c, docURI, tiendaPy)
	if err := executeCommand(c, "asyncmig.ignoreRule", map[string]any{"uri": docURI, "code": "AM501", "line": 3}); err != nil {
		t.Fatal(err)
	}
	applied := editor.last(t)
	got := applyWorkspaceEdit(t, tiendaPy, docURI, 1, &applied.Edit, textpos.UTF16)
	if want := strings.Replace(tiendaPy, callLine, callLine+"  # noqa: AM501", 1); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	wantError(t, executeCommand(c, "asyncmig.ignoreRule", docURI, "AM501", 0), -32602, "no AM501 diagnostic on line 1")
}

func TestCommandErrors(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	c.HandleRequest("workspace/applyEdit", (&editorApplying{}).handle)
	wantError(t, executeCommand(c, "asyncmig.showReport"), -32803, "no workspace folder")
	wantError(t, executeCommand(c, "asyncmig.hacerMagia"), -32602, "unknown command", "asyncmig.hacerMagia")
	wantError(t, executeCommand(c, "asyncmig.fixAll"), -32602, "missing the document URI")
	wantError(t, executeCommand(c, "asyncmig.fixAll", 42), -32602, "first argument")
	wantError(t, executeCommand(c, "asyncmig.fixAll", "file:///no/abierto.py"), -32602, "is not open")
	wantError(t, executeCommand(c, "asyncmig.ignoreRule", "file:///no/abierto.py"), -32602, "rule code")
	echo(t, c)
}

// A client that refuses the edit gets an error naming its reason.
func TestCommandEditRefused(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	c.HandleRequest("workspace/applyEdit", func(json.RawMessage) (any, *lsptest.ResponseError) {
		return map[string]any{"applied": false, "failureReason": "el documento cambió 🙃"}, nil
	})
	docURI := "file:///proyecto/fechas.py"
	openDoc(t, c, docURI, twoFaults)
	wantError(t, executeCommand(c, "asyncmig.fixAll", docURI), -32803, "el documento cambió 🙃")
}
