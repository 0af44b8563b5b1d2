package workspace

import (
	"github.com/asyncmig/asyncmig/internal/pymodel"
)

// Twin is the async counterpart of a sync project definition: a
// module-level name of Module (a function, a class or an instance).
type Twin struct {
	Module *pymodel.Module
	Name   string
	Value  pymodel.Value
}

// twinHomes are the modules where the twin of a definition of mod may
// live: mod's async twin module first, then mod itself (a class can sit
// beside its twin, `weekly_stats` beside `async_weekly_stats`).
func (w *Workspace) twinHomes(mod *pymodel.Module) []*pymodel.Module {
	var out []*pymodel.Module
	if t := w.AsyncTwinModule(mod.Name); t != "" {
		if tm := w.Module(t); tm != nil {
			out = append(out, tm)
		}
	}
	return append(out, mod)
}

// FunctionTwin finds the async twin of fn, a module-level function of mod:
// the same name in the async twin module, then the name pattern there
// (`async_{name}`), then the name pattern in mod. Only a coroutine
// function qualifies: names say little, the definition decides.
func (w *Workspace) FunctionTwin(ev *pymodel.Evaluator, mod *pymodel.Module, fn *pymodel.Function) (Twin, bool) {
	if mod == nil || fn == nil || fn.Class != nil || fn.Lambda || mod.Scope.Names[fn.Name] == nil {
		return Twin{}, false
	}
	async := w.twins.AsyncName(fn.Name)
	for _, home := range w.twinHomes(mod) {
		names := []string{fn.Name, async}
		if home == mod {
			names = names[1:]
		}
		for _, name := range names {
			if v := ev.ModuleAttr(home, name); ev.IsCoroutineFunction(v) && v.Func != fn {
				return Twin{Module: home, Name: name, Value: v}, true
			}
		}
	}
	return Twin{}, false
}

// ClassTwin finds the async twin of class c of mod by the class pattern
// (`Async{Class}`), in the async twin module, then in mod. Classes of one
// hierarchy are no twins: Skyvern's `class Skyvern(AsyncSkyvern)` and
// OpenHands' `class AsyncLLM(LLM)` extend each other, and code using one
// is not using a legacy copy of the other.
func (w *Workspace) ClassTwin(ev *pymodel.Evaluator, mod *pymodel.Module, c *pymodel.Class) (Twin, bool) {
	if mod == nil || c == nil {
		return Twin{}, false
	}
	name := w.twins.AsyncClassName(c.Name)
	if name == c.Name {
		return Twin{}, false
	}
	for _, home := range w.twinHomes(mod) {
		if v := ev.ModuleAttr(home, name); v.Kind == pymodel.ClassRef && v.Class != c {
			if ev.Extends(v.Mod, v.Class, c) || ev.Extends(mod, c, v.Class) {
				return Twin{}, false
			}
			return Twin{Module: home, Name: name, Value: v}, true
		}
	}
	return Twin{}, false
}

// InstanceTwin finds the module-level instance that stands for the
// module-level instance of class c of mod in async code: the name pattern
// applied to the sync instance's name (`user_service` →
// `async_user_service`), else the only module-level instance of c's twin
// class, in the async twin module, then in mod.
func (w *Workspace) InstanceTwin(ev *pymodel.Evaluator, mod *pymodel.Module, c *pymodel.Class) (Twin, bool) {
	if mod == nil || c == nil {
		return Twin{}, false
	}
	syncName, _ := moduleInstance(ev, mod, func(v pymodel.Value) bool { return v.Class == c })
	twinClass, hasClass := w.ClassTwin(ev, mod, c)
	for _, home := range w.twinHomes(mod) {
		if syncName != "" {
			name := w.twins.AsyncName(syncName)
			if v := ev.ModuleAttr(home, name); v.Kind == pymodel.Instance && v.Class != c && name != syncName {
				return Twin{Module: home, Name: name, Value: v}, true
			}
		}
		if hasClass {
			if name, v := moduleInstance(ev, home, func(v pymodel.Value) bool { return v.Class == twinClass.Value.Class }); name != "" {
				return Twin{Module: home, Name: name, Value: v}, true
			}
		}
	}
	return Twin{}, false
}

// moduleInstance returns the only module-level name of mod assigned an
// instance that match accepts ("" when none or several).
func moduleInstance(ev *pymodel.Evaluator, mod *pymodel.Module, match func(pymodel.Value) bool) (string, pymodel.Value) {
	found, count := "", 0
	var val pymodel.Value
	for name, bs := range mod.Scope.Names {
		if len(bs) != 1 || bs[0].Kind != pymodel.BindAssign {
			continue
		}
		if v := ev.Binding(mod, mod.Scope, bs[0]); v.Kind == pymodel.Instance && match(v) {
			found, val = name, v
			count++
		}
	}
	if count != 1 {
		return "", pymodel.Value{}
	}
	return found, val
}
