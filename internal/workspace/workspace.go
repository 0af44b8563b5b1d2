// Package workspace is the module index: every Python module of the
// project as a pymodel.Module (no syntax trees), resolved by dotted path,
// with the facts that need the whole project — which session kinds call
// sites pass to each parameter ("kinds flow along calls"), who imports
// whom, and which modules, classes and names have async twins.
//
// Reads are concurrent (RWMutex); updates replace whole modules. Derived
// facts (flows, importers, twins) are recomputed by Refresh, which callers
// run after a batch of updates — the language server debounces it.
package workspace

import (
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/asyncmig/asyncmig/internal/pymodel"
)

// Workspace indexes the modules under one root.
type Workspace struct {
	root  string
	roots []string // source roots, most specific first (root/src before root)
	opts  pymodel.Options
	twins Twins

	mu        sync.RWMutex
	modules   map[string]*pymodel.Module // by dotted name
	byPath    map[string]*pymodel.Module
	flows     map[string][][]pymodel.Flow
	importers map[string][]Importer
	gen       uint64 // bumped by every change, for caches
	// memo is the evaluators' shared memo for the current modules and
	// flows; any change drops it.
	memo *pymodel.SharedMemo

	// Lazy mode (a warm run from the cache, see facts.go): modules not
	// parsed yet, by name, and how to load one.
	lazy   map[string]string
	loader func(path string) *pymodel.Module
	loadMu sync.Mutex
	// frozenSubclasses replaces the computed subclass index in lazy mode.
	frozenSubclasses map[string][]string

	// ignored reports paths git ignores (nil: none), see MayBeGenerated.
	ignored func(path string, isDir bool) bool

	packages     packageCache    // see module_paths.go
	subclassIx   subclassCache   // see subclasses.go
	dependencies dependencyCache // see dependencies.go
}

// Importer is one import of a module (or of a name from it).
type Importer struct {
	Module     string // the importing module
	Path       string
	Start, End int32 // the import statement
	Name       string
}

// New creates an empty index rooted at root.
func New(root string, opts pymodel.Options, twins Twins) *Workspace {
	root = filepath.Clean(root)
	w := &Workspace{root: root, opts: opts, twins: twins.withDefaults(), modules: map[string]*pymodel.Module{},
		byPath: map[string]*pymodel.Module{}, flows: map[string][][]pymodel.Flow{}, importers: map[string][]Importer{}}
	w.roots = []string{filepath.Join(root, "src"), root}
	return w
}

// Root is the workspace folder.
func (w *Workspace) Root() string { return w.root }

// Options are the evaluator options every analysis in this workspace uses.
func (w *Workspace) Options() pymodel.Options { return w.opts }

// Twins returns the twin naming patterns.
func (w *Workspace) TwinPatterns() Twins { return w.twins }

// ModuleName maps a file path to its dotted module name and whether it is a
// package __init__. Files outside the root get "" (analysed alone).
func (w *Workspace) ModuleName(path string) (string, bool) {
	path = filepath.Clean(path)
	for _, r := range w.roots {
		rel, err := filepath.Rel(r, path)
		if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			continue
		}
		if r != w.root && !strings.HasPrefix(path, r+string(filepath.Separator)) {
			continue
		}
		rel = strings.TrimSuffix(filepath.ToSlash(rel), ".py")
		rel = strings.TrimSuffix(rel, ".pyi")
		isPkg := false
		if rel == "__init__" {
			return "", true
		}
		if strings.HasSuffix(rel, "/__init__") {
			rel, isPkg = strings.TrimSuffix(rel, "/__init__"), true
		}
		return strings.ReplaceAll(rel, "/", "."), isPkg
	}
	return "", false
}

// Put adds or replaces a module (by name and path). Derived facts are stale
// until Refresh.
func (w *Workspace) Put(m *pymodel.Module) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if old := w.byPath[m.Path]; old != nil && old.Name != m.Name {
		delete(w.modules, old.Name)
	}
	if m.Name != "" {
		w.modules[m.Name] = m
	}
	if m.Path != "" {
		w.byPath[m.Path] = m
	}
	w.gen++
	w.memo = nil
}

// Remove drops the module of path.
func (w *Workspace) Remove(path string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if m := w.byPath[path]; m != nil {
		delete(w.byPath, path)
		if w.modules[m.Name] == m {
			delete(w.modules, m.Name)
		}
		w.gen++
		w.memo = nil
	}
}

// Module implements pymodel.Index. In lazy mode a module is parsed on
// first use.
func (w *Workspace) Module(name string) *pymodel.Module {
	w.mu.RLock()
	m := w.modules[name]
	path, lazy := w.lazy[name]
	w.mu.RUnlock()
	if m != nil || !lazy {
		return m
	}
	return w.load(name, path)
}

// ByPath returns the module of a file.
func (w *Workspace) ByPath(path string) *pymodel.Module {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.byPath[path]
}

// ParamFlows implements pymodel.Index.
func (w *Workspace) ParamFlows(fn *pymodel.Function) [][]pymodel.Flow {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.flows[fn.Key]
}

// Modules lists every module, sorted by name.
func (w *Workspace) Modules() []*pymodel.Module {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]*pymodel.Module, 0, len(w.byPath))
	for _, m := range w.byPath {
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Importers lists the imports of module name (sorted by importer).
func (w *Workspace) Importers(name string) []Importer {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.importers[name]
}

// Generation changes whenever the modules or the facts derived from them
// change.
func (w *Workspace) Generation() uint64 {
	w.mu.RLock()
	defer w.mu.RUnlock()
	return w.gen
}

// Evaluator returns a fresh evaluator over this workspace.
// Its memo is shared with every other evaluator of the same workspace state.
func (w *Workspace) Evaluator() *pymodel.Evaluator {
	w.mu.Lock()
	if w.memo == nil {
		w.memo = pymodel.NewSharedMemo()
	}
	memo := w.memo
	w.mu.Unlock()
	return pymodel.NewEvaluator(w, w.opts).WithShared(memo)
}

// Refresh recomputes the derived facts: importers and parameter flows.
// In lazy mode it first loads every module: the facts are global.
func (w *Workspace) Refresh() { w.refresh(runtime.GOMAXPROCS(0)) }

// RefreshInBackground is Refresh for a caller that must stay responsive
// (the language server while the user types): it leaves one core to the
// rest of the process. Replaying the recorded typing session with 2,000
// modules indexed, on 2 cores, it cut the keystroke p99 from ~68 to ~53 ms
// with the median unchanged.
func (w *Workspace) RefreshInBackground() { w.refresh(max(1, runtime.GOMAXPROCS(0)-1)) }

func (w *Workspace) refresh(workers int) {
	w.loadAll()
	mods := w.Modules()
	importers := map[string][]Importer{}
	exists := func(name string) bool { return w.Module(name) != nil }
	for _, m := range mods {
		for t, imps := range importersOf(m, exists) {
			importers[t] = append(importers[t], imps...)
		}
	}
	for t := range importers {
		sortImporters(importers[t])
	}
	flows := w.computeFlows(mods, workers)
	for _, params := range flows {
		for i := range params {
			sortFlows(params[i])
		}
	}
	w.mu.Lock()
	w.importers = importers
	w.flows = flows
	w.memo = nil
	w.gen++
	w.mu.Unlock()
}
