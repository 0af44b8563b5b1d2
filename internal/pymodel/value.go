package pymodel

import (
	"strings"
	"sync"
)

// VKind is what the model knows a value to be.
type VKind uint8

const (
	Unknown VKind = iota
	AsyncSession
	SyncSession
	AsyncSessionFactory // async_sessionmaker(...) and friends: calling gives an AsyncSession
	SyncSessionFactory
	AsyncRedis
	SyncRedis
	ModuleRef   // a module; Mod is set when it is in the workspace
	External    // a name outside the workspace, by qualified Name
	ExtInstance // an instance of an external class, by qualified Name
	FunctionRef // a project function or method (Func, Mod; Bound when reached through an instance)
	ClassRef    // a project class (Class, Mod)
	Instance    // an instance of a project class (Class, Mod)
	Coroutine   // what calling a project coroutine function returns (Func, Mod)
	NoneValue   // None: ignored when bindings are merged
)

var vkindNames = [...]string{"unknown", "AsyncSession", "Session", "async session factory", "session factory", "async Redis client", "sync Redis client", "module", "external", "external instance", "function", "class", "instance", "coroutine", "None"}

func (k VKind) String() string {
	if int(k) < len(vkindNames) {
		return vkindNames[k]
	}
	return "?"
}

// Value is the result of evaluating an expression.
type Value struct {
	Kind  VKind
	Name  string // ModuleRef: module path; External/ExtInstance: qualified name
	Mod   *Module
	Func  *Function
	Class *Class
	Bound bool
	// Via says the kind arrived through a call site rather than from the
	// code itself (annotations lie): the diagnostic points there.
	Via *Flow
}

// IsSession reports an AsyncSession or a sync Session.
func (v Value) IsSession() bool { return v.Kind == AsyncSession || v.Kind == SyncSession }

// IsRedis reports a Redis client of either flavour.
func (v Value) IsRedis() bool { return v.Kind == AsyncRedis || v.Kind == SyncRedis }

func (v Value) same(o Value) bool {
	return v.Kind == o.Kind && v.Name == o.Name && v.Func == o.Func && v.Class == o.Class && v.Mod == o.Mod
}

// Flow is one call site passing a session (or Redis client) to a parameter.
type Flow struct {
	Kind       VKind
	Caller     *Module
	Start, End int32 // the argument at the call site
	// CallerFunc is the qualified name of the function making the call.
	CallerFunc string
}

// Index is the workspace as the evaluator sees it.
type Index interface {
	// Module returns the model of a workspace module, nil when there is none.
	Module(name string) *Module
	// ParamFlows returns, per parameter index of fn, the kinds call sites
	// pass to it (nil when unknown or none).
	ParamFlows(fn *Function) [][]Flow
}

// Options extend the built-in knowledge from configuration.
type Options struct {
	AsyncSessionDependencies []string // function names whose Depends() gives an AsyncSession
	SyncSessionDependencies  []string
	RedisFactories           []string // function names that return a Redis client
}

// externalTypes maps external classes to the kind of their instances.
var externalTypes = map[string]VKind{
	"sqlalchemy.ext.asyncio.AsyncSession":         AsyncSession,
	"sqlalchemy.ext.asyncio.session.AsyncSession": AsyncSession,
	"sqlmodel.ext.asyncio.session.AsyncSession":   AsyncSession,
	"sqlalchemy.orm.Session":                      SyncSession,
	"sqlalchemy.orm.session.Session":              SyncSession,
	"sqlmodel.Session":                            SyncSession,
	"sqlmodel.orm.session.Session":                SyncSession,
	"redis.asyncio.Redis":                         AsyncRedis,
	"redis.asyncio.StrictRedis":                   AsyncRedis,
	"redis.asyncio.client.Redis":                  AsyncRedis,
	"redis.asyncio.client.StrictRedis":            AsyncRedis,
	"aioredis.Redis":                              AsyncRedis,
	"aioredis.client.Redis":                       AsyncRedis,
	"redis.Redis":                                 SyncRedis,
	"redis.StrictRedis":                           SyncRedis,
	"redis.client.Redis":                          SyncRedis,
	"redis.client.StrictRedis":                    SyncRedis,
}

// externalCalls maps external callables to the kind of what they return.
var externalCalls = map[string]VKind{
	"sqlalchemy.ext.asyncio.async_sessionmaker":            AsyncSessionFactory,
	"sqlalchemy.ext.asyncio.async_scoped_session":          AsyncSessionFactory,
	"sqlalchemy.ext.asyncio.session.async_sessionmaker":    AsyncSessionFactory,
	"sqlalchemy.orm.sessionmaker":                          SyncSessionFactory,
	"sqlalchemy.orm.session.sessionmaker":                  SyncSessionFactory,
	"sqlalchemy.orm.scoped_session":                        SyncSessionFactory,
	"redis.asyncio.from_url":                               AsyncRedis,
	"redis.asyncio.Redis.from_url":                         AsyncRedis,
	"redis.asyncio.StrictRedis.from_url":                   AsyncRedis,
	"redis.asyncio.client.Redis.from_url":                  AsyncRedis,
	"aioredis.from_url":                                    AsyncRedis,
	"aioredis.Redis.from_url":                              AsyncRedis,
	"redis.from_url":                                       SyncRedis,
	"redis.Redis.from_url":                                 SyncRedis,
	"redis.StrictRedis.from_url":                           SyncRedis,
	"redis.client.Redis.from_url":                          SyncRedis,
	"sqlalchemy.ext.asyncio.AsyncSession.begin":            Unknown,
	"sqlalchemy.ext.asyncio.async_sessionmaker.__call__":   AsyncSession,
	"sqlalchemy.orm.sessionmaker.__call__":                 SyncSession,
	"sqlalchemy.ext.asyncio.async_sessionmaker.begin":      AsyncSession,
	"sqlalchemy.orm.sessionmaker.begin":                    SyncSession,
	"sqlalchemy.ext.asyncio.async_scoped_session.__call__": AsyncSession,
}

