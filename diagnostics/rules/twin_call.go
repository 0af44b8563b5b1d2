package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// twinCall is how a call can run the async twin of the project callable it
// runs instead (RULES.md: `async_user_service.get_user`,
// `AsyncTrainerSetupService`, `async_x.f`).
type twinCall struct {
	// Callee replaces the call's function expression.
	Callee string
	// Coroutine: calling the twin gives a coroutine, to be awaited (false
	// for a twin class, whose constructor is a plain call).
	Coroutine bool
	// Import makes Callee resolvable in the file (nil when it already is).
	Import *diagnostics.Edit
}

// asyncTwinCall finds the async twin of what call runs — a module-level
// function, a method reached through a module-level instance, a class
// built in place or named directly, a class (constructor) — and spells it
// at the call. Only a twin that accepts the call's arguments qualifies; a
// method twin must be a coroutine function. A method reached through
// anything but a module-level instance (`self.x`, a parameter, a local)
// has no twin: swapping the receiver would change which object runs.
func asyncTwinCall(p *diagnostics.Pass, call pysyntax.Node) (twinCall, bool) {
	ws, f := p.Workspace, p.File
	fnNode := call.ChildByField(pysyntax.FieldFunction)
	if ws == nil || fnNode.IsNull() {
		return twinCall{}, false
	}
	ev := f.Eval
	v := f.Value(fnNode)
	switch {
	case v.Kind == pymodel.ClassRef:
		tw, ok := ws.ClassTwin(ev, v.Mod, v.Class)
		if !ok || !constructorAccepts(ev, tw.Value, pymodel.ExprOf(call)) {
			return twinCall{}, false
		}
		return spellTwin(p, call, tw, preferModule(f, fnNode), "", false)
	case v.Kind == pymodel.FunctionRef && v.Func != nil && v.Func.Class == nil:
		tw, ok := ws.FunctionTwin(ev, v.Mod, v.Func)
		if !ok || !accepts(tw.Value.Func, pymodel.ExprOf(call), false) {
			return twinCall{}, false
		}
		return spellTwin(p, call, tw, preferModule(f, fnNode), "", true)
	case v.Kind == pymodel.FunctionRef && v.Func != nil && fnNode.Is(pysyntax.Attribute):
		return methodTwinCall(p, call, fnNode)
	}
	return twinCall{}, false
}

// methodTwinCall handles `recv.method(…)` for a project method.
func methodTwinCall(p *diagnostics.Pass, call, fnNode pysyntax.Node) (twinCall, bool) {
	ws, f := p.Workspace, p.File
	ev := f.Eval
	method := fnNode.ChildByField(pysyntax.FieldAttribute).Text()
	recv := fnNode.ChildByField(pysyntax.FieldObject)
	rv := f.Value(recv)
	callExpr := pymodel.ExprOf(call)
	switch rv.Kind {
	case pymodel.Instance:
		if recv.Is(pysyntax.Call) {
			// `UserService().get_user(…)` → `AsyncUserService().get_user(…)`.
			cls := recv.ChildByField(pysyntax.FieldFunction)
			if cv := f.Value(cls); cv.Kind != pymodel.ClassRef || cv.Class != rv.Class {
				return twinCall{}, false
			}
			tw, ok := ws.ClassTwin(ev, rv.Mod, rv.Class)
			if !ok || !constructorAccepts(ev, tw.Value, pymodel.ExprOf(recv)) || !coroutineMethod(ev, tw.Value, method, callExpr) {
				return twinCall{}, false
			}
			rest := recv.ChildByField(pysyntax.FieldArguments).Text() + "." + method
			return spellTwin(p, cls, tw, preferModule(f, cls), rest, true)
		}
		if !moduleLevelName(f, recv) {
			return twinCall{}, false
		}
		tw, ok := ws.InstanceTwin(ev, rv.Mod, rv.Class)
		if !ok || !coroutineMethod(ev, tw.Value, method, callExpr) {
			return twinCall{}, false
		}
		return spellTwin(p, recv, tw, preferModule(f, recv), "."+method, true)
	case pymodel.ClassRef:
		// A static or class method called on the class.
		tw, ok := ws.ClassTwin(ev, rv.Mod, rv.Class)
		if !ok || !coroutineMethod(ev, tw.Value, method, callExpr) {
			return twinCall{}, false
		}
		return spellTwin(p, recv, tw, preferModule(f, recv), "."+method, true)
	}
	return twinCall{}, false
}

// spellTwin writes tw where node `at` stands (followed by rest).
func spellTwin(p *diagnostics.Pass, at pysyntax.Node, tw workspace.Twin, preferModule bool, rest string, coroutine bool) (twinCall, bool) {
	text, imp, ok := refAt(p, at, tw.Module.Name, tw.Name, preferModule)
	if !ok {
		return twinCall{}, false
	}
	return twinCall{Callee: text + rest, Coroutine: coroutine, Import: imp}, true
}

