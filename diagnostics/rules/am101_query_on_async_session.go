package rules

import (
	"runtime"
	"strings"
	"sync"
	"weak"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM101) }

var AM101 = &diagnostics.Rule{
	Code:     "AM101",
	Name:     "query-on-async-session",
	Severity: diagnostics.SeverityError,
	Summary:  "`s.query(...)` on an AsyncSession: the legacy Query API does not exist there",
	Fix:      diagnostics.FixSometimes,
	Kinds:    []pysyntax.Kind{pysyntax.Call},
	Check:    checkAM101,
	Doc: `## What it does
Flags ` + "`s.query(...)`" + ` where ` + "`s`" + ` is an ` + "`AsyncSession`" + `: annotated so, injected by a
dependency that yields one, opened from an ` + "`async_sessionmaker`" + `, or passed in by every
caller even though the parameter is annotated ` + "`Session`" + ` (annotations lie in
half-migrated code; the diagnostic points at the call site).

## Why is this bad?
` + "`AsyncSession`" + ` has no ` + "`query()`" + ` method: the legacy Query API only exists on the sync
` + "`Session`" + `. The line raises ` + "`AttributeError`" + ` at run time, usually in an endpoint that
was made ` + "`async`" + ` without rewriting its queries.

## Example
` + "```python" + `
async def socios(db: AsyncSession = Depends(get_async_db)):
    return db.query(User).filter(User.activo.is_(True)).all()
` + "```" + `

Use instead:
` + "```python" + `
from sqlalchemy import select

async def socios(db: AsyncSession = Depends(get_async_db)):
    return (await db.execute(select(User).where(User.activo.is_(True)))).scalars().all()
` + "```" + `

## Fix
Unsafe: the chain is rewritten to 2.0 style, keeping what the legacy Query did:
` + "`.filter()`" + ` becomes ` + "`.where()`" + ` (` + "`filter_by`, `order_by`, `limit`, `offset`, `join`, `options`, `group_by`, `distinct`" + ` stay);
` + "`.first()`" + ` adds ` + "`.limit(1)`" + `; ` + "`.scalar()`" + ` becomes ` + "`.scalar_one_or_none()`" + `; ` + "`.count()`" + ` becomes
` + "`select(func.count()).select_from(stmt.subquery())`" + `; a single entity is read with
` + "`.scalars()`" + `, several entities or columns as rows; the legacy Query de-duplicated
entities, so ` + "`.unique()`" + ` is added unless the rows provably cannot repeat one (it is
added for joins to collections or of unknown cardinality without ` + "`.distinct()`" + `, and
for ` + "`joinedload`" + ` of a collection); ` + "`.get(id)`" + ` becomes ` + "`await s.get(X, id)`" + `. ` + "`select`" + ` and
` + "`func`" + ` are imported from ` + "`sqlalchemy`" + ` when missing. Models outside the workspace are
taken as what such query arguments are: an imported name (` + "`User`" + `) a mapped class, one
attribute of it (` + "`User.id`" + `) a column. There is no fix for chains without a 2.0 equivalent
(` + "`from_self()`, `join(..., aliased=True)`" + `, relationships named by strings, ` + "`lazy=\"dynamic\"`" + `
relationships), nor inside a plain ` + "`def`" + `, where ` + "`await`" + ` is not allowed: make it ` + "`async`" + ` first.`,
}

func checkAM101(p *diagnostics.Pass, call pysyntax.Node) {
	fn := call.ChildByField(pysyntax.FieldFunction)
	if !fn.Is(pysyntax.Attribute) || !fn.ChildByField(pysyntax.FieldAttribute).TextIs("query") {
		return
	}
	sc, ok := sessionMethodCall(p.File, call)
	if !ok || sc.Value.Kind != pymodel.AsyncSession {
		return
	}
	recv, v := sc.Recv, sc.Value
	shown := oneLine(call.Text())
	if len(shown) > 60 {
		shown = oneLine(recv.Text()) + ".query(…)"
	}
	recvText := oneLine(recv.Text())
	msg := "`" + shown + "` uses the legacy Query API, which AsyncSession does not have"
	d := diagnostics.Diagnostic{Start: call.Start(), End: call.End()}
	clause, related := viaCallSite(p, v, recvText)
	msg += clause
	d.Related = related
	d.Message = msg + "; use `select()` with `await " + recvText + ".execute(…)`"
	fix, why := am101Fix(p, call)
	if fix != nil {
		d.Fixes = []diagnostics.Fix{*fix}
	} else if why != "" {
		d.Message += " (no automatic rewrite: " + why + ")"
	}
	p.Report(d)
}

// am101Fix rewrites the chain, or says why there is no fix.
func am101Fix(p *diagnostics.Pass, call pysyntax.Node) (*diagnostics.Fix, string) {
	if !awaitAllowed(p.File, call) {
		return nil, "`await` is not allowed here; make the function `async` first"
	}
	chain := parseQueryChain(call)
	rw, why := rewriteQuery(p.Src(), chain, fileORMFacts{p})
	if why != "" {
		return nil, why
	}
	edits := rw.Edits
	imports, ok := sqlalchemyImports(p, call, rw.Needs)
	if !ok {
		return nil, "`" + strings.Join(rw.Needs, "`/`") + "` means something else in this module"
	}
	edits = append(edits, imports...)
	return &diagnostics.Fix{Title: rw.Title, Applicability: diagnostics.Unsafe, Edits: edits}, ""
}