// Evaluator answers "what is this expression" for one analysis run. It
// memoises per binding and guards against cycles (modules importing each
// other, recursive functions). Not safe for concurrent use.
type Evaluator struct {
	idx    Index
	opts   Options
	memo   map[any]Value
	busy   map[any]bool
	depth  int
	cuts   int // evaluations cut short by a cycle or the depth limit
	shared *SharedMemo
	// hierarchies memoizes ClassHierarchy: every self.attr and method
	// lookup asks for one (a third of a million per workspace flow round).
	hierarchies map[*Class]Hierarchy
}

const maxEvalDepth = 48

func NewEvaluator(idx Index, opts Options) *Evaluator {
	return &Evaluator{idx: idx, opts: opts, memo: map[any]Value{}, busy: map[any]bool{}}
}

// Index returns the workspace view the evaluator resolves through.
func (ev *Evaluator) Index() Index { return ev.idx }

func (ev *Evaluator) enter() bool {
	if ev.depth >= maxEvalDepth {
		return false
	}
	ev.depth++
	return true
}
func (ev *Evaluator) leave() { ev.depth-- }

// enterCounted is enter for an evaluation that is cut short (and so must
// not be shared) when the depth limit is reached.
func (ev *Evaluator) enterCounted() bool {
	if !ev.enter() {
		ev.cuts++
		return false
	}
	return true
}

// memoized computes f once per key, returning Unknown for a key already
// being computed (a cycle).
func (ev *Evaluator) memoized(key any, f func() Value) Value {
	if v, ok := ev.memo[key]; ok {
		return v
	}
	if ev.shared != nil {
		if v, ok := ev.shared.m.Load(key); ok {
			ev.memo[key] = v.(Value)
			return v.(Value)
		}
	}
	if ev.busy[key] || !ev.enter() {
		ev.cuts++
		return Value{}
	}
	ev.busy[key] = true
	before := ev.cuts
	v := f()
	delete(ev.busy, key)
	ev.leave()
	ev.memo[key] = v
	// Only a value computed without hitting a cycle or the depth limit is
	// the same whoever asks first: share those alone, so results never
	// depend on the order files are checked in.
	if ev.shared != nil && ev.cuts == before {
		ev.shared.m.Store(key, v)
	}
	return v
}

// SharedMemo lets evaluators of different files (and goroutines) reuse
// each other's results while the workspace does not change.
type SharedMemo struct{ m sync.Map }

// NewSharedMemo returns an empty memo.
func NewSharedMemo() *SharedMemo { return &SharedMemo{} }

// WithShared makes ev read and fill s; s must be dropped whenever the
// modules or flows it was computed from change.
func (ev *Evaluator) WithShared(s *SharedMemo) *Evaluator {
	ev.shared = s
	return ev
}

// Eval evaluates e as code in scope of module m.
func (ev *Evaluator) Eval(m *Module, scope *Scope, e *Expr) Value {
	if e == nil || !ev.enterCounted() {
		return Value{}
	}
	defer ev.leave()
	switch e.Op {
	case OpName:
		return ev.Name(m, scope, e.Name)
	case OpAttr:
		return ev.Member(ev.Eval(m, scope, e.X), e.Name)
	case OpCall:
		return ev.CallResult(m, scope, e, ev.Eval(m, scope, e.X))
	case OpNone:
		return Value{Kind: NoneValue}
	case OpAwait:
		inner := ev.Eval(m, scope, e.X)
		if inner.Kind == Coroutine {
			return ev.returned(inner.Mod, inner.Func)
		}
		return Value{}
	}
	return Value{}
}

// Name resolves a name visible from scope.
func (ev *Evaluator) Name(m *Module, scope *Scope, name string) Value {
	bs, where := m.Lookup(scope, name)
	if bs == nil {
		if v, ok := ev.starImported(m, name, map[*Module]bool{}); ok {
			return v
		}
		if builtins[name] {
			return Value{Kind: External, Name: "builtins." + name}
		}
		return Value{}
	}
	return ev.merge(m, where, bs)
}

// merge evaluates every binding and keeps the kind only if they agree
// (flow-insensitive: a name rebound to something else is unknown). None
// assignments do not count: `db = None` then `db = SessionLocal()`.
func (ev *Evaluator) merge(m *Module, scope *Scope, bs []*Binding) Value {
	return agreeing(bs, func(b *Binding) Value { return ev.Binding(m, scope, b) })
}

