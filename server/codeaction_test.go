package server

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/textpos"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// openTienda opens text and returns its first publication.
func openDoc(t *testing.T, c *lsptest.Client, docURI, text string) *lsptest.Published {
	t.Helper()
	c.Open(docURI, 1, text)
	return c.WaitDiagnostics(docURI, 1)
}

func titles(actions []protocol.CodeAction) []string {
	out := make([]string, len(actions))
	for i, a := range actions {
		out[i] = a.Title
	}
	return out
}

func TestCodeActionsForADiagnostic(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	docURI := "file:///proyecto/tienda.py"
	d := diagnosticOf(t, openDoc(t, c, docURI, tiendaPy), "AM501")
	actions, err := c.CodeActions(codeActionRequest(docURI, d.Range, []protocol.Diagnostic{d}, "quickfix"))
	if err != nil {
		t.Fatal(err)
	}
	got := titles(actions)
	want := []string{
		"asyncmig (AM501): Replace with `datetime.now(timezone.utc)`",
		"asyncmig (AM501): Replace with `datetime.now(timezone.utc).replace(tzinfo=None)`",
		"asyncmig: Ignore AM501 on this line",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("actions %q, want %q", got, want)
	}
	for i, a := range actions {
		if a.Kind != protocol.QuickFix || len(a.Diagnostics) != 1 || a.Diagnostics[0].Range != d.Range {
			t.Errorf("action %q: kind %q, diagnostics %+v", a.Title, a.Kind, a.Diagnostics)
		}
		if a.IsPreferred != (i == 1) {
			t.Errorf("action %q: isPreferred %v (only the safe fix is)", a.Title, a.IsPreferred)
		}
		if a.Edit == nil || len(a.Edit.DocumentChanges) != 1 {
			t.Errorf("action %q: want a versioned edit, got %+v", a.Title, a.Edit)
		}
	}
}

func TestIgnoreMergesIntoAnExistingNoqa(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	docURI := "file:///proyecto/tienda.py"
	line := `nombre = "Año 🚀"; ts = datetime.utcnow()  # noqa: E501 — línea larga`
	text := strings.Replace(tiendaPy, callLine, line, 1)
	d := diagnosticOf(t, openDoc(t, c, docURI, text), "AM501")
	actions, err := c.CodeActions(codeActionRequest(docURI, d.Range, nil))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(actions, func(a protocol.CodeAction) bool { return a.Title == "asyncmig: Ignore AM501 on this line" })
	if i < 0 {
		t.Fatalf("no ignore action in %q", titles(actions))
	}
	got := applyWorkspaceEdit(t, text, docURI, 1, actions[i].Edit, textpos.UTF16)
	wantLine := `nombre = "Año 🚀"; ts = datetime.utcnow()  # noqa: E501, AM501 — línea larga`
	if want := strings.Replace(tiendaPy, callLine, wantLine, 1); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	c.ChangeFull(docURI, 2, got)
	if p := c.WaitDiagnostics(docURI, 2); len(p.Diagnostics) != 0 {
		t.Errorf("still reported after the noqa: %s", p.Raw)
	}
}

