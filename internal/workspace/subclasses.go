package workspace

import (
	"sync"

	"github.com/asyncmig/asyncmig/internal/pymodel"
)

// classIn is a class with the module defining it.
type classIn struct {
	mod   *pymodel.Module
	class *pymodel.Class
}

// subclassCache maps every project class to the project classes naming it
// as a direct base, rebuilt when the generation changes: one pass over the
// workspace instead of evaluating every hierarchy for every question.
type subclassCache struct {
	mu       sync.Mutex
	gen      uint64
	built    bool
	children map[*pymodel.Class][]classIn
}

func (w *Workspace) subclassIndex() map[*pymodel.Class][]classIn {
	gen := w.Generation()
	c := &w.subclassIx
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.built && c.gen == gen {
		return c.children
	}
	ev := w.Evaluator()
	children := map[*pymodel.Class][]classIn{}
	for _, m := range w.Modules() {
		for _, k := range m.Classes {
			scope := m.Scope
			if k.Scope != nil && k.Scope.Parent != nil {
				scope = k.Scope.Parent // bases are evaluated where the class statement is
			}
			for _, base := range k.Bases {
				if bv := ev.Eval(m, scope, base); bv.Kind == pymodel.ClassRef && bv.Class != k {
					children[bv.Class] = append(children[bv.Class], classIn{m, k})
				}
			}
		}
	}
	c.children, c.gen, c.built = children, gen, true
	return children
}

// Overrides lists the methods called name that classes deriving from c,
// anywhere in the workspace, define: what `self.name()` inside c may run
// instead of c's own method.
func (w *Workspace) Overrides(c *pymodel.Class, name string) []pymodel.Value {
	children := w.subclassIndex()
	var out []pymodel.Value
	seen := map[*pymodel.Class]bool{c: true}
	queue := children[c]
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		if seen[k.class] {
			continue
		}
		seen[k.class] = true
		if fn := k.class.Methods[name]; fn != nil {
			out = append(out, pymodel.Value{Kind: pymodel.FunctionRef, Func: fn, Mod: k.mod})
		}
		queue = append(queue, children[k.class]...)
	}
	return out
}