// sqlalchemyImports returns the edits that make names from sqlalchemy
// usable at n: nothing when they already are, one import otherwise. ok is
// false when a name is bound to something else there.
func sqlalchemyImports(p *diagnostics.Pass, n pysyntax.Node, names []string) ([]diagnostics.Edit, bool) {
	f := p.File
	scope := f.ScopeOf(n)
	for _, name := range names {
		if bs, where := f.Module.Lookup(scope, name); bs != nil && where != f.Module.Scope {
			return nil, false // a local of the same name
		}
	}
	// The rest depends on the module only: every fix of the file shares it.
	memo := fileImportMemo(f)
	key := strings.Join(names, ",")
	memo.mu.Lock()
	defer memo.mu.Unlock()
	if r, ok := memo.byNames[key]; ok {
		return r.edits, r.ok
	}
	edits, ok := moduleImportEdits(f, names)
	memo.byNames[key] = importResult{edits, ok}
	return edits, ok
}

// moduleImportEdits imports the names from sqlalchemy at module level.
func moduleImportEdits(f *pymodel.File, names []string) ([]diagnostics.Edit, bool) {
	var edits []diagnostics.Edit
	var missing []string
	for _, name := range names {
		if bs := f.Module.Scope.Names[name]; bs != nil {
			if v := f.Eval.Name(f.Module, f.Module.Scope, name); v.Kind == pymodel.External && sqlalchemyNames[v.Name] == name {
				continue
			}
		}
		e, ok := diagnostics.ImportEdit(f, "sqlalchemy", name)
		if !ok {
			return nil, false
		}
		if e != nil {
			edits = append(edits, *e)
			missing = append(missing, name)
		}
	}
	if len(edits) == 2 && edits[0].Start == edits[1].Start && edits[0].Start == edits[0].End && edits[1].Start == edits[1].End {
		// Both go to the same place: one `from sqlalchemy import func, select`
		// (or `, func, select`), not two lines.
		joined := strings.Join(missing, ", ")
		a, b := edits[0].NewText, edits[1].NewText
		switch {
		case a == ", "+missing[0] && b == ", "+missing[1]:
			return []diagnostics.Edit{{Start: edits[0].Start, End: edits[0].End, NewText: ", " + joined}}, true
		case strings.Contains(a, "from sqlalchemy import "+missing[0]) && strings.Contains(b, "from sqlalchemy import "+missing[1]):
			return []diagnostics.Edit{{Start: edits[0].Start, End: edits[0].End, NewText: strings.Replace(a, "import "+missing[0], "import "+joined, 1)}}, true
		}
		return []diagnostics.Edit{{Start: edits[0].Start, End: edits[0].End, NewText: a + b}}, true
	}
	return edits, true
}

type importResult struct {
	edits []diagnostics.Edit
	ok    bool
}

type importMemo struct {
	mu      sync.Mutex
	byNames map[string]importResult
}

// importMemos holds one importMemo per analysed file, dropped when the file
// is garbage: finding where an import goes scans the module's statements,
// and a file with many legacy queries would scan them once per fix.
var importMemos sync.Map // weak.Pointer[pymodel.File] → *importMemo

func fileImportMemo(f *pymodel.File) *importMemo {
	key := weak.Make(f)
	if m, ok := importMemos.Load(key); ok {
		return m.(*importMemo)
	}
	m, loaded := importMemos.LoadOrStore(key, &importMemo{byNames: map[string]importResult{}})
	if !loaded {
		runtime.AddCleanup(f, func(k weak.Pointer[pymodel.File]) { importMemos.Delete(k) }, key)
	}
	return m.(*importMemo)
}

// sqlalchemyNames are the qualified names under which sqlalchemy's select
// and func are imported.
var sqlalchemyNames = map[string]string{
	"sqlalchemy.select": "select", "sqlalchemy.future.select": "select", "sqlalchemy.sql.select": "select",
	"sqlalchemy.sql.expression.select": "select", "sqlmodel.select": "select",
	"sqlalchemy.func": "func", "sqlalchemy.sql.func": "func", "sqlalchemy.sql.expression.func": "func",
	"sqlalchemy.sql.functions.func": "func", "sqlmodel.func": "func",
}

// oneLine collapses runs of whitespace so an expression fits a message.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// fileORMFacts answers the translator from the file's model.
type fileORMFacts struct{ p *diagnostics.Pass }

func (f fileORMFacts) eval(n pysyntax.Node) (*pymodel.Module, *pymodel.Scope, *pymodel.Expr) {
	return f.p.File.Module, f.p.File.ScopeOf(n), pymodel.ExprOf(n)
}

func (f fileORMFacts) Entity(arg pysyntax.Node) pymodel.ORMKind {
	m, s, e := f.eval(arg)
	return f.p.File.Eval.QueryEntity(m, s, e)
}

func (f fileORMFacts) Relationship(path pysyntax.Node) pymodel.ORMKind {
	if !path.Is(pysyntax.Attribute) {
		return pymodel.ORMUnknown
	}
	return f.Attr(path.ChildByField(pysyntax.FieldObject), path.ChildByField(pysyntax.FieldAttribute).Text())
}

func (f fileORMFacts) Attr(entity pysyntax.Node, name string) pymodel.ORMKind {
	v := f.p.File.Value(entity)
	if v.Kind != pymodel.ClassRef {
		return pymodel.ORMUnknown
	}
	return f.p.File.Eval.ORMAttr(v.Mod, v.Class, name)
}

func (f fileORMFacts) Loader(callee pysyntax.Node) string {
	v := f.p.File.Value(callee)
	if v.Kind != pymodel.External || !strings.HasPrefix(v.Name, "sqlalchemy.orm.") {
		return ""
	}
	if last := pymodel.LastSegment(v.Name); loaderMethods[last] || last == "Load" {
		return last
	}
	return ""
}
