package pymodel

// InheritedClient reports the client kind (Redis or session, async or
// sync) an instance of a project class inherits from a library base:
// `class ArqRedis(redis.asyncio.Redis)` makes `self.keys(...)` a command of
// an asyncio Redis client. Unknown when v is not such an instance, when a
// project class of the hierarchy defines name itself (an override decides),
// or when the library bases disagree.
func (ev *Evaluator) InheritedClient(v Value, name string) VKind {
	if v.Kind != Instance || v.Class == nil || v.Mod == nil {
		return Unknown
	}
	if fn, _ := ev.FindMethod(v.Mod, v.Class, name); fn != nil {
		return Unknown
	}
	if _, ok := ev.classAttr(v.Mod, v.Class, name); ok {
		return Unknown
	}
	if _, ok := ev.instanceAttr(v.Mod, v.Class, name); ok {
		return Unknown
	}
	found := Unknown
	h := ev.ClassHierarchy(v.Mod, v.Class)
	for i, k := range h.Classes {
		m := h.Modules[i]
		for _, base := range k.Bases {
			kind, ok := externalTypes[ev.baseName(m, m.scopeOf(k), base, 0)]
			if !ok {
				continue
			}
			if found != Unknown && found != kind {
				return Unknown
			}
			found = kind
		}
	}
	return found
}

// baseName is the qualified name of the library class a base expression
// stands for, "" when it is not one. It sees through generic aliases
// (`Redis[bytes]`) and a name bound differently per branch
// (`BaseRedis = Redis[bytes] if TYPE_CHECKING else Redis`) when every
// binding names the same class.
func (ev *Evaluator) baseName(m *Module, scope *Scope, e *Expr, depth int) string {
	if e == nil || depth > 2 {
		return ""
	}
	if v := ev.Eval(m, scope, e); v.Kind == External {
		return v.Name
	}
	switch e.Op {
	case OpSubscript:
		return ev.baseName(m, scope, e.X, depth+1)
	case OpName:
		bs, where := m.Lookup(scope, e.Name)
		name := ""
		for _, b := range bs {
			if b.Kind != BindAssign || b.Value == nil {
				return ""
			}
			n := ev.baseName(m, where, b.Value, depth+1)
			if n == "" || name != "" && n != name {
				return ""
			}
			name = n
		}
		return name
	}
	return ""
}
