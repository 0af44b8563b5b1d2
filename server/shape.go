package server

import (
	"slices"

	"github.com/asyncmig/asyncmig/internal/pymodel"
)

// moduleShape fingerprints what other modules can see of m, and what the
// workspace's derived facts are computed from: its functions and classes
// (async-ness, parameters with annotations and defaults, return
// annotations, decorators, bases, self attributes), its module-level
// names, its imports, and the calls that could hand a session to another
// function (for the kinds that flow along calls). Offsets are left out, so
// typing that moves code around without changing any of that keeps the
// fingerprint, and the workspace is not refreshed for it.
func moduleShape(m *pymodel.Module) uint64 {
	if m == nil {
		return 0
	}
	w := &shapeWriter{h: fnvOffset}
	w.str(m.Name)
	w.bool(m.IsPackage, m.HasAsync, m.HasGetattr)
	for _, fn := range m.Functions {
		w.function(fn)
	}
	for _, c := range m.Classes {
		w.str("class", c.Qual)
		w.exprs(c.Bases)
		w.exprs(c.Keywords)
		w.exprs(c.Decorators)
		w.bool(c.HasGetattr, c.Dynamic)
		for _, attr := range sortedKeys(c.SelfAttrs) {
			w.str("self", attr)
			for _, a := range c.SelfAttrs[attr] {
				w.expr(a.Value)
				w.expr(a.Annot)
			}
		}
		for _, attr := range sortedKeys(c.Attrs) {
			w.bindings(attr, c.Attrs[attr])
		}
	}
	for _, name := range sortedKeys(m.Scope.Names) {
		w.bindings(name, m.Scope.Names[name])
	}
	for _, imp := range m.Imports {
		w.str("import", imp.Name, imp.Module, imp.Imported)
	}
	w.str(m.StarImports...)
	for _, cs := range m.Calls {
		w.call(cs)
	}
	return w.h
}

// shapeWriter hashes with FNV-1a, inline: this runs at every analysis of
// an open document, on every function of it.
type shapeWriter struct{ h uint64 }

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func (w *shapeWriter) byte(b byte) {
	w.h ^= uint64(b)
	w.h *= fnvPrime
}

func (w *shapeWriter) str(parts ...string) {
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			w.byte(p[i])
		}
		w.byte(0)
	}
}

func (w *shapeWriter) int(n int) {
	for i := 0; i < 8; i++ {
		w.byte(byte(n >> (8 * i)))
	}
}

func (w *shapeWriter) bool(bs ...bool) {
	for _, b := range bs {
		if b {
			w.byte(1)
		} else {
			w.byte(2)
		}
	}
}

func (w *shapeWriter) function(fn *pymodel.Function) {
	w.str("def", fn.Qual)
	w.bool(fn.Async, fn.Lambda, fn.Generator)
	for _, p := range fn.Params {
		w.str(p.Name)
		w.int(int(p.ParamKind))
		w.expr(p.Annot)
		w.expr(p.Default)
	}
	w.expr(fn.Returns)
	w.exprs(fn.Decorators)
	// What a function returns or yields decides the kind of its result
	// (a dependency that yields an AsyncSession).
	w.exprs(fn.ReturnValues)
	w.exprs(fn.YieldValues)
	for _, cs := range fn.Calls {
		w.call(cs)
	}
}

// call records calls that pass names or attributes: the only arguments
// that can carry a session to another function.
func (w *shapeWriter) call(cs *pymodel.CallSite) {
	if cs.Call == nil {
		return
	}
	for _, a := range cs.Call.Args {
		if a.Op == pymodel.OpName || a.Op == pymodel.OpAttr {
			w.str("call")
			w.expr(cs.Call)
			return
		}
	}
}

func (w *shapeWriter) bindings(name string, bs []*pymodel.Binding) {
	for _, b := range bs {
		w.str(name, b.Module, b.Imported)
		w.int(int(b.Kind))
		w.bool(b.Async)
		w.expr(b.Value)
		w.expr(b.Annot)
	}
}

func (w *shapeWriter) exprs(es []*pymodel.Expr) {
	w.int(len(es))
	for _, e := range es {
		w.expr(e)
	}
}

func (w *shapeWriter) expr(e *pymodel.Expr) {
	if e == nil {
		w.byte(0xff)
		return
	}
	w.int(int(e.Op))
	w.str(e.Name, e.Kw)
	w.expr(e.X)
	w.exprs(e.Args)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
