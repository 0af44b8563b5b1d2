package rules

import (
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM104) }

var AM104 = &diagnostics.Rule{
	Code:     "AM104",
	Name:     "sync-session-in-async",
	Severity: diagnostics.SeverityWarning,
	Summary:  "An `async def` takes or opens a sync SQLAlchemy `Session`",
	Fix:      diagnostics.FixSometimes,
	Finish:   finishAM104,
	Doc: `## What it does
Flags an ` + "`async def`" + ` whose parameter is a sync SQLAlchemy ` + "`Session`" + ` — by its
annotation (` + "`Session`" + `, ` + "`Optional[Session]`" + `, ` + "`\"Session\"`" + `, any import alias) or by
` + "`Depends`" + ` of a sync session dependency (a provider that yields or returns a
` + "`Session`" + `, or a name listed in ` + "`sync-session-dependencies`" + `) — and one that opens a
sync Session itself: ` + "`SessionLocal()`" + `, ` + "`with SessionLocal() as db`" + `,
` + "`with Session(engine)`" + `. Only the innermost function counts: a nested plain ` + "`def`" + `,
a ` + "`lambda`" + ` or a class body run elsewhere (a thread), and a plain ` + "`def`" + ` endpoint
is correct as it is (FastAPI runs it in a threadpool). Names decide nothing: an
HTTP ` + "`requests.Session`" + ` or Starlette's ` + "`request.session`" + ` is not a database session.
A ` + "`SessionLocal`" + ` imported from code the workspace cannot resolve is a sync factory
by convention, but not where the code enters it with ` + "`async with`" + ` (a sync Session
cannot be): that is SQLAlchemy 1.4's ` + "`sessionmaker(engine, class_=AsyncSession)`" + `.

## Why is this bad?
Every query of a sync Session waits for the database on the event loop's only
thread: while it waits, no other request is served. Under load one slow query
stalls the whole server.

## Example
` + "```python" + `
@router.get("/")
async def listar_socios(db: Session = Depends(get_db)):
    return db.execute(select(User)).scalars().all()
` + "```" + `

Use instead:
` + "```python" + `
@router.get("/")
async def listar_socios(db: AsyncSession = Depends(get_async_db)):
    return (await db.execute(select(User))).scalars().all()
` + "```" + `

## Fix
Unsafe (the body still has to await the session's calls, which AM102 then
reports). For a parameter: the annotation becomes ` + "`AsyncSession`" + ` and the
dependency its async twin — ` + "`get_db`" + ` → ` + "`get_async_db`" + ` (or ` + "`async_get_db`" + ` by the
configured ` + "`twin-patterns`" + `) defined beside it or in its async twin module and
providing an AsyncSession, or a configured ` + "`async-session-dependencies`" + ` name of
the same library — adding the imports. A dependency without such a twin gets no
fix, and neither does a session the function opens itself.`,
}

func finishAM104(p *diagnostics.Pass) {
	f := p.File
	for _, fn := range f.Module.Functions {
		if !fn.Async || fn.Lambda || fn.Scope == nil || !p.Wants(int(fn.Start)) {
			continue
		}
		for _, param := range fn.Params {
			// The parameter's kind as the function sees it: a session that
			// call sites pass in beats the annotation (AM105 reports that).
			v := f.Eval.Binding(f.Module, fn.Scope, param)
			if v.Kind == pymodel.SyncSession && v.Via == nil {
				reportSyncSessionParam(p, fn, param)
			}
		}
		for _, cs := range fn.Calls {
			if cs.Scope != nil && cs.Scope.Async() && cs.Call != nil && opensSyncSession(f.Eval, f.Module, cs) {
				reportOpenedSession(p, fn, cs)
			}
		}
	}
}

func reportSyncSessionParam(p *diagnostics.Pass, fn *pymodel.Function, param *pymodel.Binding) {
	node := p.File.Tree.DescendantAt(int(param.StmtStart), int(param.StmtEnd))
	if node.IsNull() || node.Start() != int(param.StmtStart) || node.End() != int(param.StmtEnd) {
		return
	}
	d := diagnostics.Diagnostic{
		Start: node.Start(), End: node.End(),
		Message: "`" + sourceLabel(node) + "` gives async def `" + fn.Name + "` a sync Session, whose queries block the event loop; use an AsyncSession",
	}
	if fix, ok := asyncSessionParamFix(p, fn, param, node); ok {
		d.Fixes = []diagnostics.Fix{fix}
	}
	p.Report(d)
}

