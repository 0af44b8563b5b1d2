package report

import (
	"github.com/asyncmig/asyncmig/internal/pymodel"
	wsindex "github.com/asyncmig/asyncmig/internal/workspace" // the tests have a fixture named workspace
)

// A router is identified by the module-level variable holding it:
// "app.api.routes.users:router".

// routerKey resolves an expression naming a router to its variable,
// following imports and module attributes.
func routerKey(ev *pymodel.Evaluator, m *pymodel.Module, scope *pymodel.Scope, e *pymodel.Expr) (string, bool) {
	for depth := 0; depth < 12 && e != nil; depth++ {
		switch e.Op {
		case pymodel.OpName:
			bs, where := m.Lookup(scope, e.Name)
			if len(bs) != 1 {
				return "", false
			}
			b := bs[0]
			switch b.Kind {
			case pymodel.BindAssign, pymodel.BindAnnotation:
				if where != m.Scope {
					return "", false
				}
				return m.Name + ":" + e.Name, true
			case pymodel.BindImportFrom:
				target := ev.Index().Module(b.Module)
				if target == nil {
					return "", false
				}
				m, scope, e = target, target.Scope, &pymodel.Expr{Op: pymodel.OpName, Name: b.Imported}
				continue
			}
			return "", false
		case pymodel.OpAttr:
			v := ev.Eval(m, scope, e.X)
			if v.Kind != pymodel.ModuleRef || v.Mod == nil {
				return "", false
			}
			m, scope, e = v.Mod, v.Mod.Scope, &pymodel.Expr{Op: pymodel.OpName, Name: e.Name}
			continue
		}
		return "", false
	}
	return "", false
}

// ownPrefix is the prefix= given where the router was created.
func ownPrefix(key string, ws *wsindex.Workspace) string {
	mod, name := splitKey(key)
	m := ws.Module(mod)
	if m == nil {
		return ""
	}
	for _, b := range m.Scope.Names[name] {
		if b.Value != nil && b.Value.Op == pymodel.OpCall {
			if pr := b.Value.Keyword("prefix"); pr != nil && pr.Op == pymodel.OpStr {
				return pr.Name
			}
		}
	}
	return ""
}

func splitKey(key string) (string, string) {
	for i := len(key) - 1; i >= 0; i-- {
		if key[i] == ':' {
			return key[:i], key[i+1:]
		}
	}
	return "", key
}

type include struct {
	parent string // router/app key the child is mounted on
	prefix string
}

// collectMounts finds every statically known include_router and returns,
// per router, the full prefixes it is served under (its own prefix
// included), in the order found.
func collectMounts(in Input, ev *pymodel.Evaluator) map[string][]string {
	includes := map[string][]include{}
	routers := map[string]bool{}
	visit := func(m *pymodel.Module, cs *pymodel.CallSite) {
		call := cs.Call
		if call == nil || call.X == nil || call.X.Op != pymodel.OpAttr || call.X.Name != "include_router" {
			return
		}
		parent, ok := routerKey(ev, m, cs.Scope, call.X.X)
		if !ok {
			return
		}
		child, ok := routerKey(ev, m, cs.Scope, call.Positional(0))
		if !ok {
			return
		}
		prefix := ""
		if pr := call.Keyword("prefix"); pr != nil && pr.Op == pymodel.OpStr {
			prefix = pr.Name
		}
		includes[child] = append(includes[child], include{parent: parent, prefix: prefix})
		routers[child], routers[parent] = true, true
	}
	for _, f := range in.Files {
		m := f.Module
		if m == nil {
			continue
		}
		for _, cs := range m.Calls {
			visit(m, cs)
		}
		for _, fn := range m.Functions {
			for _, cs := range fn.Calls {
				visit(m, cs)
			}
		}
		// Every module-level router variable, included or not.
		for name, bs := range m.Scope.Names {
			for _, b := range bs {
				if b.Value != nil && b.Value.Op == pymodel.OpCall {
					if v := ev.Eval(m, m.Scope, b.Value.X); v.Kind == pymodel.External && routerClasses[v.Name] {
						routers[m.Name+":"+name] = true
					}
				}
			}
		}
	}
	out := map[string][]string{}
	var full func(key string, depth int, seen map[string]bool) []string
	full = func(key string, depth int, seen map[string]bool) []string {
		own := ownPrefix(key, in.Workspace)
		incs := includes[key]
		if len(incs) == 0 || depth > 8 || seen[key] {
			return []string{own}
		}
		seen[key] = true
		defer delete(seen, key)
		var res []string
		for _, inc := range incs {
			for _, pp := range full(inc.parent, depth+1, seen) {
				res = append(res, joinPath(joinPath(pp, inc.prefix), own))
			}
		}
		return res
	}
	for key := range routers {
		out[key] = full(key, 0, map[string]bool{})
	}
	return out
}
