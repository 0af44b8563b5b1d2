package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM502) }

var AM502 = &diagnostics.Rule{
	Code:     "AM502",
	Name:     "naive-utcfromtimestamp",
	Severity: diagnostics.SeverityWarning,
	Summary:  "`datetime.utcfromtimestamp()` is deprecated and returns a naive datetime",
	Fix:      diagnostics.FixSometimes,
	Kinds:    []pysyntax.Kind{pysyntax.Call},
	Check:    checkAM502,
	Doc: `## What it does
Flags ` + "`datetime.utcfromtimestamp(ts)`" + ` in any import style.

## Why is this bad?
Like ` + "`utcnow()`" + `, it is deprecated (Python 3.12) and returns a naive datetime
that other code reads as local time; async drivers and aware values
elsewhere turn it into ` + "`TypeError`" + `s at run time.

## Example
` + "```python" + `
created = datetime.utcfromtimestamp(payload["iat"])
` + "```" + `

Use instead:
` + "```python" + `
created = datetime.fromtimestamp(payload["iat"], tz=timezone.utc).replace(tzinfo=None)
` + "```" + `

## Fix
Safe (preferred): ` + "`datetime.fromtimestamp(ts, tz=timezone.utc).replace(tzinfo=None)`" + `,
the same naive value. Unsafe: ` + "`datetime.fromtimestamp(ts, tz=timezone.utc)`" + `, an aware
value. Both add ` + "`timezone`" + ` to the existing ` + "`from datetime import`" + `. Calls with
anything but one positional argument get the diagnostic only.`,
}

func checkAM502(p *diagnostics.Pass, call pysyntax.Node) {
	cls, ok := naiveDatetimeCall(p, call, "utcfromtimestamp")
	if !ok {
		return
	}
	d := diagnostics.Diagnostic{
		Start:   call.Start(),
		End:     call.End(),
		Message: "`" + cls.Text() + ".utcfromtimestamp()` is deprecated and returns a naive datetime; use `" + cls.Text() + ".fromtimestamp(ts, tz=timezone.utc)`",
	}
	args := call.ChildByField(pysyntax.FieldArguments).NamedChildren()
	if len(args) == 1 && !args[0].Is(pysyntax.KeywordArgument) && !args[0].Is(pysyntax.ListSplat) && !args[0].Is(pysyntax.DictionarySplat) {
		if tz, imp, ok := utcExpr(p, cls); ok {
			d.Fixes = awareFixes(call, cls.Text()+".fromtimestamp("+args[0].Text()+", tz="+tz+")", imp)
		}
	}
	p.Report(d)
}