// agreeing evaluates each item and returns their common value, or Unknown
// as soon as two disagree. None values do not count, so `db = None` then
// `db = SessionLocal()` still makes db a session.
func agreeing[T any](items []T, eval func(T) Value) Value {
	var out Value
	seen := false
	for _, it := range items {
		v := eval(it)
		if v.Kind == NoneValue {
			continue
		}
		if !seen {
			out, seen = v, true
			continue
		}
		if !out.same(v) {
			return Value{}
		}
	}
	return out
}

func (ev *Evaluator) starImported(m *Module, name string, seen map[*Module]bool) (Value, bool) {
	if seen[m] {
		return Value{}, false
	}
	seen[m] = true
	for _, sm := range m.StarImports {
		mod := ev.idx.Module(sm)
		if mod == nil {
			continue
		}
		if bs := mod.Scope.Names[name]; bs != nil && !strings.HasPrefix(name, "_") {
			return ev.merge(mod, mod.Scope, bs), true
		}
		if v, ok := ev.starImported(mod, name, seen); ok {
			return v, true
		}
	}
	return Value{}, false
}

// Binding evaluates one binding of a name found in scope of module m.
func (ev *Evaluator) Binding(m *Module, scope *Scope, b *Binding) Value {
	return ev.memoized(b, func() Value {
		switch b.Kind {
		case BindDef:
			return Value{Kind: FunctionRef, Func: b.Func, Mod: m}
		case BindClass:
			return Value{Kind: ClassRef, Class: b.Class, Mod: m}
		case BindImport:
			if b.Imported == "as" {
				return ev.moduleValue(b.Module)
			}
			first := b.Module
			if i := strings.IndexByte(first, '.'); i >= 0 {
				first = first[:i]
			}
			return ev.moduleValue(first)
		case BindImportFrom:
			if b.Module == m.Name && b.Module != "" {
				// `from . import sub` in a package's __init__ binds the
				// submodule; looking the name up in the package again
				// would only find this binding.
				if sub := ev.idx.Module(b.Module + "." + b.Imported); sub != nil {
					return Value{Kind: ModuleRef, Name: sub.Name, Mod: sub}
				}
			}
			return ev.imported(b.Module, b.Imported)
		case BindParam:
			return ev.param(m, scope, b)
		case BindAssign, BindWalrus:
			v := ev.Eval(m, scope, b.Value)
			if v.Kind == Unknown && b.Annot != nil {
				return ev.Annotation(m, scope, b.Annot)
			}
			return v
		case BindAnnotation:
			return ev.Annotation(m, scope, b.Annot)
		case BindWith:
			if v, ok := ev.enteredFromFactory(m, scope, b.Value); ok {
				return v
			}
			if b.Async && b.Value != nil && b.Value.Op == OpCall && ConventionalSyncFactory(ev.Eval(m, scope, b.Value.X)) {
				return Value{Kind: AsyncSession}
			}
			return ev.entered(ev.Eval(m, scope, b.Value))
		}
		return Value{}
	})
}

// entered is what `with X as name` binds: sessions and clients return
// themselves from __enter__/__aenter__.
func (ev *Evaluator) entered(v Value) Value {
	switch v.Kind {
	case AsyncSession, SyncSession, AsyncRedis, SyncRedis:
		return Value{Kind: v.Kind}
	case ExtInstance:
		if enterReturnsSelf[v.Name] {
			return v
		}
	}
	return Value{}
}

func (ev *Evaluator) moduleValue(name string) Value {
	if mod := ev.idx.Module(name); mod != nil {
		return Value{Kind: ModuleRef, Name: name, Mod: mod}
	}
	return Value{Kind: External, Name: name}
}

// imported resolves `from module import name`.
func (ev *Evaluator) imported(module, name string) Value {
	if module == "" {
		return Value{}
	}
	mod := ev.idx.Module(module)
	if mod == nil {
		if sub := ev.idx.Module(module + "." + name); sub != nil {
			return Value{Kind: ModuleRef, Name: sub.Name, Mod: sub}
		}
		return ev.externalName(module + "." + name)
	}
	return ev.ModuleAttr(mod, name)
}

// externalName is an External value, except for the conventional session
// factory names imported from code we cannot see (RULES.md lists them).
// Those carry the imported name, so that code which contradicts the
// convention can be believed over it (ConventionalSyncFactory).
func (ev *Evaluator) externalName(q string) Value {
	switch q[strings.LastIndexByte(q, '.')+1:] {
	case "AsyncSessionLocal":
		return Value{Kind: AsyncSessionFactory, Name: q}
	case "SessionLocal":
		return Value{Kind: SyncSessionFactory, Name: q}
	}
	return Value{Kind: External, Name: q}
}

// ConventionalSyncFactory reports a sync session factory known only by its
// conventional name (`SessionLocal` imported from code we cannot see). Such
// a factory entered with `async with` is an async one: a sync Session has
// no __aenter__, and SQLAlchemy 1.4's `sessionmaker(engine,
// class_=AsyncSession)` was commonly named SessionLocal.
func ConventionalSyncFactory(v Value) bool {
	return v.Kind == SyncSessionFactory && v.Name != ""
}

// ModuleAttr resolves name inside a workspace module: its bindings, then a
// submodule, then its star imports.
func (ev *Evaluator) ModuleAttr(mod *Module, name string) Value {
	if bs := mod.Scope.Names[name]; bs != nil {
		return ev.merge(mod, mod.Scope, bs)
	}
	if sub := ev.idx.Module(mod.Name + "." + name); sub != nil {
		return Value{Kind: ModuleRef, Name: sub.Name, Mod: sub}
	}
	if v, ok := ev.starImported(mod, name, map[*Module]bool{}); ok {
		return v
	}
	return Value{}
}

