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
		for _, r := range fn.ReturnValues {
			if r != nil && ev.awaitableExpr(m, fn.Scope, r) {
				return Value{Kind: Coroutine}
			}
		}
		return Value{}
	})
	return v.Kind == Coroutine
}

// awaitableExpr reports whether the value of e may be awaitable.
func (ev *Evaluator) awaitableExpr(m *Module, scope *Scope, e *Expr) bool {
	v := ev.Eval(m, scope, e)
	switch v.Kind {
	case Coroutine:
		return true
	case External, ExtInstance:
		return asyncLibraryName(v.Name)
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
			if b.Annot != nil && !mentionsAwaitable(b.Annot) && !bareCallable(b.Annot) {
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
