package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM501) }

var AM501 = &diagnostics.Rule{
	Code:     "AM501",
	Name:     "naive-utcnow",
	Severity: diagnostics.SeverityWarning,
	Summary:  "`datetime.utcnow()` is deprecated and returns a naive datetime",
	Fix:      diagnostics.FixSometimes,
	Kinds:    []pysyntax.Kind{pysyntax.Call},
	Check:    checkAM501,
	Doc: `## What it does
Flags calls of ` + "`datetime.utcnow()`" + ` in any import style (` + "`datetime.datetime.utcnow()`" + `, aliases).

## Why is this bad?
` + "`utcnow()`" + ` is deprecated since Python 3.12 and returns a *naive* datetime that
looks like local time to every API that receives it. Migrations to async
drivers (asyncpg) make the problem visible: asyncpg refuses to guess, and
comparisons between naive and aware values raise ` + "`TypeError: can't compare offset-naive and offset-aware datetimes`" + `.

## Example
` + "```python" + `
from datetime import datetime

expires = datetime.utcnow()
` + "```" + `

Use instead:
` + "```python" + `
from datetime import datetime, timezone

expires = datetime.now(timezone.utc).replace(tzinfo=None)  # same naive value
expires = datetime.now(timezone.utc)                       # aware value
` + "```" + `

## Fix
Two fixes. The safe one (preferred, applied by ` + "`asyncmig fix`" + `) keeps the
value naive: ` + "`datetime.now(timezone.utc).replace(tzinfo=None)`" + `. The unsafe one
makes it timezone-aware, ` + "`datetime.now(timezone.utc)`" + `, which breaks comparisons
with naive values and ` + "`TIMESTAMP WITHOUT TIME ZONE`" + ` columns under asyncpg. Both add
` + "`timezone`" + ` to the existing ` + "`from datetime import`" + `; under ` + "`import datetime`" + ` they spell
` + "`datetime.timezone.utc`" + `. With ` + "`target-version`" + ` ≥ py311 and ` + "`UTC`" + ` already imported,
` + "`UTC`" + ` is used.`,
}

func checkAM501(p *diagnostics.Pass, call pysyntax.Node) {
	cls, ok := naiveDatetimeCall(p, call, "utcnow")
	if !ok {
		return
	}
	d := diagnostics.Diagnostic{
		Start:   call.Start(),
		End:     call.End(),
		Message: "`" + cls.Text() + ".utcnow()` is deprecated and returns a naive datetime; use `" + cls.Text() + ".now(timezone.utc)`",
	}
	args := call.ChildByField(pysyntax.FieldArguments)
	if len(args.NamedChildren()) == 0 {
		if tz, imp, ok := utcExpr(p, cls); ok {
			d.Fixes = awareFixes(call, cls.Text()+".now("+tz+")", imp)
		}
	}
	p.Report(d)
}