// HasName reports whether a workspace module defines or re-exports name.
// certain is false when the module can produce names dynamically.
func (ev *Evaluator) HasName(mod *Module, name string) (exists, certain bool) {
	return ev.hasName(mod, name, map[*Module]bool{})
}

// hasName is HasName remembering the star-import hubs already searched:
// hubs that star-import each other (legacy code does) must terminate.
func (ev *Evaluator) hasName(mod *Module, name string, seen map[*Module]bool) (exists, certain bool) {
	if mod.Scope.Names[name] != nil || ev.idx.Module(mod.Name+"."+name) != nil {
		return true, true
	}
	if seen[mod] {
		return false, true // searched already, higher up the cycle
	}
	seen[mod] = true
	if mod.HasGetattr || mod.UnresolvedStarImport {
		return false, false
	}
	certain = true
	for _, sm := range mod.StarImports {
		smod := ev.idx.Module(sm)
		if smod == nil {
			certain = false // names may come from outside the workspace
			continue
		}
		if e, c := ev.hasName(smod, name, seen); e {
			return true, true
		} else if !c {
			certain = false
		}
	}
	// Names bound through globals() or in exec'd code are out of reach,
	// but assigning globals() is rare enough to ignore.
	return false, certain
}

// Member evaluates v.name.
func (ev *Evaluator) Member(v Value, name string) Value {
	switch v.Kind {
	case ModuleRef:
		if v.Mod != nil {
			return ev.ModuleAttr(v.Mod, name)
		}
		return ev.externalName(v.Name + "." + name)
	case External:
		return ev.externalName(v.Name + "." + name)
	case ExtInstance:
		return Value{Kind: External, Name: v.Name + "." + name}
	case AsyncSessionFactory, SyncSessionFactory:
		if name == "begin" {
			return Value{Kind: v.Kind} // Factory.begin() yields a session too
		}
	case ClassRef:
		if fn, owner := ev.FindMethod(v.Mod, v.Class, name); fn != nil {
			return Value{Kind: FunctionRef, Func: fn, Mod: owner}
		}
		if val, ok := ev.classAttr(v.Mod, v.Class, name); ok {
			return val
		}
	case Instance:
		if fn, owner := ev.FindMethod(v.Mod, v.Class, name); fn != nil {
			if fn.IsProperty() {
				return ev.returned(owner, fn)
			}
			return Value{Kind: FunctionRef, Func: fn, Mod: owner, Bound: !fn.IsStatic()}
		}
		if val, ok := ev.instanceAttr(v.Mod, v.Class, name); ok {
			return val
		}
		if val, ok := ev.classAttr(v.Mod, v.Class, name); ok {
			return val
		}
	}
	return Value{}
}

// FindMethod looks name up through the class and its project bases (MRO
// approximated depth-first, left to right).
func (ev *Evaluator) FindMethod(mod *Module, c *Class, name string) (*Function, *Module) {
	var found *Function
	var owner *Module
	ev.walkHierarchy(mod, c, func(m *Module, k *Class) bool {
		if fn := k.Methods[name]; fn != nil {
			found, owner = fn, m
			return false
		}
		return true
	})
	return found, owner
}

// Hierarchy describes a class's ancestry as far as the workspace shows it.
type Hierarchy struct {
	Classes []*Class
	Modules []*Module
	// Complete is false when a base is external or unresolvable.
	Complete bool
}

// hierarchyKey marks a ClassHierarchy in progress in Evaluator.busy.
type hierarchyKey struct{ c *Class }

// ClassHierarchy lists c and its project ancestors. A base that refers back
// into the class being resolved (`class A(A.Base)`, or through attributes
// of its own ancestors) gets an incomplete hierarchy of c alone: resolving
// it again, from inside, recursed exponentially.
// The Hierarchy's lists are shared between callers: read them only.
func (ev *Evaluator) ClassHierarchy(mod *Module, c *Class) Hierarchy {
	if h, ok := ev.hierarchies[c]; ok {
		return h
	}
	key := hierarchyKey{c}
	if ev.busy[key] {
		ev.cuts++ // a cycle: what depends on this is not shared
		return Hierarchy{Classes: []*Class{c}, Modules: []*Module{mod}}
	}
	ev.busy[key] = true
	before := ev.cuts
	h := ev.walkClassHierarchy(mod, c)
	delete(ev.busy, key)
	// Like memoized: only what no cycle cut short is the same whoever
	// asks first.
	if ev.cuts == before {
		if ev.hierarchies == nil {
			ev.hierarchies = map[*Class]Hierarchy{}
		}
		ev.hierarchies[c] = h
	}
	return h
}

func (ev *Evaluator) walkClassHierarchy(mod *Module, c *Class) Hierarchy {
	h := Hierarchy{Complete: true}
	seen := map[*Class]bool{}
	var rec func(m *Module, k *Class, depth int)
	rec = func(m *Module, k *Class, depth int) {
		if seen[k] || depth > 16 {
			return
		}
		seen[k] = true
		h.Classes = append(h.Classes, k)
		h.Modules = append(h.Modules, m)
		if len(k.Keywords) > 0 {
			h.Complete = false // a metaclass can add anything
		}
		for _, base := range k.Bases {
			bv := ev.Eval(m, m.scopeOf(k), base)
			if bv.Kind == ClassRef {
				rec(bv.Mod, bv.Class, depth+1)
				continue
			}
			if bv.Kind == External && (bv.Name == "builtins.object") {
				continue
			}
			h.Complete = false
		}
	}
	rec(mod, c, 0)
	return h
}

