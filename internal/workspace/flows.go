package workspace

import (
	"sync"

	"github.com/asyncmig/asyncmig/internal/pymodel"
)

// maxFlowRounds bounds the fixed point: a session handed through more than
// this many layers of project functions is not followed further.
const maxFlowRounds = 6

// flowIndex lets an evaluator see the flows being computed.
type flowIndex struct {
	w     *Workspace
	flows map[string][][]pymodel.Flow
}

func (f *flowIndex) Module(name string) *pymodel.Module { return f.w.Module(name) }
func (f *flowIndex) ParamFlows(fn *pymodel.Function) [][]pymodel.Flow {
	return f.flows[fn.Key]
}

// computeFlows records, for every project function parameter, the session
// kinds call sites pass to it, iterating until nothing changes: a function
// that receives an AsyncSession and passes it on makes its callee receive
// one too.
//
// The first round evaluates every call site; later rounds only the call
// sites whose arguments can see the flows that changed: those inside a
// function (or nested in one) whose parameters received new kinds, and in
// the methods of a class whose methods did (self attributes come from
// them). Rounds run on all cores.
func (w *Workspace) computeFlows(mods []*pymodel.Module, workers int) map[string][][]pymodel.Flow {
	type site struct {
		m  *pymodel.Module
		cs *pymodel.CallSite
	}
	var sites []site
	for _, m := range mods {
		for _, cs := range m.Calls {
			sites = append(sites, site{m, cs})
		}
		for _, fn := range m.Functions {
			for _, cs := range fn.Calls {
				sites = append(sites, site{m, cs})
			}
		}
	}
	contrib := make([]map[string][][]pymodel.Flow, len(sites))
	evaluate := func(idxs []int, cur map[string][][]pymodel.Flow) {
		var wg sync.WaitGroup
		for k := 0; k < workers; k++ {
			wg.Add(1)
			go func(k int) {
				defer wg.Done()
				ev := pymodel.NewEvaluator(&flowIndex{w: w, flows: cur}, w.opts)
				for j := k; j < len(idxs); j += workers {
					i := idxs[j]
					out := map[string][][]pymodel.Flow{}
					addCallFlows(ev, sites[i].m, sites[i].cs, out)
					if len(out) == 0 {
						out = nil
					}
					contrib[i] = out
				}
			}(k)
		}
		wg.Wait()
	}
	aggregate := func() map[string][][]pymodel.Flow {
		out := map[string][][]pymodel.Flow{}
		for _, c := range contrib {
			for key, params := range c {
				cur := out[key]
				for len(cur) < len(params) {
					cur = append(cur, nil)
				}
				for i, fl := range params {
					cur[i] = append(cur[i], fl...)
				}
				out[key] = cur
			}
		}
		return out
	}
	all := make([]int, len(sites))
	for i := range all {
		all[i] = i
	}
	cur := map[string][][]pymodel.Flow{}
	evaluate(all, cur)
	for round := 1; round < maxFlowRounds; round++ {
		next := aggregate()
		changed := changedFlowKeys(cur, next)
		if len(changed) == 0 {
			return next
		}
		cur = next
		var again []int
		for i, s := range sites {
			if seesFlowsOf(s.cs, changed) {
				again = append(again, i)
			}
		}
		evaluate(again, cur)
	}
	return aggregate()
}

// seesFlowsOf reports whether a call site's arguments may read the
// parameters of a function in changed: it is inside one (or nested in
// one), or in a method of a class one of whose methods is.
func seesFlowsOf(cs *pymodel.CallSite, changed map[string]bool) bool {
	for s := cs.Scope; s != nil; s = s.Parent {
		if fn := s.Func; fn != nil {
			if changed[fn.Key] {
				return true
			}
			if fn.Class != nil {
				for _, meth := range fn.Class.Methods {
					if changed[meth.Key] {
						return true
					}
				}
			}
		}
	}
	return false
}

// changedFlowKeys lists the functions whose flows differ between a and b.
func changedFlowKeys(a, b map[string][][]pymodel.Flow) map[string]bool {
	out := map[string]bool{}
	for key, pb := range b {
		if !sameParamFlows(a[key], pb) {
			out[key] = true
		}
	}
	for key, pa := range a {
		if _, ok := b[key]; !ok && len(pa) > 0 {
			out[key] = true
		}
	}
	return out
}

func sameParamFlows(pa, pb [][]pymodel.Flow) bool {
	if len(pa) != len(pb) {
		return false
	}
	for i := range pa {
		if len(pa[i]) != len(pb[i]) {
			return false
		}
		for j := range pa[i] {
			if pa[i][j].Kind != pb[i][j].Kind || pa[i][j].Start != pb[i][j].Start || pa[i][j].Caller != pb[i][j].Caller {
				return false
			}
		}
	}
	return true
}

func addCallFlows(ev *pymodel.Evaluator, m *pymodel.Module, cs *pymodel.CallSite, out map[string][][]pymodel.Flow) {
	call := cs.Call
	if call == nil || len(call.Args) == 0 {
		return
	}
	// Evaluate the cheap side first: most calls pass no session.
	var kinds []pymodel.VKind
	any := false
	for _, a := range call.Args {
		k := pymodel.Unknown
		if a.Op == pymodel.OpName || a.Op == pymodel.OpAttr {
			if v := ev.Eval(m, cs.Scope, a); v.IsSession() {
				k, any = v.Kind, true
			}
		}
		kinds = append(kinds, k)
	}
	if !any {
		return
	}
	target, skipSelf := Callee(ev, m, cs.Scope, call)
	if target == nil {
		return
	}
	for i, a := range call.Args {
		if kinds[i] == pymodel.Unknown {
			continue
		}
		p := MapArgument(target, call, a, skipSelf)
		if p == nil {
			continue
		}
		fl := out[target.Key]
		for len(fl) <= p.ParamIndex {
			fl = append(fl, nil)
		}
		caller := ""
		if cs.Func != nil {
			caller = cs.Func.Qual
		}
		fl[p.ParamIndex] = append(fl[p.ParamIndex], pymodel.Flow{Kind: kinds[i], Caller: m, Start: a.Start, End: a.End, CallerFunc: caller})
		out[target.Key] = fl
	}
}

// Callee resolves the project function a call runs: a function, a method
// through an instance or class, or a class's __init__. skipSelf says the
// first parameter is bound (self/cls) and takes no argument.
func Callee(ev *pymodel.Evaluator, m *pymodel.Module, scope *pymodel.Scope, call *pymodel.Expr) (*pymodel.Function, bool) {
	t, ok := ResolveCall(ev, m, scope, call)
	if !ok || t.Func == nil {
		return nil, false
	}
	return t.Func, t.SkipSelf
}

// MapArgument finds the parameter an argument binds to.
func MapArgument(fn *pymodel.Function, call, arg *pymodel.Expr, skipSelf bool) *pymodel.Binding {
	if arg.Kw != "" {
		p := fn.Param(arg.Kw)
		if p != nil && (p.ParamKind == pymodel.ParamNormal || p.ParamKind == pymodel.ParamKeywordOnly) {
			return p
		}
		return nil
	}
	pos := 0
	for _, a := range call.Args {
		if a == arg {
			break
		}
		if a.Op == pymodel.OpStarred {
			return nil // *args before: positions unknown
		}
		if a.Kw == "" {
			pos++
		}
	}
	if skipSelf {
		pos++
	}
	n := 0
	for _, p := range fn.Params {
		if p.ParamKind != pymodel.ParamNormal {
			return nil
		}
		if n == pos {
			return p
		}
		n++
	}
	return nil
}
