package workspace

import (
	"strings"

	"github.com/asyncmig/asyncmig/internal/pymodel"
)

// Twins holds the naming patterns that pair sync code with its async twin
// (RULES.md: async_{module}, Async{Class}, async_{name} by default).
type Twins struct {
	Module string
	Class  string
	Name   string
}

func (t Twins) withDefaults() Twins {
	if t.Module == "" {
		t.Module = "async_{module}"
	}
	if t.Class == "" {
		t.Class = "Async{Class}"
	}
	if t.Name == "" {
		t.Name = "async_{name}"
	}
	return t
}

func apply(pattern, placeholder, s string) string {
	return strings.ReplaceAll(pattern, placeholder, s)
}

// unapply inverts a pattern: "async_user" under "async_{module}" → "user".
func unapply(pattern, placeholder, s string) (string, bool) {
	i := strings.Index(pattern, placeholder)
	if i < 0 {
		return "", false
	}
	pre, post := pattern[:i], pattern[i+len(placeholder):]
	if len(s) <= len(pre)+len(post) || !strings.HasPrefix(s, pre) || !strings.HasSuffix(s, post) {
		return "", false
	}
	return s[len(pre) : len(s)-len(post)], true
}

// AsyncModuleName names the async twin of module "a.b.user" → "a.b.async_user".
func (t Twins) AsyncModuleName(module string) string {
	dir, base := splitLast(module)
	return dir + apply(t.Module, "{module}", base)
}

// SyncModuleName inverts AsyncModuleName.
func (t Twins) SyncModuleName(module string) (string, bool) {
	dir, base := splitLast(module)
	s, ok := unapply(t.Module, "{module}", base)
	return dir + s, ok
}

// AsyncClassName: UserService → AsyncUserService.
func (t Twins) AsyncClassName(c string) string { return apply(t.Class, "{Class}", c) }

// SyncClassName inverts AsyncClassName.
func (t Twins) SyncClassName(c string) (string, bool) { return unapply(t.Class, "{Class}", c) }

// AsyncName: user_service → async_user_service (also methods: get_user → async_get_user? no: see AsyncMethodNames).
func (t Twins) AsyncName(n string) string { return apply(t.Name, "{name}", n) }

// SyncName inverts AsyncName.
func (t Twins) SyncName(n string) (string, bool) { return unapply(t.Name, "{name}", n) }

func splitLast(module string) (dir, base string) {
	if i := strings.LastIndexByte(module, '.'); i >= 0 {
		return module[:i+1], module[i+1:]
	}
	return "", module
}

// AsyncTwinModule returns the async twin of a sync module, if indexed.
func (w *Workspace) AsyncTwinModule(module string) string {
	if name := w.twins.AsyncModuleName(module); name != module && w.Module(name) != nil && w.mirrors(module, name) {
		return name
	}
	return ""
}

// SyncTwinModule returns the sync twin of an async module, if indexed.
func (w *Workspace) SyncTwinModule(module string) string {
	if name, ok := w.twins.SyncModuleName(module); ok && w.Module(name) != nil && w.mirrors(name, module) {
		return name
	}
	return ""
}

// mirrors reports whether two modules named as twins share an API, which
// is what makes them twins: a name the sync module defines (a function, a
// class, a module-level instance) is defined in the async one too, as is
// or under the twin patterns (`get_user`, `AsyncUserService`;
// `async_user_service` for an instance); for packages, a submodule of the
// same name.
// `utils.py` beside an `async_utils.py` of unrelated helpers is no pair.
func (w *Workspace) mirrors(syncName, asyncName string) bool {
	sm, am := w.Module(syncName), w.Module(asyncName)
	if sm == nil || am == nil {
		return false
	}
	defined := func(m *pymodel.Module, name string) bool {
		for _, b := range m.Scope.Names[name] {
			switch b.Kind {
			case pymodel.BindDef, pymodel.BindClass, pymodel.BindAssign, pymodel.BindAnnotation, pymodel.BindImportFrom:
				return true
			}
		}
		return false
	}
	imports := func(m *pymodel.Module, name string) bool {
		for _, b := range m.Scope.Names[name] {
			if b.Kind == pymodel.BindImportFrom || b.Kind == pymodel.BindImport {
				return true
			}
		}
		return false
	}
	for name, bs := range sm.Scope.Names {
		if strings.HasPrefix(name, "__") {
			continue
		}
		if imports(am, name) {
			continue // the async module builds on it (`class AsyncLLM(LLM)`): shared, not mirrored
		}
		for _, b := range bs {
			switch b.Kind {
			case pymodel.BindDef, pymodel.BindClass:
				if defined(am, name) || defined(am, w.twins.AsyncName(name)) || defined(am, w.twins.AsyncClassName(name)) {
					return true
				}
			case pymodel.BindAssign:
				// An instance pairs by the name pattern only: both modules
				// having a `logger` says nothing.
				if twin := w.twins.AsyncName(name); twin != name && defined(am, twin) {
					return true
				}
			}
		}
	}
	if sm.IsPackage || am.IsPackage {
		async := map[string]bool{}
		for _, sub := range w.Submodules(asyncName) {
			async[sub] = true
		}
		for _, sub := range w.Submodules(syncName) {
			if async[sub] || async[w.twins.AsyncModuleName(sub)] {
				return true
			}
		}
	}
	return false
}
