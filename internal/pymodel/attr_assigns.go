package pymodel

import "github.com/asyncmig/asyncmig/internal/pysyntax"

// noteAttrAssign records an attribute name assigned in the module
// (Module.AssignedAttrs).
func (b *builder) noteAttrAssign(name string) {
	if b.m.AssignedAttrs == nil {
		b.m.AssignedAttrs = map[string]bool{}
	}
	b.m.AssignedAttrs[name] = true
}

// noteSetattr records `setattr(x, "name", v)` with a literal name as an
// assignment of that attribute.
func (b *builder) noteSetattr(call pysyntax.Node) {
	if !call.ChildByField(pysyntax.FieldFunction).TextIs("setattr") {
		return
	}
	args := call.ChildByField(pysyntax.FieldArguments).NamedChildren() // comments skipped
	if len(args) < 2 {
		return
	}
	if s, ok := StringContent(args[1]); ok {
		b.noteAttrAssign(s)
	}
}
