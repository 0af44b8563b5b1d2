// Package pymodel is asyncmig's model of one Python module: scopes and
// bindings, imports (relative ones resolved), functions and classes with
// their async-ness, parameters and call sites, and an evaluator that says
// what an expression IS — an AsyncSession, a sync Session, a Redis client,
// a project coroutine function — from definitions, never from spelling.
//
// A Module holds no syntax tree, only Exprs and byte offsets, so the
// workspace index can keep one per file cheaply. A File adds the tree of the
// document being analysed and maps its nodes to the model.
package pymodel

import "sort"

// BindKind says how a name got its value.
type BindKind uint8

const (
	BindParam BindKind = iota
	BindAssign
	BindAnnotation // `x: T` without a value
	BindAugAssign
	BindFor
	BindWith
	BindExcept
	BindImport     // import a.b [as c]
	BindImportFrom // from m import a [as b]
	BindDef
	BindClass
	BindComprehension
	BindWalrus
	BindOther // match captures, del, …
)

// ParamKind distinguishes positional, *args and **kwargs parameters.
type ParamKind uint8

const (
	ParamNormal ParamKind = iota
	ParamKeywordOnly
	ParamVarArgs
	ParamVarKeywords
)

// Binding is one place where a name is bound.
type Binding struct {
	Kind BindKind
	Name string
	// Value is what was assigned (assignment, with item, walrus), nil when
	// unknown (e.g. unpacking that does not line up).
	Value   *Expr
	Annot   *Expr
	Default *Expr
	Async   bool // async with / async for
	// Imports: Module is absolute ("" when a relative import climbs out of
	// the workspace); Imported is the name after `import` in a from-import.
	Module   string
	Imported string
	Func     *Function
	Class    *Class
	// Params: position among the function's parameters and their kind.
	ParamIndex int
	ParamKind  ParamKind
	Start, End int32 // the bound name (or the import alias)
	// Stmt is the whole statement's range (imports: for rewriting them).
	StmtStart, StmtEnd int32
}

// ScopeKind is the kind of a Python scope.
type ScopeKind uint8

const (
	ScopeModule ScopeKind = iota
	ScopeClass
	ScopeFunction
	ScopeLambda
	ScopeComprehension
)

// Scope is a Python scope with the names bound in it.
type Scope struct {
	Kind       ScopeKind
	Parent     *Scope
	Names      map[string][]*Binding
	Globals    map[string]bool // declared `global`
	Nonlocals  map[string]bool
	Func       *Function // for function and lambda scopes
	Class      *Class    // for class scopes
	Start, End int32
}

func newScope(kind ScopeKind, parent *Scope, start, end int) *Scope {
	return &Scope{Kind: kind, Parent: parent, Names: map[string][]*Binding{}, Start: int32(start), End: int32(end)}
}

func (s *Scope) bind(b *Binding) { s.Names[b.Name] = append(s.Names[b.Name], b) }

// Async reports whether code directly in this scope runs in async context:
// only the body of an `async def` does. A nested plain def, a lambda, a
// comprehension's own scope inside an async def? — comprehensions run in
// their enclosing function, so they inherit it.
func (s *Scope) Async() bool {
	for ; s != nil; s = s.Parent {
		switch s.Kind {
		case ScopeFunction:
			return s.Func != nil && s.Func.Async
		case ScopeLambda, ScopeClass, ScopeModule:
			return false
		}
	}
	return false
}

// Function returns the innermost function (def or lambda) whose body holds
// code of this scope, or nil at module or class level.
func (s *Scope) Function() *Function {
	for ; s != nil; s = s.Parent {
		switch s.Kind {
		case ScopeFunction, ScopeLambda:
			return s.Func
		case ScopeClass, ScopeModule:
			return nil
		}
	}
	return nil
}

