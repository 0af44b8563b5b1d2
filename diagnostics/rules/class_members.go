package rules

import (
	"github.com/asyncmig/asyncmig/internal/pymodel"
)

// closedHierarchy returns c's hierarchy when every attribute its instances
// can have is visible in the workspace: all bases are project classes (or
// object), no metaclass, no __getattr__/__getattribute__, no
// __init_subclass__ (which sets up each subclass), no attributes set in
// ways the model cannot list, and no class decorator that could replace
// the class. ok is false otherwise: "no such method" is then unprovable.
func closedHierarchy(ev *pymodel.Evaluator, mod *pymodel.Module, c *pymodel.Class) (pymodel.Hierarchy, bool) {
	h := ev.ClassHierarchy(mod, c)
	if !h.Complete {
		return h, false
	}
	for i, k := range h.Classes {
		if k.HasGetattr || k.Dynamic || k.Methods["__init_subclass__"] != nil || !plainClassDecorators(ev, h.Modules[i], k) {
			return h, false
		}
	}
	return h, true
}

// keepClassDecorators leave a class's attributes as written (dataclass adds
// only dunder methods).
var keepClassDecorators = map[string]bool{
	"dataclasses.dataclass": true, "functools.total_ordering": true, "enum.unique": true,
	"typing.final": true, "typing_extensions.final": true,
}

func plainClassDecorators(ev *pymodel.Evaluator, mod *pymodel.Module, k *pymodel.Class) bool {
	scope := mod.Scope
	if k.Scope != nil && k.Scope.Parent != nil {
		scope = k.Scope.Parent
	}
	for _, d := range k.Decorators {
		target := d
		if d.Op == pymodel.OpCall {
			target = d.X
		}
		if v := ev.Eval(mod, scope, target); v.Kind != pymodel.External || !keepClassDecorators[v.Name] {
			return false
		}
	}
	return true
}

// hierarchyDefines reports whether a class of h binds name: a method, a
// class attribute (nested classes and `log = _log` aliases included) or an
// attribute assigned on self in a method.
func hierarchyDefines(h pymodel.Hierarchy, name string) bool {
	for _, k := range h.Classes {
		if k.Methods[name] != nil || k.Attrs[name] != nil || k.SelfAttrs[name] != nil {
			return true
		}
	}
	return false
}

// hierarchyMethods lists the method names of h that are not dunders, for
// suggestions.
func hierarchyMethods(h pymodel.Hierarchy) []string {
	var out []string
	for _, k := range h.Classes {
		for name := range k.Methods {
			if !isDunder(name) {
				out = append(out, name)
			}
		}
	}
	return out
}

func isDunder(name string) bool {
	return len(name) > 4 && name[:2] == "__" && name[len(name)-2:] == "__"
}
