package pymodel

import "github.com/asyncmig/asyncmig/internal/pysyntax"

// noteDynamicSelf marks a class Dynamic when one of its methods reaches
// the instance's attribute dictionary — `self.__dict__.update(...)`,
// `self.__dict__[k] = v`, `vars(self)` (build's call() already catches
// setattr): its attributes can then not be listed, so "no such method" is unprovable.
// n is an attribute or a call inside fn.
func noteDynamicSelf(n pysyntax.Node, fn *Function) {
	if fn == nil || fn.Class == nil || fn.IsStatic() || len(fn.Params) == 0 {
		return
	}
	self := fn.Params[0].Name
	isSelf := func(x pysyntax.Node) bool { return x.Is(pysyntax.Identifier) && x.TextIs(self) }
	switch n.Kind() {
	case pysyntax.Attribute:
		if n.ChildByField(pysyntax.FieldAttribute).TextIs("__dict__") && isSelf(n.ChildByField(pysyntax.FieldObject)) {
			fn.Class.Dynamic = true
		}
	case pysyntax.Call:
		callee := n.ChildByField(pysyntax.FieldFunction)
		if !callee.TextIs("vars") {
			return
		}
		if args := n.ChildByField(pysyntax.FieldArguments); isSelf(args.FirstNamedChild()) {
			fn.Class.Dynamic = true
		}
	}
}