// Function is a def, async def or lambda.
type Function struct {
	Name string
	// Qual is the name inside the module: "f", "Class.method",
	// "outer.<locals>.inner".
	Qual string
	// Key identifies the function across rebuilds of its module (module,
	// qualified name and which of the same-named definitions it is), so
	// facts keyed by it survive an edit elsewhere in the file.
	Key        string
	Async      bool
	Lambda     bool
	Generator  bool // has a yield in its own body
	Params     []*Binding
	Returns    *Expr // return annotation
	Decorators []*Expr
	Class      *Class // enclosing class when it is a method
	Scope      *Scope
	// ReturnValues and YieldValues are the expressions returned/yielded
	// (nil entries for bare return).
	ReturnValues []*Expr
	YieldValues  []*Expr
	Calls        []*CallSite
	// Start/End cover the whole definition (decorators included);
	// NameStart/NameEnd the name; DefStart the `def`/`async` keyword;
	// BodyStart the first byte of the body.
	Start, End, NameStart, NameEnd, DefStart, BodyStart int32
}

// Method kinds from decorators.
func (f *Function) IsStatic() bool    { return f.hasDecorator("staticmethod") }
func (f *Function) IsClassMeth() bool { return f.hasDecorator("classmethod") }
func (f *Function) IsProperty() bool {
	for _, d := range f.Decorators {
		if name, ok := d.Dotted(); ok && (name == "property" || name == "functools.cached_property" || name == "cached_property" || hasSuffix(name, ".setter") || hasSuffix(name, ".getter")) {
			return true
		}
	}
	return false
}

// IsAbstract: decorated abc.abstractmethod. Its own body says nothing
// about the method that runs, which a subclass defines.
func (f *Function) IsAbstract() bool {
	return f.hasDecorator("abstractmethod") || f.hasDecorator("abc.abstractmethod")
}

func (f *Function) hasDecorator(name string) bool {
	for _, d := range f.Decorators {
		if n, ok := d.Dotted(); ok && n == name {
			return true
		}
	}
	return false
}

func hasSuffix(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}

