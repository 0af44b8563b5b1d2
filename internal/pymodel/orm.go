package pymodel

import "strings"

// SQLAlchemy ORM facts read from mapped class definitions: whether a query
// argument is an entity (rows of objects) or a column expression (rows of
// values), and what a mapped attribute is — a column, a relationship to one
// object, to a collection, or a lazy="dynamic" one. Rewriting legacy Query
// chains depends on these: `.scalars()` only for a single entity, `.unique()`
// when joined rows can repeat an entity.

// ORMKind is what an ORM expression is, as far as the definitions show.
type ORMKind uint8

const (
	ORMUnknown ORMKind = iota
	// ORMEntity is a mapped class or an alias of one: query(User) gives objects.
	ORMEntity
	// ORMColumn is a column, a column expression or a table: query(User.id)
	// gives rows of values.
	ORMColumn
	// ORMToOne is a relationship to a single object (many-to-one, one-to-one).
	ORMToOne
	// ORMCollection is a relationship to a list, set or dict of objects.
	ORMCollection
	// ORMDynamic is a lazy="dynamic" or write-only relationship: a query
	// object, not a loaded collection (AsyncSession cannot load it).
	ORMDynamic
	// ORMRelationship is a relationship whose cardinality the mapping does
	// not show (no Mapped[...] annotation).
	ORMRelationship
)

var ormKindNames = [...]string{"unknown", "entity", "column", "to-one relationship", "collection relationship", "dynamic relationship", "relationship"}

func (k ORMKind) String() string {
	if int(k) < len(ormKindNames) {
		return ormKindNames[k]
	}
	return "?"
}

// QueryEntity says what `session.query(e)` yields for the argument e seen
// from scope: an entity (a project class, `aliased(...)`), a column (an
// attribute of a class, `func.count(...)`, a Table) or unknown.
//
// Models are often outside the workspace (`from app.models import User`
// with no app/ in it). Such an imported name is taken as what query
// arguments that are plain imported names are — a mapped class — and one
// attribute of it as its column; a name reached through a module
// (`models.User`) likewise. Local variables and parameters stay unknown.
func (ev *Evaluator) QueryEntity(m *Module, scope *Scope, e *Expr) ORMKind {
	if e == nil || !ev.enter() {
		return ORMUnknown
	}
	defer ev.leave()
	switch e.Op {
	case OpName, OpAttr:
		v := ev.Eval(m, scope, e)
		switch v.Kind {
		case ClassRef:
			return ORMEntity
		case ExtInstance:
			if k := sqlalchemyInstanceKind(v.Name); k != ORMUnknown {
				return k
			}
		case External:
			return importedQueryEntity(m, scope, e, v.Name)
		}
		if e.Op == OpAttr {
			if owner := ev.Eval(m, scope, e.X); owner.Kind == ClassRef {
				if k := ev.ORMAttr(owner.Mod, owner.Class, e.Name); k == ORMColumn {
					return ORMColumn
				}
			}
		}
	case OpCall:
		callee := ev.Eval(m, scope, e.X)
		if callee.Kind == External {
			if k := sqlalchemyInstanceKind(callee.Name); k != ORMUnknown {
				return k
			}
		}
		// User.id.label("x"), func.count(...).label("n"), User.nombre.desc()
		if e.X != nil && e.X.Op == OpAttr && ev.QueryEntity(m, scope, e.X.X) == ORMColumn {
			return ORMColumn
		}
	}
	return ORMUnknown
}

// sqlalchemyColumnFactories build column expressions.
var sqlalchemyColumnFactories = map[string]bool{
	"literal_column": true, "column": true, "case": true, "cast": true, "literal": true, "label": true,
	"distinct": true, "type_coerce": true, "null": true, "true": true, "false": true, "extract": true,
	"coalesce": true, "tuple_": true,
}

// sqlalchemyInstanceKind classifies what calling the SQLAlchemy callable q
// returns, for a query argument.
func sqlalchemyInstanceKind(q string) ORMKind {
	if !strings.HasPrefix(q, "sqlalchemy.") && !strings.HasPrefix(q, "sqlmodel.") {
		return ORMUnknown
	}
	last := LastSegment(q)
	switch {
	case last == "aliased" || last == "with_polymorphic":
		return ORMEntity
	case last == "Table":
		return ORMColumn // a Table gives rows, like columns
	case strings.Contains(q, ".func."):
		return ORMColumn
	case sqlalchemyColumnFactories[last]:
		return ORMColumn
	}
	return ORMUnknown
}

// importedQueryEntity classifies a name from outside the workspace by where
// it stands relative to its module: the name itself is an entity, one
// attribute of it a column.
func importedQueryEntity(m *Module, scope *Scope, e *Expr, qualified string) ORMKind {
	for _, p := range []string{"sqlalchemy.", "sqlmodel.", "builtins.", "typing.", "fastapi.", "pydantic."} {
		if strings.HasPrefix(qualified, p) {
			return ORMUnknown
		}
	}
	root := e.Root()
	if root == nil || root.Op != OpName {
		return ORMUnknown
	}
	bs, _ := m.Lookup(scope, root.Name)
	if len(bs) != 1 {
		return ORMUnknown
	}
	b := bs[0]
	depth := 0 // attributes after the root
	for x := e; x != root; x = x.X {
		if x.Op != OpAttr {
			return ORMUnknown
		}
		depth++
	}
	var rootIsModule bool
	switch b.Kind {
	case BindImport:
		rootIsModule = true
		if b.Imported != "as" {
			// `import app.models` binds `app`: the module path is spelled out.
			depth -= strings.Count(b.Module, ".")
		}
	case BindImportFrom:
		rootIsModule = importsAsModule(m, b.Module+"."+b.Imported)
	default:
		return ORMUnknown
	}
	if rootIsModule {
		depth--
	}
	switch depth {
	case 0:
		return ORMEntity
	case 1:
		return ORMColumn
	}
	return ORMUnknown
}

