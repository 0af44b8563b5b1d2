package workspace

import (
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
func (w *Workspace) computeFlows(mods []*pymodel.Module) map[string][][]pymodel.Flow {
	cur := map[string][][]pymodel.Flow{}
	for round := 0; round < maxFlowRounds; round++ {
		idx := &flowIndex{w: w, flows: cur}
		ev := pymodel.NewEvaluator(idx, w.opts)
		next := map[string][][]pymodel.Flow{}
		for _, m := range mods {
			for _, cs := range m.Calls {
				addCallFlows(ev, m, cs, next)
			}
			for _, fn := range m.Functions {
				for _, cs := range fn.Calls {
					addCallFlows(ev, m, cs, next)
				}
			}
		}
		if sameFlows(cur, next) {
			return next
		}
		cur = next
	}
	return cur
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

func sameFlows(a, b map[string][][]pymodel.Flow) bool {
	if len(a) != len(b) {
		return false
	}
	for fn, pa := range a {
		pb, ok := b[fn]
		if !ok || len(pa) != len(pb) {
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
	}
	return true
}
