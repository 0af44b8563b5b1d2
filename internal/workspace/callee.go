package workspace

import (
	"github.com/asyncmig/asyncmig/internal/pymodel"
)

// Target is the project function a call runs, with the module that
// defines it (annotations and defaults are evaluated there).
type Target struct {
	Func *pymodel.Function
	Mod  *pymodel.Module
	// SkipSelf: the first parameter is bound (self/cls) and takes no
	// argument.
	SkipSelf bool
	// Class is set when the call constructs an instance of a project
	// class; Func is then its __init__ (nil when no class in the
	// hierarchy defines one).
	Class *pymodel.Class
	// ClassMod is the module that defines Class.
	ClassMod *pymodel.Module
}

// ResolveCall resolves the project callable of call as it stands in scope
// of module m: a function, a method through an instance or a class, or a
// class (its __init__). ok is false when the callee is not project code.
func ResolveCall(ev *pymodel.Evaluator, m *pymodel.Module, scope *pymodel.Scope, call *pymodel.Expr) (Target, bool) {
	if call == nil || call.Op != pymodel.OpCall {
		return Target{}, false
	}
	v := ev.Eval(m, scope, call.X)
	switch v.Kind {
	case pymodel.FunctionRef:
		if v.Func == nil {
			return Target{}, false
		}
		fn := v.Func
		return Target{Func: fn, Mod: v.Mod, SkipSelf: v.Bound || (fn.Class != nil && fn.IsClassMeth())}, true
	case pymodel.ClassRef:
		t := Target{Class: v.Class, ClassMod: v.Mod, SkipSelf: true}
		t.Func, t.Mod = ev.FindMethod(v.Mod, v.Class, "__init__")
		return t, true
	}
	return Target{}, false
}
