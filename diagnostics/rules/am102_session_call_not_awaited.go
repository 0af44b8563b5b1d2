package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM102) }

var AM102 = &diagnostics.Rule{
	Code:     "AM102",
	Name:     "async-session-call-not-awaited",
	Severity: diagnostics.SeverityError,
	Summary:  "An AsyncSession coroutine method is called without `await`",
	Fix:      diagnostics.FixSometimes,
	Kinds:    []pysyntax.Kind{pysyntax.Call},
	Check:    checkAM102,
	Doc: `## What it does
Flags calls of the coroutine methods of SQLAlchemy 2.0's ` + "`AsyncSession`" + ` whose
coroutine is neither awaited nor handed on: ` + "`execute`, `scalar`, `scalars`, `get`, `get_one`, `refresh`, `flush`, `commit`, `rollback`, `close`, `delete`, `merge`, `stream`, `stream_scalars`, `run_sync`, `connection`, `invalidate`, `reset`" + `.
Note that ` + "`delete`" + ` **is** a coroutine on ` + "`AsyncSession`" + ` (it is a plain method on ` + "`Session`" + `).

The session kind comes from the code (annotations, ` + "`Depends`" + ` of an async
provider, ` + "`async_sessionmaker`" + `, ` + "`async with`" + `, ` + "`self.db`" + `) or from the call sites of
the function: a parameter annotated ` + "`Session`" + ` that every caller fills with an
` + "`AsyncSession`" + ` is an ` + "`AsyncSession`" + ` at run time, and the diagnostic points at that call.

Coroutines handed on (` + "`asyncio.gather`" + `, ` + "`create_task`" + `, ` + "`wait_for`" + `, stored and awaited
later) are not flagged.

## Why is this bad?
The call only creates a coroutine: the statement never runs, the commit
never happens, and Python warns "coroutine was never awaited" long after the
request returned. Used as a value (` + "`db.execute(q).scalars()`" + `) it fails with
` + "`AttributeError: 'coroutine' object has no attribute 'scalars'`" + `.

## Example
` + "```python" + `
async def desactivar(user_id: int, db: AsyncSession = Depends(get_async_db)):
    db.execute(update(User).where(User.id == user_id).values(activo=False))
    socios = db.execute(select(User)).scalars().all()
    db.commit()
` + "```" + `

Use instead:
` + "```python" + `
async def desactivar(user_id: int, db: AsyncSession = Depends(get_async_db)):
    await db.execute(update(User).where(User.id == user_id).values(activo=False))
    socios = (await db.execute(select(User))).scalars().all()
    await db.commit()
` + "```" + `

## Fix
Safe: inserts ` + "`await `" + `, parenthesised when the call is the base of an
attribute, subscript or call (` + "`(await db.execute(q)).scalars()`" + `). No fix is offered
where ` + "`await`" + ` cannot be written: in a plain ` + "`def`" + ` (the session arrived through a
call; make the function ` + "`async def`" + ` first), a lambda, or a generator expression.`,
}

func checkAM102(p *diagnostics.Pass, call pysyntax.Node) {
	f := p.File
	sc, ok := asyncSessionCoroutineCall(f, call)
	if !ok || !coroutineLost(f, call) {
		return
	}
	recv := sc.Recv.Text()
	clause, related := viaCallSite(p, sc.Value, recv)
	d := diagnostics.Diagnostic{
		Start:   call.Start(),
		End:     call.End(),
		Message: "`" + sourceLabel(call) + "` returns a coroutine on an AsyncSession and is never awaited" + clause + "; add `await`",
		Related: related,
	}
	if awaitAllowed(f, call) {
		d.Fixes = []diagnostics.Fix{{Title: "Insert `await`", Applicability: diagnostics.Safe, Edits: insertAwaitEdits(call)}}
	}
	p.Report(d)
}
