package server

import (
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/internal/textpos"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// The acceptance scenario, in-process and against the real binary,
// with a UTF-16 client and a UTF-8 one: open a file whose faulty call has
// non-ASCII text before it on its line, see AM501 at the exact range,
// insert a line above and see it move, apply the preferred fix, shut down.
func TestAcceptance(t *testing.T) {
	for _, enc := range []textpos.Encoding{textpos.UTF16, textpos.UTF8} {
		t.Run("in-process/"+enc.String(), func(t *testing.T) {
			acceptance(t, lsptest.New(t, newTestServer(t, Options{}, nil).Serve), enc)
		})
		t.Run("asyncmig serve/"+enc.String(), func(t *testing.T) {
			acceptance(t, lsptest.Exec(t, "serve"), enc)
		})
	}
}

func acceptance(t *testing.T, c *lsptest.Client, enc textpos.Encoding) {
	root := t.TempDir()
	var caps map[string]any
	if enc == textpos.UTF8 {
		caps = editorCaps("utf-8", "utf-16")
	} else {
		caps = editorCaps() // no positionEncodings: UTF-16, as VS Code
	}
	raw := c.Initialize(initParams(root, caps, nil))
	if !strings.Contains(string(raw), `"positionEncoding":"`+enc.String()+`"`) {
		t.Fatalf("initialize result %s does not choose %s", raw, enc)
	}
	docURI := fileURI(filepath.Join(root, "tienda.py"))

	c.Open(docURI, 1, tiendaPy)
	first := diagnosticOf(t, c.WaitDiagnostics(docURI, 1), "AM501")
	want := rangeOnLine(3, callLine, "datetime.utcnow()", enc)
	if first.Range != want {
		t.Fatalf("AM501 at %+v, want %+v (%s)", first.Range, want, enc)
	}
	if enc == textpos.UTF16 && want.Start.Character != 24 || enc == textpos.UTF8 && want.Start.Character != 27 {
		t.Fatalf("test bug: expected start %d in %s", want.Start.Character, enc)
	}
	if first.Source != "asyncmig" || first.Severity != protocol.DiagnosticSeverityWarning ||
		first.CodeDescription == nil || !strings.HasSuffix(string(first.CodeDescription.Href), "/AM501.md") {
		t.Errorf("diagnostic %+v", first)
	}

	// Insert a line above the call's line: the diagnostic moves down one.
	inserted := "# Línea añadida desde el editor ✍️\n"
	c.Change(docURI, 2, protocol.Range{Start: protocol.Position{Line: 3}, End: protocol.Position{Line: 3}}, inserted)
	text := strings.Replace(tiendaPy, callLine, inserted+callLine, 1)
	moved := diagnosticOf(t, c.WaitDiagnostics(docURI, 2), "AM501")
	want.Start.Line, want.End.Line = 4, 4
	if moved.Range != want {
		t.Fatalf("after the insert AM501 is at %+v, want %+v", moved.Range, want)
	}

	actions, err := c.CodeActions(codeActionRequest(docURI, moved.Range, []protocol.Diagnostic{moved}))
	if err != nil {
		t.Fatal(err)
	}
	var preferred []protocol.CodeAction
	for _, a := range actions {
		if a.IsPreferred {
			preferred = append(preferred, a)
		}
	}
	if len(preferred) != 1 || preferred[0].Kind != protocol.QuickFix || !strings.HasPrefix(preferred[0].Title, "asyncmig (AM501): ") {
		t.Fatalf("want one preferred AM501 quickfix, got %+v", actions)
	}
	fixed := applyWorkspaceEdit(t, text, docURI, 2, preferred[0].Edit, enc)
	mustParse(t, fixed)
	if !strings.Contains(fixed, "from datetime import datetime, timezone\n") ||
		!strings.Contains(fixed, `nombre = "Año 🚀"; ts = datetime.now(timezone.utc).replace(tzinfo=None)`) {
		t.Errorf("the preferred fix gave:\n%s", fixed)
	}

	// The editor applies it; the server sees the result and is satisfied.
	c.ChangeFull(docURI, 3, fixed)
	if after := c.WaitDiagnostics(docURI, 3); len(after.Diagnostics) != 0 {
		t.Errorf("diagnostics after the fix: %s", after.Raw)
	}
	noNulls(t, c)
	c.Shutdown()
	c.Exit()
	if code := c.ExitCode(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}
