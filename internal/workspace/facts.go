package workspace

import (
	"sort"

	"github.com/asyncmig/asyncmig/internal/pymodel"
)

// The workspace-wide facts — which session kinds call sites pass to each
// parameter, who imports each module, which classes subclass which — are
// what Refresh computes from every module. Facts exports them so a warm run
// can restore them from the cache and parse only the modules it needs
// (lazy mode), instead of every file of the project.

// Facts are the exportable results of Refresh.
type Facts struct {
	Flows      map[string][][]FlowFact // by function Key, per parameter
	Importers  map[string][]Importer
	Subclasses map[string][]string // class Key → direct subclass Keys
}

// FlowFact is a pymodel.Flow without pointers.
type FlowFact struct {
	Kind         pymodel.VKind
	CallerModule string
	CallerPath   string
	Start, End   int32
	CallerFunc   string
}

// Facts exports the current facts (call after Refresh).
func (w *Workspace) Facts() Facts {
	f := Facts{Flows: map[string][][]FlowFact{}, Importers: map[string][]Importer{}, Subclasses: map[string][]string{}}
	w.mu.RLock()
	for key, params := range w.flows {
		out := make([][]FlowFact, len(params))
		for i, fl := range params {
			for _, x := range fl {
				ff := FlowFact{Kind: x.Kind, Start: x.Start, End: x.End, CallerFunc: x.CallerFunc}
				if x.Caller != nil {
					ff.CallerModule, ff.CallerPath = x.Caller.Name, x.Caller.Path
				}
				out[i] = append(out[i], ff)
			}
		}
		f.Flows[key] = out
	}
	for name, imps := range w.importers {
		f.Importers[name] = append([]Importer(nil), imps...)
	}
	frozen := w.frozenSubclasses
	w.mu.RUnlock()
	if frozen != nil {
		for k, v := range frozen {
			f.Subclasses[k] = append([]string(nil), v...)
		}
		return f
	}
	for parent, kids := range w.subclassIndex() {
		for _, k := range kids {
			f.Subclasses[parent.Key] = append(f.Subclasses[parent.Key], k.class.Key)
		}
	}
	return f
}

// SetLazy switches the workspace to lazy mode: names maps every module of
// the project to its file, load parses one, and facts stand in for
// Refresh. Modules Put before or after are used as they are.
func (w *Workspace) SetLazy(names map[string]string, load func(path string) *pymodel.Module, facts Facts) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.lazy = map[string]string{}
	for n, p := range names {
		if w.modules[n] == nil {
			w.lazy[n] = p
		}
	}
	w.loader = load
	w.flows = flowsFromFacts(facts.Flows)
	w.importers = facts.Importers
	if w.importers == nil {
		w.importers = map[string][]Importer{}
	}
	w.frozenSubclasses = facts.Subclasses
	if w.frozenSubclasses == nil {
		w.frozenSubclasses = map[string][]string{}
	}
	w.gen++
	w.memo = nil
}

func flowsFromFacts(ff map[string][][]FlowFact) map[string][][]pymodel.Flow {
	out := make(map[string][][]pymodel.Flow, len(ff))
	callers := map[string]*pymodel.Module{}
	for key, params := range ff {
		ps := make([][]pymodel.Flow, len(params))
		for i, fl := range params {
			for _, x := range fl {
				// Rules read only the caller's name and path (messages and
				// related locations): a stub avoids parsing the caller.
				c := callers[x.CallerPath]
				if c == nil {
					c = &pymodel.Module{Name: x.CallerModule, Path: x.CallerPath}
					callers[x.CallerPath] = c
				}
				ps[i] = append(ps[i], pymodel.Flow{Kind: x.Kind, Caller: c, Start: x.Start, End: x.End, CallerFunc: x.CallerFunc})
			}
		}
		out[key] = ps
	}
	return out
}

// load parses a lazily known module once, even when asked concurrently.
// Loading does not change any fact, so memoised values stay valid.
func (w *Workspace) load(name, path string) *pymodel.Module {
	w.loadMu.Lock()
	defer w.loadMu.Unlock()
	w.mu.RLock()
	m := w.modules[name]
	_, still := w.lazy[name]
	w.mu.RUnlock()
	if m != nil || !still {
		return m
	}
	mod := w.loader(path)
	w.mu.Lock()
	delete(w.lazy, name)
	if mod != nil {
		w.modules[name] = mod
		w.byPath[path] = mod
	}
	w.mu.Unlock()
	return mod
}

// allNamesLocked yields every module name, loaded or not. w.mu is held.
func (w *Workspace) allNamesLocked() map[string]bool {
	out := make(map[string]bool, len(w.modules)+len(w.lazy))
	for n := range w.modules {
		out[n] = true
	}
	for n := range w.lazy {
		out[n] = true
	}
	return out
}

