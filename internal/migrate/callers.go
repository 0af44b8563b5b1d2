package migrate

import (
	"sort"

	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// findCallers lists the calls of fn (a function of mod, the file at path)
// anywhere in the workspace, as the index knows the project: those calls
// get a coroutine once fn is async. Calls inside fn itself are left out —
// the migration has rewritten them.
func findCallers(ws *workspace.Workspace, path string, mod *pymodel.Module, fn *pymodel.Function) []Caller {
	indexed := ws.ByPath(path)
	if indexed == nil && mod.Name != "" {
		indexed = ws.Module(mod.Name)
	}
	if indexed == nil {
		return nil // an unsaved or outside file: nothing can import it
	}
	target := idOf(mod, fn).find(indexed)
	if target == nil {
		return nil
	}
	ev := ws.Evaluator()
	var out []Caller
	for _, m := range ws.Modules() {
		visit := func(cs *pymodel.CallSite) {
			if cs.Call == nil || cs.Call.X == nil || cs.Call.X.Name != target.Name {
				return // cheap filter: the callee is spelled `name` or `x.name`
			}
			if m == indexed && target.Start <= cs.Start && cs.End <= target.End {
				return
			}
			t, ok := workspace.ResolveCall(ev, m, cs.Scope, cs.Call)
			if !ok || t.Func != target || t.Class != nil {
				return
			}
			c := Caller{Path: m.Path, Module: m.Name, Start: int(cs.Start), End: int(cs.End), Async: cs.Scope != nil && cs.Scope.Async(), Awaited: cs.Awaited}
			if cs.Func != nil {
				c.Function = cs.Func.Qual
			}
			out = append(out, c)
		}
		for _, cs := range m.Calls {
			visit(cs)
		}
		for _, f := range m.Functions {
			for _, cs := range f.Calls {
				visit(cs)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Start < out[j].Start
	})
	return out
}
