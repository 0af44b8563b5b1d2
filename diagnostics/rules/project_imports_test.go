package rules

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/fixer"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// projectDiagnostics writes files into a temporary project, checks it with
// every rule and returns, by relative path, the source and the diagnostics
// of rule code.
func projectDiagnostics(t *testing.T, code string, files map[string]string) (map[string][]byte, map[string][]diagnostics.Diagnostic) {
	t.Helper()
	root := t.TempDir()
	if _, ok := files["pyproject.toml"]; !ok {
		files["pyproject.toml"] = "[project]\nname = \"gimnasio\"\n"
	}
	for rel, text := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	proj, err := project.Load(ctx, root, []string{root}, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srcs := map[string][]byte{}
	out := map[string][]diagnostics.Diagnostic{}
	for f, res := range proj.Check(ctx, All) {
		for _, e := range res.Errors {
			t.Errorf("rule failure: %v", e)
		}
		rel, _ := filepath.Rel(root, f.Path)
		rel = filepath.ToSlash(rel)
		srcs[rel] = f.Src
		for _, d := range res.Diagnostics {
			if d.Code == code {
				out[rel] = append(out[rel], d)
			}
		}
	}
	return srcs, out
}

// fixed applies a diagnostic's first fix.
func fixed(t *testing.T, src []byte, d diagnostics.Diagnostic) string {
	t.Helper()
	if len(d.Fixes) == 0 {
		t.Fatalf("no fix for %s", d.Message)
	}
	out, err := fixer.Apply(src, d.Fixes[0].Edits)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

const asyncUserModule = `# Servicio async 🚀
class AsyncUserService:
    async def get_user(self, user_id: int) -> dict:
        return {"id": user_id, "nombre": "Begoña"}


async_user_service = AsyncUserService()
`

// Imports that are expected to fail sometimes, and modules that exist on
// disk but are left out of the index, are not unresolved.
func TestAM404GuardsAndPartialIndex(t *testing.T) {
	_, diags := projectDiagnostics(t, "AM404", map[string]string{
		"pyproject.toml":             "[project]\nname = \"gimnasio\"\n\n[tool.asyncmig]\nextend-exclude = [\"app/legacy\"]\n",
		"app/__init__.py":            "",
		"app/services/__init__.py":   "",
		"app/services/async_user.py": asyncUserModule,
		"app/legacy/__init__.py":     "",
		"app/legacy/informes.py":     "# Excluido del análisis 🙈\nTOTAL = 1\n",
		"app/api.py": `# Imports con red de seguridad 🪂
try:
    from app.services.async_billing import billing_service
except ImportError:  # todavía no existe
    billing_service = None

try:
    from app.services.async_payments import payment_service
except (ValueError, ModuleNotFoundError):
    payment_service = None

try:
    from app.services.async_stats import stats_service
except KeyError:
    stats_service = None

from app.legacy.informes import TOTAL


def cargar():
    try:
        from app.services.async_user import async_usr_service
    except Exception:
        return None
    return async_usr_service
`,
	})
	got := diags["app/api.py"]
	if len(got) != 1 || !strings.Contains(got[0].Message, "async_stats") {
		var msgs []string
		for _, d := range got {
			msgs = append(msgs, d.Message)
		}
		t.Errorf("want only the import guarded by `except KeyError`, got %q", msgs)
	}
}

// A typo'd name is renamed at its uses too, and non-ASCII names count
// edits by characters.
func TestAM404FixRenamesUses(t *testing.T) {
	srcs, diags := projectDiagnostics(t, "AM404", map[string]string{
		"app/__init__.py":            "",
		"app/services/__init__.py":   "",
		"app/services/async_user.py": asyncUserModule + "\n\ndef cálculo_típico(x: int) -> int:\n    return x\n",
		"app/api.py": `# Endpoints 👤
from app.services.async_user import AsyncUserServise, calculo_tipico


async def leer(user_id: int) -> dict:
    servicio = AsyncUserServise()
    return {"u": await servicio.get_user(user_id), "c": calculo_tipico(2), "t": type(AsyncUserServise)}
`,
	})
	got := diags["app/api.py"]
	if len(got) != 2 {
		t.Fatalf("want 2 diagnostics, got %d", len(got))
	}
	out := fixed(t, srcs["app/api.py"], got[0])
	if strings.Contains(out, "AsyncUserServise") || strings.Count(out, "AsyncUserService") != 3 {
		t.Errorf("import and both uses should be renamed:\n%s", out)
	}
	out = fixed(t, srcs["app/api.py"], got[1])
	if strings.Contains(out, "calculo_tipico") || strings.Count(out, "cálculo_típico") != 2 {
		t.Errorf("non-ASCII candidate not applied:\n%s", out)
	}
}

func TestRemoveImportEdits(t *testing.T) {
	cases := []struct{ src, name, want string }{
		{"from m import a, b, c\n", "b", "from m import a, c\n"},
		{"from m import a, b, c\n", "c", "from m import a, b\n"},
		{"from m import a, b\n", "a", "from m import b\n"},
		{"from m import (\n    a,\n    b,\n)\n", "b", "from m import (\n    a,\n)\n"},
		{"from m import (\n    a,\n    b,\n)\n", "a", "from m import (\n    b,\n)\n"},
		{"# cabecera ñ\nfrom m import a  # único 🚀\nx = 1\n", "a", "# cabecera ñ\nx = 1\n"},
		{"from m import a\r\nx = 1\r\n", "a", "x = 1\r\n"},
		{"def f():\n    from m import a\n", "a", ""}, // the only statement of its block
		{"from m import a; x = 1\n", "a", ""},        // shares its line
	}
	for _, c := range cases {
		f := parseForTest(t, c.src)
		var st importStmt
		f.Tree.Root().Walk(func(n pysyntax.Node) bool {
			if n.Is(pysyntax.ImportFromStatement) {
				st = readImport(f, n)
				return false
			}
			return true
		})
		var it *importItem
		for i := range st.items {
			if dottedName(st.items[i].name) == c.name {
				it = &st.items[i]
			}
		}
		edits, ok := removeImportEdits(f.Src, &st, it)
		got := ""
		if ok {
			out, err := fixer.Apply(f.Src, edits)
			if err != nil {
				t.Fatal(err)
			}
			got = string(out)
		}
		if got != c.want {
			t.Errorf("removing %s from %q: got %q, want %q", c.name, c.src, got, c.want)
		}
	}
}

// parseForTest models src as a lone module of an empty workspace.
func parseForTest(t *testing.T, src string) *pymodel.File {
	t.Helper()
	tree, err := pysyntax.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	w := workspace.New(t.TempDir(), pymodel.Options{}, workspace.Twins{})
	return pymodel.NewFile(tree, pymodel.Build(tree, "m", "", false), w.Evaluator())
}

// Import statements being typed carry syntax errors; they are not judged
// until they are complete.
func TestAM404IncompleteStatements(t *testing.T) {
	_, diags := projectDiagnostics(t, "AM404", map[string]string{
		"app/__init__.py":            "",
		"app/services/__init__.py":   "",
		"app/services/async_user.py": asyncUserModule,
		// Each file holds one statement being typed; the tree reads the
		// next line into it.
		"app/a.py": "# Escribiendo… ✍️\nfrom app.services.async_usr import\nx = 1\n",
		"app/b.py": "# Escribiendo… ✍️\nimport app.services.async_pay.\nx = 1\n",
		"app/c.py": "# Escribiendo… ✍️\nfrom app.services.async_user import (AsyncUserService, get_\n\n\nasync def f():\n    pass\n",
	})
	for file, ds := range diags {
		for _, d := range ds {
			t.Errorf("%s: incomplete import reported: %s", file, d.Message)
		}
	}
}