// preferModule says n is written `module.name`: the twin keeps that style.
func preferModule(f *pymodel.File, n pysyntax.Node) bool {
	return n.Is(pysyntax.Attribute) && f.Value(n.ChildByField(pysyntax.FieldObject)).Kind == pymodel.ModuleRef
}

// moduleLevelName reports whether n names a module-level object — an
// imported name, a global of this module, or `module.name` — as a
// singleton service instance is, rather than a local, a parameter or an
// attribute, which may have been built in ways a twin would not be.
func moduleLevelName(f *pymodel.File, n pysyntax.Node) bool {
	switch {
	case n.Is(pysyntax.Identifier):
		bs, where := f.Module.Lookup(f.ScopeOf(n), n.Text())
		if len(bs) == 0 {
			return false
		}
		for _, b := range bs {
			imported := b.Kind == pymodel.BindImportFrom
			global := where == f.Module.Scope && b.Kind == pymodel.BindAssign
			if !imported && !global {
				return false
			}
		}
		return true
	case n.Is(pysyntax.Attribute):
		return f.Value(n.ChildByField(pysyntax.FieldObject)).Kind == pymodel.ModuleRef
	}
	return false
}

// coroutineMethod reports whether the twin instance or class defines
// method as a coroutine function that accepts call's arguments.
func coroutineMethod(ev *pymodel.Evaluator, twin pymodel.Value, method string, call *pymodel.Expr) bool {
	fn, owner := ev.FindMethod(twin.Mod, twin.Class, method)
	if fn == nil {
		return false
	}
	mv := pymodel.Value{Kind: pymodel.FunctionRef, Func: fn, Mod: owner}
	skipSelf := !fn.IsStatic()
	return ev.IsCoroutineFunction(mv) && accepts(fn, call, skipSelf)
}

// constructorAccepts reports whether the twin class takes the arguments of
// the constructor call.
func constructorAccepts(ev *pymodel.Evaluator, twin pymodel.Value, call *pymodel.Expr) bool {
	init, _ := ev.FindMethod(twin.Mod, twin.Class, "__init__")
	if init == nil {
		return len(call.Args) == 0
	}
	return accepts(init, call, true)
}

// accepts reports whether fn binds every argument of call to a parameter
// and gets every parameter it requires.
func accepts(fn *pymodel.Function, call *pymodel.Expr, skipSelf bool) bool {
	if fn == nil || call == nil || call.HasStarred() {
		return false
	}
	bound := map[*pymodel.Binding]bool{}
	for _, a := range call.Args {
		param := workspace.MapArgument(fn, call, a, skipSelf)
		if param == nil || bound[param] {
			return false
		}
		bound[param] = true
	}
	for i, param := range fn.Params {
		if i == 0 && skipSelf {
			continue
		}
		required := param.Default == nil && (param.ParamKind == pymodel.ParamNormal || param.ParamKind == pymodel.ParamKeywordOnly)
		if required && !bound[param] {
			return false
		}
	}
	return true
}

// useTwinFix rewrites call to run the twin: the callee replaced, and the
// call awaited when the twin gives a coroutine that nothing awaits yet.
// It is not offered where such an `await` cannot be written.
func useTwinFix(p *diagnostics.Pass, call pysyntax.Node, tw twinCall) (diagnostics.Fix, bool) {
	fn := call.ChildByField(pysyntax.FieldFunction)
	fix := diagnostics.Fix{Title: "Use `" + tw.Callee + "`", Applicability: diagnostics.Unsafe}
	if tw.Coroutine && awaitingNode(call).IsNull() {
		if !awaitAllowed(p.File, call) {
			return diagnostics.Fix{}, false
		}
		fix.Title = "Use `await " + tw.Callee + "(…)`"
		fix.Edits = []diagnostics.Edit{awaitedReplacement(call, tw.Callee+p.Text(fn.End(), call.End()))}
	} else {
		fix.Edits = []diagnostics.Edit{{Start: fn.Start(), End: fn.End(), NewText: tw.Callee}}
	}
	if tw.Import != nil {
		fix.Edits = append(fix.Edits, *tw.Import)
	}
	return fix, true
}

// awaitedReplacement replaces call with `await text`, parenthesised where
// `await` would bind too loosely.
func awaitedReplacement(call pysyntax.Node, text string) diagnostics.Edit {
	if !awaitingNode(call).IsNull() {
		// Already awaited (`await time.sleep(x)`, itself a TypeError): the
		// existing await serves the replacement.
		return diagnostics.Edit{Start: call.Start(), End: call.End(), NewText: text}
	}
	if bindsTighterThanAwait(call) {
		text = "(await " + text + ")"
	} else {
		text = "await " + text
	}
	return diagnostics.Edit{Start: call.Start(), End: call.End(), NewText: text}
}
