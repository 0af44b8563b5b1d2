package pymodel

// enterReturnsSelf are library classes whose __enter__/__aenter__ returns
// the instance itself, so `with httpx.Client() as client` binds a client.
// Only classes known to do so: many context managers return something else
// (`open()` a file object, `urlopen()` a response, a lock a bool).
var enterReturnsSelf = map[string]bool{
	"httpx.Client": true, "httpx.AsyncClient": true,
	"requests.Session": true, "requests.sessions.Session": true,
	"aiohttp.ClientSession": true, "aiohttp.client.ClientSession": true,
}

// contextFactories are the decorators that turn a generator function into a
// context manager entering on what it yields.
var contextFactories = map[string]bool{
	"contextlib.contextmanager": true, "contextlib.asynccontextmanager": true,
}

// enteredFromFactory is what `with f() as x` binds when f is a generator
// function decorated with @contextmanager or @asynccontextmanager (the
// usual `get_session()` helper): the value it yields. ok is false for any
// other call.
func (ev *Evaluator) enteredFromFactory(m *Module, scope *Scope, call *Expr) (Value, bool) {
	if call == nil || call.Op != OpCall {
		return Value{}, false
	}
	f := ev.Eval(m, scope, call.X)
	if f.Kind != FunctionRef || f.Func == nil || f.Mod == nil || !f.Func.Generator || len(f.Func.Decorators) != 1 {
		return Value{}, false
	}
	d := ev.Eval(f.Mod, f.Mod.scopeOfFunc(f.Func), f.Func.Decorators[0])
	if d.Kind != External || !contextFactories[d.Name] {
		return Value{}, false
	}
	return ev.provider(f.Mod, f.Func), true
}