func reportOpenedSession(p *diagnostics.Pass, fn *pymodel.Function, cs *pymodel.CallSite) {
	call, ok := callNode(p.File, cs)
	if !ok {
		return
	}
	p.Report(diagnostics.Diagnostic{
		Start: call.Start(), End: call.End(),
		Message: "`" + sourceLabel(call) + "` opens a sync Session in async def `" + fn.Name + "`, whose queries block the event loop; open an AsyncSession (`async with`)",
	})
}

// asyncSessionParamFix switches the parameter to an AsyncSession: the
// annotation to `AsyncSession` and `Depends(dep)` to dep's async twin.
// Both parts must be possible: a new annotation over a sync dependency
// would lie.
func asyncSessionParamFix(p *diagnostics.Pass, fn *pymodel.Function, param *pymodel.Binding, node pysyntax.Node) (diagnostics.Fix, bool) {
	f := p.File
	var edits []diagnostics.Edit
	var annotated, dependency string
	if param.Annot != nil {
		if isAnnotated(param.Annot) {
			return diagnostics.Fix{}, false // Annotated[Session, Depends(…)]: not rewritten
		}
		target, ok := sessionTypeNode(f, fn, node.ChildByField(pysyntax.FieldType))
		if !ok || boundLocally(f, f.ScopeOf(node), "AsyncSession") {
			return diagnostics.Fix{}, false
		}
		imp, ok := diagnostics.ImportEdit(f, "sqlalchemy.ext.asyncio", "AsyncSession")
		if !ok {
			return diagnostics.Fix{}, false // `AsyncSession` means something else here
		}
		edits = append(edits, diagnostics.Edit{Start: target.Start(), End: target.End(), NewText: "AsyncSession"})
		if imp != nil {
			edits = append(edits, *imp)
		}
		annotated = "AsyncSession"
	}
	if dep := dependsArgument(f, fn, param); dep != nil {
		depNode := f.Tree.DescendantAt(int(dep.Start), int(dep.End))
		if depNode.Start() != int(dep.Start) || depNode.End() != int(dep.End) {
			return diagnostics.Fix{}, false
		}
		text, imp, ok := asyncDependencyTwin(p, fn, depNode)
		if !ok {
			return diagnostics.Fix{}, false
		}
		edits = append(edits, diagnostics.Edit{Start: depNode.Start(), End: depNode.End(), NewText: text})
		if imp != nil {
			edits = append(edits, *imp)
		}
		dependency = text
	}
	title := ""
	switch {
	case annotated != "" && dependency != "":
		title = "Use `AsyncSession` and `Depends(" + dependency + ")`"
	case annotated != "":
		title = "Annotate `" + param.Name + "` as `AsyncSession`"
	case dependency != "":
		title = "Depend on `" + dependency + "`"
	default:
		return diagnostics.Fix{}, false
	}
	return diagnostics.Fix{Title: title, Applicability: diagnostics.Unsafe, Edits: edits}, true
}

// isAnnotated reports an `Annotated[...]` annotation, whose metadata may
// hold the dependency.
func isAnnotated(e *pymodel.Expr) bool {
	if e.Op != pymodel.OpSubscript {
		return false
	}
	name, _ := e.X.Dotted()
	return pymodel.LastSegment(name) == "Annotated"
}

// sessionTypeNode finds, inside the annotation node, what names the sync
// Session: `Session`, `orm.Session`, an alias, or the whole content of a
// string annotation (`"Session"`), under `Optional[...]` or `| None` too.
func sessionTypeNode(f *pymodel.File, fn *pymodel.Function, annot pysyntax.Node) (pysyntax.Node, bool) {
	if annot.IsNull() {
		return pysyntax.Node{}, false
	}
	scope := definitionScope(f.Module, fn)
	var found pysyntax.Node
	annot.Walk(func(n pysyntax.Node) bool {
		if !found.IsNull() {
			return false
		}
		switch n.Kind() {
		case pysyntax.Identifier, pysyntax.Attribute:
			if f.Eval.Annotation(f.Module, scope, pymodel.ExprOf(n)).Kind == pymodel.SyncSession {
				found = n
			}
			return false // an attribute's parts name other things
		case pysyntax.String:
			content := n.ChildOfKind(pysyntax.StringContent)
			if e := pymodel.ExprOf(n); !content.IsNull() && e.Op == pymodel.OpStr && isDottedName(e.Name) &&
				f.Eval.Annotation(f.Module, scope, e).Kind == pymodel.SyncSession {
				found = content
			}
			return false
		}
		return true
	})
	return found, !found.IsNull()
}

