package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM302) }

var AM302 = &diagnostics.Rule{
	Code:     "AM302",
	Name:     "await-on-sync",
	Severity: diagnostics.SeverityError,
	Summary:  "`await` on a call of a plain `def` that returns nothing awaitable",
	Fix:      diagnostics.FixAlways,
	Kinds:    []pysyntax.Kind{pysyntax.Await},
	Check:    checkAM302,
	Doc: `## What it does
Flags ` + "`await f(...)`" + ` where ` + "`f`" + ` is a project function or method defined with a
plain ` + "`def`" + ` that returns nothing awaitable: not annotated ` + "`Awaitable`" + `,
` + "`Coroutine`" + `, ` + "`Task`" + ` or ` + "`Future`" + `, not wrapped by a decorator that could make it
async, and not returning a coroutine, task or other awaitable from its body.
A body returning a call the workspace cannot follow (a method of an object
with external bases or ` + "`__getattr__`" + `, of ` + "`super()`" + `, of an unknown value, or a
` + "`Callable[..., R]`" + ` parameter) may return a future, so it is not flagged unless
the return annotation pins a concrete type (` + "`-> str`" + `).
The definition decides, not the name: a ` + "`get_user_async`" + ` that is a plain ` + "`def`" + ` is
flagged, an ` + "`async def`" + ` in a legacy module is not. A method reached through
` + "`self`" + ` or a parameter is skipped when a subclass in the workspace overrides
it with something awaitable. Session methods are AM103's.

## Why is this bad?
Awaiting a value that is not awaitable raises
` + "`TypeError: object dict can't be used in 'await' expression`" + ` — after the sync
function already ran, blocking the event loop. In half-migrated code it
usually means the call still goes to the legacy sync service while an async
twin exists (` + "`await user_service.get_user(db, id)`" + ` with an AsyncSession).

## Example
` + "```python" + `
from app.services.user import user_service

@router.get("/{user_id}")
async def read_user(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return await user_service.get_user(db, user_id)
` + "```" + `

Use instead:
` + "```python" + `
from app.services.async_user import async_user_service

@router.get("/{user_id}")
async def read_user(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return await async_user_service.get_user(db, user_id)
` + "```" + `

## Fix
Unsafe. When the workspace has an async twin (by the configured
` + "`twin-patterns`" + `: ` + "`async_{module}`" + `, ` + "`Async{Class}`" + `, ` + "`async_{name}`" + `) whose method or
function is an ` + "`async def`" + `, the call switches to it (` + "`async_user_service.get_user`" + `,
` + "`AsyncUserService().get_user`" + `, ` + "`async_user.get_profile`" + `) and the import is added.
Otherwise the fix removes ` + "`await`" + `, which keeps a blocking call in async code.`,
}

func checkAM302(p *diagnostics.Pass, aw pysyntax.Node) {
	call := awaitOperand(aw)
	if !call.Is(pysyntax.Call) {
		return
	}
	callee, ok := awaitsSyncCallee(p, call)
	if !ok {
		return
	}
	d := diagnostics.Diagnostic{Start: call.Start(), End: call.End()}
	msg := "`" + sourceLabel(call) + "` is awaited but `" + callee.Func.Qual + "` is a plain `def` that returns nothing awaitable (TypeError at run time)"
	if tw, ok := asyncTwinCall(p, call); ok && tw.Coroutine {
		if fix, ok := useTwinFix(p, call, tw); ok { // the call stays awaited
			d.Message = msg + "; use its async twin `" + tw.Callee + "`"
			d.Fixes = []diagnostics.Fix{fix}
			p.Report(d)
			return
		}
	}
	d.Message = msg + "; remove `await`"
	d.Fixes = removeAwaitFixes(p.Src(), aw, diagnostics.Unsafe)
	p.Report(d)
}

// awaitsSyncCallee is AM302's premise, which AM105 defers to: call is
// awaited in async code and runs a project plain def whose result is not
// awaitable. Session methods are AM103's and never match.
func awaitsSyncCallee(p *diagnostics.Pass, call pysyntax.Node) (pymodel.Value, bool) {
	f := p.File
	if awaitingNode(call).IsNull() || !f.InAsync(call) {
		return pymodel.Value{}, false
	}
	if _, ok := awaitsSessionPlainValue(f, call); ok {
		return pymodel.Value{}, false
	}
	fn := call.ChildByField(pysyntax.FieldFunction)
	v := f.Value(fn)
	if !f.Eval.IsSyncFunction(v) || f.Eval.MayReturnAwaitable(v) || overriddenAwaitable(p, fn, v) {
		return pymodel.Value{}, false
	}
	return v, true
}

// overriddenAwaitable reports whether a method called through a parameter
// (`self.load()`, `repo.get()`) may run a subclass's override that is
// awaitable: the parameter holds the declared class or any subclass.
func overriddenAwaitable(p *diagnostics.Pass, fn pysyntax.Node, v pymodel.Value) bool {
	if v.Func.Class == nil || !fn.Is(pysyntax.Attribute) || p.Workspace == nil {
		return false
	}
	recv := fn.ChildByField(pysyntax.FieldObject)
	if !recv.Is(pysyntax.Identifier) {
		return false
	}
	f := p.File
	bs, _ := f.Module.Lookup(f.ScopeOf(recv), recv.Text())
	if len(bs) == 0 || bs[0].Kind != pymodel.BindParam {
		return false
	}
	rv := f.Value(recv)
	if rv.Kind != pymodel.Instance && rv.Kind != pymodel.ClassRef {
		return false
	}
	for _, o := range p.Workspace.Overrides(rv.Class, v.Func.Name) {
		if !f.Eval.IsSyncFunction(o) || f.Eval.MayReturnAwaitable(o) {
			return true
		}
	}
	return false
}