// importsAsModule reports whether m imports from `name` as a module
// somewhere (`from name import x`, `import name`).
func importsAsModule(m *Module, name string) bool {
	for _, imp := range m.Imports {
		if imp.Module == name || strings.HasPrefix(imp.Module, name+".") {
			return true
		}
	}
	return false
}

// ORMAttr says what attribute name of the mapped class c is, looking
// through its project bases: a column, a relationship (with its
// cardinality when a Mapped[...] annotation or lazy= shows it), or unknown.
func (ev *Evaluator) ORMAttr(mod *Module, c *Class, name string) ORMKind {
	if mod == nil || c == nil {
		return ORMUnknown
	}
	h := ev.ClassHierarchy(mod, c)
	for i, k := range h.Classes {
		if bs := k.Attrs[name]; len(bs) > 0 {
			return ev.ormBinding(h.Modules[i], k, bs[len(bs)-1])
		}
	}
	return ORMUnknown
}

func (ev *Evaluator) ormBinding(m *Module, c *Class, b *Binding) ORMKind {
	if b.Kind != BindAssign && b.Kind != BindAnnotation {
		return ORMUnknown
	}
	scope := c.Scope
	if scope == nil {
		scope = m.Scope
	}
	annot := b.Annot
	if annot != nil && annot.Op == OpStr {
		annot = parseAnnotationString(annot)
	}
	wrapper, inner := "", (*Expr)(nil)
	if annot != nil && annot.Op == OpSubscript && len(annot.Args) == 1 {
		if v := ev.Eval(m, scope, annot.X); v.Kind == External && strings.HasPrefix(v.Name, "sqlalchemy.") {
			wrapper, inner = LastSegment(v.Name), annot.Args[0]
		}
	}
	if b.Value == nil || b.Value.Op != OpCall {
		if wrapper == "Mapped" && b.Kind == BindAnnotation {
			return ORMColumn // `x: Mapped[int]` maps a column
		}
		return ORMUnknown
	}
	callee := ev.Eval(m, scope, b.Value.X)
	if callee.Kind != External {
		return ORMUnknown
	}
	last := LastSegment(callee.Name)
	sqlmodel := strings.HasPrefix(callee.Name, "sqlmodel.")
	if !strings.HasPrefix(callee.Name, "sqlalchemy.") && !sqlmodel {
		return ORMUnknown
	}
	switch last {
	case "mapped_column", "Column", "column_property", "deferred", "composite", "query_expression", "Field":
		return ORMColumn
	case "relationship", "relation", "Relationship":
	default:
		return ORMUnknown
	}
	if lazy := b.Value.Keyword("lazy"); lazy != nil && lazy.Op == OpStr && (lazy.Name == "dynamic" || lazy.Name == "write_only") {
		return ORMDynamic
	}
	switch wrapper {
	case "DynamicMapped", "WriteOnlyMapped":
		return ORMDynamic
	case "Mapped":
		return ev.cardinality(m, scope, inner)
	}
	if sqlmodel && annot != nil {
		return ev.cardinality(m, scope, annot) // `workouts: list["Workout"] = Relationship()`
	}
	return ORMRelationship
}

// collectionTypes are the annotations of relationship collections.
var collectionTypes = map[string]bool{
	"builtins.list": true, "builtins.set": true, "builtins.frozenset": true, "builtins.dict": true,
	"typing.List": true, "typing.Set": true, "typing.FrozenSet": true, "typing.Dict": true,
	"typing.Sequence": true, "typing.MutableSequence": true, "typing.Collection": true, "typing.Iterable": true,
	"typing.MutableSet": true, "typing.Mapping": true, "typing.MutableMapping": true,
	"collections.abc.Sequence": true, "collections.abc.MutableSequence": true, "collections.abc.Set": true,
	"collections.abc.MutableSet": true, "collections.abc.Collection": true, "collections.abc.Iterable": true,
	"collections.abc.Mapping": true, "collections.abc.MutableMapping": true,
}

// cardinality reads the type inside Mapped[...]: a collection type, or a
// single (possibly optional) class.
func (ev *Evaluator) cardinality(m *Module, scope *Scope, t *Expr) ORMKind {
	if t != nil && t.Op == OpStr {
		t = parseAnnotationString(t)
	}
	if t == nil {
		return ORMRelationship
	}
	switch t.Op {
	case OpName, OpAttr, OpOr, OpNone:
		return ORMToOne
	case OpSubscript:
		head := ev.Eval(m, scope, t.X)
		if head.Kind != External {
			return ORMRelationship
		}
		if collectionTypes[head.Name] {
			return ORMCollection
		}
		switch head.Name {
		case "typing.Optional", "typing_extensions.Optional", "typing.Union", "typing_extensions.Union":
			return ORMToOne
		}
	}
	return ORMRelationship
}
