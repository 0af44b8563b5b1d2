package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM103) }

var AM103 = &diagnostics.Rule{
	Code:     "AM103",
	Name:     "await-on-sync-session-method",
	Severity: diagnostics.SeverityError,
	Summary:  "`await` on a session method that returns no awaitable",
	Fix:      diagnostics.FixAlways,
	Kinds:    []pysyntax.Kind{pysyntax.Await},
	Check:    checkAM103,
	Doc: `## What it does
Flags ` + "`await`" + ` on the plain methods of SQLAlchemy's ` + "`AsyncSession`" + ` — ` + "`add`, `add_all`, `expunge`, `expunge_all`, `expire`, `expire_all`, `in_transaction`, `in_nested_transaction`, `is_modified`, `get_bind`" + ` — and on
any method of a sync ` + "`Session`" + `.

` + "`await db.begin()`" + ` and ` + "`await db.begin_nested()`" + ` are not flagged: they return an
` + "`AsyncSessionTransaction`" + `, which is awaitable. The session kind may come from the
call sites of the function (an annotation saying ` + "`Session`" + ` while every caller
passes an ` + "`AsyncSession`" + `); the diagnostic then points at that call. When nothing
but a parameter's ` + "`Session`" + ` annotation says the session is sync (no dependency, no
caller passing one), awaiting its coroutine methods (` + "`await session.execute(q)`" + `) is
not flagged: the code is as good evidence as the annotation, and annotations
go stale.

## Why is this bad?
These methods return a plain value (` + "`None`" + `, a ` + "`bool`" + `, an ` + "`Engine`" + `, a result),
so ` + "`await`" + ` raises ` + "`TypeError: object NoneType can't be used in 'await' expression`" + `
after the method already ran. On a sync ` + "`Session`" + ` the awaited call also blocks
the event loop: the session itself needs migrating (AM104).

## Example
` + "```python" + `
async def alta_socio(datos: SocioIn, db: AsyncSession = Depends(get_async_db)):
    socio = User(**datos.model_dump())
    await db.add(socio)
    await db.commit()
` + "```" + `

Use instead:
` + "```python" + `
async def alta_socio(datos: SocioIn, db: AsyncSession = Depends(get_async_db)):
    socio = User(**datos.model_dump())
    db.add(socio)
    await db.commit()
` + "```" + `

## Fix
Safe: removes ` + "`await`" + `, keeping the call.`,
}

func checkAM103(p *diagnostics.Pass, aw pysyntax.Node) {
	f := p.File
	call := awaitOperand(aw)
	if !call.Is(pysyntax.Call) {
		return
	}
	sc, ok := awaitsSessionPlainValue(f, call)
	if !ok {
		return
	}
	clause, related := viaCallSite(p, sc.Value, sc.Recv.Text())
	what := "`" + sc.Method + "` is a plain method of AsyncSession and returns no awaitable"
	switch {
	case sc.Value.Kind == pymodel.SyncSession && annotatedOnly(f, sc):
		// Only the annotation says sync: the claim that holds either way.
		what = "`" + sc.Method + "` returns no awaitable on a Session or an AsyncSession"
	case sc.Value.Kind == pymodel.SyncSession:
		what = "`" + sc.Recv.Text() + "` is a sync Session, whose `" + sc.Method + "` returns no awaitable"
	}
	p.Report(diagnostics.Diagnostic{
		Start:   aw.Start(),
		End:     aw.End(),
		Message: "`" + sourceLabel(aw) + "`: " + what + clause + "; remove `await`",
		Related: related,
		Fixes:   removeAwaitFixes(p.Src(), aw, diagnostics.Safe),
	})
}
