package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM402) }

var AM402 = &diagnostics.Rule{
	Code:     "AM402",
	Name:     "missing-import",
	Severity: diagnostics.SeverityError,
	Summary:  "A name the async style needs is used but neither imported nor defined",
	Fix:      diagnostics.FixSometimes,
	Kinds:    []pysyntax.Kind{pysyntax.Identifier},
	Check:    checkAM402,
	Doc: `## What it does
Flags uses of the names a migration to SQLAlchemy 2.0's async style brings in
when the module neither imports nor defines them: ` + "`select`, `update`, `delete`, `insert`, `func`, `and_`, `or_`" + ` (from ` + "`sqlalchemy`" + `),
` + "`selectinload`, `joinedload`" + ` (from ` + "`sqlalchemy.orm`" + `), ` + "`AsyncSession`" + ` (from
` + "`sqlalchemy.ext.asyncio`" + `), ` + "`timezone`" + ` (from ` + "`datetime`" + `) and ` + "`asyncio`" + `.

A name bound anywhere it is visible — a parameter, a local, a function-local
import, an import under ` + "`if TYPE_CHECKING:`" + `, a module-level ` + "`def`" + ` — is not
missing, and neither is one a ` + "`from hub import *`" + ` inside the workspace provides.
A star import the index cannot see into (a library, a module outside the
workspace) could provide anything, so the rule stays silent there.

## Why is this bad?
The module fails with ` + "`NameError`" + ` when the line runs — often only on the
request path that uses it, after the migration was deployed.

## Example
` + "```python" + `
from sqlalchemy import select


async def total(db: AsyncSession) -> int:
    return await db.scalar(select(func.count(User.id)))
` + "```" + `

Use instead:
` + "```python" + `
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


async def total(db: AsyncSession) -> int:
    return await db.scalar(select(func.count(User.id)))
` + "```" + `

## Fix
Safe: adds the import in the file's style — the name joins an existing
` + "`from <module> import …`" + ` (one per line inside a parenthesised block), or a new
line goes beside the imports of the same package, else at the end of the
import block, else after the docstring and ` + "`__future__`" + ` imports.`,
}

// missingImportSource returns the module each name AM402 knows comes
// from; "" means the name is the module (`import asyncio`). A switch, not
// a map: it runs for every identifier of the file, and comparing lengths
// first rejects almost all of them without hashing.
func missingImportSource(name []byte) (module string, known bool) {
	switch string(name) {
	case "select", "update", "delete", "insert", "func", "and_", "or_":
		return "sqlalchemy", true
	case "selectinload", "joinedload":
		return "sqlalchemy.orm", true
	case "AsyncSession":
		return "sqlalchemy.ext.asyncio", true
	case "timezone":
		return "datetime", true
	case "asyncio":
		return "", true
	}
	return "", false
}

func checkAM402(p *diagnostics.Pass, id pysyntax.Node) {
	module, known := missingImportSource(id.Bytes())
	if !known || !readsName(id) {
		return
	}
	f := p.File
	name := id.Text()
	if f.Eval.ResolveName(f.Module, f.ScopeOf(id), name) != pymodel.NameUnbound {
		return
	}
	var (
		stmt string
		edit *diagnostics.Edit
		ok   bool
	)
	if module == "" {
		stmt = "import " + name
		edit, ok = diagnostics.ModuleImportEdit(f, name)
	} else {
		stmt = "from " + module + " import " + name
		edit, ok = diagnostics.ImportEdit(f, module, name)
	}
	d := diagnostics.Diagnostic{
		Start:   id.Start(),
		End:     id.End(),
		Message: "`" + name + "` is used but never imported or defined (NameError at run time); add `" + stmt + "`",
	}
	if ok && edit != nil {
		d.Fixes = []diagnostics.Fix{{Title: "Add `" + stmt + "`", Applicability: diagnostics.Safe, Edits: []diagnostics.Edit{*edit}}}
	}
	p.Report(d)
}

// readsName reports whether the identifier is a name being read, not an
// attribute, a keyword argument, an import clause or a binding site whose
// scope starts after it (parameters).
func readsName(id pysyntax.Node) bool {
	p := id.Parent()
	switch p.Kind() {
	case pysyntax.Attribute:
		return id.Field() == pysyntax.FieldObject
	case pysyntax.KeywordArgument, pysyntax.DefaultParameter, pysyntax.TypedDefaultParameter:
		return id.Field() == pysyntax.FieldValue
	case pysyntax.TypedParameter:
		return id.Field() == pysyntax.FieldType
	case pysyntax.Parameters, pysyntax.LambdaParameters, pysyntax.ListSplatPattern, pysyntax.DictionarySplatPattern,
		pysyntax.ImportStatement, pysyntax.ImportFromStatement, pysyntax.FutureImportStatement, pysyntax.DottedName,
		pysyntax.AliasedImport, pysyntax.GlobalStatement, pysyntax.NonlocalStatement:
		return false
	case pysyntax.FunctionDefinition, pysyntax.ClassDefinition:
		return id.Field() != pysyntax.FieldName
	}
	// Code the parser could not read is not worth a NameError claim.
	for a := p; !a.IsNull(); a = a.Parent() {
		if a.IsError() {
			return false
		}
	}
	return true
}
