package server

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/internal/textpos"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// waitCleared waits for an empty publication for uri after mark, without
// a version: the client's copy diverged or the document closed.
func waitCleared(t *testing.T, c *lsptest.Client, mark int, docURI string) *lsptest.Published {
	t.Helper()
	p := c.WaitDiagnosticsSince(mark, docURI, lsptest.Timeout, func(p *lsptest.Published) bool { return len(p.Diagnostics) == 0 })
	if !strings.Contains(string(p.Raw), `"diagnostics":[]`) {
		t.Errorf("cleared diagnostics must be [], got %s", p.Raw)
	}
	return p
}

// A change whose version is not newer is not applied; the client has
// diverged, so its diagnostics are cleared; the next good change applies
// to the text we kept.
func TestStaleVersionKeepsStateAndClears(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	docURI := "file:///proyecto/tienda.py"
	c.Open(docURI, 5, tiendaPy)
	diagnosticOf(t, c.WaitDiagnostics(docURI, 5), "AM501")

	mark := c.Mark()
	// Replaces the call with something harmless — but as version 5 again.
	call := rangeOnLine(3, callLine, "datetime.utcnow()", textpos.UTF16)
	c.Change(docURI, 5, call, "None")
	waitCleared(t, c, mark, docURI)

	// Version 6 inserts a comment line at the top of the text we kept: the
	// call is still there, one line down.
	c.Change(docURI, 6, protocol.Range{}, "# Versión 6 — ¿sigue ahí? 🤔\n")
	got := diagnosticOf(t, c.WaitDiagnostics(docURI, 6), "AM501")
	call.Start.Line, call.End.Line = 4, 4
	if got.Range != call {
		t.Errorf("AM501 at %+v, want %+v: the stale change must not have been applied", got.Range, call)
	}
	noNulls(t, c)
}

func TestInvalidRangeKeepsStateAndClears(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	docURI := "file:///proyecto/tienda.py"
	c.Open(docURI, 1, tiendaPy)
	c.WaitDiagnostics(docURI, 1)

	mark := c.Mark()
	c.Change(docURI, 2, protocol.Range{Start: protocol.Position{Line: 40}, End: protocol.Position{Line: 41}}, "x")
	waitCleared(t, c, mark, docURI)

	c.Change(docURI, 3, protocol.Range{}, "\n")
	got := diagnosticOf(t, c.WaitDiagnostics(docURI, 3), "AM501")
	if got.Range.Start.Line != 4 {
		t.Errorf("AM501 on line %d, want 4 (the text before the bad change, plus one line)", got.Range.Start.Line)
	}
}

// A didChange the server cannot even decode leaves the document as it was.
func TestUndecodableChangeClears(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	docURI := "file:///proyecto/tienda.py"
	c.Open(docURI, 1, tiendaPy)
	c.WaitDiagnostics(docURI, 1)
	mark := c.Mark()
	c.SendRaw(lsptest.Frame(`{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"` + docURI + `","version":2},"contentChanges":[{"range":{"start":{"line":-1,"character":0},"end":{"line":0,"character":0}},"text":"ñ"}]}}`))
	waitCleared(t, c, mark, docURI)
	echo(t, c)
}

func TestFullChangeReplaces(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	docURI := "untitled:Sin título-1" // not a file: analysed alone
	c.Open(docURI, 1, "x = 1  # sin problemas ✅\n")
	if p := c.WaitDiagnostics(docURI, 1); len(p.Diagnostics) != 0 {
		t.Fatalf("unexpected diagnostics %s", p.Raw)
	}
	c.ChangeFull(docURI, 2, tiendaPy)
	diagnosticOf(t, c.WaitDiagnostics(docURI, 2), "AM501")
}

