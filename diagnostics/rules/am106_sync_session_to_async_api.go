package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM106) }

var AM106 = &diagnostics.Rule{
	Code:     "AM106",
	Name:     "sync-session-to-async-api",
	Severity: diagnostics.SeverityError,
	Summary:  "A sync `Session` is passed to a parameter annotated `AsyncSession`",
	Fix:      diagnostics.FixNone,
	Finish:   finishAM106,
	Doc: `## What it does
Flags a call that hands a sync ` + "`Session`" + ` to a project function, method or class
constructor whose parameter is annotated ` + "`AsyncSession`" + ` (plain, ` + "`Optional[...]`" + `,
` + "`| None`" + `), positionally or by keyword, in async and sync code alike. The sync
Session can come from ` + "`Depends(get_db)`" + `, ` + "`with SessionLocal() as s`" + `, ` + "`self.db`" + `
of a legacy class, or a configured ` + "`sync-session-dependencies`" + ` name. Unannotated
parameters accept anything and are not flagged.

## Why is this bad?
The async code awaits ` + "`db.execute(...)`" + `, ` + "`db.get(...)`" + ` or ` + "`db.commit()`" + `; on a sync
Session those return plain results, and awaiting them raises
` + "`TypeError: object ... can't be used in 'await' expression`" + `. Where the value is not
awaited, the call blocks the event loop instead.

## Example
` + "```python" + `
@router.get("/{user_id}")
async def read_user(user_id: int, db: Session = Depends(get_db)):
    return await async_user_service.get_user(db, user_id)  # get_user(self, db: AsyncSession, …)
` + "```" + `

Use instead:
` + "```python" + `
@router.get("/{user_id}")
async def read_user(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return await async_user_service.get_user(db, user_id)
` + "```" + `

## Fix
None: which side should change (the caller's session or the callee) is a
migration decision. The message names both sides.`,
}

func finishAM106(p *diagnostics.Pass) {
	forEachSessionMismatch(p, func(cs *pymodel.CallSite, sm sessionMismatch) {
		if sm.asyncToSync() {
			return
		}
		call, ok := callNode(p.File, cs)
		if !ok {
			return
		}
		fn := call.ChildByField(pysyntax.FieldFunction)
		arg := p.Text(int(sm.Arg.Start), int(sm.Arg.End))
		via, related := viaCallSite(p, sm.Value, arg)
		p.Report(diagnostics.Diagnostic{
			Start: call.Start(), End: call.End(), Related: related,
			Message: "`" + sourceLabel(fn) + "` expects an AsyncSession for `" + sm.Param.Name + "` but gets the sync Session `" + arg + "`" + via +
				"; pass an AsyncSession",
		})
	})
}
