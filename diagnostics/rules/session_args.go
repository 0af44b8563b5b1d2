package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// sessionMismatch is an argument whose session kind contradicts the
// annotation of the project parameter it binds to.
type sessionMismatch struct {
	Arg *pymodel.Expr
	// Value is the argument's: an AsyncSession or a sync Session, with Via
	// set when the kind reached it through a call site.
	Value  pymodel.Value
	Param  *pymodel.Binding
	Target workspace.Target
}

// asyncToSync is AM105's premise: an AsyncSession given to a `Session`
// parameter.
func (sm sessionMismatch) asyncToSync() bool { return sm.Value.Kind == pymodel.AsyncSession }

// sessionMismatches lists the arguments of call (code in scope of module m)
// that hand a session to a project parameter annotated with the other
// kind: AM105's premise (AsyncSession → `Session`), which AM303 defers
// to, and AM106's (the reverse). Only arguments the model proves to be
// sessions count; an unannotated parameter accepts anything.
func sessionMismatches(ev *pymodel.Evaluator, m *pymodel.Module, scope *pymodel.Scope, call *pymodel.Expr) []sessionMismatch {
	if call == nil || len(call.Args) == 0 {
		return nil
	}
	// The cheap side first, as the flow index does: most calls pass no
	// session, and only names and attributes can be one.
	var out []sessionMismatch
	var target workspace.Target
	resolved := false
	for _, a := range call.Args {
		if a.Op != pymodel.OpName && a.Op != pymodel.OpAttr {
			continue
		}
		v := ev.Eval(m, scope, a)
		if !v.IsSession() {
			continue
		}
		if !resolved {
			t, ok := workspace.ResolveCall(ev, m, scope, call)
			if !ok || t.Func == nil || t.Mod == nil {
				return nil
			}
			target, resolved = t, true
		}
		param := workspace.MapArgument(target.Func, call, a, target.SkipSelf)
		if param == nil || param.Annot == nil {
			continue
		}
		want := ev.Annotation(target.Mod, definitionScope(target.Mod, target.Func), param.Annot).Kind
		if (want == pymodel.AsyncSession || want == pymodel.SyncSession) && want != v.Kind {
			out = append(out, sessionMismatch{Arg: a, Value: v, Param: param, Target: target})
		}
	}
	return out
}

// definitionScope is where fn's annotations and defaults are evaluated:
// the scope enclosing the def.
func definitionScope(m *pymodel.Module, fn *pymodel.Function) *pymodel.Scope {
	if fn.Scope != nil && fn.Scope.Parent != nil {
		return fn.Scope.Parent
	}
	return m.Scope
}

// forEachSessionMismatch calls report for every session argument of this
// file whose kind contradicts the annotation of its parameter, call by
// call (at most once per call: one fault, one report).
func forEachSessionMismatch(p *diagnostics.Pass, report func(*pymodel.CallSite, sessionMismatch)) {
	f := p.File
	visit := func(cs *pymodel.CallSite) {
		if cs.Call == nil || cs.Scope == nil || !p.Wants(int(cs.Start)) {
			return
		}
		var reported [2]bool // by asyncToSync
		for _, sm := range sessionMismatches(f.Eval, f.Module, cs.Scope, cs.Call) {
			i := 0
			if sm.asyncToSync() {
				i = 1
			}
			if !reported[i] {
				reported[i] = true
				report(cs, sm)
			}
		}
	}
	for _, cs := range f.Module.Calls {
		visit(cs)
	}
	for _, fn := range f.Module.Functions {
		for _, cs := range fn.Calls {
			visit(cs)
		}
	}
}