// known reports whether a module exists without loading it.
func (w *Workspace) known(name string) bool {
	w.mu.RLock()
	defer w.mu.RUnlock()
	_, lazy := w.lazy[name]
	return w.modules[name] != nil || lazy
}

// Recontribute replaces what module m contributes to the facts — its
// imports and the sessions its call sites pass — after its body changed
// without changing its shape (pymodel.ShapeHash): the kinds are the same,
// only positions move. m must already be Put.
func (w *Workspace) Recontribute(m *pymodel.Module) {
	w.mu.Lock()
	for name, imps := range w.importers {
		kept := imps[:0:0]
		for _, imp := range imps {
			if imp.Path != m.Path {
				kept = append(kept, imp)
			}
		}
		w.importers[name] = kept
	}
	w.mu.Unlock()
	for t, imps := range importersOf(m, w.known) {
		w.mu.Lock()
		w.importers[t] = sortImporters(append(w.importers[t], imps...))
		w.mu.Unlock()
	}
	ev := pymodel.NewEvaluator(w, w.opts)
	fresh := map[string][][]pymodel.Flow{}
	for _, cs := range m.Calls {
		addCallFlows(ev, m, cs, fresh)
	}
	for _, fn := range m.Functions {
		for _, cs := range fn.Calls {
			addCallFlows(ev, m, cs, fresh)
		}
	}
	w.mu.Lock()
	for key, params := range w.flows {
		for i, fl := range params {
			kept := fl[:0:0]
			for _, x := range fl {
				if x.Caller == nil || x.Caller.Path != m.Path {
					kept = append(kept, x)
				}
			}
			params[i] = kept
		}
		w.flows[key] = params
	}
	for key, params := range fresh {
		cur := w.flows[key]
		for len(cur) < len(params) {
			cur = append(cur, nil)
		}
		for i, fl := range params {
			cur[i] = sortFlows(append(cur[i], fl...))
		}
		w.flows[key] = cur
	}
	w.memo = nil
	w.gen++
	w.mu.Unlock()
}

// importersOf lists the imports m makes of workspace modules, by target.
func importersOf(m *pymodel.Module, exists func(string) bool) map[string][]Importer {
	out := map[string][]Importer{}
	for _, imp := range m.Imports {
		if imp.Module == "" {
			continue
		}
		targets := []string{imp.Module}
		if imp.Kind == pymodel.BindImportFrom {
			targets = append(targets, imp.Module+"."+imp.Imported)
		}
		for _, t := range targets {
			if exists(t) {
				out[t] = append(out[t], Importer{Module: m.Name, Path: m.Path, Start: imp.StmtStart, End: imp.StmtEnd, Name: imp.Imported})
			}
		}
	}
	for _, sm := range m.StarImports {
		if exists(sm) {
			out[sm] = append(out[sm], Importer{Module: m.Name, Path: m.Path, Name: "*"})
		}
	}
	return out
}

// sortImporters orders imports by importer path, then position, so the
// order does not depend on how the list was built.
func sortImporters(imps []Importer) []Importer {
	sort.SliceStable(imps, func(i, j int) bool {
		if imps[i].Path != imps[j].Path {
			return imps[i].Path < imps[j].Path
		}
		return imps[i].Start < imps[j].Start
	})
	return imps
}

// sortFlows orders a parameter's flows by caller path, then position: the
// first AsyncSession flow is the one diagnostics point at, and it must be
// the same however the flows were gathered.
func sortFlows(fl []pymodel.Flow) []pymodel.Flow {
	sort.SliceStable(fl, func(i, j int) bool {
		pi, pj := "", ""
		if fl[i].Caller != nil {
			pi = fl[i].Caller.Path
		}
		if fl[j].Caller != nil {
			pj = fl[j].Caller.Path
		}
		if pi != pj {
			return pi < pj
		}
		return fl[i].Start < fl[j].Start
	})
	return fl
}

// loadAll leaves lazy mode by loading every module not loaded yet; the
// subclass index is computed again from then on.
func (w *Workspace) loadAll() {
	w.mu.RLock()
	pending := make(map[string]string, len(w.lazy))
	for n, p := range w.lazy {
		pending[n] = p
	}
	w.mu.RUnlock()
	for n, p := range pending {
		w.load(n, p)
	}
	w.mu.Lock()
	if w.frozenSubclasses != nil || len(pending) > 0 {
		w.frozenSubclasses = nil
		w.gen++
		w.memo = nil
	}
	w.mu.Unlock()
}
