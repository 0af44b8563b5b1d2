package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM201) }

var AM201 = &diagnostics.Rule{
	Code:     "AM201",
	Name:     "redis-keys",
	Severity: diagnostics.SeverityWarning,
	Summary:  "`KEYS` on a Redis client scans every key and blocks the server",
	Fix:      diagnostics.FixSometimes,
	Kinds:    []pysyntax.Kind{pysyntax.Call},
	Check:    checkAM201,
	Doc: `## What it does
Flags ` + "`r.keys(...)`" + ` where ` + "`r`" + ` is a Redis client: annotated ` + "`redis.asyncio.Redis`" + ` or
` + "`redis.Redis`" + `, built with ` + "`Redis(...)`" + `/` + "`from_url`" + `, returned by a function so annotated
or constructing one, or injected with ` + "`Depends`" + ` of such a function. Dicts,
` + "`os.environ`" + `, project classes with their own ` + "`keys`" + ` and values of unknown type are
left alone.

## Why is this bad?
` + "`KEYS`" + ` walks the whole keyspace in one command: O(N) in the number of keys,
and Redis is single-threaded, so every other client (sessions, rate limits,
caches) waits until it finishes. Redis' own documentation warns against it in
production. ` + "`SCAN`" + ` (` + "`scan_iter`" + `) returns the same keys in small batches.

## Example
` + "```python" + `
async def sesiones_abiertas(r: Redis = Depends(get_redis)):
    claves = await r.keys("sesion:*")


def limpiar(r: redis.Redis) -> None:
    r.delete(*r.keys("plan:*"))
` + "```" + `

Use instead:
` + "```python" + `
async def sesiones_abiertas(r: Redis = Depends(get_redis)):
    claves = [k async for k in r.scan_iter(match="sesion:*", count=100)]


def limpiar(r: redis.Redis) -> None:
    r.delete(*list(r.scan_iter(match="plan:*", count=100)))
` + "```" + `

## Fix
Unsafe (SCAN may return a key twice and sees keys changed during the
iteration differently): on the asyncio client
` + "`[k async for k in r.scan_iter(match=PATTERN, count=100)]`" + `, replacing the awaited
call and its ` + "`await`" + `; on the sync client
` + "`list(r.scan_iter(match=PATTERN, count=100))`" + `, dropping an ` + "`await`" + ` in front of
` + "`keys`" + ` too. No fix for an asyncio call that is not awaited, outside an
` + "`async def`" + `, or with arguments other than the pattern.`,
}

func checkAM201(p *diagnostics.Pass, call pysyntax.Node) {
	fn := call.ChildByField(pysyntax.FieldFunction)
	if !fn.Is(pysyntax.Attribute) || !fn.ChildByField(pysyntax.FieldAttribute).TextIs("keys") {
		return
	}
	f := p.File
	recv := fn.ChildByField(pysyntax.FieldObject)
	v := clientValue(f, recv, "keys")
	if !v.IsRedis() {
		return
	}
	clause, related := viaCallSite(p, v, recv.Text())
	d := diagnostics.Diagnostic{
		Start:   call.Start(),
		End:     call.End(),
		Message: "`" + sourceLabel(call) + "` runs KEYS, which scans every key and blocks the Redis server" + clause + "; iterate with `scan_iter`",
		Related: related,
	}
	if fix, ok := scanIterFix(f, call, recv, v.Kind); ok {
		d.Fixes = []diagnostics.Fix{fix}
	}
	p.Report(d)
}

// maxFixTitle is how much code a fix title quotes.
const maxFixTitle = 80

// scanIterFix rewrites recv.keys(PATTERN) into the SCAN form of the
// client's flavour, replacing an `await` in front of the call too.
func scanIterFix(f *pymodel.File, call, recv pysyntax.Node, kind pymodel.VKind) (diagnostics.Fix, bool) {
	pattern, ok := keysPattern(call)
	if !ok {
		return diagnostics.Fix{}, false
	}
	target := call
	aw := awaitingNode(call)
	if !aw.IsNull() {
		target = aw
	}
	shape := func(match string) string {
		args := "count=100"
		if match != "" {
			args = "match=" + match + ", " + args
		}
		scan := recv.Text() + ".scan_iter(" + args + ")"
		if kind == pymodel.AsyncRedis {
			return "[k async for k in " + scan + "]"
		}
		return "list(" + scan + ")"
	}
	switch kind {
	case pymodel.AsyncRedis:
		// Only the awaited call holds the keys; an async comprehension
		// needs an async def.
		if aw.IsNull() || !awaitAllowed(f, call) {
			return diagnostics.Fix{}, false
		}
	case pymodel.SyncRedis:
		if bs, _ := f.Module.Lookup(f.ScopeOf(call), "list"); bs != nil {
			return diagnostics.Fix{}, false // `list` is not the builtin here
		}
	default:
		return diagnostics.Fix{}, false
	}
	text := shape(pattern)
	title := "Replace with `" + text + "`"
	if len(text) > maxFixTitle || hasNewline([]byte(text)) {
		title = "Replace with `" + shape("…") + "`"
		if short := shape("…"); len(short) > maxFixTitle || hasNewline([]byte(short)) {
			title = "Replace `keys` with `scan_iter`"
		}
	}
	return diagnostics.Fix{
		Title:         title,
		Applicability: diagnostics.Unsafe,
		Edits:         []diagnostics.Edit{{Start: target.Start(), End: target.End(), NewText: text}},
	}, true
}

// keysPattern returns the source of the pattern given to keys() ("" when
// there is none); ok is false when the call passes anything else or holds
// a comment the rewrite would lose.
func keysPattern(call pysyntax.Node) (string, bool) {
	args := call.ChildByField(pysyntax.FieldArguments)
	if !args.Is(pysyntax.ArgumentList) {
		return "", false
	}
	pattern, seen := "", false
	for c := args.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		switch {
		case c.IsExtra():
			return "", false
		case !c.IsNamed():
			continue
		case seen:
			return "", false
		case c.Is(pysyntax.KeywordArgument):
			if !c.ChildByField(pysyntax.FieldName).TextIs("pattern") {
				return "", false
			}
			pattern, seen = c.ChildByField(pysyntax.FieldValue).Text(), true
		case c.Is(pysyntax.ListSplat), c.Is(pysyntax.DictionarySplat):
			return "", false
		default:
			pattern, seen = c.Text(), true
		}
	}
	return pattern, true
}
