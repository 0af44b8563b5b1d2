package workspace

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/asyncmig/asyncmig/internal/pymodel"
)

// Each tool's way of naming an import root is read; folders that do not
// exist, lie outside the project or are already roots are left out; the
// deepest root comes first so it names the modules under it; `src` in
// [tool.asyncmig] replaces what other tools say.
func TestSourceRoots(t *testing.T) {
	cases := []struct {
		name       string
		pyproject  string
		configured []string
		want       []string
	}{
		{"ruff src is not an import path", "[tool.ruff]\nsrc = [\"backend\"]\n", nil, nil},
		{"root and src are roots already", "[tool.pytest.ini_options]\npythonpath = [\"backend\", \"src\", \".\"]\n", nil, []string{"backend"}},
		{"a package is not a root", "[tool.pytest.ini_options]\npythonpath = [\"paquete\", \"backend\"]\n", nil, []string{"backend"}},
		{"pytest pythonpath list", "[tool.pytest.ini_options]\npythonpath = [\"backend\"]\n", nil, []string{"backend"}},
		{"pytest pythonpath string", "[tool.pytest.ini_options]\npythonpath = \"backend servicios/pagos\"\n", nil, []string{"servicios/pagos", "backend"}},
		{"ty root and extra-paths", "[tool.ty.environment]\nroot = [\"./backend\"]\nextra-paths = [\"backend\"]\n", nil, []string{"backend"}},
		{"pyright extraPaths", "[tool.pyright]\nextraPaths = [\"servicios/pagos\"]\n", nil, []string{"servicios/pagos"}},
		{"mypy mypy_path", "[tool.mypy]\nmypy_path = \"backend:$MYPY_CONFIG_FILE_DIR/stubs\"\n", nil, []string{"backend"}},
		{"missing and outside folders", "[tool.pyright]\nextraPaths = [\"no-existe\", \"../fuera\", \"/tmp\", \"backend/*\"]\n", nil, nil},
		{"configured wins", "[tool.pyright]\nextraPaths = [\"backend\"]\n", []string{"servicios/pagos"}, []string{"servicios/pagos"}},
		{"configured empty", "[tool.pyright]\nextraPaths = [\"backend\"]\n", []string{}, nil},
		{"not TOML", "[tool.pyright\nextraPaths = [\"backend\"]\n", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for _, d := range []string{"backend/onyx", "servicios/pagos/pagos", "src", "paquete"} {
				if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(root, "paquete", "__init__.py"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, "pyproject.toml"), []byte(tc.pyproject), 0o644); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range SourceRoots(root, root, tc.configured) {
				rel, _ := filepath.Rel(root, d)
				got = append(got, filepath.ToSlash(rel))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// Modules under a declared root are named from it; the rest from the
// project root.
func TestModuleNamesUnderSourceRoot(t *testing.T) {
	root := t.TempDir()
	w := New(root, pymodel.Options{}, Twins{})
	w.AddSourceRoots([]string{filepath.Join(root, "backend")})
	for path, want := range map[string]string{
		"backend/onyx/db/usuarios.py": "onyx.db.usuarios",
		"backend/onyx/__init__.py":    "onyx",
		"scripts/migrar.py":           "scripts.migrar",
		"backendito/x.py":             "backendito.x",
	} {
		if got, _ := w.ModuleName(filepath.Join(root, filepath.FromSlash(path))); got != want {
			t.Errorf("%s: got %q, want %q", path, got, want)
		}
	}
}