// Param returns the parameter called name.
func (f *Function) Param(name string) *Binding {
	for _, p := range f.Params {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Class is a class definition.
type Class struct {
	Name string
	Qual string
	// Key identifies the class across rebuilds, like Function.Key.
	Key        string
	Bases      []*Expr // keyword arguments (metaclass=) excluded
	Keywords   []*Expr // metaclass= and friends
	Decorators []*Expr
	Methods    map[string]*Function
	// Attrs are names bound in the class body (class attributes,
	// annotations, nested classes).
	Attrs map[string][]*Binding
	// SelfAttrs are `self.x = value` assignments in methods, by attribute.
	SelfAttrs map[string][]*SelfAttr
	// HasGetattr: defines __getattr__/__getattribute__; Dynamic: sets
	// attributes in ways we cannot list (setattr, __dict__, __slots__
	// games). Either makes "no such method" unprovable.
	HasGetattr                     bool
	Dynamic                        bool
	Scope                          *Scope
	Start, End, NameStart, NameEnd int32
}

// SelfAttr is one `self.<attr> = Value` inside a method.
type SelfAttr struct {
	Value  *Expr
	Annot  *Expr
	Method *Function
}

// CallSite is one call in a function body (or at module level).
type CallSite struct {
	Call *Expr
	// Func is the function whose body holds the call (nil: module level or
	// class body).
	Func    *Function
	Scope   *Scope
	Awaited bool
	// Once: the call sits in lazy setup behind a run-once guard — a test
	// of a global or attribute that the guarded code sets (once.go) — so
	// it runs on the first call of its function, not on every call.
	Once bool
	// AsyncEntered: the call is the context of an `async with` item.
	AsyncEntered bool
	// PassesNames: an argument is a name or an attribute chain, the only
	// arguments whose session kind the workspace's flows follow.
	PassesNames bool
	Start, End  int32
}

// Module is the model of one Python file.
type Module struct {
	Name      string // dotted module path, "" when unknown
	Path      string // filesystem path, "" for unsaved documents
	IsPackage bool   // an __init__.py
	Scope     *Scope
	Functions []*Function // every def and lambda, in source order
	Classes   []*Class
	Imports   []*Binding // every import binding, module-level and local
	// StarImports are the modules of `from m import *` at module level.
	StarImports []string
	// UnresolvedStarImport: a module-level `from … import *` whose module
	// could not be resolved (a relative import climbing out of the
	// workspace, or from a file with no module name). Any name may come
	// from it.
	UnresolvedStarImport bool
	// Calls made at module level or in class bodies.
	Calls    []*CallSite
	HasAsync bool // defines an async def
	// AssignedAttrs are the attribute names assigned anywhere in the module
	// on anything (`svc.handler = f`, `UserService.extra = g`,
	// `setattr(x, "name", v)`), self included: attributes a class may have
	// without defining them itself.
	AssignedAttrs map[string]bool
	// ForeignAttrs are those of AssignedAttrs assigned on something other
	// than a method's self (`retriever._vector_store = Falso()` in a test):
	// the object's attribute may then hold what the class never put there.
	ForeignAttrs map[string]bool
	// HasGetattr: a module-level __getattr__, or globals() handed out at
	// module level, makes any attribute possible.
	HasGetattr bool
	// DocEnd is where the module docstring and __future__ imports end;
	// FirstImport/LastImport delimit the top-level import block (-1 none).
	DocEnd                  int32
	FirstImport, LastImport int32
	Size                    int

	children     map[*Scope][]*Scope // nested scopes (by position once scopesSorted)
	scopesSorted bool
}

// Lookup returns the bindings of name visible from scope, following
// Python's rules: class scopes are skipped for code in nested functions;
// `global` goes straight to the module.
func (m *Module) Lookup(scope *Scope, name string) ([]*Binding, *Scope) {
	first := true
	for s := scope; s != nil; s = s.Parent {
		if s.Kind == ScopeClass && !first {
			continue
		}
		first = false
		if s.Globals[name] {
			return m.Scope.Names[name], m.Scope
		}
		if s.Nonlocals[name] {
			continue
		}
		if bs, ok := s.Names[name]; ok {
			return bs, s
		}
	}
	return nil, nil
}

// ScopeAt returns the innermost scope containing the byte offset.
func (m *Module) ScopeAt(off int) *Scope {
	s := m.Scope
	for {
		next := m.childAt(s, off)
		if next == nil {
			return s
		}
		s = next
	}
}

// childAt returns the child scope of s containing off. Rules ask for every
// node they look at, and a module has hundreds of top-level functions: the
// children are sorted and disjoint (indexScopes), so a binary search finds
// the only candidate.
func (m *Module) childAt(s *Scope, off int) *Scope {
	cs := m.children[s]
	if !m.scopesSorted {
		for _, c := range cs {
			if int(c.Start) <= off && off < int(c.End) {
				return c
			}
		}
		return nil
	}
	i := sort.Search(len(cs), func(i int) bool { return int(cs[i].Start) > off }) - 1
	if i >= 0 && off < int(cs[i].End) {
		return cs[i]
	}
	return nil
}

// indexScopes sorts every scope's children by position so childAt can
// binary-search them, unless some siblings overlap (never in code that
// parses; kept exact for trees with errors), which leaves the source order
// and the linear scan.
func (m *Module) indexScopes() {
	sorted := make(map[*Scope][]*Scope, len(m.children))
	for s, cs := range m.children {
		cs = append([]*Scope(nil), cs...)
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].Start < cs[j].Start })
		for i := 1; i < len(cs); i++ {
			if cs[i].Start < cs[i-1].End {
				return
			}
		}
		sorted[s] = cs
	}
	m.children = sorted
	m.scopesSorted = true
}
