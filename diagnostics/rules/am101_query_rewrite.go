package rules

// The legacy Query → 2.0 select() translator behind AM101's fix.
//
// A chain `s.query(E...).c1(...)...t(...)` is rewritten in place, so that
// argument text, comments and line breaks between the clauses survive:
//
//	s.query(E)     → (await s.execute(select(E)
//	.filter(...)   → .where(...)          (other clauses unchanged)
//	.all()         → )).scalars().all()
//
// Meaning is kept exactly, which takes more than renaming:
//   - `.first()` runs LIMIT 1, so the statement gets `.limit(1)`.
//   - `Query.scalar()` is one-or-none on the first column:
//     `.scalar_one_or_none()`.
//   - `.count()` counts the rows of the query as a subquery:
//     `select(func.count()).select_from(stmt.subquery())`, `.scalar_one()`.
//   - A single entity gives objects (`.scalars()`); several entities or any
//     column give rows, read without `.scalars()`, which would keep only the
//     first column.
//   - The legacy Query de-duplicates results holding entities; select()
//     does not, and refuses to read joined eager loads of collections
//     without `.unique()`. `.unique()` is added unless the rows provably
//     cannot repeat an entity (no joins or only to-one ones, or DISTINCT;
//     no joinedload of a collection).
//   - `.get(id)` is `await s.get(X, id)` (its options become `options=[…]`).
//
// Chains with no mechanical equivalent get no rewrite, with the reason.

