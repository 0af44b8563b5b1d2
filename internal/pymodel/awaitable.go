package pymodel

import "strings"

// MayReturnAwaitable reports whether calling the project function v can
// give back something awaitable even though it is a plain def: it returns
// a coroutine (`return self._charge(x)`), an asyncio Task or Future, an
// AsyncSession or async Redis command, an object with __await__, or the
// result of another def that does. Awaiting such a call is correct.
// IsSyncFunction looks at the signature; this looks at the return
// statements, because annotations lie.
func (ev *Evaluator) MayReturnAwaitable(v Value) bool {
	if v.Kind != FunctionRef || v.Func == nil || v.Mod == nil {
		return false
	}
	return ev.returnsAwaitable(v.Mod, v.Func)
}

func (ev *Evaluator) returnsAwaitable(m *Module, fn *Function) bool {
	if fn.Async {
		return !fn.Generator // a coroutine; an async generator is not awaitable
	}
	if fn.Returns != nil && mentionsAwaitable(fn.Returns) {
		return true
	}
	if fn.Generator || m == nil {
		return false
	}
	// A cycle (recursive defs) reads as "not awaitable": the other return
	// statements still decide.
	v := ev.memoized([2]any{fn, "awaitable"}, func() Value {
		// A concrete return annotation (`-> str`) says what the calls the
		// model cannot see give back; a TypeVar, Any or none says nothing.
		open := ev.openType(m, m.scopeOfFunc(fn), fn.Returns)
		for _, r := range fn.ReturnValues {
			if r != nil && ev.awaitableExpr(m, fn.Scope, r, open) {
				return Value{Kind: Coroutine}
			}
		}
		return Value{}
	})
	return v.Kind == Coroutine
}

// awaitableExpr reports whether the value of e may be awaitable. open says
// the function's return type is not pinned by its annotation: a call whose
// callee the model cannot see may then give back a future or a coroutine.
func (ev *Evaluator) awaitableExpr(m *Module, scope *Scope, e *Expr, open bool) bool {
	v := ev.Eval(m, scope, e)
	switch v.Kind {
	case Coroutine:
		return true
	case External, ExtInstance:
		if asyncLibraryName(v.Name) {
			return true
		}
	case Instance:
		if fn, _ := ev.FindMethod(v.Mod, v.Class, "__await__"); fn != nil {
			return true
		}
	}
	if v.Kind == Unknown && ev.unknownParam(m, scope, e) {
		return true // `return x`: whatever the caller passed, a coroutine too
	}
	if e.Op != OpCall {
		return false
	}
	callee := ev.Eval(m, scope, e.X)
	if callee.Kind == Unknown && ev.unknownParam(m, scope, e.X) {
		return true // `return fn(*args)`: a wrapper of whatever it is given
	}
	if callee.Kind == FunctionRef && callee.Func != nil && !callee.Func.Lambda {
		if !ev.TransparentDecorators(callee.Mod, callee.Func) {
			return true // a decorator we cannot see through may make it async
		}
		return ev.returnsAwaitable(callee.Mod, callee.Func)
	}
	if e.X != nil && e.X.Op == OpAttr {
		switch obj := ev.Eval(m, scope, e.X.X); obj.Kind {
		case AsyncSession:
			// Only a session the code itself declares async: one that
			// merely arrives from callers (Via) into a `db: Session`
			// function is the bug, not a design to return coroutines.
			return obj.Via == nil && SessionCoroutineMethods[e.X.Name]
		case AsyncRedis:
			return AsyncRedisCoroutineMethod(e.X.Name)
		}
	}
	if open && callee.Kind == ExtInstance {
		// Calling what a library call gave back (`getattr(self.sio,
		// "emit")(…)`, a functools.partial): any callable, a coroutine
		// function too.
		return true
	}
	// `super().m` is not resolved: the bases' methods are what it runs.
	superMethod := callee.Kind == External && strings.HasPrefix(callee.Name, "builtins.super.")
	if open && (callee.Kind == Unknown || superMethod) {
		// `return en_hilo.get(url)`, `return plantilla.render_async()`:
		// the nearest base the model knows decides.
		return ev.unknownCalleeMayAwait(m, scope, e.X)
	}
	return false
}

// unknownCalleeMayAwait decides for a call whose callee evaluates to
// nothing known, by the nearest base of the callee chain that the model
// does know: a sync session or a plain library call cannot hand back an
// awaitable; a name holding we know not what (a parameter, a local bound to
// an unknown call) can, and so can an object whose attributes the workspace
// does not list (external base, __getattr__, super()). Methods of literals
// are plain.
func (ev *Evaluator) unknownCalleeMayAwait(m *Module, scope *Scope, callee *Expr) bool {
	if callee.Op == OpAttr && callee.X != nil && ev.memberOfProjectObject(ev.Eval(m, scope, callee.X), callee.Name) {
		// A property or attribute the class does define, holding a value we
		// cannot see: `return self.emit(…)` where `emit` is a property
		// giving back the socket's async emit.
		return true
	}
	for x := callee.X; x != nil; x = x.X {
		switch x.Op {
		case OpName, OpAttr, OpCall, OpSubscript:
			if v := ev.Eval(m, scope, x); v.Kind != Unknown {
				return ev.baseMayAwait(v)
			}
			// An unknown name, or what a named function we cannot follow
			// returned; otherwise the walk goes on to the object the
			// attribute, the called method or the item comes from.
			if x.Op == OpName || x.Op == OpCall && x.X != nil && x.X.Op == OpName {
				return true
			}
		case OpAwait:
			return true
		default:
			return false
		}
	}
	return false
}

