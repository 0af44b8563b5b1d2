package replay

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/internal/benchgen"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

func TestMain(m *testing.M) { os.Exit(lsptest.Main(m)) }

// smallWorkspace is a generated workspace with a 300-line big module and a
// short session typed into it.
func smallWorkspace(t *testing.T) (string, *Session) {
	t.Helper()
	root := t.TempDir()
	if _, err := benchgen.Generate(root, 60, 1); err != nil {
		t.Fatal(err)
	}
	text, err := WriteBigModule(root, 300)
	if err != nil {
		t.Fatal(err)
	}
	s := Record(BigModulePath, []byte(text), middleDefinition(text), "hora = datetime.utcnow()  # año 🎉\b\n")
	return root, s
}

func TestRunAgainstARealServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts asyncmig serve")
	}
	root, s := smallWorkspace(t)
	rep, err := Run(context.Background(), Options{
		Server: []string{lsptest.Binary(t), "serve"}, Root: root, Session: s, Open: 3, SoakEdits: 31,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Keystrokes) != len(s.Changes) {
		t.Fatalf("%d keystrokes timed, the session has %d", len(rep.Keystrokes), len(s.Changes))
	}
	for i, d := range rep.Keystrokes {
		if d <= 0 {
			t.Errorf("keystroke %d took %v", i+1, d)
		}
	}
	// The big module awaits sync services, forgets awaits and calls utcnow.
	if rep.Diagnostics == 0 {
		t.Error("no diagnostics for the last keystroke")
	}
	if rep.OpenFiles != 3 || rep.SoakEdits != 31 || rep.IndexTime <= 0 {
		t.Errorf("open %d, soak %d, index %v", rep.OpenFiles, rep.SoakEdits, rep.IndexTime)
	}
	if rep.TextMatches == nil || !*rep.TextMatches {
		t.Errorf("the server's copy of the document after the session and the soak: matches = %v", rep.TextMatches)
	}
	if rep.RuntimeSoak == nil || rep.RuntimeSoak.Goroutines == 0 || rep.RuntimeSoak.OpenDocuments != 3 {
		t.Errorf("debug runtime after the soak: %+v", rep.RuntimeSoak)
	}
	if runtime.GOOS == "linux" {
		if rep.RSSIndexed == 0 || rep.RSSPeak < rep.RSSIndexed || len(rep.SoakRSS) == 0 {
			t.Errorf("RSS indexed %d, peak %d, soak samples %d", rep.RSSIndexed, rep.RSSPeak, len(rep.SoakRSS))
		}
		if len(rep.KeystrokeCPU) != len(s.Changes) {
			t.Errorf("%d CPU samples", len(rep.KeystrokeCPU))
		}
	}
}

func TestRunRefusesASessionOfAnotherText(t *testing.T) {
	root, s := smallWorkspace(t)
	if err := os.WriteFile(filepath.Join(root, filepath.FromSlash(BigModulePath)), []byte("# otro texto\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), Options{Server: []string{"/nonexistent/asyncmig", "serve"}, Root: root, Session: s})
	if err == nil || !strings.Contains(err.Error(), "not the text this session was recorded against") {
		t.Errorf("got %v", err)
	}
}

func TestWriteBigModuleNeedsAGeneratedWorkspace(t *testing.T) {
	_, err := WriteBigModule(t.TempDir(), 100)
	if err == nil || !strings.Contains(err.Error(), "genworkspace") {
		t.Errorf("got %v", err)
	}
}
