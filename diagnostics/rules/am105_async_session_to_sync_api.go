package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM105) }

var AM105 = &diagnostics.Rule{
	Code:     "AM105",
	Name:     "async-session-to-sync-api",
	Severity: diagnostics.SeverityWarning,
	Summary:  "An AsyncSession is passed to a parameter annotated `Session`",
	Fix:      diagnostics.FixSometimes,
	Finish:   finishAM105,
	Doc: `## What it does
Flags a call that hands an AsyncSession to a project function, method or class
constructor whose parameter is annotated with the sync ` + "`Session`" + `
(` + "`Session`" + `, ` + "`Optional[Session]`" + `, ` + "`Session | None`" + `, an import alias, a string
annotation) — positionally or by keyword, ` + "`__init__`" + ` inherited or not, wherever
the call is. The AsyncSession can come from ` + "`Depends(get_async_db)`" + `,
` + "`async with AsyncSessionLocal() as s`" + `, ` + "`self.db`" + `, or reach a parameter through
the call sites of its function (annotations lie: the message then names the
caller it comes from). Unannotated parameters accept anything and are not
flagged. Awaiting the sync callee is AM302's fault, and a blocking sync API that
receives an AsyncSession is reported here rather than as AM303.

## Why is this bad?
The sync code calls ` + "`db.query`" + `, ` + "`db.get`" + ` or ` + "`db.commit()`" + ` expecting results; on an
AsyncSession those calls return coroutines that are never awaited, or do not
exist at all. The endpoint fails at run time or silently does nothing — the
typical state of a half-migrated code base, where the service still says
` + "`db: Session`" + ` and every caller already passes ` + "`Depends(get_async_db)`" + `.

## Example
` + "```python" + `
@router.post("/{user_id}/login")
async def login(user_id: int, db: AsyncSession = Depends(get_async_db)):
    user_service.update_last_login(db, user_id)  # def update_last_login(self, db: Session, …)
` + "```" + `

Use instead:
` + "```python" + `
@router.post("/{user_id}/login")
async def login(user_id: int, db: AsyncSession = Depends(get_async_db)):
    await async_user_service.update_last_login(db, user_id)
` + "```" + `

## Fix
Unsafe. When the workspace has an async twin of the callee (by the configured
` + "`twin-patterns`" + `: ` + "`async_user_service`" + `, ` + "`async_audit.log_action`" + `,
` + "`AsyncTrainerSetupService`" + `) that accepts the same arguments, the call switches to
it, with ` + "`await`" + ` when the twin is a coroutine function, and the import is added.
No fix without a twin, or where the needed ` + "`await`" + ` cannot be written (a plain
` + "`def`" + `).`,
}

func finishAM105(p *diagnostics.Pass) {
	forEachSessionMismatch(p, func(cs *pymodel.CallSite, sm sessionMismatch) {
		if !sm.asyncToSync() {
			return
		}
		call, ok := callNode(p.File, cs)
		if !ok {
			return
		}
		// `await sync_api(db)` is AM302's: awaiting a plain def.
		if cs.Awaited && p.Enabled("AM302") {
			if _, ok := awaitsSyncCallee(p, call); ok {
				return
			}
		}
		fn := call.ChildByField(pysyntax.FieldFunction)
		arg := p.Text(int(sm.Arg.Start), int(sm.Arg.End))
		via, related := viaCallSite(p, sm.Value, arg)
		msg := "`" + sourceLabel(fn) + "` expects a sync `Session` for `" + sm.Param.Name + "` but gets the AsyncSession `" + arg + "`" + via
		d := diagnostics.Diagnostic{Start: call.Start(), End: call.End(), Related: related}
		if tw, ok := asyncTwinCall(p, call); ok {
			if fix, ok := useTwinFix(p, call, tw); ok {
				d.Message = msg + "; use its async twin `" + tw.Callee + "`"
				d.Fixes = []diagnostics.Fix{fix}
				p.Report(d)
				return
			}
		}
		d.Message = msg + "; migrate it to AsyncSession"
		p.Report(d)
	})
}
