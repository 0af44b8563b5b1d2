package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM304) }

var AM304 = &diagnostics.Rule{
	Code:     "AM304",
	Name:     "event-loop-reentry",
	Severity: diagnostics.SeverityError,
	Summary:  "`asyncio.run()` or `loop.run_until_complete()` inside a running event loop",
	Fix:      diagnostics.FixSometimes,
	Kinds:    []pysyntax.Kind{pysyntax.Call},
	Check:    checkAM304,
	Doc: `## What it does
Flags ` + "`asyncio.run(...)`" + ` (in any import style) and ` + "`loop.run_until_complete(...)`" + `
on a loop from ` + "`asyncio.get_event_loop()`" + `, ` + "`new_event_loop()`" + ` or ` + "`get_running_loop()`" + `
in async context: directly inside an ` + "`async def`" + `.

A nested plain ` + "`def`" + `, a lambda or a class body resets the context: code there
usually runs in another thread (` + "`asyncio.to_thread`" + `, ` + "`run_in_executor`" + `,
` + "`threading.Thread`" + `) and may own its loop.

## Why is this bad?
Both start an event loop in a thread that is already running one. They
raise ` + "`RuntimeError: asyncio.run() cannot be called from a running event loop`" + `
(or "This event loop is already running"), and the coroutine passed in is
never awaited. Code like this appears when a sync helper that used
` + "`asyncio.run`" + ` is moved into an ` + "`async def`" + `.

## Example
` + "```python" + `
@router.post("/rankings")
async def recalcular_rankings():
    asyncio.run(refrescar_rankings())
` + "```" + `

Use instead:
` + "```python" + `
@router.post("/rankings")
async def recalcular_rankings():
    await refrescar_rankings()
` + "```" + `

## Fix
Safe: awaits the coroutine directly (` + "`await refrescar_rankings()`" + `), parenthesised
where needed. Not offered when the call passes more than the coroutine
(` + "`asyncio.run(main(), debug=True)`" + `) or where ` + "`await`" + ` cannot be written.`,
}

// loopRunners are the qualified names of the calls that start an event
// loop: asyncio.run, and run_until_complete on the loops asyncio hands out
// (the evaluator names a method of an external instance after the call
// that made the instance).
var loopRunners = map[string]bool{
	"asyncio.run":         true,
	"asyncio.runners.run": true,
	"asyncio.get_event_loop.run_until_complete":                       true,
	"asyncio.new_event_loop.run_until_complete":                       true,
	"asyncio.get_running_loop.run_until_complete":                     true,
	"asyncio.events.get_event_loop.run_until_complete":                true,
	"asyncio.events.new_event_loop.run_until_complete":                true,
	"asyncio.events.get_running_loop.run_until_complete":              true,
	"asyncio.get_event_loop_policy.new_event_loop.run_until_complete": true,
}

// eventLoopReentry is AM304's premise, which AM301 defers to: call starts
// an event loop from async context.
func eventLoopReentry(p *diagnostics.Pass, call pysyntax.Node) bool {
	fn := call.ChildByField(pysyntax.FieldFunction)
	switch {
	case fn.Is(pysyntax.Identifier):
		if !fn.TextIs("run") {
			return false
		}
	case fn.Is(pysyntax.Attribute):
		attr := fn.ChildByField(pysyntax.FieldAttribute)
		if !attr.TextIs("run") && !attr.TextIs("run_until_complete") {
			return false
		}
	default:
		return false
	}
	return p.File.InAsync(call) && loopRunners[p.File.Qualified(fn)]
}

func checkAM304(p *diagnostics.Pass, call pysyntax.Node) {
	if !eventLoopReentry(p, call) {
		return
	}
	d := diagnostics.Diagnostic{
		Start:   call.Start(),
		End:     call.End(),
		Message: "`" + sourceLabel(call) + "` starts an event loop inside a running one and raises RuntimeError; await the coroutine instead",
	}
	if coro, ok := onlyArgument(call); ok && awaitAllowed(p.File, call) {
		operand := coro.Text()
		if !isPrimary(coro) {
			operand = "(" + operand + ")"
		}
		text := "await " + operand
		if bindsTighterThanAwait(call) {
			text = "(" + text + ")"
		}
		d.Fixes = []diagnostics.Fix{{
			Title:         "Replace with `await " + sourceLabel(coro) + "`",
			Applicability: diagnostics.Safe,
			Edits:         []diagnostics.Edit{{Start: call.Start(), End: call.End(), NewText: text}},
		}}
	}
	p.Report(d)
}

// onlyArgument returns the single positional argument of call, if that is
// all it passes.
func onlyArgument(call pysyntax.Node) (pysyntax.Node, bool) {
	args := call.ChildByField(pysyntax.FieldArguments)
	if !args.Is(pysyntax.ArgumentList) {
		return pysyntax.Node{}, false
	}
	var only pysyntax.Node
	for c := args.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.IsExtra() {
			return pysyntax.Node{}, false // a comment would be lost with the call
		}
		if !c.IsNamed() {
			continue
		}
		if !only.IsNull() || c.Is(pysyntax.KeywordArgument) || c.Is(pysyntax.ListSplat) || c.Is(pysyntax.DictionarySplat) {
			return pysyntax.Node{}, false
		}
		only = c
	}
	return only, !only.IsNull()
}

// isPrimary reports whether n can follow `await` without parentheses.
func isPrimary(n pysyntax.Node) bool {
	switch n.Kind() {
	case pysyntax.Identifier, pysyntax.Call, pysyntax.Attribute, pysyntax.Subscript, pysyntax.ParenthesizedExpr:
		return true
	}
	return false
}
