package rules

import (
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

func init() { register(AM303) }

var AM303 = &diagnostics.Rule{
	Code:     "AM303",
	Name:     "blocking-call-in-async",
	Severity: diagnostics.SeverityWarning,
	Summary:  "A call in async code blocks the event loop",
	Fix:      diagnostics.FixSometimes,
	Finish:   finishAM303,
	Doc: `## What it does
Flags, inside an ` + "`async def`" + `, calls that block the thread they run on:
- project functions and methods (plain ` + "`def`" + `) that take a sync ` + "`Session`" + ` and
  do database I/O with it (call ` + "`execute`" + `, ` + "`query`" + `, ` + "`commit`" + `… or pass it to
  code that does; merely storing it or reading ` + "`session.info`" + ` blocks
  nothing), open one, or call project code that blocks — followed through
  the workspace index, across modules, re-exports and cycles;
- database I/O on a sync ` + "`Session`" + ` kept in an attribute: ` + "`self.db.commit()`" + `,
  ` + "`self.db.query(User).first()`" + ` (a query chain counts at the call that runs
  it) in the ` + "`async def`" + ` methods legacy services gained — not when the module
  awaits calls on the same attribute (` + "`await self.db.execute(…)`" + ` means an
  AsyncSession, whatever the annotation says);
- ` + "`time.sleep`" + `, ` + "`requests.*`" + `, ` + "`urllib.request.urlopen`" + `, sync ` + "`httpx`" + ` calls
  (module functions and ` + "`httpx.Client`" + `), ` + "`subprocess.run/call/check_call/check_output`" + `;
- commands of a sync Redis client (` + "`redis.Redis`" + `) — not of a parameter merely
  annotated so while the function awaits calls on it (` + "`await conn.set(…)`" + `
  means the client is the asyncio one);
- ` + "`open(...)`" + ` in a FastAPI request handler;
- calls into the modules listed in ` + "`blocking-modules`" + ` (third-party SDKs such as
  Stripe or boto3; none by default, teams decide).

Lazy setup that blocks on the first call only is not flagged: code behind
a run-once guard on a global or an attribute that the guarded code sets
(` + "`if _engine is None: _engine = connect()`" + `; ` + "`if not self.started:`" + ` followed
by ` + "`self.started = True`" + `; what follows ` + "`if self._token is not None: return`" + `).
A cache keyed by an argument (` + "`if key not in CACHE:`" + `) blocks for every new
key and is flagged.

Work handed to ` + "`asyncio.to_thread`" + ` or ` + "`run_in_executor`" + `, and code in a nested plain
` + "`def`" + ` or ` + "`lambda`" + `, is not flagged; nor is a plain ` + "`def`" + ` endpoint, which FastAPI runs
in a threadpool. A sync API that receives an AsyncSession is AM105's, awaiting a
plain ` + "`def`" + ` is AM302's, and opening a sync Session in the ` + "`async def`" + ` itself is
AM104's.

## Why is this bad?
An ` + "`async def`" + ` runs on the event loop's only thread. While a blocking call
waits — on the database, the network, a subprocess, a sleep — no other request
is served: one slow query stalls the whole server.

## Example
` + "```python" + `
@router.post("/torno/{socio_id}")
async def abrir_torno(socio_id: int):
    requests.post(TORNO_URL, json={"socio": socio_id}, timeout=2)
    time.sleep(0.3)
    return {"informe": report_service.build_monthly_report(socio_id)}
` + "```" + `

Use instead:
` + "```python" + `
@router.post("/torno/{socio_id}")
async def abrir_torno(socio_id: int):
    await asyncio.to_thread(requests.post, TORNO_URL, json={"socio": socio_id}, timeout=2)
    await asyncio.sleep(0.3)
    return {"informe": await async_report_service.build_monthly_report(socio_id)}
` + "```" + `

## Fix
Unsafe (the code runs differently: concurrently, in a thread, or through
other code). ` + "`time.sleep(x)`" + ` becomes ` + "`await asyncio.sleep(x)`" + `; a project call with an
async twin in the workspace calls the twin with ` + "`await`" + ` (` + "`await async_x.f(…)`" + `);
anything else is wrapped in ` + "`await asyncio.to_thread(f, …)`" + `. ` + "`import asyncio`" + ` is added
when missing. No fix where ` + "`await`" + ` cannot be written (inside a generator
expression) and none for ` + "`open()`" + `, whose reads block too: use ` + "`aiofiles`" + ` or move
the whole file access into a thread.`,
}

func finishAM303(p *diagnostics.Pass) {
	f := p.File
	var ix *blockingIndex // built on the first project call
	for _, fn := range f.Module.Functions {
		if !fn.Async || fn.Lambda || !p.Wants(int(fn.Start)) {
			continue
		}
		handler, handlerKnown := false, false
		for _, cs := range fn.Calls {
			if cs.Scope == nil || !cs.Scope.Async() || cs.Call == nil || cs.Once {
				continue
			}
			if prim, ok := primitiveBlocking(f.Eval, f.Module, cs.Scope, cs.Call, p.Config.BlockingModules); ok {
				reportPrimitive(p, cs, prim)
				continue
			}
			if f.Eval.Eval(f.Module, cs.Scope, cs.Call.X).Name == "builtins.open" {
				if !handlerKnown {
					handler, handlerKnown = f.Eval.IsRequestHandler(f.Module, fn), true
				}
				if handler {
					reportOpen(p, cs, fn)
				}
				continue
			}
			t, ok := workspace.ResolveCall(f.Eval, f.Module, cs.Scope, cs.Call)
			if !ok || t.Func == nil {
				continue
			}
			if ix == nil {
				ix = newBlockingIndex(f.Eval, p.Config.BlockingModules)
			}
			checkProjectCall(p, ix, cs, t)
		}
	}
}

func reportPrimitive(p *diagnostics.Pass, cs *pymodel.CallSite, prim blockingPrimitive) {
	call, ok := callNode(p.File, cs)
	if !ok {
		return
	}
	d := diagnostics.Diagnostic{Start: call.Start(), End: call.End()}
	label := "`" + sourceLabel(call) + "` blocks the event loop"
	if prim.Note != "" {
		label += " (" + prim.Note + ")"
	}
	if prim.Twin != "" {
		if fix, ok := twinLibraryFix(p, call, prim.Twin); ok {
			d.Message = label + "; use `await " + prim.Twin + "(…)`"
			d.Fixes = []diagnostics.Fix{fix}
			p.Report(d)
			return
		}
	}
	d.Message = label + "; run it in a thread with `await asyncio.to_thread(…)`"
	if strings.HasPrefix(prim.Reason, "sends a sync Redis") {
		d.Message = label + "; use the `redis.asyncio` client or `await asyncio.to_thread(…)`"
	}
	if fix, ok := toThreadFix(p, call); ok {
		d.Fixes = []diagnostics.Fix{fix}
	}
	p.Report(d)
}

func reportOpen(p *diagnostics.Pass, cs *pymodel.CallSite, fn *pymodel.Function) {
	call, ok := callNode(p.File, cs)
	if !ok {
		return
	}
	p.Report(diagnostics.Diagnostic{
		Start: call.Start(), End: call.End(),
		Message: "`" + sourceLabel(call) + "` does blocking file I/O in request handler `" + fn.Name +
			"`; read the file with `aiofiles` or inside `await asyncio.to_thread(…)`",
	})
}

// checkProjectCall reports a call of project code that blocks.
func checkProjectCall(p *diagnostics.Pass, ix *blockingIndex, cs *pymodel.CallSite, t workspace.Target) {
	f := p.File
	if !ix.runsSyncBody(t) {
		return
	}
	// Most specific rule first: a sync API given an AsyncSession is
	// AM105's, an awaited plain def AM302's.
	if p.Enabled("AM105") {
		for _, sm := range sessionMismatches(f.Eval, f.Module, cs.Scope, cs.Call) {
			if sm.asyncToSync() {
				return
			}
		}
	}
	path, blocks := ix.CallBlocks(f.Module, cs.Scope, cs.Call, t)
	if !blocks {
		return
	}
	call, ok := callNode(f, cs)
	if !ok {
		return
	}
	if cs.Awaited {
		if _, awaitOnSync := awaitsSyncCallee(p, call); awaitOnSync && p.Enabled("AM302") {
			return
		}
	}
	why := "it " + path.Reason
	if len(path.Chain) > 0 {
		why = "it calls `" + strings.Join(path.Chain, "` → `") + "`, which " + path.Reason
	}
	d := diagnostics.Diagnostic{
		Start: call.Start(), End: call.End(),
		Related: []diagnostics.Related{{
			Path: path.Site.Mod.Path, Start: int(path.Site.Start), End: int(path.Site.End),
			Message: "`" + path.Owner + "` " + path.Reason + " here",
		}},
	}
	label := "`" + sourceLabel(call) + "` blocks the event loop: " + why
	if fix, twin, ok := twinProjectFix(p, call); ok {
		d.Message = label + "; use `await " + twin + "(…)`"
		d.Fixes = []diagnostics.Fix{fix}
		p.Report(d)
		return
	}
	d.Message = label + "; run it in a thread with `await asyncio.to_thread(…)`"
	if !cs.Awaited {
		if fix, ok := toThreadFix(p, call); ok {
			d.Fixes = []diagnostics.Fix{fix}
		}
	}
	p.Report(d)
}

// twinProjectFix switches a call of project code to its async twin.
func twinProjectFix(p *diagnostics.Pass, call pysyntax.Node) (diagnostics.Fix, string, bool) {
	tw, ok := asyncTwinCall(p, call)
	if !ok || !tw.Coroutine {
		return diagnostics.Fix{}, "", false
	}
	fix, ok := useTwinFix(p, call, tw)
	return fix, tw.Callee, ok
}

// twinLibraryFix replaces a blocking library call by its awaitable twin
// with the same arguments (`time.sleep(x)` → `await asyncio.sleep(x)`).
// The twins take the same single positional argument.
func twinLibraryFix(p *diagnostics.Pass, call pysyntax.Node, twin string) (diagnostics.Fix, bool) {
	args := pymodel.ExprOf(call)
	if len(args.Args) != 1 || args.Args[0].Kw != "" || args.Args[0].Op == pymodel.OpStarred || !awaitAllowed(p.File, call) {
		return diagnostics.Fix{}, false
	}
	module, _ := splitDotted(twin)
	imp, ok := moduleReference(p, call, module)
	if !ok {
		return diagnostics.Fix{}, false
	}
	fn := call.ChildByField(pysyntax.FieldFunction)
	text := twin + p.Text(fn.End(), call.End())
	fix := diagnostics.Fix{Title: "Use `await " + twin + "(…)`", Applicability: diagnostics.Unsafe,
		Edits: []diagnostics.Edit{awaitedReplacement(call, text)}}
	if imp != nil {
		fix.Edits = append(fix.Edits, *imp)
	}
	return fix, true
}

// toThreadFix runs the call in a worker thread:
// `f(a, k=v)` → `await asyncio.to_thread(f, a, k=v)`.
func toThreadFix(p *diagnostics.Pass, call pysyntax.Node) (diagnostics.Fix, bool) {
	if !awaitAllowed(p.File, call) || !awaitingNode(call).IsNull() {
		return diagnostics.Fix{}, false
	}
	imp, ok := moduleReference(p, call, "asyncio")
	if !ok {
		return diagnostics.Fix{}, false
	}
	fn := call.ChildByField(pysyntax.FieldFunction)
	args := call.ChildByField(pysyntax.FieldArguments)
	var rest string
	switch {
	case args.Is(pysyntax.ArgumentList):
		inner := p.Text(args.Start()+1, args.End()-1)
		switch {
		case strings.TrimSpace(inner) == "":
		case strings.HasPrefix(inner, "\n") || strings.HasPrefix(inner, "\r"):
			rest = "," + inner
		default:
			rest = ", " + inner
		}
	case args.Is(pysyntax.GeneratorExpression):
		rest = ", " + args.Text() // f(x for x in y): the generator keeps its parentheses
	default:
		return diagnostics.Fix{}, false
	}
	fnText := fn.Text()
	text := "asyncio.to_thread(" + fnText + rest + ")"
	fix := diagnostics.Fix{Title: "Run it in a thread: `await asyncio.to_thread(" + sourceLabel(fn) + ", …)`", Applicability: diagnostics.Unsafe,
		Edits: []diagnostics.Edit{awaitedReplacement(call, text)}}
	if imp != nil {
		fix.Edits = append(fix.Edits, *imp)
	}
	return fix, true
}

// moduleReference makes `module` (asyncio) usable by name at n: nothing to
// do when it is imported, else `import module`. ok is false when the name
// means something else there.
func moduleReference(p *diagnostics.Pass, n pysyntax.Node, module string) (*diagnostics.Edit, bool) {
	f := p.File
	if v := f.Eval.Name(f.Module, f.ScopeOf(n), module); v.Kind == pymodel.External && v.Name == module {
		return nil, true
	}
	if _, where := f.Module.Lookup(f.ScopeOf(n), module); where != nil && where != f.Module.Scope {
		return nil, false // a local of that name hides the module
	}
	return diagnostics.ModuleImportEdit(f, module)
}

func splitDotted(s string) (head, last string) {
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		return s[:i], s[i+1:]
	}
	return "", s
}