func (m *Module) scopeOf(c *Class) *Scope {
	if c.Scope != nil && c.Scope.Parent != nil {
		return c.Scope.Parent
	}
	return m.Scope
}

func (ev *Evaluator) walkHierarchy(mod *Module, c *Class, visit func(*Module, *Class) bool) {
	h := ev.ClassHierarchy(mod, c)
	for i, k := range h.Classes {
		if !visit(h.Modules[i], k) {
			return
		}
	}
}

func (ev *Evaluator) classAttr(mod *Module, c *Class, name string) (Value, bool) {
	var out Value
	found := false
	ev.walkHierarchy(mod, c, func(m *Module, k *Class) bool {
		if bs := k.Attrs[name]; bs != nil {
			out, found = ev.merge(m, k.Scope, bs), true
			return false
		}
		return true
	})
	return out, found
}

func (ev *Evaluator) instanceAttr(mod *Module, c *Class, name string) (Value, bool) {
	var out Value
	found := false
	ev.walkHierarchy(mod, c, func(m *Module, k *Class) bool {
		sas := k.SelfAttrs[name]
		if sas == nil {
			return true
		}
		found = true
		out = ev.memoized(sas[0], func() Value {
			return agreeing(sas, func(sa *SelfAttr) Value {
				v := ev.Eval(m, sa.Method.Scope, sa.Value)
				if v.Kind == Unknown && sa.Annot != nil {
					v = ev.Annotation(m, sa.Method.Scope, sa.Annot)
				}
				return v
			})
		})
		return false
	})
	return out, found
}

// CallResult is the value of calling callee with call's arguments.
func (ev *Evaluator) CallResult(m *Module, scope *Scope, call *Expr, callee Value) Value {
	switch callee.Kind {
	case AsyncSessionFactory:
		return Value{Kind: AsyncSession}
	case SyncSessionFactory:
		return Value{Kind: SyncSession}
	case External:
		if k, ok := externalTypes[callee.Name]; ok {
			return Value{Kind: k}
		}
		if callee.Name == "fastapi.Depends" || callee.Name == "fastapi.params.Depends" {
			return ev.Provided(m, scope, call.Positional(0))
		}
		if callee.Name == "typing.NewType" || callee.Name == "typing_extensions.NewType" {
			// `AsyncSession = NewType("AsyncSession", _AsyncSession)` names the
			// wrapped type, and calling it returns its argument unchanged.
			return ev.Eval(m, scope, call.Positional(1))
		}
		if k, ok := externalCalls[callee.Name]; ok {
			switch callee.Name {
			case "sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.session.sessionmaker":
				if cls := call.Keyword("class_"); cls != nil && ev.Annotation(m, scope, cls).Kind == AsyncSession {
					return Value{Kind: AsyncSessionFactory}
				}
			case "sqlalchemy.orm.scoped_session":
				if inner := ev.Eval(m, scope, call.Positional(0)); inner.Kind == AsyncSessionFactory || inner.Kind == SyncSessionFactory {
					return Value{Kind: inner.Kind}
				}
			}
			if k != Unknown {
				return Value{Kind: k}
			}
			return Value{}
		}
		return Value{Kind: ExtInstance, Name: callee.Name}
	case ClassRef:
		return Value{Kind: Instance, Class: callee.Class, Mod: callee.Mod}
	case FunctionRef:
		fn := callee.Func
		if ev.IsCoroutineFunction(callee) {
			return Value{Kind: Coroutine, Func: fn, Mod: callee.Mod}
		}
		if fn.Async || fn.Generator || !ev.TransparentDecorators(callee.Mod, fn) {
			return Value{}
		}
		return ev.returned(callee.Mod, fn)
	}
	return Value{}
}

// returned is what fn gives back (for a coroutine function: after await):
// its return annotation, else the value of its return statements when they
// agree.
func (ev *Evaluator) returned(m *Module, fn *Function) Value {
	if m == nil || fn == nil {
		return Value{}
	}
	return ev.memoized([2]any{fn, "returns"}, func() Value {
		if fn.Returns != nil {
			ann := ev.Annotation(m, m.scopeOfFunc(fn), fn.Returns)
			if ann.Kind == Instance && !fn.Generator && ev.returnsAnotherClass(m, fn, ann) {
				return Value{} // the annotation lies: what the body returns decides nothing either
			}
			return ann
		}
		out := agreeing(fn.ReturnValues, func(r *Expr) Value { return ev.Eval(m, fn.Scope, r) })
		if out.Kind == Coroutine || out.Kind == FunctionRef || out.Kind == ModuleRef {
			return Value{}
		}
		return out
	})
}