func isDottedName(s string) bool {
	if s == "" {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if part == "" || strings.ContainsAny(part, " []|,()'\"") {
			return false
		}
	}
	return true
}

// dependsArgument returns dep of a parameter default `Depends(dep)`.
func dependsArgument(f *pymodel.File, fn *pymodel.Function, param *pymodel.Binding) *pymodel.Expr {
	d := param.Default
	if d == nil || d.Op != pymodel.OpCall {
		return nil
	}
	v := f.Eval.Eval(f.Module, definitionScope(f.Module, fn), d.X)
	if v.Kind != pymodel.External || (v.Name != "fastapi.Depends" && v.Name != "fastapi.params.Depends") {
		return nil
	}
	return d.Positional(0)
}

// asyncDependencyTwin finds the async twin of the dependency dep names and
// spells it there. The twin of `get_db` is `async_get_db` by the name
// pattern or `get_async_db` by the FastAPI convention, defined beside
// get_db or in its async twin module, and providing an AsyncSession; for a
// library dependency, such a name of the same module that the
// configuration lists in async-session-dependencies.
func asyncDependencyTwin(p *diagnostics.Pass, fn *pymodel.Function, dep pysyntax.Node) (string, *diagnostics.Edit, bool) {
	f, ws := p.File, p.Workspace
	if ws == nil {
		return "", nil, false
	}
	ev := f.Eval
	dv := ev.Eval(f.Module, definitionScope(f.Module, fn), pymodel.ExprOf(dep))
	var name string
	switch dv.Kind {
	case pymodel.FunctionRef:
		if dv.Func == nil || dv.Mod == nil || dv.Func.Class != nil {
			return "", nil, false
		}
		name = dv.Func.Name
	case pymodel.External:
		name = pymodel.LastSegment(dv.Name)
	default:
		return "", nil, false
	}
	twins := ws.TwinPatterns()
	candidates := []string{twins.AsyncName(name)}
	if rest, ok := strings.CutPrefix(name, "get_"); ok {
		candidates = append(candidates, "get_"+twins.AsyncName(rest))
	}
	keepStyle := preferModule(f, dep)
	if dv.Kind == pymodel.External {
		dot := strings.LastIndexByte(dv.Name, '.')
		if dot <= 0 {
			return "", nil, false // a bare external name: no module to find a twin in
		}
		module := dv.Name[:dot]
		for _, c := range candidates {
			if c != name && configuredAsyncDependency(p, c) {
				return refAt(p, dep, module, c, keepStyle)
			}
		}
		return "", nil, false
	}
	homes := []*pymodel.Module{}
	if tm := ws.AsyncTwinModule(dv.Mod.Name); tm != "" {
		if m := ws.Module(tm); m != nil {
			homes = append(homes, m)
		}
	}
	homes = append(homes, dv.Mod)
	for _, home := range homes {
		for _, c := range candidates {
			if c == name {
				continue
			}
			cv := ev.ModuleAttr(home, c)
			if cv.Kind != pymodel.FunctionRef || ev.Provided(home, home.Scope, dottedExpr(c)).Kind != pymodel.AsyncSession {
				continue
			}
			return refAt(p, dep, home.Name, c, keepStyle)
		}
	}
	return "", nil, false
}

// configuredAsyncDependency reports a name listed (bare or dotted) in
// async-session-dependencies.
func configuredAsyncDependency(p *diagnostics.Pass, name string) bool {
	for _, n := range p.Config.AsyncSessionDependencies {
		if n == name || pymodel.LastSegment(n) == name {
			return true
		}
	}
	return false
}
