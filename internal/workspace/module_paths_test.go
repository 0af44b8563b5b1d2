package workspace

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// workspaceFromFiles writes files under a temporary root and indexes the
// .py ones not listed in skipIndex (as a run over part of a project, or an
// excluded file, would).
func workspaceFromFiles(t *testing.T, twins Twins, files map[string]string, skipIndex ...string) *Workspace {
	t.Helper()
	root := t.TempDir()
	w := New(root, pymodel.Options{}, twins)
	skip := map[string]bool{}
	for _, s := range skipIndex {
		skip[s] = true
	}
	for rel, src := range files {
		path := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		if skip[rel] || !strings.HasSuffix(rel, ".py") {
			continue
		}
		tree, err := pysyntax.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		name, isPkg := w.ModuleName(path)
		w.Put(pymodel.Build(tree, name, path, isPkg))
	}
	w.Refresh()
	return w
}

func TestModuleExistence(t *testing.T) {
	w := workspaceFromFiles(t, Twins{}, map[string]string{
		"app/__init__.py":                                 "",
		"app/services/__init__.py":                        "# Servicios 📦\n",
		"app/services/user.py":                            "# Usuarios — ñ 🐢\n",
		"app/services/excluded.py":                        "# Excluido por configuración\n",
		"app/plugins/strava.py":                           "# Espacio de nombres, sin __init__ 🚴\n",
		"app/plugins/garmin/watch.py":                     "# Anidado\n",
		"app/legacy/__init__.py":                          "# Paquete no indexado\n",
		"app/native/fast.cpython-312-x86_64-linux-gnu.so": "",
	}, "app/services/excluded.py", "app/legacy/__init__.py")

	for _, name := range []string{"app", "app.services", "app.services.user", "app.plugins", "app.plugins.strava", "app.plugins.garmin", "app.services.excluded", "app.legacy", "app.native.fast"} {
		if !w.ModuleExists(name) {
			t.Errorf("ModuleExists(%q) = false", name)
		}
	}
	for _, name := range []string{"app.services.async_user", "app.plugins.polar", "app.servicios", "fastapi", ""} {
		if w.ModuleExists(name) {
			t.Errorf("ModuleExists(%q) = true", name)
		}
	}
	// A package sharing its namespace with an installed SDK: its missing
	// submodules may come from there.
	shared := workspaceFromFiles(t, Twins{}, map[string]string{
		"pagos/__init__.py":            "from pkgutil import extend_path\n\n__path__ = extend_path(__path__, __name__)  # compartido con el SDK 💳\n",
		"pagos/api/__init__.py":        "",
		"pagos/api/cobros.py":          "",
		"legado/__init__.py":           "__import__('pkg_resources').declare_namespace(__name__)\n",
		"legado/viejo.py":              "",
		"propio/__init__.py":           "",
		"propio/servicios/__init__.py": "",
	})
	for _, name := range []string{"pagos.v2026_04", "pagos.v2026_04.inputs", "pagos.api.inexistente", "legado.nuevo"} {
		if !shared.ModuleExists(name) {
			t.Errorf("ModuleExists(%q) = false under a package that extends __path__", name)
		}
	}
	if shared.ModuleExists("propio.async_servicios") || shared.ModuleExists("propio.servicios.async_user") {
		t.Error("a package that does not extend __path__ owns its missing submodules")
	}
	if !w.OwnsTopLevel("app.services.async_user") || w.OwnsTopLevel("fastapi.routing") || w.OwnsTopLevel("") {
		t.Error("OwnsTopLevel: app is the workspace's, fastapi is not")
	}
	if !w.NamespaceOnly("app.plugins") || w.NamespaceOnly("app.services") || w.NamespaceOnly("app.legacy") {
		t.Error("NamespaceOnly: only app.plugins lacks an __init__.py")
	}
	if got := strings.Join(w.Submodules("app.plugins"), ","); got != "garmin,strava" {
		t.Errorf("Submodules(app.plugins) = %s", got)
	}
	if got := strings.Join(w.Submodules(""), ","); got != "app" {
		t.Errorf("Submodules() = %s", got)
	}

	// The package set follows the index: a module added later is seen.
	tree, _ := pysyntax.Parse([]byte("x = 1\n"))
	w.Put(pymodel.Build(tree, "gimnasio.core", filepath.Join(w.Root(), "gimnasio", "core.py"), false))
	if !w.OwnsTopLevel("gimnasio.core") || !w.ModuleExists("gimnasio") {
		t.Error("a module put after the first query is not seen")
	}
}