// returnsAnotherClass reports whether fn's return statements agree on an
// instance of a project class that is not ann's class nor a subclass of it
// (`def _run() -> "Evaluacion": return Evaluacion().run()` returns the
// run's Resultado).
func (ev *Evaluator) returnsAnotherClass(m *Module, fn *Function, ann Value) bool {
	got := agreeing(fn.ReturnValues, func(r *Expr) Value { return ev.Eval(m, fn.Scope, r) })
	if got.Kind != Instance || got.Class == nil || got.Class == ann.Class {
		return false
	}
	return !ev.Extends(got.Mod, got.Class, ann.Class)
}

// Extends reports whether class c of mod is base or has it among its
// project bases.
func (ev *Evaluator) Extends(mod *Module, c, base *Class) bool {
	for _, k := range ev.ClassHierarchy(mod, c).Classes {
		if k == base {
			return true
		}
	}
	return false
}

// IsSessionClass reports whether the qualified name is SQLAlchemy's (or
// SQLModel's) sync Session class.
func IsSessionClass(name string) bool { return externalTypes[name] == SyncSession }

func (m *Module) scopeOfFunc(fn *Function) *Scope {
	if fn.Scope != nil && fn.Scope.Parent != nil {
		return fn.Scope.Parent
	}
	return m.Scope
}

// Provided is the value FastAPI injects for Depends(dep).
func (ev *Evaluator) Provided(m *Module, scope *Scope, dep *Expr) Value {
	if dep == nil {
		return Value{}
	}
	d := ev.Eval(m, scope, dep)
	switch d.Kind {
	case ClassRef:
		return Value{Kind: Instance, Class: d.Class, Mod: d.Mod}
	case AsyncSessionFactory, SyncSessionFactory:
		return ev.CallResult(m, scope, &Expr{Op: OpCall}, d)
	case FunctionRef:
		return ev.provider(d.Mod, d.Func)
	case External:
		if v := ev.configuredDependency(d.Name[strings.LastIndexByte(d.Name, '.')+1:]); v.Kind != Unknown {
			return v
		}
	}
	if name, ok := dep.Dotted(); ok {
		return ev.configuredDependency(name[strings.LastIndexByte(name, '.')+1:])
	}
	return Value{}
}

func (ev *Evaluator) configuredDependency(name string) Value {
	for _, n := range ev.opts.AsyncSessionDependencies {
		if n == name {
			return Value{Kind: AsyncSession}
		}
	}
	for _, n := range ev.opts.SyncSessionDependencies {
		if n == name {
			return Value{Kind: SyncSession}
		}
	}
	return Value{}
}

// provider is the value a dependency function provides: configured names
// first, then its return annotation (generators unwrapped), then what it
// yields or returns.
func (ev *Evaluator) provider(m *Module, fn *Function) Value {
	if v := ev.configuredDependency(fn.Name); v.Kind != Unknown {
		return v
	}
	return ev.memoized([2]any{fn, "provides"}, func() Value {
		if fn.Returns != nil {
			if v := ev.Annotation(m, m.scopeOfFunc(fn), unwrapIterator(fn.Returns)); v.Kind != Unknown {
				return v
			}
		}
		values := fn.ReturnValues
		if fn.Generator {
			values = fn.YieldValues
		}
		out := agreeing(values, func(r *Expr) Value { return ev.Eval(m, fn.Scope, r) })
		if out.Kind == Coroutine {
			return ev.returned(out.Mod, out.Func)
		}
		return out
	})
}

// unwrapIterator turns Generator[X, ...]/AsyncIterator[X]/… into X.
func unwrapIterator(e *Expr) *Expr {
	if e == nil || e.Op != OpSubscript || len(e.Args) == 0 {
		return e
	}
	name, _ := e.X.Dotted()
	switch name[strings.LastIndexByte(name, '.')+1:] {
	case "Generator", "Iterator", "Iterable", "AsyncGenerator", "AsyncIterator", "AsyncIterable", "Awaitable", "Coroutine":
		if name[strings.LastIndexByte(name, '.')+1:] == "Coroutine" && len(e.Args) == 3 {
			return e.Args[2]
		}
		return e.Args[0]
	}
	return e
}

// Annotation evaluates a type annotation to the kind of value it declares.
func (ev *Evaluator) Annotation(m *Module, scope *Scope, e *Expr) Value {
	if e == nil || !ev.enterCounted() {
		return Value{}
	}
	defer ev.leave()
	switch e.Op {
	case OpNone:
		return Value{Kind: NoneValue}
	case OpStr:
		return ev.Annotation(m, scope, parseAnnotationString(e))
	case OpOr:
		return ev.agree(m, scope, e.Args)
	case OpSubscript:
		base := ev.Eval(m, scope, e.X)
		name := base.Name
		if base.Kind != External {
			name, _ = e.X.Dotted()
		}
		switch name {
		case "typing.Optional", "typing_extensions.Optional", "Optional":
			if len(e.Args) == 1 {
				return ev.Annotation(m, scope, e.Args[0])
			}
		case "typing.Union", "typing_extensions.Union", "Union":
			args := e.Args
			if len(args) == 1 && args[0].Op == OpTuple {
				args = args[0].Args
			}
			return ev.agree(m, scope, args)
		case "typing.Annotated", "typing_extensions.Annotated", "Annotated":
			args := e.Args
			if len(args) == 1 && args[0].Op == OpTuple {
				args = args[0].Args
			}
			for _, meta := range args[min(1, len(args)):] {
				if meta.Op == OpCall {
					if dv := ev.Eval(m, scope, meta.X); dv.Kind == External && (dv.Name == "fastapi.Depends" || dv.Name == "fastapi.params.Depends") {
						if p := ev.Provided(m, scope, meta.Positional(0)); p.Kind != Unknown {
							return p
						}
					}
				}
			}
			if len(args) > 0 {
				return ev.Annotation(m, scope, args[0])
			}
		}
		return Value{}
	case OpName, OpAttr:
		v := ev.Eval(m, scope, e)
		switch v.Kind {
		case External:
			if k, ok := externalTypes[v.Name]; ok {
				return Value{Kind: k}
			}
		case ClassRef:
			return Value{Kind: Instance, Class: v.Class, Mod: v.Mod}
		case Unknown:
			// An annotation naming AsyncSession/Session without importing
			// it (AM402's case) still says what the author meant.
			if e.Op == OpName {
				if bs, _ := m.Lookup(scope, e.Name); bs == nil {
					switch e.Name {
					case "AsyncSession":
						return Value{Kind: AsyncSession}
					case "Session":
						return Value{Kind: SyncSession}
					}
				}
			}
		}
	}
	return Value{}
}

