package project

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// summary lists a project's files as "rel[:module][ index-only]".
func summary(p *Project) string {
	var out []string
	for _, f := range p.Files {
		rel, _ := filepath.Rel(p.Root, f.Path)
		s := filepath.ToSlash(rel) + ":" + f.Module.Name
		if f.IndexOnly {
			s += " index-only"
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

// A project nested in another (its own pyproject.toml) keeps its own module
// paths, and each file is loaded by exactly one project.
func TestLoadPathsSplitsNestedProjects(t *testing.T) {
	repo := writeTree(t, map[string]string{
		"pyproject.toml":                  "[project]\nname = \"herramientas\"\n",
		"scripts/limpiar.py":              "# Limpieza 🧹\nimport os\n",
		"examples/gym/pyproject.toml":     "[project]\nname = \"gimnasio\"\n",
		"examples/gym/app/__init__.py":    "",
		"examples/gym/app/services.py":    "async def alta():  # señal\n    pass\n",
		"examples/gym/app/routes/main.py": "from app.services import alta\n",
	})
	projects, err := LoadPaths(context.Background(), []string{repo}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(projects) != 2 {
		t.Fatalf("want the repo and examples/gym, got %d projects", len(projects))
	}
	if got, want := summary(projects[0]), "scripts/limpiar.py:scripts.limpiar"; got != want {
		t.Errorf("outer project: %s, want %s", got, want)
	}
	if got, want := summary(projects[1]), "app/__init__.py:app, app/routes/main.py:app.routes.main, app/services.py:app.services"; got != want {
		t.Errorf("nested project: %s, want %s", got, want)
	}
	if projects[1].Workspace.Module("app.services") == nil {
		t.Error("the nested project's index does not resolve app.services")
	}
}

// Checking one file indexes its whole project (cross-file rules need the
// modules it imports) but reports and fixes only that file.
func TestLoadPathsIndexesTheWholeProject(t *testing.T) {
	repo := writeTree(t, map[string]string{
		"pyproject.toml":       "[project]\nname = \"gimnasio\"\n",
		"app/__init__.py":      "",
		"app/services.py":      "async def alta():  # señal 📡\n    pass\n",
		"app/routes/socios.py": "from app.services import alta\n",
		"app/sin_extension":    "x = 1\n",
	})
	target := filepath.Join(repo, "app", "routes", "socios.py")
	projects, err := LoadPaths(context.Background(), []string{target, filepath.Join(repo, "app", "sin_extension")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(projects) != 1 || projects[0].Root != repo {
		t.Fatalf("want one project rooted at %s, got %d", repo, len(projects))
	}
	want := "app/__init__.py:app index-only, app/routes/socios.py:app.routes.socios, app/services.py:app.services index-only, app/sin_extension:app.sin_extension"
	if got := summary(projects[0]); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	var mu sync.Mutex // Check runs files in parallel
	seen := map[string]bool{}
	rule := &diagnostics.Rule{Code: "AM999", Name: "every-module", Severity: diagnostics.SeverityWarning,
		Kinds: []pysyntax.Kind{pysyntax.Module},
		Check: func(p *diagnostics.Pass, n pysyntax.Node) {
			mu.Lock()
			defer mu.Unlock()
			seen[p.File.Module.Name] = true
		}}
	results := projects[0].Check(context.Background(), []*diagnostics.Rule{rule})
	if len(results) != 2 || !seen["app.routes.socios"] || !seen["app.sin_extension"] || seen["app.services"] {
		t.Errorf("Check ran on %v; want only the requested files", seen)
	}

	if _, err := LoadPaths(context.Background(), []string{filepath.Join(repo, "no_existe.py")}, Options{}); err == nil || !strings.Contains(err.Error(), "no_existe.py") {
		t.Errorf("a missing path must be an error naming it, got %v", err)
	}
}

// FixFiles reports per file what it applied and where it started, and
// lets the caller leave a file alone.
func TestFixFilesPerFile(t *testing.T) {
	repo := writeTree(t, map[string]string{
		"pyproject.toml": "[project]\nname = \"gimnasio\"\n",
		"a.py":           "x = 1  # uno ☝️\ny = 2\n",
		"b.py":           "z = 3\n",
	})
	p, err := Load(context.Background(), repo, []string{repo}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Doubles each integer once: a fix that settles.
	rule := &diagnostics.Rule{Code: "AM998", Name: "double", Severity: diagnostics.SeverityWarning,
		Kinds: []pysyntax.Kind{pysyntax.Integer},
		Check: func(pass *diagnostics.Pass, n pysyntax.Node) {
			if len(n.Text()) > 1 {
				return
			}
			pass.Report(diagnostics.Diagnostic{Start: n.Start(), End: n.End(), Message: "digit",
				Fixes: []diagnostics.Fix{{Title: "double", Applicability: diagnostics.Safe,
					Edits: []diagnostics.Edit{{Start: n.Start(), End: n.End(), NewText: n.Text() + n.Text()}}}}})
		}}
	res := p.FixFiles(context.Background(), []*diagnostics.Rule{rule}, func(f *File, d *diagnostics.Diagnostic) *diagnostics.Fix {
		if filepath.Base(f.Path) == "b.py" {
			return nil
		}
		return d.PreferredFix(false)
	})
	if !res.Converged || res.Applied != 2 || len(res.Changed) != 1 || len(res.Files) != 1 {
		t.Fatalf("result: %+v", res)
	}
	for f, st := range res.Files {
		if filepath.Base(f.Path) != "a.py" || st.Applied != 2 || string(st.Original) != "x = 1  # uno ☝️\ny = 2\n" || string(res.Changed[f]) != "x = 11  # uno ☝️\ny = 22\n" {
			t.Errorf("%s: %+v → %q", f.Path, st, res.Changed[f])
		}
	}
}

// Code with no root marker above it (copied without .git or pyproject.toml,
// as into a container image) is one project rooted above its packages,
// however it is named: each folder its own root made `app/redis.py` the
// top-level module `redis`, so `import redis.asyncio` in it was reported
// missing from the workspace, and `app.servicios` resolved nowhere.
func TestLoadPathsWithoutRootMarker(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"app/__init__.py":           "",
		"app/redis.py":              "import redis.asyncio as redis  # cliente asíncrono 🚀\n",
		"app/servicios/__init__.py": "",
		"app/servicios/socios.py":   "async def alta(db):\n    pass\n",
		"app/main.py":               "from app.redis import redis\nfrom app.servicios.socios import alta\nfrom app.servicios.pagos import cobrar\n",
	})
	if root, ok := markedRoot(dir); ok {
		t.Skipf("the temporary directory lies under a project (%s); this test needs an unmarked tree", root)
	}
	for _, arg := range []string{dir, filepath.Join(dir, "app"), filepath.Join(dir, "app", "main.py")} {
		projects, err := LoadPaths(context.Background(), []string{arg}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(projects) != 1 || projects[0].Root != dir {
			var roots []string
			for _, p := range projects {
				roots = append(roots, p.Root)
			}
			t.Fatalf("check %s: want one project rooted at %s, got %v", arg, dir, roots)
		}
		p := projects[0]
		var got []string
		for f, res := range p.Check(context.Background(), rules.All) {
			for _, d := range res.Diagnostics {
				rel, _ := filepath.Rel(dir, f.Path)
				got = append(got, filepath.ToSlash(rel)+" "+d.Code+" "+d.Message)
			}
		}
		want := "app/main.py AM404 `app.servicios.pagos` is not a module of the workspace"
		if len(got) != 1 || got[0] != want {
			t.Errorf("check %s:\n got %q\nwant [%q]", arg, got, want)
		}
	}
}
