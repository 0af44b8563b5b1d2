package migrate

import (
	"strings"

	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// Lazy loads after the query.
//
// In sync code, reading `socio.memberships` after the query that loaded
// `socio` quietly runs a second SELECT. Under an AsyncSession that implicit
// IO is not allowed and raises MissingGreenlet at run time, so a migrated
// function that reads a relationship its own query did not load needs a
// manual step: load it eagerly (`.options(selectinload(User.memberships))`)
// or refresh it explicitly. No rule reports this yet — it only matters the
// moment a function becomes async — so the migration finds it itself, from
// what the migrated text shows: a name bound to the entities of a
// `select(Entity)` or `session.get(Entity, …)` in the function (directly,
// or as the loop variable over them), and an attribute of it that the
// model maps as a relationship with the default lazy loading, which the
// query's loader options do not cover. Objects from elsewhere (a service's
// return value, a parameter) are not judged: their query is not in sight.

// lazyLoad is a read of a relationship the function's query left unloaded.
type lazyLoad struct {
	start, end int // the attribute read
	message    string
}

// lazyLoads lists the lazy relationship reads in the function of a, one
// per name and relationship (at its first read).
func lazyLoads(a *analysis) []lazyLoad {
	f := a.file
	start, end := int(a.fn.Start), int(a.fn.End)
	seen := map[string]bool{}
	var out []lazyLoad
	f.Tree.Root().Walk(func(n pysyntax.Node) bool {
		if n.End() <= start || n.Start() >= end {
			return false
		}
		if !n.Is(pysyntax.Attribute) || isStore(n) {
			return true
		}
		obj, attr := n.ChildByField(pysyntax.FieldObject), n.ChildByField(pysyntax.FieldAttribute)
		if !obj.Is(pysyntax.Identifier) {
			return true
		}
		load, ok := loadedEntities(f, obj)
		if !ok || !lazyRelationship(f.Eval, load.entity, attr.Text()) || load.eager[attr.Text()] {
			return true
		}
		key := obj.Text() + "." + attr.Text() + "@" + load.where
		if seen[key] {
			return true
		}
		seen[key] = true
		entity := load.entity.Class.Name
		out = append(out, lazyLoad{start: n.Start(), end: n.End(), message: "`" + n.Text() + "` lazy-loads a relationship the query did not load, " +
			"which an AsyncSession cannot do (MissingGreenlet at run time); load it in the query with " +
			"`.options(selectinload(" + entity + "." + attr.Text() + "))`"})
		return true
	})
	return out
}

// isStore reports whether attribute node n is assigned or deleted rather
// than read (`socio.user = x` does not load anything).
func isStore(n pysyntax.Node) bool {
	p := n.Parent()
	switch {
	case p.Is(pysyntax.Assignment) || p.Is(pysyntax.AugmentedAssignment):
		return n.Field() == pysyntax.FieldLeft && p.Is(pysyntax.Assignment)
	case p.Is(pysyntax.DeleteStatement):
		return true
	}
	return false
}

// entityLoad is where a name's entities come from.
type entityLoad struct {
	entity pymodel.Value   // the mapped class (ClassRef)
	eager  map[string]bool // relationships the query's loader options load
	where  string          // identifies the load, for de-duplication
}

// loadedEntities says whether name node obj holds entities loaded by a
// query in sight: assigned from one, or the loop variable over one (or over
// a name assigned from one).
func loadedEntities(f *pymodel.File, obj pysyntax.Node) (entityLoad, bool) {
	bs, where := f.Module.Lookup(f.ScopeOf(obj), obj.Text())
	if len(bs) != 1 || where == nil || where == f.Module.Scope {
		return entityLoad{}, false
	}
	b := bs[0]
	switch b.Kind {
	case pymodel.BindAssign:
		if b.Value == nil {
			return entityLoad{}, false
		}
		return queryLoad(f, f.Tree.DescendantAt(int(b.Value.Start), int(b.Value.End)))
	case pymodel.BindFor, pymodel.BindComprehension:
		iter := loopIterable(f.Tree.DescendantAt(int(b.Start), int(b.End)))
		if iter.Is(pysyntax.Identifier) {
			return loadedEntities(f, iter)
		}
		return queryLoad(f, iter)
	}
	return entityLoad{}, false
}

// loopIterable returns what the `for` (statement or comprehension clause)
// binding the name at n iterates over.
func loopIterable(n pysyntax.Node) pysyntax.Node {
	for p := n; !p.IsNull(); p = p.Parent() {
		if p.Is(pysyntax.ForStatement) || p.Is(pysyntax.ForInClause) {
			return p.ChildByField(pysyntax.FieldRight)
		}
	}
	return pysyntax.Node{}
}

// queryLoad reads a loading expression: it runs `select(Entity)` (one
// entity) or `session.get(Entity, …)`, and its loader options name the
// relationships loaded eagerly.
func queryLoad(f *pymodel.File, expr pysyntax.Node) (entityLoad, bool) {
	if expr.IsNull() {
		return entityLoad{}, false
	}
	load := entityLoad{eager: map[string]bool{}, where: expr.Text()}
	found := false
	expr.Walk(func(n pysyntax.Node) bool {
		if !n.Is(pysyntax.Call) {
			return true
		}
		call := pymodel.ExprOf(n)
		callee := f.Value(n.ChildByField(pysyntax.FieldFunction))
		switch {
		case callee.Kind == pymodel.External && pymodel.LastSegment(callee.Name) == "select" && isSQLAlchemy(callee.Name):
			if len(call.Args) == 1 && call.Args[0].Kw == "" {
				if v := f.ExprValue(n, call.Args[0]); v.Kind == pymodel.ClassRef && !found {
					load.entity, found = v, true
				}
			}
		case call.X != nil && call.X.Op == pymodel.OpAttr && call.X.Name == "get" && f.ExprValue(n, call.X.X).Kind == pymodel.AsyncSession:
			if first := call.Positional(0); first != nil {
				if v := f.ExprValue(n, first); v.Kind == pymodel.ClassRef && !found {
					load.entity, found = v, true
				}
			}
		case callee.Kind == pymodel.External && isSQLAlchemy(callee.Name) && eagerLoaders[pymodel.LastSegment(callee.Name)]:
			for _, a := range call.Args {
				if a.Op == pymodel.OpAttr {
					load.eager[a.Name] = true
				}
			}
		}
		return true
	})
	return load, found
}

func isSQLAlchemy(name string) bool {
	return strings.HasPrefix(name, "sqlalchemy.") || strings.HasPrefix(name, "sqlmodel.")
}

// eagerLoaders load a relationship with the query.
var eagerLoaders = map[string]bool{
	"selectinload": true, "joinedload": true, "subqueryload": true, "immediateload": true, "contains_eager": true,
}

// lazyRelationship reports whether attribute name of the entity is a
// relationship loaded lazily on first access (lazy="select", the default).
func lazyRelationship(ev *pymodel.Evaluator, entity pymodel.Value, name string) bool {
	switch ev.ORMAttr(entity.Mod, entity.Class, name) {
	case pymodel.ORMToOne, pymodel.ORMCollection, pymodel.ORMRelationship:
	default:
		return false
	}
	h := ev.ClassHierarchy(entity.Mod, entity.Class)
	for _, k := range h.Classes {
		bs := k.Attrs[name]
		if len(bs) == 0 {
			continue
		}
		if v := bs[len(bs)-1].Value; v != nil {
			if lazy := v.Keyword("lazy"); lazy != nil && lazy.Op == pymodel.OpStr && lazy.Name != "select" && lazy.Name != "True" {
				return false // eager ("selectin", "joined", …) or explicitly raising
			}
		}
		return true
	}
	return false
}