// memberOfProjectObject reports whether a project instance or class
// defines name as a property or a data attribute (methods resolve to
// functions and never reach here).
func (ev *Evaluator) memberOfProjectObject(v Value, name string) bool {
	switch v.Kind {
	case Instance:
		if fn, _ := ev.FindMethod(v.Mod, v.Class, name); fn != nil {
			return fn.IsProperty()
		}
		if _, ok := ev.instanceAttr(v.Mod, v.Class, name); ok {
			return true
		}
		_, ok := ev.classAttr(v.Mod, v.Class, name)
		return ok
	case ClassRef:
		_, ok := ev.classAttr(v.Mod, v.Class, name)
		return ok
	}
	return false
}

// baseMayAwait reports whether an attribute the model cannot resolve on v
// may, once called, give back an awaitable.
func (ev *Evaluator) baseMayAwait(v Value) bool {
	switch v.Kind {
	case AsyncSession:
		return v.Via == nil // one arriving from callers is the bug, not a design
	case AsyncRedis, AsyncSessionFactory, Coroutine, ModuleRef:
		return true
	case External, ExtInstance:
		return v.Name == "builtins.super" || asyncLibraryName(v.Name)
	case ClassRef, Instance:
		h := ev.ClassHierarchy(v.Mod, v.Class)
		if !h.Complete {
			return true
		}
		for _, k := range h.Classes {
			if k.HasGetattr || k.Dynamic {
				return true
			}
		}
		return false
	case FunctionRef:
		// `tarea.delay()`: a decorator we cannot see through made the object.
		return v.Func != nil && !ev.TransparentDecorators(v.Mod, v.Func)
	}
	return false // sync sessions and clients, None
}

// openType reports whether an annotation leaves the type open: absent, a
// TypeVar, Any, object, or a name the model cannot resolve (a PEP 695
// type parameter). Concrete shapes (`dict[str, int]`, `User | None`) pin it.
func (ev *Evaluator) openType(m *Module, scope *Scope, e *Expr) bool {
	if e == nil {
		return true
	}
	if e.Op == OpStr {
		if e = parseAnnotationString(e); e == nil {
			return true
		}
	}
	if _, ok := e.Dotted(); !ok {
		return false
	}
	v := ev.Eval(m, scope, e)
	switch v.Kind {
	case Unknown:
		return true
	case External:
		return v.Name == "builtins.object" || v.Name == "typing.Any" || v.Name == "typing_extensions.Any"
	case ExtInstance:
		return v.Name == "typing.TypeVar" || v.Name == "typing_extensions.TypeVar"
	}
	return false
}

// asyncLibraries are packages whose calls commonly return awaitables.
var asyncLibraries = map[string]bool{
	"asyncio": true, "anyio": true, "trio": true, "aiohttp": true, "aiofiles": true, "aioredis": true,
	"asyncpg": true, "motor": true, "aiosqlite": true, "aiobotocore": true,
}

// asyncLibraryName reports a qualified external name that belongs to an
// async API: an async library, an `asyncio` submodule (redis.asyncio,
// sqlalchemy.ext.asyncio) or an Async* class (httpx.AsyncClient). It only
// ever makes a rule stay silent.
func asyncLibraryName(q string) bool {
	for i, seg := range strings.Split(q, ".") {
		if i == 0 && asyncLibraries[seg] {
			return true
		}
		if seg == "asyncio" || strings.HasPrefix(seg, "Async") {
			return true
		}
	}
	return false
}

// unknownParam reports whether e is the bare name of a parameter whose
// value the model does not know and whose annotation (if any) does not
// rule out an awaitable: it may hold anything the callers pass.
func (ev *Evaluator) unknownParam(m *Module, scope *Scope, e *Expr) bool {
	if e == nil || e.Op != OpName {
		return false
	}
	bs, _ := m.Lookup(scope, e.Name)
	for _, b := range bs {
		if b.Kind == BindParam {
			if b.Annot != nil && !mentionsAwaitable(b.Annot) && !bareCallable(b.Annot) && !ev.openCallable(m, scope, b.Annot) {
				return false // `n: int` says what it holds
			}
			return ev.Eval(m, scope, e).Kind == Unknown
		}
	}
	return false
}

// bareCallable reports an unparameterised Callable annotation, which says
// nothing about what calling it returns.
func bareCallable(e *Expr) bool {
	name, ok := e.Dotted()
	return ok && name[strings.LastIndexByte(name, '.')+1:] == "Callable"
}

// openCallable reports a Callable annotation whose return type is open
// (`Callable[..., R]` with R a TypeVar): calling it may give a coroutine.
func (ev *Evaluator) openCallable(m *Module, scope *Scope, e *Expr) bool {
	if e == nil || e.Op != OpSubscript || !bareCallable(e.X) || len(e.Args) == 0 {
		return false
	}
	return ev.openType(m, scope, e.Args[len(e.Args)-1])
}