// The client's diagnostics only narrow the selection; ranges come from
// the request, and other tools' diagnostics do not hide ours.
func TestCodeActionSelection(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	docURI := "file:///proyecto/tienda.py"
	text := tiendaPy + "\n\ndef caduca(s):\n    return datetime.utcfromtimestamp(s)  # ñ\n"
	p := openDoc(t, c, docURI, text)
	am501, am502 := diagnosticOf(t, p, "AM501"), diagnosticOf(t, p, "AM502")
	whole := protocol.Range{End: protocol.Position{Line: 100}}
	codesOf := func(actions []protocol.CodeAction) []string {
		var out []string
		for _, a := range actions {
			for _, d := range a.Diagnostics {
				if code := d.Code.(string); !slices.Contains(out, code) {
					out = append(out, code)
				}
			}
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		rng   protocol.Range
		diags []protocol.Diagnostic
		want  []string
	}{
		{"cursor on the call", protocol.Range{Start: am501.Range.Start, End: am501.Range.Start}, nil, []string{"AM501"}},
		{"whole file", whole, nil, []string{"AM501", "AM502"}},
		{"narrowed to one", whole, []protocol.Diagnostic{am502}, []string{"AM502"}},
		{"another tool's only", whole, []protocol.Diagnostic{{Range: am501.Range, Code: "E501", Source: "ruff", Message: "línea larga"}}, []string{"AM501", "AM502"}},
		{"stale range", whole, []protocol.Diagnostic{{Range: whole, Code: "AM501", Source: "asyncmig"}}, nil},
		{"nowhere", protocol.Range{}, nil, nil},
	} {
		actions, err := c.CodeActions(codeActionRequest(docURI, tc.rng, tc.diags, "quickfix"))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := codesOf(actions); !slices.Equal(got, tc.want) {
			t.Errorf("%s: actions for %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestContextOnly(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	docURI := "file:///proyecto/tienda.py"
	d := diagnosticOf(t, openDoc(t, c, docURI, tiendaPy), "AM501")
	kinds := func(only ...string) []string {
		actions, err := c.CodeActions(codeActionRequest(docURI, d.Range, nil, only...))
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range actions {
			if !slices.Contains(out, string(a.Kind)) {
				out = append(out, string(a.Kind))
			}
		}
		return out
	}
	for _, tc := range []struct {
		only []string
		want []string
	}{
		{nil, []string{"quickfix", "source.fixAll.asyncmig"}},
		{[]string{"quickfix"}, []string{"quickfix"}},
		{[]string{"source.fixAll.asyncmig"}, []string{"source.fixAll.asyncmig"}},
		{[]string{"source.fixAll"}, []string{"source.fixAll.asyncmig"}},
		{[]string{"source"}, []string{"source.fixAll.asyncmig"}},
		{[]string{"refactor"}, nil},
	} {
		if got := kinds(tc.only...); !slices.Equal(got, tc.want) {
			t.Errorf("only %v: kinds %v, want %v", tc.only, got, tc.want)
		}
	}
}

const twoFaults = `from datetime import datetime

# Dos problemas y una sola corrección 🧹
creado = datetime.utcnow()


def caduca(segundos):
    return datetime.utcfromtimestamp(segundos)  # ¿UTC? 🌍
`

func checkFixedAll(t *testing.T, fixed string) {
	t.Helper()
	mustParse(t, fixed)
	for _, want := range []string{
		"from datetime import datetime, timezone\n",
		"creado = datetime.now(timezone.utc).replace(tzinfo=None)\n",
		"return datetime.fromtimestamp(segundos, tz=timezone.utc).replace(tzinfo=None)  # ¿UTC? 🌍\n",
	} {
		if !strings.Contains(fixed, want) {
			t.Errorf("fix-all result lacks %q:\n%s", want, fixed)
		}
	}
}

// A client that cannot resolve edits gets fix-all with its edit at once,
// as one edit.
func TestFixAllEager(t *testing.T) {
	caps := editorCaps("utf-8")
	delete(caps["textDocument"].(map[string]any)["codeAction"].(map[string]any), "resolveSupport")
	c := startDocs(t, Options{}, initParams("", caps, nil))
	docURI := "file:///proyecto/fechas.py"
	openDoc(t, c, docURI, twoFaults)
	actions, err := c.CodeActions(codeActionRequest(docURI, protocol.Range{}, nil, "source.fixAll"))
	if err != nil {
		t.Fatal(err)
	}
	if len(actions) != 1 || actions[0].Kind != "source.fixAll.asyncmig" || actions[0].Edit == nil {
		t.Fatalf("want one fix-all action with an edit, got %+v", actions)
	}
	if n := len(actions[0].Edit.DocumentChanges[0].Edits); n != 1 {
		t.Errorf("fix-all sent %d edits, want one", n)
	}
	checkFixedAll(t, applyWorkspaceEdit(t, twoFaults, docURI, 1, actions[0].Edit, textpos.UTF8))
}

// A client that resolves gets fix-all without its edit (cheap on every
// lightbulb) and codeAction/resolve computes it; other actions resolve to
// themselves.
func TestFixAllResolved(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	docURI := "file:///proyecto/fechas.py"
	openDoc(t, c, docURI, twoFaults)
	actions, err := c.CodeActions(codeActionRequest(docURI, protocol.Range{End: protocol.Position{Line: 9}}, nil))
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(actions, func(a protocol.CodeAction) bool { return a.Kind == "source.fixAll.asyncmig" })
	if i < 0 || actions[i].Edit != nil || actions[i].Data == nil {
		t.Fatalf("want a fix-all action to resolve, got %+v", actions)
	}
	var resolved protocol.CodeAction
	if err := c.Call("codeAction/resolve", actions[i], &resolved); err != nil {
		t.Fatal(err)
	}
	if resolved.Title != actions[i].Title || resolved.Edit == nil {
		t.Fatalf("resolved to %+v", resolved)
	}
	checkFixedAll(t, applyWorkspaceEdit(t, twoFaults, docURI, 1, resolved.Edit, textpos.UTF16))

	quick := actions[0]
	var same protocol.CodeAction
	if err := c.Call("codeAction/resolve", quick, &same); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(quick)
	b, _ := json.Marshal(same)
	if string(a) != string(b) {
		t.Errorf("resolving an action that has its edit changed it:\n%s\n%s", a, b)
	}
	wantError(t, c.Call("codeAction/resolve", map[string]any{"title": 3}, nil), -32602, "codeAction/resolve")
}

func TestNoFixAllWithoutSafeFixes(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	docURI := "file:///proyecto/limpio.py"
	openDoc(t, c, docURI, "# Nada que arreglar ✨\nx = 1\n")
	actions, err := c.CodeActions(codeActionRequest(docURI, protocol.Range{}, nil, "source.fixAll"))
	if err != nil || actions == nil || len(actions) != 0 {
		t.Errorf("got %v, %v; want an empty list", actions, err)
	}
}

func TestCodeActionBadParams(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	wantError(t, c.Call("textDocument/codeAction", map[string]any{"textDocument": 7}, nil), -32602, "textDocument/codeAction")
	wantError(t, c.Call("textDocument/codeAction", nil, nil), -32602, "params are missing")
}

// gate blocks a test rule until the test opens it, to hold an analysis in
// flight.
type gate struct {
	mu      sync.Mutex
	closed  bool
	entered chan struct{}
	release chan struct{}
}

func newGate() *gate {
	return &gate{entered: make(chan struct{}, 100), release: make(chan struct{})}
}

func (g *gate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.closed {
		g.closed = true
		close(g.release)
	}
}

// blockingRule reports nothing; while armed it blocks on the first call it
// sees, like a rule stuck on a huge file.
func blockingRule(g *gate, armed *bool, mu *sync.Mutex) *diagnostics.Rule {
	return &diagnostics.Rule{
		Code: "AM999", Name: "lenta", Severity: diagnostics.SeverityWarning, Doc: "Una regla lenta 🐢.",
		Kinds: []pysyntax.Kind{pysyntax.Call},
		Check: func(*diagnostics.Pass, pysyntax.Node) {
			mu.Lock()
			block := *armed
			mu.Unlock()
			if block {
				g.entered <- struct{}{}
				<-g.release
			}
		},
	}
}

func TestCodeActionCancelled(t *testing.T) {
	g := newGate()
	var mu sync.Mutex
	armed := false
	ruleSet := append(slices.Clone(rules.All), blockingRule(g, &armed, &mu))
	c := startDocs(t, Options{rules: ruleSet}, initParams("", editorCaps(), map[string]any{"debounceMs": 60000}))
	t.Cleanup(g.close) // before the client's cleanup: unblock the handler
	docURI := "file:///proyecto/tienda.py"
	c.Open(docURI, 1, tiendaPy) // didOpen is checked at once, debounce or not
	d := diagnosticOf(t, c.WaitDiagnostics(docURI, 1), "AM501")

	mu.Lock()
	armed = true
	mu.Unlock()
	// Version 2 has no analysis yet (the debounce is a minute): the code
	// action runs one, and blocks in it.
	c.Change(docURI, 2, protocol.Range{}, "\n")
	d.Range.Start.Line++
	d.Range.End.Line++
	id := c.Send("textDocument/codeAction", codeActionRequest(docURI, d.Range, nil))
	<-g.entered
	c.Notify("$/cancelRequest", map[string]any{"id": json.RawMessage(id)})
	reply := c.WaitResponse(id)
	if reply.Error == nil || reply.Error.Code != -32800 {
		t.Fatalf("want -32800 for the cancelled code action, got %s", reply.Raw)
	}
	// The server goes on: typing and hover still work while the
	// cancelled analysis is stuck.
	mu.Lock()
	armed = false
	mu.Unlock()
	g.close()
	c.Change(docURI, 3, protocol.Range{}, "# sigue vivo 💓\n")
	actions, err := c.CodeActions(codeActionRequest(docURI, protocol.Range{Start: protocol.Position{Line: 5}, End: protocol.Position{Line: 5, Character: 80}}, nil, "quickfix"))
	if err != nil || len(actions) == 0 {
		t.Errorf("after the cancellation: %v, %v", titles(actions), err)
	}

}

// A rule that panics costs its own findings only: the others are
// published, and the server keeps answering.
func TestBrokenRuleDoesNotKillTheServer(t *testing.T) {
	broken := &diagnostics.Rule{
		Code: "AM998", Name: "rota", Severity: diagnostics.SeverityError, Doc: "Siempre falla 💥.",
		Kinds: []pysyntax.Kind{pysyntax.Call},
		Check: func(*diagnostics.Pass, pysyntax.Node) { panic("regla rota 💥") },
	}
	ruleSet := append(slices.Clone(rules.All), broken)
	c := startDocs(t, Options{rules: ruleSet}, initParams("", editorCaps(), nil))
	docURI := "file:///proyecto/tienda.py"
	d := diagnosticOf(t, openDoc(t, c, docURI, tiendaPy), "AM501")
	if _, err := c.CodeActions(codeActionRequest(docURI, d.Range, nil)); err != nil {
		t.Fatal(err)
	}
	echo(t, c)
}

// Users who opt into unsafe fixes (the editors' unsafeFixes setting) get
// them from fix-all too, and the title says so.
func TestFixAllWithUnsafeFixes(t *testing.T) {
	caps := editorCaps()
	delete(caps["textDocument"].(map[string]any)["codeAction"].(map[string]any), "resolveSupport")
	c := startDocs(t, Options{}, initParams("", caps, map[string]any{"unsafeFixes": true}))
	docURI := "file:///proyecto/fechas.py"
	openDoc(t, c, docURI, twoFaults)
	actions, err := c.CodeActions(codeActionRequest(docURI, protocol.Range{}, nil, "source.fixAll.asyncmig"))
	if err != nil || len(actions) != 1 {
		t.Fatalf("got %+v, %v", actions, err)
	}
	if actions[0].Title != "asyncmig: Fix all problems, unsafe fixes included" {
		t.Errorf("title %q", actions[0].Title)
	}
	fixed := applyWorkspaceEdit(t, twoFaults, docURI, 1, actions[0].Edit, textpos.UTF16)
	mustParse(t, fixed)
	if !strings.Contains(fixed, "creado = datetime.now(timezone.utc)\n") {
		t.Errorf("the unsafe (aware) fix was not applied:\n%s", fixed)
	}
}
