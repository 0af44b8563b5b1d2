package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM301) }

var AM301 = &diagnostics.Rule{
	Code:     "AM301",
	Name:     "missing-await",
	Severity: diagnostics.SeverityError,
	Summary:  "A coroutine function is called in async code and its coroutine is never awaited",
	Fix:      diagnostics.FixSometimes,
	Kinds:    []pysyntax.Kind{pysyntax.Call},
	Check:    checkAM301,
	Doc: `## What it does
Flags, inside an ` + "`async def`" + `, calls of a known coroutine function — a project
` + "`async def`" + ` (reached through imports, aliases, module attributes, instances,
` + "`self.x`" + `, class and static methods) or a command of an asyncio Redis client —
whose coroutine is neither awaited nor handed on. Every form counts: a bare
statement, ` + "`r = f()`" + ` or ` + "`_ = f()`" + `, a test (` + "`if f():`" + `), a value (` + "`f().x`" + `,
` + "`len(f())`" + `, ` + "`{\"u\": f()}`" + `), ` + "`return f()`" + ` from an ` + "`async def`" + `.

A coroutine handed on is fine: given to ` + "`asyncio.gather`" + `, ` + "`create_task`" + `,
` + "`ensure_future`" + `, ` + "`wait_for`" + `, ` + "`shield`" + `, a ` + "`TaskGroup`" + `, returned from a plain
` + "`def`" + `, or stored and awaited later in the same function. Only the
definition decides: a ` + "`*_async`" + ` plain ` + "`def`" + ` is not a coroutine function, and an
` + "`async def`" + ` in a "sync" module is. AsyncSession methods are AM102's and a
coroutine handed to ` + "`asyncio.run`" + ` is AM304's.

## Why is this bad?
Calling an ` + "`async def`" + ` runs none of its body: it only creates a coroutine.
Without ` + "`await`" + ` the work silently never happens (Python prints
` + "`RuntimeWarning: coroutine ... was never awaited`" + ` at best), a test like
` + "`if service.email_exists(db, email):`" + ` is always true, and an endpoint returns
a coroutine object instead of data.

## Example
` + "```python" + `
@router.get("/{user_id}")
async def read_user(user_id: int, db: AsyncSession = Depends(get_async_db)):
    user = async_user_service.get_user(db, user_id)
    if user is None:
        raise HTTPException(status_code=404)
    return user
` + "```" + `

Use instead:
` + "```python" + `
@router.get("/{user_id}")
async def read_user(user_id: int, db: AsyncSession = Depends(get_async_db)):
    user = await async_user_service.get_user(db, user_id)
    if user is None:
        raise HTTPException(status_code=404)
    return user
` + "```" + `

## Fix
Safe: inserts ` + "`await`" + ` before the call, with parentheses when the call is the
base of an attribute, subscript or call (` + "`(await svc.get_user(db, 1)).email`" + `).
No fix inside a generator expression, where ` + "`await`" + ` would turn it into an async
generator.`,
}

func checkAM301(p *diagnostics.Pass, call pysyntax.Node) {
	f := p.File
	if !f.InAsync(call) {
		return
	}
	// One fault, one report: AsyncSession coroutine methods are AM102's,
	// and a coroutine given to asyncio.run or loop.run_until_complete is
	// handed on as far as coroutineLost is concerned (AM304 reports it).
	if _, ok := asyncSessionCoroutineCall(f, call); ok {
		return
	}
	why, related, ok := coroutineCall(p, call)
	if !ok || !coroutineLost(f, call) {
		return
	}
	d := diagnostics.Diagnostic{Start: call.Start(), End: call.End(), Related: related}
	msg := "`" + sourceLabel(call) + "` " + lostHow(call) + " (" + why + ")"
	if awaitAllowed(f, call) {
		d.Message = msg + "; insert `await`"
		d.Fixes = []diagnostics.Fix{{Title: "Insert `await`", Applicability: diagnostics.Safe, Edits: insertAwaitEdits(call)}}
	} else {
		// Inside a generator expression an await would make it an async
		// generator: the code needs restructuring, not one keyword.
		d.Message = msg + "; await it outside the generator expression"
	}
	p.Report(d)
}

// coroutineCall reports whether calling call's function gives a coroutine
// — a project coroutine function or a command of an asyncio Redis client —
// with the reason for the message, and the call site a client kind came
// from when it came through one.
func coroutineCall(p *diagnostics.Pass, call pysyntax.Node) (string, []diagnostics.Related, bool) {
	f := p.File
	fn := call.ChildByField(pysyntax.FieldFunction)
	if v := f.Value(fn); f.Eval.IsCoroutineFunction(v) {
		return "`" + v.Func.Qual + "` is an `async def`", nil, true
	}
	if !fn.Is(pysyntax.Attribute) {
		return "", nil, false
	}
	method := fn.ChildByField(pysyntax.FieldAttribute).Text()
	recv := fn.ChildByField(pysyntax.FieldObject)
	if obj := clientValue(f, recv, method); obj.Kind == pymodel.AsyncRedis && pymodel.AsyncRedisCoroutineMethod(method) {
		clause, related := viaCallSite(p, obj, sourceLabel(recv))
		return "`" + method + "` of an asyncio Redis client is a coroutine function" + clause, related, true
	}
	return "", nil, false
}

// lostHow says how a coroutine is lost where call stands.
func lostHow(call pysyntax.Node) string {
	p := call.Parent()
	for p.Is(pysyntax.ParenthesizedExpr) {
		p = p.Parent()
	}
	switch {
	case p.Is(pysyntax.ExpressionStatement):
		return "is never awaited, so it never runs"
	case p.Is(pysyntax.Assignment) && p.ChildByField(pysyntax.FieldLeft).Is(pysyntax.Identifier):
		return "is never awaited: `" + p.ChildByField(pysyntax.FieldLeft).Text() + "` holds the coroutine, not its result"
	}
	return "is never awaited: the coroutine is used as if it were the result"
}
