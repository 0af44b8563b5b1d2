package workspace

import "strings"

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
	if name := w.twins.AsyncModuleName(module); name != module && w.Module(name) != nil {
		return name
	}
	return ""
}

// SyncTwinModule returns the sync twin of an async module, if indexed.
func (w *Workspace) SyncTwinModule(module string) string {
	if name, ok := w.twins.SyncModuleName(module); ok && w.Module(name) != nil {
		return name
	}
	return ""
}
