package server

import (
	"slices"
	"sync"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// A re-check after a workspace Refresh lands while the analysis of a
// keystroke is under way: the keystroke's diagnostics must still be
// published (the user is waiting for them), then the re-check runs.
func TestRecheckLetsTheRunUnderWayPublish(t *testing.T) {
	g := newGate()
	var mu sync.Mutex
	armed := false
	ruleSet := append(slices.Clone(rules.All), blockingRule(g, &armed, &mu))
	s := newTestServer(t, Options{rules: ruleSet}, nil)
	c := lsptest.New(t, s.Serve)
	c.Initialize(initParams("", editorCaps(), map[string]any{"debounce-ms": 0}))
	t.Cleanup(g.close)
	docURI := "file:///proyecto/tienda.py"
	c.Open(docURI, 1, tiendaPy)
	c.WaitDiagnostics(docURI, 1)

	mu.Lock()
	armed = true
	mu.Unlock()
	mark := c.Mark()
	c.Change(docURI, 2, protocol.Range{}, "# año 🎉\n")
	<-g.entered // version 2 is being analysed
	mu.Lock()
	armed = false
	mu.Unlock()
	s.recheckDiagnostics(docURI)
	g.release <- struct{}{}

	isV2 := func(p *lsptest.Published) bool { return p.Version != nil && *p.Version == 2 }
	first := c.WaitDiagnosticsSince(mark, docURI, lsptest.Timeout, isV2)
	second := c.WaitDiagnosticsSince(first.Index+1, docURI, lsptest.Timeout, isV2)
	if !slices.Equal(first.Codes(), second.Codes()) {
		t.Errorf("the re-check found %v, the run under way %v", second.Codes(), first.Codes())
	}
	if len(first.Codes()) == 0 {
		t.Error("no diagnostics for tienda.py")
	}
}

// A re-check with nothing under way runs at once.
func TestRecheckRunsWhenIdle(t *testing.T) {
	s := newTestServer(t, Options{}, nil)
	c := lsptest.New(t, s.Serve)
	c.Initialize(initParams("", editorCaps(), map[string]any{"debounce-ms": 0}))
	docURI := "file:///proyecto/tienda.py"
	c.Open(docURI, 1, tiendaPy)
	first := c.WaitDiagnostics(docURI, 1)
	s.recheckDiagnostics(docURI)
	c.WaitDiagnosticsSince(first.Index+1, docURI, lsptest.Timeout, func(p *lsptest.Published) bool {
		return p.Version != nil && *p.Version == 1
	})
}