func TestDidCloseClears(t *testing.T) {
	c := startDocs(t, Options{}, initParams(t.TempDir(), editorCaps(), nil))
	docURI := "file:///proyecto/tienda.py"
	c.Open(docURI, 1, tiendaPy)
	diagnosticOf(t, c.WaitDiagnostics(docURI, 1), "AM501")
	mark := c.Mark()
	c.Close(docURI)
	p := waitCleared(t, c, mark, docURI)
	if p.Version != nil {
		t.Errorf("a closed document has no version, got %s", p.Raw)
	}
	// Nothing is published for it afterwards, however long the debounce.
	echo(t, c)
	time.Sleep(3 * defaultDebounceForTests())
	for _, later := range c.AllDiagnostics(docURI) {
		if later.Index > p.Index {
			t.Errorf("published after close: %s", later.Raw)
		}
	}
	// A code action on the closed document is an empty list, not null.
	actions, err := c.CodeActions(codeActionRequest(docURI, protocol.Range{}, nil))
	if err != nil || actions == nil || len(actions) != 0 {
		t.Errorf("code actions on a closed document: %v, %v", actions, err)
	}
}

// Typing quickly: runs for superseded versions never publish, and the last
// version's diagnostics come out once the debounce has passed.
func TestOnlyTheLatestVersionIsPublished(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	docURI := "file:///proyecto/tienda.py"
	c.Open(docURI, 1, tiendaPy)
	c.WaitDiagnostics(docURI, 1)
	for v := int32(2); v <= 30; v++ {
		c.Change(docURI, v, protocol.Range{}, "#")
	}
	c.WaitDiagnostics(docURI, 30)
	for _, p := range c.AllDiagnostics(docURI) {
		if p.Version != nil && *p.Version > 1 && *p.Version < 30 {
			t.Errorf("published for superseded version %d", *p.Version)
		}
	}
}

// The debounce-ms setting from initializationOptions delays the analysis.
func TestDebounceSetting(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), map[string]any{"debounce-ms": 700}))
	docURI := "file:///proyecto/tienda.py"
	c.Open(docURI, 1, tiendaPy)
	c.WaitDiagnostics(docURI, 1)
	mark := c.Mark()
	c.Change(docURI, 2, protocol.Range{}, "\n")
	// Not published within the first few hundred milliseconds…
	time.Sleep(300 * time.Millisecond)
	for _, p := range c.AllDiagnostics(docURI) {
		if p.Index >= mark {
			t.Fatalf("published before the 700 ms debounce: %s", p.Raw)
		}
	}
	// …but published eventually.
	c.WaitDiagnostics(docURI, 2)
}

func defaultDebounceForTests() time.Duration { return 100 * time.Millisecond }

// Changes are read in the negotiated encoding: with UTF-8, character 9
// of "x = '🚀'" is right after the emoji (bytes), where UTF-16 would have
// been past the closing quote.
func TestChangesUseTheNegotiatedEncoding(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps("utf-8"), nil))
	docURI := "file:///proyecto/emoji.py"
	c.Open(docURI, 1, "from datetime import datetime\nx = '🚀'\n")
	c.WaitDiagnostics(docURI, 1)
	c.Change(docURI, 2, protocol.Range{Start: protocol.Position{Line: 1, Character: 9}, End: protocol.Position{Line: 1, Character: 9}},
		"'; y = datetime.utcnow(); z = '")
	got := diagnosticOf(t, c.WaitDiagnostics(docURI, 2), "AM501")
	if want := rangeOnLine(1, "x = '🚀'; y = datetime.utcnow(); z = ''", "datetime.utcnow()", textpos.UTF8); got.Range != want {
		t.Errorf("AM501 at %+v, want %+v in utf-8", got.Range, want)
	}
}

// Versions start again when a document is reopened (a new editor session
// may count from 0): the index takes the reopened buffer all the same.
func TestReopenWithLowerVersion(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, gymFiles)
	c := startDocs(t, Options{}, initParams(root, editorCaps(), nil))
	waitIndexed(t, c)
	routesURI := fileURI(filepath.Join(root, "routes.py"))
	userURI := fileURI(filepath.Join(root, "services", "user.py"))
	c.Open(routesURI, 1, gymFiles["routes.py"])
	c.WaitDiagnostics(routesURI, 1)
	c.Open(userURI, 40, gymFiles["services/user.py"])
	c.WaitDiagnostics(userURI, 40)
	c.Close(userURI)
	mark := c.Mark()
	c.Open(userURI, 0, strings.Replace(gymFiles["services/user.py"], "def get_user", "async def get_user", 1))
	c.WaitDiagnosticsSince(mark, routesURI, lsptest.Timeout, func(p *lsptest.Published) bool {
		return slices.Contains(p.Codes(), "AM301")
	})
}
