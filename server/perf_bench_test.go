package server

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/asyncmig/asyncmig/internal/benchgen"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/internal/replay"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// Benchmarks of the editor path against a generated workspace the size the
// issue's targets name (ASYNCMIG_BENCH_MODULES, 2,000 by default), with
// the 5,000-line module of internal/replay open and typed in.

func perfModules() int {
	if n, err := strconv.Atoi(os.Getenv("ASYNCMIG_BENCH_MODULES")); err == nil && n > 0 {
		return n
	}
	return 2000
}

// perfWorkspace is the generated workspace, made once and kept for later
// runs (replay.Workspace).
func perfWorkspace(tb testing.TB) string {
	tb.Helper()
	dir, err := replay.Workspace(perfModules())
	if err != nil {
		tb.Fatal(err)
	}
	return dir
}

// indexedSession starts an in-process server over the perf workspace with
// a 0 ms debounce, waits for the index and opens the big module.
func indexedSession(tb testing.TB) (c *lsptest.Client, uri string, text []byte) {
	root := perfWorkspace(tb)
	s := New(Options{Logger: zap.NewNop(), Version: "bench"})
	c = lsptest.New(tb, s.Serve)
	c.Initialize(initParams(root, editorCaps(), map[string]any{"debounce-ms": 0}))
	waitIndexedFor(tb, c, 5*time.Minute)
	path := filepath.Join(root, filepath.FromSlash(replay.BigModulePath))
	text, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	uri = fileURI(path)
	c.Open(uri, 1, string(text))
	c.WaitDiagnostics(uri, 1)
	return c, uri, text
}

// BenchmarkKeystrokeIndexed is one keystroke of the recorded typing
// session in the 5,000-line module, didChange to the publishDiagnostics of
// its version, with the whole workspace indexed: the keystroke
// target (measured end to end, with percentiles, by scripts/bench.sh's
// replay against a real process). After the session's 500 keystrokes the
// text is put back, off the clock, and the session starts again.
func BenchmarkKeystrokeIndexed(b *testing.B) {
	session, err := replay.LoadSession(filepath.Join("..", "internal", "replay", "testdata", "typing500.json"))
	if err != nil {
		b.Fatal(err)
	}
	c, uri, text := indexedSession(b)
	version := int32(1)
	b.ResetTimer()
	cpu := benchgen.ProcessCPU()
	for i := 0; i < b.N; i++ {
		k := i % len(session.Changes)
		if k == 0 && i > 0 {
			b.StopTimer()
			version++
			c.ChangeFull(uri, version, string(text))
			c.WaitDiagnostics(uri, version)
			b.StartTimer()
		}
		version++
		ch := session.Changes[k]
		mark := c.Mark()
		c.Change(uri, version, protocol.Range{
			Start: protocol.Position{Line: ch.Range.Start.Line, Character: ch.Range.Start.Character},
			End:   protocol.Position{Line: ch.Range.End.Line, Character: ch.Range.End.Character},
		}, ch.Text)
		c.WaitDiagnosticsSince(mark, uri, lsptest.Timeout, func(p *lsptest.Published) bool {
			return p.Version != nil && *p.Version == version
		})
	}
	b.ReportMetric(float64((benchgen.ProcessCPU()-cpu).Microseconds())/float64(b.N)/1000, "cpu-ms/keystroke")
}

// waitIndexedFor is waitIndexed with a timeout for large workspaces.
func waitIndexedFor(tb testing.TB, c *lsptest.Client, timeout time.Duration) {
	tb.Helper()
	c.WaitNotification("$/progress", func(params json.RawMessage) bool {
		return strings.Contains(string(params), `"kind":"end"`)
	}, timeout)
}

// BenchmarkIndexWorkspace is the language server's initial index of the
// workspace: discover, read, parse and model every file on all cores, then
// the workspace-wide facts.
func BenchmarkIndexWorkspace(b *testing.B) {
	root := perfWorkspace(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := project.Index(context.Background(), root, project.IndexOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(res.Modules), "modules")
	}
}

// BenchmarkCodeActionIndexed is a quick-fix request on a forgotten await
// in the open 5,000-line module, the analysis of its version cached: what
// the editor waits for when the user opens the light bulb.
func BenchmarkCodeActionIndexed(b *testing.B) {
	c, uri, text := indexedSession(b)
	line := uint32(strings.Count(string(text[:strings.Index(string(text), "entrenos = async_service_")]), "\n"))
	params := map[string]any{
		"textDocument": map[string]any{"uri": uri},
		"range":        protocol.Range{Start: protocol.Position{Line: line}, End: protocol.Position{Line: line + 1}},
		"context":      map[string]any{"diagnostics": []any{}, "only": []string{"quickfix"}},
	}
	actions, rerr := c.CodeActions(params)
	if rerr != nil || len(actions) == 0 {
		b.Fatalf("no quick fix on line %d: %v", line+1, rerr)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := c.CodeActions(params); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(actions)), "actions")
}