func (ev *Evaluator) agree(m *Module, scope *Scope, args []*Expr) Value {
	return agreeing(args, func(a *Expr) Value { return ev.Annotation(m, scope, a) })
}

// parseAnnotationString reads a string annotation: dotted names, `X | Y`,
// `Optional[X]`-style subscripts. Anything else is unknown.
func parseAnnotationString(e *Expr) *Expr {
	p := &annotParser{s: e.Name, start: e.Start, end: e.End}
	out := p.union()
	p.skip()
	if out == nil || p.i != len(p.s) {
		return nil
	}
	return out
}

type annotParser struct {
	s          string
	i          int
	start, end int32
}

func (p *annotParser) skip() {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
}

func (p *annotParser) union() *Expr {
	left := p.primary()
	if left == nil {
		return nil
	}
	for {
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == '|' {
			p.i++
			right := p.primary()
			if right == nil {
				return nil
			}
			left = &Expr{Op: OpOr, Args: []*Expr{left, right}, Start: p.start, End: p.end}
			continue
		}
		return left
	}
}

func (p *annotParser) primary() *Expr {
	p.skip()
	j := p.i
	for j < len(p.s) && (isIdentByte(p.s[j]) || p.s[j] == '.') {
		j++
	}
	if j == p.i {
		return nil
	}
	var e *Expr
	for i, part := range strings.Split(p.s[p.i:j], ".") {
		if part == "" {
			return nil
		}
		if i == 0 {
			if part == "None" {
				e = &Expr{Op: OpNone, Start: p.start, End: p.end}
			} else {
				e = &Expr{Op: OpName, Name: part, Start: p.start, End: p.end}
			}
		} else {
			e = &Expr{Op: OpAttr, X: e, Name: part, Start: p.start, End: p.end}
		}
	}
	p.i = j
	p.skip()
	if p.i < len(p.s) && p.s[p.i] == '[' {
		p.i++
		sub := &Expr{Op: OpSubscript, X: e, Start: p.start, End: p.end}
		for {
			arg := p.union()
			if arg == nil {
				return nil
			}
			sub.Args = append(sub.Args, arg)
			p.skip()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			break
		}
		if p.i >= len(p.s) || p.s[p.i] != ']' {
			return nil
		}
		p.i++
		if len(sub.Args) > 1 {
			sub.Args = []*Expr{{Op: OpTuple, Args: sub.Args, Start: p.start, End: p.end}}
		}
		return sub
	}
	return e
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// param evaluates a parameter: Depends() beats the annotation (annotations
// lie, the dependency decides), and a session that call sites pass in
// beats both.
func (ev *Evaluator) param(m *Module, scope *Scope, p *Binding) Value {
	if p.ParamKind == ParamVarArgs || p.ParamKind == ParamVarKeywords {
		// `*args: T` is a tuple and `**kw: T` a dict: the annotation
		// types their items.
		return Value{}
	}
	fn := scope.Func
	if fn != nil && fn.Class != nil && p.ParamIndex == 0 && !fn.IsStatic() && !fn.Lambda {
		if fn.IsClassMeth() {
			return Value{Kind: ClassRef, Class: fn.Class, Mod: m}
		}
		return Value{Kind: Instance, Class: fn.Class, Mod: m}
	}
	// Defaults and annotations are evaluated where the def is.
	outer := scope.Parent
	if outer == nil {
		outer = m.Scope
	}
	var v Value
	if p.Default != nil && p.Default.Op == OpCall {
		if dv := ev.Eval(m, outer, p.Default.X); dv.Kind == External && (dv.Name == "fastapi.Depends" || dv.Name == "fastapi.params.Depends") {
			v = ev.Provided(m, outer, p.Default.Positional(0))
			if v.Kind == Unknown && p.Default.Positional(0) == nil && p.Annot != nil {
				// Depends() with no argument: FastAPI calls the annotation.
				v = ev.Annotation(m, outer, p.Annot)
			}
		}
	}
	if v.Kind == Unknown && p.Annot != nil {
		v = ev.Annotation(m, outer, p.Annot)
	}
	if fn == nil || ev.idx == nil {
		return v
	}
	flows := ev.idx.ParamFlows(fn)
	if p.ParamIndex >= len(flows) {
		return v
	}
	fl := flows[p.ParamIndex]
	for i := range fl {
		if fl[i].Kind == AsyncSession && v.Kind != AsyncSession {
			return Value{Kind: AsyncSession, Via: &fl[i]}
		}
	}
	if v.Kind == Unknown && len(fl) > 0 {
		k := fl[0].Kind
		for _, f := range fl[1:] {
			if f.Kind != k {
				return v
			}
		}
		return Value{Kind: k, Via: &fl[0]}
	}
	return v
}

// IsCoroutineFunction: calling it returns a coroutine. Only a plain
// `async def` (not an async generator) whose decorators are known to keep
// it so; an unknown decorator could turn it into anything.
func (ev *Evaluator) IsCoroutineFunction(v Value) bool {
	if v.Kind != FunctionRef || v.Func == nil || v.Func.Lambda {
		return false
	}
	fn := v.Func
	return fn.Async && !fn.Generator && ev.TransparentDecorators(v.Mod, fn)
}

// IsSyncFunction: a plain def whose call returns no awaitable as far as its
// definition shows (no unknown decorator, no awaitable return annotation).
func (ev *Evaluator) IsSyncFunction(v Value) bool {
	if v.Kind != FunctionRef || v.Func == nil || v.Func.Lambda {
		return false
	}
	fn := v.Func
	if fn.Async || !ev.TransparentDecorators(v.Mod, fn) || fn.IsProperty() || fn.IsAbstract() {
		return false // an abstract method: the subclass's own may be `async def` (mlrun's followers)
	}
	if fn.Returns != nil && mentionsAwaitable(fn.Returns) {
		return false
	}
	return true
}

func mentionsAwaitable(e *Expr) bool {
	if e == nil {
		return false
	}
	if e.Op == OpStr {
		for _, w := range []string{"Awaitable", "Coroutine", "Future", "Task", "Deferred"} {
			if strings.Contains(e.Name, w) {
				return true
			}
		}
		return false
	}
	if name, ok := e.Dotted(); ok {
		last := name[strings.LastIndexByte(name, '.')+1:]
		switch last {
		case "Awaitable", "Coroutine", "Future", "Task", "Any":
			return true
		}
	}
	if mentionsAwaitable(e.X) {
		return true
	}
	for _, a := range e.Args {
		if mentionsAwaitable(a) {
			return true
		}
	}
	return false
}

// transparentDecorators lists decorators that leave a function's call
// behaviour alone.
var transparentDecorators = map[string]bool{
	"builtins.staticmethod": true, "builtins.classmethod": true, "staticmethod": true, "classmethod": true,
	"abc.abstractmethod": true, "typing.override": true, "typing_extensions.override": true,
	"typing.final": true, "typing_extensions.final": true, "typing.overload": false,
	"functools.wraps": true, "functools.cache": false, "functools.lru_cache": false,
}

// fastAPIRouteMethods are the decorator factories on FastAPI/APIRouter
// that register a function and return it unchanged.
var fastAPIRouteMethods = map[string]bool{
	"get": true, "post": true, "put": true, "patch": true, "delete": true, "head": true, "options": true,
	"trace": true, "api_route": true, "websocket": true, "on_event": true, "middleware": true, "exception_handler": true,
}

// TransparentDecorators reports whether every decorator of fn is known to
// return fn unchanged (or wrapped with the same call behaviour).
func (ev *Evaluator) TransparentDecorators(m *Module, fn *Function) bool {
	for _, d := range fn.Decorators {
		target := d
		if d.Op == OpCall {
			target = d.X
		}
		if m == nil {
			return false
		}
		v := ev.Eval(m, m.scopeOfFunc(fn), target)
		if v.Kind == External {
			if transparentDecorators[v.Name] {
				continue
			}
			// router.get(...) where router is an APIRouter/FastAPI instance.
			if d.Op == OpCall {
				if i := strings.LastIndexByte(v.Name, '.'); i > 0 {
					owner, meth := v.Name[:i], v.Name[i+1:]
					if fastAPIRouteMethods[meth] && (strings.HasPrefix(owner, "fastapi.") && (strings.HasSuffix(owner, "APIRouter") || strings.HasSuffix(owner, "FastAPI"))) {
						continue
					}
				}
			}
		}
		if name, ok := target.Dotted(); ok && (name == "staticmethod" || name == "classmethod") {
			continue
		}
		return false
	}
	return true
}

var builtins = map[string]bool{
	"open": true, "print": true, "len": true, "str": true, "int": true, "float": true, "bool": true, "list": true,
	"dict": true, "set": true, "tuple": true, "repr": true, "isinstance": true, "getattr": true, "setattr": true,
	"hasattr": true, "type": true, "object": true, "super": true, "id": true, "hash": true, "sorted": true,
	"reversed": true, "enumerate": true, "zip": true, "map": true, "filter": true, "any": true, "all": true,
	"sum": true, "min": true, "max": true, "abs": true, "round": true, "range": true, "iter": true, "next": true,
	"vars": true, "dir": true, "format": true, "bytes": true, "callable": true, "frozenset": true,
	"staticmethod": true, "classmethod": true, "property": true, "input": true, "Exception": true,
	"ValueError": true, "KeyError": true, "RuntimeError": true, "TypeError": true, "NotImplementedError": true,
	"globals": true, "locals": true, "exec": true, "eval": true, "compile": true, "__import__": true,
}
