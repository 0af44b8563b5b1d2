package workspace

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/asyncmig/asyncmig/internal/pymodel"
)

// packageCache holds every package path implied by the indexed module
// names ("app.services.user" implies "app" and "app.services"), rebuilt
// when the generation changes. It is what makes namespace packages (no
// __init__.py) visible.
type packageCache struct {
	mu    sync.Mutex
	gen   uint64
	built bool
	set   map[string]bool
}

// packagePaths returns the package set for the current generation.
func (w *Workspace) packagePaths() map[string]bool {
	w.mu.RLock()
	gen := w.gen
	w.mu.RUnlock()
	c := &w.packages
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.built && c.gen == gen {
		return c.set
	}
	set := map[string]bool{}
	w.mu.RLock()
	for name := range w.allNamesLocked() {
		for i := strings.IndexByte(name, '.'); i >= 0; {
			set[name[:i]] = true
			j := strings.IndexByte(name[i+1:], '.')
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	w.mu.RUnlock()
	c.set, c.gen, c.built = set, gen, true
	return set
}

// OwnsTopLevel reports whether the top-level package of the dotted name
// belongs to the workspace (an indexed module or a directory of indexed
// modules): `app.services.x` yes, `fastapi.routing` no. Imports of names
// outside the workspace are never judged.
func (w *Workspace) OwnsTopLevel(name string) bool {
	top := name
	if i := strings.IndexByte(top, '.'); i >= 0 {
		top = top[:i]
	}
	if top == "" {
		return false
	}
	return w.Module(top) != nil || w.packagePaths()[top]
}

// OwnsImport reports whether an import of the dotted name certainly
// loads the workspace's code, so that a missing module or name there is
// the project's fault. Not when its top-level package is outside the
// workspace (OwnsTopLevel), nor when the project declares a third-party
// distribution of that name (DeclaresDependency). Nor when the top level
// is only a folder without __init__.py and the import does not reach into
// it: such a folder is a PEP 420 namespace portion, which a regular
// package or module of the same name anywhere on sys.path overrides —
// `from alembic import op` beside an `alembic/` of migration scripts
// loads the installed alembic. `import alembic.versions.x` reaches into
// the folder (alembic/versions exists), so it is judged. An add-on
// distribution named after the package (`agno-infra` adding `agno/infra/`
// to the `agno` package) is read the same way: `agno.infra.x` is judged,
// `agno.utils.log` belongs to the distribution it extends.
func (w *Workspace) OwnsImport(name string) bool {
	if !w.OwnsTopLevel(name) {
		return false
	}
	top, rest, _ := strings.Cut(name, ".")
	if w.DeclaresDependency(top) {
		return false
	}
	if !w.NamespaceOnly(top) && !w.ExtendsPackage(top) {
		return true
	}
	first, _, _ := strings.Cut(rest, ".")
	return first != "" && w.ModuleExists(top+"."+first)
}

// ModuleExists reports whether the dotted name is a module or package of
// the workspace: indexed, a namespace package of indexed modules, or a
// file or directory under a source root. The disk check keeps a partial
// index (files excluded by configuration, a run over a few paths) from
// making existing modules look missing.
func (w *Workspace) ModuleExists(name string) bool {
	if name == "" {
		return false
	}
	if w.Module(name) != nil || w.packagePaths()[name] {
		return true
	}
	rel := filepath.FromSlash(strings.ReplaceAll(name, ".", "/"))
	for _, r := range w.roots {
		base := filepath.Join(r, rel)
		for _, p := range []string{base + ".py", base + ".pyi", base} {
			if _, err := os.Stat(p); err == nil {
				return true
			}
		}
		// Compiled extension modules: name.cpython-312-x86_64-linux-gnu.so, name.pyd.
		if m, _ := filepath.Glob(base + ".*.so"); len(m) > 0 {
			return true
		}
		if _, err := os.Stat(base + ".pyd"); err == nil {
			return true
		}
	}
	return w.openPackageAbove(name)
}

// openPackageAbove reports whether a package above name shares its
// namespace with other distributions (`__path__ = extend_path(__path__,
// __name__)`, `pkg_resources.declare_namespace(__name__)`): its
// submodules may live outside the workspace, an SDK installed beside the
// app under the same top-level name.
func (w *Workspace) openPackageAbove(name string) bool {
	for i := strings.LastIndexByte(name, '.'); i > 0; i = strings.LastIndexByte(name[:i], '.') {
		m := w.Module(name[:i])
		if m == nil || !m.IsPackage {
			continue
		}
		if m.Scope.Names["__path__"] != nil {
			return true
		}
		for _, c := range m.Calls {
			if x := c.Call.X; x != nil && (x.Op == pymodel.OpAttr || x.Op == pymodel.OpName) && x.Name == "declare_namespace" {
				return true
			}
		}
	}
	return false
}

// SetIgnored tells the index which paths git ignores (the project's
// .gitignore), for MayBeGenerated; call it before the index is shared.
func (w *Workspace) SetIgnored(ignored func(path string, isDir bool) bool) {
	w.ignored = ignored
}

// MayBeGenerated reports whether the dotted name, missing from the
// workspace, would live at a path git ignores: code generated at build
// time (protobuf stubs, settings written by a script) that a fresh clone
// does not have yet, so its absence proves nothing.
func (w *Workspace) MayBeGenerated(name string) bool {
	if w.ignored == nil || name == "" {
		return false
	}
	rel := filepath.FromSlash(strings.ReplaceAll(name, ".", "/"))
	home := "" // what must exist under a root for name to live there
	if top, _, nested := strings.Cut(name, "."); nested {
		home = top
	}
	for _, r := range w.roots {
		if info, err := os.Stat(filepath.Join(r, home)); err != nil || !info.IsDir() {
			continue // the package lives under another root
		}
		base := filepath.Join(r, rel)
		if w.ignored(base+".py", false) || w.ignored(base+".pyi", false) || w.ignored(base, true) {
			return true
		}
	}
	return false
}

// NamespaceOnly reports whether name is known only as a directory of
// indexed modules: no module of that name is indexed and no __init__.py
// exists on disk, so its only attributes are its submodules.
func (w *Workspace) NamespaceOnly(name string) bool {
	if w.Module(name) != nil || !w.packagePaths()[name] {
		return false
	}
	rel := filepath.FromSlash(strings.ReplaceAll(name, ".", "/"))
	for _, r := range w.roots {
		for _, init := range []string{"__init__.py", "__init__.pyi"} {
			if _, err := os.Stat(filepath.Join(r, rel, init)); err == nil {
				return false
			}
		}
	}
	return true
}

// Submodules lists the last components of the indexed direct submodules
// and subpackages of package pkg ("" lists the top level), sorted. It scans
// the index: meant for the rare path of suggesting a correction.
func (w *Workspace) Submodules(pkg string) []string {
	prefix := ""
	if pkg != "" {
		prefix = pkg + "."
	}
	seen := map[string]bool{}
	add := func(name string) {
		if !strings.HasPrefix(name, prefix) || len(name) == len(prefix) {
			return
		}
		rest := name[len(prefix):]
		if i := strings.IndexByte(rest, '.'); i >= 0 {
			rest = rest[:i]
		}
		seen[rest] = true
	}
	w.mu.RLock()
	for name := range w.allNamesLocked() {
		add(name)
	}
	w.mu.RUnlock()
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
