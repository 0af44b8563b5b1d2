package pymodel

// AnnotationOnly reports whether the session or Redis kind of name, as seen
// from scope, rests on a parameter annotation alone: no Depends() default
// or metadata, and no call site passing a value of that kind. Such a kind
// is the weakest evidence the model has; code that contradicts it (awaiting
// what only the async API returns) is more likely right than the
// annotation, which annotations lie about as often as callers do.
func (ev *Evaluator) AnnotationOnly(m *Module, scope *Scope, name string) bool {
	bs, where := m.Lookup(scope, name)
	if len(bs) != 1 || bs[0].Kind != BindParam || bs[0].Annot == nil || where == nil {
		return false
	}
	p := bs[0]
	if hasCall(p.Default) || hasCall(p.Annot) {
		return false // Depends(get_db), Annotated[Session, Depends(get_db)]
	}
	fn := where.Func
	if fn == nil {
		return false
	}
	outer := where.Parent
	if outer == nil {
		outer = m.Scope
	}
	kind := ev.Annotation(m, outer, p.Annot).Kind
	if kind != SyncSession && kind != AsyncSession && kind != SyncRedis && kind != AsyncRedis {
		return false
	}
	if ev.idx != nil {
		flows := ev.idx.ParamFlows(fn)
		if p.ParamIndex < len(flows) {
			for _, f := range flows[p.ParamIndex] {
				if f.Kind == kind {
					return false // a caller confirms it
				}
			}
		}
	}
	return true
}

// hasCall reports whether e contains a call anywhere.
func hasCall(e *Expr) bool {
	if e == nil {
		return false
	}
	if e.Op == OpCall {
		return true
	}
	if hasCall(e.X) {
		return true
	}
	for _, a := range e.Args {
		if hasCall(a) {
			return true
		}
	}
	return false
}
