package server

import (
	"time"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// Keeping a folder's index current as modules change: the open document
// being typed in (overlay), or a file changed on disk (watch.go).

// minDependentsDelay is the shortest wait before a changed module's
// dependents are re-checked; it is also always longer than the typing
// debounce, so a burst of typing refreshes the workspace once.
const minDependentsDelay = 200 * time.Millisecond

// overlay puts an open document's freshly built module (of the given
// document version) into its folder's index in place of the one from disk
// or from an earlier version. An analysis of an older version that
// finishes late (a code action's, racing a debounced run) leaves the index
// alone; put says whether the module went in.
func (s *Server) overlay(f *folder, ws *workspace.Workspace, mod *pymodel.Module, version int32) (put bool) {
	f.mu.Lock()
	if last, ok := f.versions[mod.Path]; ok && version < last {
		f.mu.Unlock()
		return false
	}
	f.versions[mod.Path] = version
	old := ws.ByPath(mod.Path)
	// Flows into this module's parameters are keyed by function identity
	// (module, qualified name), so the rebuilt module keeps them without a
	// Refresh; a shape change schedules one below.
	ws.Put(mod)
	s.moduleChangedLocked(f, old, mod, mod.Path)
	f.mu.Unlock()
	s.recheckPlacesInto(old, mod)
	return true
}

// recheckPlacesInto re-checks, once typing pauses, the open documents
// whose diagnostics point at a call-site argument in old's file that moved
// (or may be gone) in mod, its new model. Such a place comes from a
// parameter flow and is found in the caller's current model when the
// diagnostic is made (pymodel.Relocate); a move that changes no module's
// shape brings no Refresh, so nothing else would re-check them.
func (s *Server) recheckPlacesInto(old, mod *pymodel.Module) {
	if old == nil || mod == nil || old == mod || mod.Path == "" {
		return
	}
	d := s.diag
	d.mu.Lock()
	entries := make(map[string]*diagEntry, len(d.entries))
	for uri, e := range d.entries {
		entries[uri] = e
	}
	d.mu.Unlock()
	for uri, e := range entries {
		e.pub.Lock()
		fa := e.latest
		e.pub.Unlock()
		if fa == nil || fa.target.path == mod.Path || !placesMoved(fa.diags, old, mod) {
			continue
		}
		s.recheckDiagnosticsAfter(uri, minDependentsDelay)
	}
}

// placesMoved reports whether a related place of diags in mod's file is
// somewhere else, or nowhere, in mod than it was in old.
func placesMoved(diags []diagnostics.Diagnostic, old, mod *pymodel.Module) bool {
	for _, d := range diags {
		for _, r := range d.Related {
			if r.Path != mod.Path {
				continue
			}
			start, end, ok := pymodel.Relocate(old, mod, int32(r.Start), int32(r.End))
			if !ok || int(start) != r.Start || int(end) != r.End {
				return true
			}
		}
	}
	return false
}

// forgetVersion drops the document version recorded for path.
func (f *folder) forgetVersion(path string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.versions, path)
}

// replaceFromDisk puts (or, for nil, removes) the module of a closed file.
func (s *Server) replaceFromDisk(f *folder, ws *workspace.Workspace, path string, mod *pymodel.Module) {
	f.mu.Lock()
	delete(f.versions, path)
	old := ws.ByPath(path)
	if mod != nil {
		ws.Put(mod)
	} else {
		ws.Remove(path)
	}
	s.moduleChangedLocked(f, old, mod, path)
	f.mu.Unlock()
	s.recheckPlacesInto(old, mod)
}

// moduleChangedLocked compares the shapes of a file's old and new module
// (either may be nil: created, deleted) and, when they differ, schedules a
// debounced Refresh followed by re-checking the open documents that
// depend on it. f.mu is held.
func (s *Server) moduleChangedLocked(f *folder, old, mod *pymodel.Module, path string) {
	prev := f.shapes[path]
	oldShape := prev.shape
	if prev.mod != old || old == nil {
		oldShape = moduleShape(old)
	}
	newShape := moduleShape(mod)
	if mod == nil {
		delete(f.shapes, path)
	} else {
		f.shapes[path] = shapeOf{mod: mod, shape: newShape}
	}
	if oldShape == newShape {
		return
	}
	name := ""
	switch {
	case mod != nil:
		name = mod.Name
	case old != nil:
		name = old.Name
	}
	f.pending[path] = name
	s.armRefreshLocked(f)
}

// armRefreshLocked (re)starts f's timer for refreshDependents. f.mu is
// held.
func (s *Server) armRefreshLocked(f *folder) {
	if f.timer != nil {
		f.timer.Stop()
	}
	f.timer = time.AfterFunc(s.dependentsDelay(f.lastRefresh), func() {
		if !s.enterBackground() {
			return
		}
		defer s.work.Done()
		s.refreshDependents(f)
	})
}

// dependentsDelay is the quiet time before a Refresh: at least as long as
// the last one took, so that in a large workspace, where a Refresh costs
// about a second, typing spends at most half the CPU refreshing.
func (s *Server) dependentsDelay(lastRefresh time.Duration) time.Duration {
	return max(minDependentsDelay, 2*s.debounce(), lastRefresh)
}

// refreshDependents runs the pending Refresh of f and re-checks the open
// documents that may see the changed modules differently: the changed
// files themselves, the files importing them (before or after the change),
// and the files they import (whose parameters may now receive other
// session kinds).
func (s *Server) refreshDependents(f *folder) {
	// One Refresh at a time per folder, so a slow earlier one cannot
	// overwrite the facts of a later one. A timer that fires during one
	// does not queue behind it: it comes back after another quiet time,
	// with every change made meanwhile.
	if !f.refreshMu.TryLock() {
		f.mu.Lock()
		s.armRefreshLocked(f)
		f.mu.Unlock()
		return
	}
	defer f.refreshMu.Unlock()
	f.mu.Lock()
	pending := f.pending
	f.pending = map[string]string{}
	f.mu.Unlock()
	if len(pending) == 0 {
		return
	}
	ws := f.workspace()
	affected := map[string]bool{}
	addPath := func(path string) {
		if u, ok := s.code.openURI(path); ok {
			affected[u] = true
		}
	}
	addImporters := func() {
		for _, name := range pending {
			if name == "" {
				continue
			}
			for _, imp := range ws.Importers(name) {
				addPath(imp.Path)
			}
		}
	}
	addImporters() // as of the previous Refresh: an import may be gone now
	start := time.Now()
	ws.RefreshInBackground()
	took := time.Since(start)
	f.mu.Lock()
	f.lastRefresh = took
	f.mu.Unlock()
	addImporters()
	for path := range pending {
		addPath(path)
		m := ws.ByPath(path)
		if m == nil {
			continue
		}
		for _, imp := range m.Imports {
			for _, name := range []string{imp.Module, imp.Module + "." + imp.Imported} {
				if dep := ws.Module(name); dep != nil {
					addPath(dep.Path)
				}
			}
		}
	}
	for u := range affected {
		s.recheckDiagnostics(u)
	}
}
