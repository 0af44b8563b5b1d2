package project

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func writeIndexTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// excludeNamed excludes paths whose base name is in the set.
type excludeNamed map[string]bool

func (e excludeNamed) Excluded(p string) bool    { return e[filepath.Base(p)] }
func (e excludeNamed) ExcludedDir(p string) bool { return e[filepath.Base(p)] }

func TestIndex(t *testing.T) {
	root := t.TempDir()
	writeIndexTree(t, root, map[string]string{
		"app/__init__.py":          "",
		"app/servicios/usuario.py": "# Servicio de usuarios 👤\nasync def obtener(db):\n    return 'ñ'\n",
		"app/rutas.py":             "from app.servicios.usuario import obtener\n",
		"generado/modelos.py":      "x = 1\n",
		".venv/lib/paquete.py":     "y = 2\n",
		"binario.py":               "a\x00b",
	})
	var mu sync.Mutex
	var calls []int
	total := 0
	res, err := Index(context.Background(), root, IndexOptions{
		Exclude: excludeNamed{"generado": true},
		Progress: func(done, n int) {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, done)
			total = n
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"app", "app.servicios.usuario", "app.rutas"} {
		if res.Workspace.Module(name) == nil {
			t.Errorf("module %s not indexed", name)
		}
	}
	for _, name := range []string{"generado.modelos", ".venv.lib.paquete", "binario"} {
		if res.Workspace.Module(name) != nil {
			t.Errorf("module %s should not be indexed", name)
		}
	}
	if res.Modules != 3 {
		t.Errorf("Modules = %d, want 3", res.Modules)
	}
	if imps := res.Workspace.Importers("app.servicios.usuario"); len(imps) != 1 || imps[0].Module != "app.rutas" {
		t.Errorf("importers not computed: %+v", imps)
	}
	if len(calls) != total || total != 4 {
		t.Errorf("progress called %d times for %d files, want once per file of the 4 read", len(calls), total)
	}
	skippedBinary := false
	for _, s := range res.Skipped {
		skippedBinary = skippedBinary || strings.HasSuffix(s.Path, "binario.py")
	}
	if !skippedBinary {
		t.Errorf("the binary file is not reported as skipped: %+v", res.Skipped)
	}
}

// A config file that does not parse leaves the defaults in force and is
// reported, rather than leaving the editor without an index.
func TestIndexWithABrokenConfig(t *testing.T) {
	root := t.TempDir()
	writeIndexTree(t, root, map[string]string{
		"pyproject.toml": "[tool.asyncmig]\nselect = [\"AM\"\n# sin cerrar ñ\n",
		"modulo.py":      "z = 3\n",
	})
	res, err := Index(context.Background(), root, IndexOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Workspace.Module("modulo") == nil {
		t.Error("nothing indexed")
	}
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, "not valid TOML") {
		t.Errorf("problems %+v, want the TOML error", res.Problems)
	}
}

func TestIndexCancelled(t *testing.T) {
	root := t.TempDir()
	writeIndexTree(t, root, map[string]string{"a.py": "", "b.py": ""})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Index(ctx, root, IndexOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
