package migrate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// funcID names a function across versions of the text: its qualified name
// and, for names defined more than once (conditional definitions), which
// definition of that name in source order.
type funcID struct {
	qual string
	nth  int
}

func idOf(mod *pymodel.Module, fn *pymodel.Function) funcID {
	id := funcID{qual: fn.Qual}
	for _, f := range mod.Functions {
		if f == fn {
			break
		}
		if !f.Lambda && f.Qual == fn.Qual {
			id.nth++
		}
	}
	return id
}

func (id funcID) find(mod *pymodel.Module) *pymodel.Function {
	n := 0
	for _, f := range mod.Functions {
		if f.Lambda || f.Qual != id.qual {
			continue
		}
		if n == id.nth {
			return f
		}
		n++
	}
	return nil
}

// find returns the function the selector picks.
func (sel Selector) find(mod *pymodel.Module, tree *pysyntax.Tree) (*pymodel.Function, funcID, error) {
	if sel.Name != "" {
		for _, f := range mod.Functions {
			if !f.Lambda && f.Qual == sel.Name {
				return f, idOf(mod, f), nil
			}
		}
		return nil, funcID{}, fmt.Errorf("%w: no function `%s` in this file%s", ErrNoFunction, sel.Name, suggest(mod, sel.Name))
	}
	// The innermost def whose header (or, with InBody, whose whole
	// definition) the range touches.
	var best *pymodel.Function
	for _, f := range mod.Functions {
		if f.Lambda {
			continue
		}
		end := headerEnd(tree, f)
		if sel.InBody {
			end = int(f.End)
		}
		if sel.Start <= end && int(f.Start) <= sel.End && (best == nil || f.Start >= best.Start) {
			best = f
		}
	}
	if best == nil {
		return nil, funcID{}, ErrNoFunction
	}
	return best, idOf(mod, best), nil
}

// headerEnd is where fn's header ends: after its parameters and return
// annotation, at the colon.
func headerEnd(tree *pysyntax.Tree, fn *pymodel.Function) int {
	def := tree.DescendantAt(int(fn.DefStart), int(fn.BodyStart))
	for !def.IsNull() && !def.Is(pysyntax.FunctionDefinition) {
		def = def.Parent()
	}
	if def.IsNull() {
		return int(fn.BodyStart)
	}
	end := def.ChildByField(pysyntax.FieldParameters).End()
	if rt := def.ChildByField(pysyntax.FieldReturnType); !rt.IsNull() {
		end = rt.End()
	}
	return end + 1 // the colon
}

// suggest lists the file's functions for an error message.
func suggest(mod *pymodel.Module, name string) string {
	var names []string
	seen := map[string]bool{}
	for _, f := range mod.Functions {
		if f.Lambda || seen[f.Qual] || strings.Contains(f.Qual, "<locals>") {
			continue
		}
		seen[f.Qual] = true
		names = append(names, f.Qual)
	}
	if len(names) == 0 {
		return " (it defines none)"
	}
	sort.SliceStable(names, func(i, j int) bool {
		return strings.HasSuffix(names[i], "."+name) && !strings.HasSuffix(names[j], "."+name)
	})
	if len(names) > 8 {
		names = append(names[:8], "…")
	}
	return "; it defines " + strings.Join(names, ", ")
}

// cannotMigrate says why fn cannot become an `async def`, "" when it can.
func cannotMigrate(ev *pymodel.Evaluator, mod *pymodel.Module, fn *pymodel.Function) string {
	name := "`" + fn.Qual + "`"
	switch {
	case fn.Async:
		return name + " is already async"
	case fn.Generator:
		return name + " is a generator: as an `async def` it becomes an async generator its callers must iterate with `async for`; migrate it by hand"
	case isNested(fn):
		return name + " is defined inside another function: migrate the enclosing function"
	case fn.Class != nil && strings.HasPrefix(fn.Name, "__") && strings.HasSuffix(fn.Name, "__"):
		return name + " is a special method, which Python calls synchronously"
	case fn.IsProperty():
		return name + " is a property: reading it would give a coroutine; turn it into an async method by hand"
	}
	for _, d := range fn.Decorators {
		if v := ev.Eval(mod, mod.Scope, d); v.Kind == pymodel.External && cachingDecorators[v.Name] {
			return name + " is decorated with `@" + pymodel.LastSegment(v.Name) + "`, which would cache the coroutine object instead of its result"
		}
		if d.Op == pymodel.OpCall {
			if v := ev.Eval(mod, mod.Scope, d.X); v.Kind == pymodel.External && cachingDecorators[v.Name] {
				return name + " is decorated with `@" + pymodel.LastSegment(v.Name) + "(…)`, which would cache the coroutine object instead of its result"
			}
		}
	}
	return ""
}

// cachingDecorators cache what the function returns: for an async def that
// is a coroutine, which can be awaited only once.
var cachingDecorators = map[string]bool{
	"functools.lru_cache": true, "functools.cache": true, "functools.cached_property": true,
}

func isNested(fn *pymodel.Function) bool {
	if fn.Scope == nil {
		return false
	}
	for s := fn.Scope.Parent; s != nil; s = s.Parent {
		if s.Kind == pymodel.ScopeFunction || s.Kind == pymodel.ScopeLambda {
			return true
		}
	}
	return false
}
