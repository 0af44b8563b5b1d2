package workspace

import (
	"strings"
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
	var out []pymodel.Value
	w.eachSubclass(c, func(mod *pymodel.Module, k *pymodel.Class) bool {
		if fn := k.Methods[name]; fn != nil {
			out = append(out, pymodel.Value{Kind: pymodel.FunctionRef, Func: fn, Mod: mod})
		}
		return true
	})
	return out
}

// SubclassDefines reports whether a class deriving from c, anywhere in
// the workspace, binds name: a method, a class attribute or an attribute
// assigned on self. An instance known only by an annotation naming c may
// be of that subclass.
func (w *Workspace) SubclassDefines(c *pymodel.Class, name string) bool {
	found := false
	w.eachSubclass(c, func(_ *pymodel.Module, k *pymodel.Class) bool {
		found = k.Methods[name] != nil || k.Attrs[name] != nil || k.SelfAttrs[name] != nil
		return !found
	})
	return found
}

// eachSubclass visits every class deriving from c, breadth first, until
// visit returns false. In lazy mode (a warm run from the cache) the
// subclass relation comes from the cache, and only the modules holding
// subclasses are loaded.
func (w *Workspace) eachSubclass(c *pymodel.Class, visit func(*pymodel.Module, *pymodel.Class) bool) {
	w.mu.RLock()
	frozen := w.frozenSubclasses
	w.mu.RUnlock()
	if frozen != nil {
		seen := map[string]bool{c.Key: true}
		queue := append([]string(nil), frozen[c.Key]...)
		for len(queue) > 0 {
			key := queue[0]
			queue = queue[1:]
			if seen[key] {
				continue
			}
			seen[key] = true
			if mod, k := w.classByKey(key); k != nil && !visit(mod, k) {
				return
			}
			queue = append(queue, frozen[key]...)
		}
		return
	}
	children := w.subclassIndex()
	seen := map[*pymodel.Class]bool{c: true}
	queue := children[c]
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		if seen[k.class] {
			continue
		}
		seen[k.class] = true
		if !visit(k.mod, k.class) {
			return
		}
		queue = append(queue, children[k.class]...)
	}
}

func (w *Workspace) classByKey(key string) (*pymodel.Module, *pymodel.Class) {
	i := strings.LastIndexByte(key, ':')
	if i < 0 {
		return nil, nil
	}
	mod := w.Module(key[:i])
	if mod == nil {
		return nil, nil
	}
	for _, k := range mod.Classes {
		if k.Key == key {
			return mod, k
		}
	}
	return nil, nil
}
