package server

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/benchgen"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/internal/report"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// BenchmarkCodeLens is what an editor pays for the lenses of the 5,000-line
// endpoints module (~550 handlers) right after a keystroke, before the
// debounced analysis ran: a didChange plus textDocument/codeLens. "lazy"
// is what clients that resolve get (bare lenses: decorators evaluated, no
// rule run); "eager" is the same request for a client that cannot resolve,
// which needs the whole analysis first. "resolve" is one codeLens/resolve
// against the published analysis, what each lens on screen costs after.
func BenchmarkCodeLens(b *testing.B) {
	text := endpointsModule(50)
	at := protocol.Position{Line: uint32(strings.Count(text[:strings.Index(text, "número 200 ")], "\n")), Character: 10}
	setup := func(b *testing.B, caps map[string]any, debounceMS int) (*lsptest.Client, string) {
		root := b.TempDir()
		writeFiles(b, root, map[string]string{"app/rutas.py": text, "app/__init__.py": ""})
		c := lsptest.New(b, New(Options{Logger: zap.NewNop(), Version: "bench"}).Serve)
		c.Initialize(initParams(root, caps, map[string]any{"debounce-ms": debounceMS}))
		waitIndexed(b, c)
		docURI := fileURI(filepath.Join(root, "app", "rutas.py"))
		c.Open(docURI, 1, text)
		c.WaitDiagnostics(docURI, 1)
		return c, docURI
	}
	typeAndAsk := func(b *testing.B, c *lsptest.Client, docURI string, wantCommands bool) {
		pos := at
		var lenses []protocol.CodeLens
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			c.Change(docURI, int32(i+2), protocol.Range{Start: pos, End: pos}, "ñ")
			pos.Character++
			if err := c.Call("textDocument/codeLens", map[string]any{"textDocument": map[string]any{"uri": docURI}}, &lenses); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if len(lenses) < 400 || (lenses[0].Command != nil) != wantCommands {
			b.Fatalf("%d lenses, first %+v", len(lenses), lenses[0])
		}
		b.ReportMetric(float64(len(lenses)), "lenses")
	}

	b.Run("lazy", func(b *testing.B) {
		c, docURI := setup(b, lensCaps(), 60_000) // no analysis between keystrokes
		typeAndAsk(b, c, docURI, false)
	})
	b.Run("eager", func(b *testing.B) {
		caps := editorCaps()
		caps["textDocument"].(map[string]any)["codeLens"] = map[string]any{"resolveSupport": map[string]any{"properties": []string{}}}
		c, docURI := setup(b, caps, 60_000)
		typeAndAsk(b, c, docURI, true)
	})
	b.Run("resolve", func(b *testing.B) {
		c, docURI := setup(b, lensCaps(), 0)
		var lenses []protocol.CodeLens
		if err := c.Call("textDocument/codeLens", map[string]any{"textDocument": map[string]any{"uri": docURI}}, &lenses); err != nil {
			b.Fatal(err)
		}
		lens := lenses[len(lenses)/2]
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := resolveLens(c, lens); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkShowReport is asyncmig.showReport on a generated workspace of
// 150 modules, against report.Build over a freshly loaded project (what
// `asyncmig report` does). The server reuses its index and checks only the
// route files.
func BenchmarkShowReport(b *testing.B) {
	root := b.TempDir()
	if _, err := benchgen.Generate(root, 150, 1); err != nil {
		b.Fatal(err)
	}
	b.Run("server", func(b *testing.B) {
		c := lsptest.New(b, New(Options{Logger: zap.NewNop(), Version: "bench"}).Serve)
		c.Initialize(initParams(root, editorCaps(), nil))
		waitIndexed(b, c)
		var r report.Report
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := c.Call("workspace/executeCommand", map[string]any{"command": "asyncmig.showReport"}, &r); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(r.Routes)), "routes")
	})
	b.Run("cli", func(b *testing.B) {
		var r *report.Report
		for i := 0; i < b.N; i++ {
			p, err := project.Load(context.Background(), root, []string{root}, project.Options{})
			if err != nil {
				b.Fatal(err)
			}
			r = report.Build(p, p.Check(context.Background(), rules.All))
		}
		b.ReportMetric(float64(len(r.Routes)), "routes")
	})
}
