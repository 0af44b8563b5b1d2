package server

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/internal/benchgen"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/replay"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// routerWorkspace generates a workspace of the given number of modules
// (internal/benchgen) with replay's big router module of the given length
// added, and returns its root and the module's text.
func routerWorkspace(t *testing.T, modules, lines int) (root, text string) {
	t.Helper()
	root = t.TempDir()
	if _, err := benchgen.Generate(root, modules, 1); err != nil {
		t.Fatal(err)
	}
	text, err := replay.WriteBigModule(root, lines)
	if err != nil {
		t.Fatal(err)
	}
	return root, text
}

// A long editing session leaves nothing behind: every replaced syntax tree
// is freed and no goroutine outlives its work. (The server's memory over
// 100,000 edits of a real process is scripts/bench.sh's soak.)
func TestLongEditingSessionLeaksNothing(t *testing.T) {
	root, big := routerWorkspace(t, 60, 300)
	trees := pysyntax.LiveDocs()
	c := lsptest.New(t, newTestServer(t, Options{}, nil).Serve)
	c.Initialize(initParams(root, editorCaps(), map[string]any{"debounce-ms": 1}))
	waitIndexed(t, c)

	var uris []string
	for _, rel := range []string{"app/api/routes/r_0.py", "app/api/routes/r_1.py", "app/services/svc_0.py", "app/db/session.py"} {
		text, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		uri := fileURI(filepath.Join(root, filepath.FromSlash(rel)))
		c.Open(uri, 1, string(text))
		c.WaitDiagnostics(uri, 1)
		uris = append(uris, uri)
	}
	bigURI := fileURI(filepath.Join(root, filepath.FromSlash(replay.BigModulePath)))
	c.Open(bigURI, 1, big)
	c.WaitDiagnostics(bigURI, 1)
	uris = append(uris, bigURI)

	// Type a character into a comment and delete it, over and over, in
	// bursts the debounce coalesces.
	line := uint32(0) // "# Rutas del panel de administración …"
	at := protocol.Position{Line: line, Character: 2}
	after := protocol.Position{Line: line, Character: 3}
	version := int32(1)
	edit := func(n int) {
		for i := 0; i < n; i++ {
			version++
			if version%2 == 0 {
				c.Change(bigURI, version, protocol.Range{Start: at, End: at}, "ñ")
			} else {
				c.Change(bigURI, version, protocol.Range{Start: at, End: after}, "")
			}
		}
		c.WaitDiagnostics(bigURI, version)
	}
	edit(200)
	goroutines := settledGoroutines(0)
	for burst := 0; burst < 10; burst++ {
		edit(200)
	}
	if got := pysyntax.LiveDocs() - trees; got != int64(len(uris)) {
		t.Errorf("%d C syntax trees live for %d open documents", got, len(uris))
	}
	if got := settledGoroutines(goroutines); got > goroutines {
		t.Errorf("%d goroutines after 2,000 more edits, %d before", got, goroutines)
	}
	for _, uri := range uris {
		c.Close(uri)
	}
	c.WaitDiagnosticsSince(0, bigURI, lsptest.Timeout, func(p *lsptest.Published) bool {
		return p.Version == nil && len(p.Diagnostics) == 0
	})
	waitFor(t, func() bool { return pysyntax.LiveDocs() == trees }, func() string {
		return fmt.Sprintf("%d C syntax trees still live after closing every document", pysyntax.LiveDocs()-trees)
	})
}

// settledGoroutines waits up to a second for the goroutine count to drop
// to want (timers and finished runs wind down), and returns it.
func settledGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(time.Second); n > want && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}
	return n
}

func waitFor(t *testing.T, cond func() bool, msg func() string) {
	t.Helper()
	for deadline := time.Now().Add(lsptest.Timeout); !cond(); {
		if time.Now().After(deadline) {
			t.Fatal(msg())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