import (
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// queryLink is one `.method(args)` call of a chain.
type queryLink struct {
	Method string
	Name   pysyntax.Node // the method's identifier
	Call   pysyntax.Node
	Args   pysyntax.Node // argument_list
	Dot    int           // offset of the `.` before the method
}

// queryChain is `s.query(E...)` and the calls made on its result.
type queryChain struct {
	Session  pysyntax.Node // `s`
	Query    pysyntax.Node // the `s.query(...)` call
	Entities []pysyntax.Node
	// Links are the method calls chained on the query, innermost first.
	Links []queryLink
}

// parseQueryChain reads the chain built on the `s.query(...)` call node.
func parseQueryChain(query pysyntax.Node) queryChain {
	fn := query.ChildByField(pysyntax.FieldFunction)
	c := queryChain{Session: fn.ChildByField(pysyntax.FieldObject), Query: query}
	c.Entities = query.ChildByField(pysyntax.FieldArguments).NamedChildren()
	for cur := query; ; {
		attr := cur.Parent()
		if !attr.Is(pysyntax.Attribute) || cur.Field() != pysyntax.FieldObject {
			break
		}
		call := attr.Parent()
		if !call.Is(pysyntax.Call) || attr.Field() != pysyntax.FieldFunction {
			break
		}
		name := attr.ChildByField(pysyntax.FieldAttribute)
		c.Links = append(c.Links, queryLink{Method: name.Text(), Name: name, Call: call,
			Args: call.ChildByField(pysyntax.FieldArguments), Dot: attr.ChildOfKind(pysyntax.TokDot).Start()})
		cur = call
	}
	return c
}

// ormFacts answers what the translator needs to know about the mapping.
type ormFacts interface {
	// Entity says what a query() argument is (entity, column, unknown).
	Entity(arg pysyntax.Node) pymodel.ORMKind
	// Relationship says what a relationship path such as `User.workouts`
	// is (to-one, collection, dynamic, unknown).
	Relationship(path pysyntax.Node) pymodel.ORMKind
	// Attr says what attribute name of the entity argument is.
	Attr(entity pysyntax.Node, name string) pymodel.ORMKind
	// Loader names the loader option function a call's callee is
	// (`joinedload`), or "".
	Loader(callee pysyntax.Node) string
}

// queryClauses maps the Query methods that build the statement to their
// select() spelling.
var queryClauses = map[string]string{
	"filter": "where", "where": "where", "filter_by": "filter_by", "order_by": "order_by", "limit": "limit",
	"offset": "offset", "join": "join", "outerjoin": "outerjoin", "options": "options", "group_by": "group_by",
	"having": "having", "distinct": "distinct", "select_from": "select_from",
}

// queryTerminals run the query.
var queryTerminals = map[string]bool{"all": true, "first": true, "one": true, "one_or_none": true, "scalar": true, "count": true, "get": true}

// legacyOnlyQueryMethods were removed with the legacy Query: 2.0 has no
// method that does the same.
var legacyOnlyQueryMethods = map[string]bool{
	"from_self": true, "select_entity_from": true, "reset_joinpoint": true, "values": true, "value": true,
	"instances": true, "merge_result": true, "with_labels": true, "enable_assertions": true,
}

// queryMethods are the methods of a Query object: a relationship attribute
// followed by one of them is used as a dynamic (AppenderQuery) relationship.
var queryMethods = map[string]bool{
	"filter": true, "filter_by": true, "where": true, "order_by": true, "limit": true, "offset": true, "join": true,
	"options": true, "all": true, "first": true, "one": true, "one_or_none": true, "scalar": true, "count": true,
	"with_parent": true, "distinct": true, "exists": true, "delete": true, "update": true,
}

// eagerJoinLoaders load a relationship through a JOIN, repeating the parent
// row per collection item.
var eagerJoinLoaders = map[string]bool{"joinedload": true, "contains_eager": true}

// loaderMethods are the loader options that can be chained on a loader.
var loaderMethods = map[string]bool{
	"joinedload": true, "contains_eager": true, "selectinload": true, "subqueryload": true, "lazyload": true,
	"immediateload": true, "noload": true, "raiseload": true, "defaultload": true, "load_only": true, "defer": true,
	"undefer": true, "undefer_group": true, "with_expression": true, "selectin_polymorphic": true, "options": true,
}

// queryRewrite is the result of translating a chain.
type queryRewrite struct {
	Edits []diagnostics.Edit
	// Needs are the sqlalchemy names the new code uses.
	Needs []string
	Title string
}

// rewriteQuery translates the chain, or says why it cannot.
func rewriteQuery(src []byte, c queryChain, facts ormFacts) (queryRewrite, string) {
	term := -1
	for i, l := range c.Links {
		if _, ok := queryClauses[l.Method]; !ok {
			term = i
			break
		}
	}
	if term < 0 {
		return queryRewrite{}, "the query is not run in this expression"
	}
	t := c.Links[term]
	if legacyOnlyQueryMethods[t.Method] {
		return queryRewrite{}, "`." + t.Method + "()` has no select() equivalent"
	}
	if !queryTerminals[t.Method] {
		return queryRewrite{}, "`." + t.Method + "()` is not rewritten automatically"
	}
	clauses := c.Links[:term]
	for _, a := range c.Entities {
		if a.Is(pysyntax.ListSplat) || a.Is(pysyntax.DictionarySplat) || a.Is(pysyntax.KeywordArgument) {
			return queryRewrite{}, "the entities of the query are not listed"
		}
	}
	if len(c.Entities) == 0 {
		return queryRewrite{}, "the query has no entity"
	}
	if why := checkClauses(clauses); why != "" {
		return queryRewrite{}, why
	}
	if why := checkDynamicAfter(c, t, facts); why != "" {
		return queryRewrite{}, why
	}
	args := t.Args.NamedChildren()
	if t.Method == "get" {
		return rewriteGet(src, c, clauses, t, args)
	}
	if len(args) > 0 {
		return queryRewrite{}, "`." + t.Method + "()` is called with arguments"
	}
	recv := string(src[c.Session.Start():c.Session.End()])
	start := diagnostics.Edit{Start: c.Session.Start(), End: c.Query.ChildByField(pysyntax.FieldFunction).End()}
	if aw := t.Call.Parent(); aw.Is(pysyntax.Await) {
		start.Start = aw.Start() // a stray `await` on the list would now fail
	}
	edits := []diagnostics.Edit{start}
	for _, l := range clauses {
		if to := queryClauses[l.Method]; to != l.Method {
			edits = append(edits, diagnostics.Edit{Start: l.Name.Start(), End: l.Name.End(), NewText: to})
		}
	}
	// From the dot: a terminal on its own line stays there, after any
	// comment or line break that precedes it.
	end := diagnostics.Edit{Start: t.Dot, End: t.Call.End()}

	if t.Method == "count" {
		edits[0].NewText = "(await " + recv + ".execute(select(func.count()).select_from(select"
		end.NewText = ".subquery()))).scalar_one()"
		return queryRewrite{Edits: append(edits, end), Needs: []string{"func", "select"},
			Title: "Rewrite as `(await " + recv + ".execute(select(func.count()).select_from(…))).scalar_one()`"}, ""
	}

	kinds := make([]pymodel.ORMKind, len(c.Entities))
	hasEntity, allKnown := false, true
	for i, e := range c.Entities {
		kinds[i] = facts.Entity(e)
		switch kinds[i] {
		case pymodel.ORMEntity:
			hasEntity = true
		case pymodel.ORMColumn:
		default:
			allKnown = false
		}
	}
	single := len(c.Entities) == 1
	if single && kinds[0] == pymodel.ORMUnknown {
		return queryRewrite{}, "`" + c.Entities[0].Text() + "` may be an entity or a column"
	}
	repeat := rowsMayRepeat(c, clauses, t, kinds, facts)
	if repeat && !hasEntity && !allKnown {
		return queryRewrite{}, "cannot tell whether the legacy Query de-duplicated these rows"
	}
	var stmtTail, result string
	if t.Method == "first" {
		stmtTail = ".limit(1)"
	}
	if single && kinds[0] == pymodel.ORMEntity && t.Method != "scalar" {
		result = ".scalars()"
	}
	if repeat && hasEntity {
		result += ".unique()"
	}
	if t.Method == "scalar" {
		result += ".scalar_one_or_none()"
	} else {
		result += "." + t.Method + "()"
	}
	edits[0].NewText = "(await " + recv + ".execute(select"
	end.NewText = stmtTail + "))" + result
	return queryRewrite{Edits: append(edits, end), Needs: []string{"select"},
		Title: "Rewrite as `(await " + recv + ".execute(select(…)" + stmtTail + "))" + result + "`"}, ""
}

// checkClauses rejects the legacy forms select() does not have.
func checkClauses(clauses []queryLink) string {
	for _, l := range clauses {
		args := l.Args.NamedChildren()
		switch l.Method {
		case "join", "outerjoin":
			positional := 0
			for _, a := range args {
				switch {
				case a.Is(pysyntax.KeywordArgument):
					kw := a.ChildByField(pysyntax.FieldName).Text()
					if kw != "isouter" && kw != "full" {
						return "`." + l.Method + "(…, " + kw + "=…)` has no select() equivalent"
					}
				case a.Is(pysyntax.ListSplat) || a.Is(pysyntax.DictionarySplat):
					return "the arguments of `." + l.Method + "()` are not listed"
				default:
					positional++
					if hasString(a) {
						return "`." + l.Method + "()` names a relationship with a string"
					}
					if a.Is(pysyntax.Tuple) {
						return "`." + l.Method + "((target, onclause))` is the legacy tuple form"
					}
				}
			}
			if positional == 0 || positional > 2 || positional == 2 && args[0].Is(pysyntax.Attribute) {
				// join(A.b, B.c) was a chain of joins in the legacy Query.
				return "`." + l.Method + "()` with a chain of relationships is the legacy form"
			}
		case "options":
			for _, a := range args {
				if hasString(a) {
					return "a loader option names a relationship with a string"
				}
			}
		}
	}
	return ""
}

// hasString reports a string literal among the positional arguments of a
// call chain (`joinedload("x")`, `joinedload(A.b).joinedload("c")`) or the
// node itself being one.
func hasString(n pysyntax.Node) bool {
	if n.Is(pysyntax.String) || n.Is(pysyntax.ConcatenatedString) {
		return true
	}
	for n.Is(pysyntax.Call) {
		for _, a := range n.ChildByField(pysyntax.FieldArguments).NamedChildren() {
			if hasString(a) {
				return true
			}
		}
		fn := n.ChildByField(pysyntax.FieldFunction)
		if !fn.Is(pysyntax.Attribute) {
			return false
		}
		n = fn.ChildByField(pysyntax.FieldObject)
	}
	return false
}

// checkDynamicAfter rejects a chain that goes on, past a terminal giving
// one object, into a lazy="dynamic" relationship: AsyncSession cannot load
// those.
func checkDynamicAfter(c queryChain, t queryLink, facts ormFacts) string {
	switch t.Method {
	case "get", "first", "one", "one_or_none", "scalar":
	default:
		return ""
	}
	attr := t.Call.Parent()
	if !attr.Is(pysyntax.Attribute) || t.Call.Field() != pysyntax.FieldObject || len(c.Entities) != 1 {
		return ""
	}
	name := attr.ChildByField(pysyntax.FieldAttribute).Text()
	kind := facts.Attr(c.Entities[0], name)
	if kind == pymodel.ORMDynamic {
		return "`." + name + "` is a dynamic relationship, which AsyncSession cannot load"
	}
	if kind != pymodel.ORMUnknown {
		return ""
	}
	// Unknown mapping: a query method called on the attribute shows it is one.
	next := attr.Parent()
	if next.Is(pysyntax.Attribute) && attr.Field() == pysyntax.FieldObject &&
		queryMethods[next.ChildByField(pysyntax.FieldAttribute).Text()] && next.Parent().Is(pysyntax.Call) {
		return "`." + name + "` is queried like a dynamic relationship, which AsyncSession cannot load"
	}
	return ""
}

// rowsMayRepeat reports whether the result rows can hold the same entity
// twice, which the legacy Query de-duplicated: a join that is not to-one
// (unless DISTINCT or the joined entity is selected too), or an eager JOIN
// of a collection (or a loader option we cannot read).
func rowsMayRepeat(c queryChain, clauses []queryLink, t queryLink, kinds []pymodel.ORMKind, facts ormFacts) bool {
	selected := map[string]bool{}
	for i, e := range c.Entities {
		if kinds[i] == pymodel.ORMEntity {
			selected[e.Text()] = true
		}
	}
	joins, distinct, eager := false, false, false
	for _, l := range clauses {
		args := l.Args.NamedChildren()
		switch l.Method {
		case "distinct":
			distinct = distinct || len(args) == 0
		case "join", "outerjoin":
			target := args[0]
			if selected[target.Text()] {
				continue
			}
			if target.Is(pysyntax.Attribute) && facts.Relationship(target) == pymodel.ORMToOne {
				continue
			}
			joins = true
		case "options":
			for _, a := range args {
				if eagerCollection(a, facts) {
					eager = true
				}
			}
		}
	}
	// One row (LIMIT 1) cannot repeat; DISTINCT rows cannot either, but an
	// eager JOIN makes the rows differ while the entity repeats.
	if t.Method == "first" || distinct {
		joins = false
	}
	return joins || eager
}

// eagerCollection reports whether a loader option may JOIN a collection
// (true when the option cannot be read).
func eagerCollection(opt pysyntax.Node, facts ormFacts) bool {
	n := opt
	for {
		if !n.Is(pysyntax.Call) {
			return true // a variable holding options, *opts, …
		}
		fn := n.ChildByField(pysyntax.FieldFunction)
		method := ""
		var inner pysyntax.Node
		if fn.Is(pysyntax.Attribute) && fn.ChildByField(pysyntax.FieldObject).Is(pysyntax.Call) && loaderMethods[fn.ChildByField(pysyntax.FieldAttribute).Text()] {
			method, inner = fn.ChildByField(pysyntax.FieldAttribute).Text(), fn.ChildByField(pysyntax.FieldObject)
		} else if method = facts.Loader(fn); method == "" {
			return true
		}
		if eagerJoinLoaders[method] {
			args := n.ChildByField(pysyntax.FieldArguments).NamedChildren()
			if len(args) == 0 || facts.Relationship(args[0]) != pymodel.ORMToOne {
				return true
			}
		}
		if method == "options" {
			for _, a := range n.ChildByField(pysyntax.FieldArguments).NamedChildren() {
				if eagerCollection(a, facts) {
					return true
				}
			}
		}
		if inner.IsNull() {
			return false
		}
		n = inner
	}
}

// rewriteGet turns `s.query(X).options(o).get(id)` into
// `await s.get(X, id, options=[o])`.
func rewriteGet(src []byte, c queryChain, clauses []queryLink, t queryLink, args []pysyntax.Node) (queryRewrite, string) {
	if len(c.Entities) != 1 {
		return queryRewrite{}, "`.get()` needs a single entity"
	}
	if len(args) != 1 || args[0].Is(pysyntax.KeywordArgument) || args[0].Is(pysyntax.ListSplat) || args[0].Is(pysyntax.DictionarySplat) {
		return queryRewrite{}, "`.get()` takes one identity"
	}
	var opts []string
	for _, l := range clauses {
		if l.Method != "options" {
			return queryRewrite{}, "`.get()` after `." + l.Method + "()` has no Session.get() equivalent"
		}
		for _, a := range l.Args.NamedChildren() {
			opts = append(opts, a.Text())
		}
	}
	expr := t.Call
	if aw := expr.Parent(); aw.Is(pysyntax.Await) {
		expr = aw
	}
	if containsComment(expr) {
		return queryRewrite{}, "comments inside the chain would be lost"
	}
	recv := string(src[c.Session.Start():c.Session.End()])
	text := "await " + recv + ".get(" + c.Entities[0].Text() + ", " + args[0].Text()
	if len(opts) > 0 {
		text += ", options=[" + strings.Join(opts, ", ") + "]"
	}
	text += ")"
	title := "Replace with `" + text + "`"
	if len(title) > 90 {
		title = "Replace with `await " + recv + ".get(…)`"
	}
	if bindsTighterThanAwait(expr) {
		text = "(" + text + ")"
	}
	return queryRewrite{Edits: []diagnostics.Edit{{Start: expr.Start(), End: expr.End(), NewText: text}}, Title: title}, ""
}

func containsComment(n pysyntax.Node) bool {
	found := false
	n.Walk(func(c pysyntax.Node) bool {
		if c.Is(pysyntax.Comment) {
			found = true
		}
		return !found
	})
	return found
}
