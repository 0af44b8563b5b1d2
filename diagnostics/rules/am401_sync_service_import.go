package rules

import (
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

func init() { register(AM401) }

var AM401 = &diagnostics.Rule{
	Code:     "AM401",
	Name:     "sync-service-import",
	Severity: diagnostics.SeverityWarning,
	Summary:  "Async code uses an imported sync module or name that has an async twin",
	Fix:      diagnostics.FixSometimes,
	Kinds:    []pysyntax.Kind{pysyntax.ImportStatement, pysyntax.ImportFromStatement},
	Check:    checkAM401,
	Doc: `## What it does
Flags, in a module with async code, the import of a sync module or name that
has an async twin in the workspace — ` + "`app.services.user`" + ` → ` + "`app.services.async_user`" + `,
` + "`UserService`" + ` → ` + "`AsyncUserService`" + `, ` + "`user_service`" + ` → ` + "`async_user_service`" + `, or a
plain function whose twin module has a coroutine of the same name — when
async code uses it. Re-exports and relative imports are followed to the
definition; the twin patterns come from ` + "`twin-patterns`" + `, and the twin must be
async by definition (a module with an ` + "`async def`" + `, a class with a coroutine
method). An import only sync code uses is fine, and so is one of a helper
the twin shares (also through a module: ` + "`sqla.new_engine`" + ` when the twin has no
engine helper of its own); a function handed to ` + "`asyncio.to_thread`" + ` or
` + "`run_in_executor`" + ` runs in a thread and counts as sync code. Code that picks one
twin or the other per branch (` + "`sqla.startup()`" + ` if the engine is sync, else
` + "`await async_sqla.startup()`" + `) does so on purpose and is left alone, and so is
naming a class without running it: an annotation, ` + "`isinstance`" + `, ` + "`typing.cast`" + `,
a mock's ` + "`spec`" + `. Classes of one hierarchy (` + "`class AsyncLLM(LLM)`" + `) are not twins.

## Why is this bad?
Async code calling the sync service blocks the event loop on every database
or network round trip, and keeps the legacy module alive after its twin was
written.

## Example
` + "```python" + `
from app.services.user import user_service


@router.get("/{user_id}")
async def read_user(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return user_service.get_user(db, user_id)
` + "```" + `

Use instead:
` + "```python" + `
from app.services.async_user import async_user_service


@router.get("/{user_id}")
async def read_user(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return await async_user_service.get_user(db, user_id)
` + "```" + `

## Fix
Unsafe: rewrites the import to the twin (in place, or beside it when sync
code still uses the old name) and the uses in async code, renaming the
module's attributes to their twins and inserting ` + "`await`" + ` where the twin's
method is a coroutine. No fix when a use cannot be mapped (the twin lacks a
method), when the new name would collide, or for ` + "`import a.b.c`" + ` without
an alias.`,
}

// syncTwin is what an import brings in and the async twin standing for
// it.
type syncTwin struct {
	label string // the import as written, for the message
	// module twins (`import a.user as u`, `from a import user`): the sync
	// module and its twin; name twins: the twin module and the name in it.
	module  bool
	sync    *pymodel.Module
	twinMod *pymodel.Module
	name    string        // the twin's name (name twins)
	value   pymodel.Value // the twin, for following its uses
	chain   string        // `import a.b.c` without alias: uses must spell this path
}

func checkAM401(p *diagnostics.Pass, n pysyntax.Node) {
	f := p.File
	if p.Workspace == nil || !f.Module.HasAsync {
		return
	}
	if inBrokenCode(n) {
		return // being typed
	}
	st := readImport(f, n)
	var unresolved []unresolvedImport
	if p.Enabled("AM404") {
		unresolved = unresolvedImports(p, &st)
	}
	for i := range st.items {
		it := &st.items[i]
		if it.binding == nil || concerns(unresolved, it) {
			continue
		}
		tw, ok := importedTwin(p, &st, it)
		if !ok || !asyncByDefinition(f.Eval, tw.value) {
			continue
		}
		var asyncUses, syncUses []pysyntax.Node
		counterparts := map[counterpartUse][]pysyntax.Node{}
		for _, u := range bindingUses(f, it.binding) {
			if tw.chain != "" && !spellsPath(u, tw.chain) {
				continue
			}
			if typeOnlyUse(u) {
				continue // an annotation or an isinstance test runs none of its code
			}
			if f.InAsync(u) && !offloadedToThread(f, u) && twinServes(p, u, tw, counterparts) {
				asyncUses = append(asyncUses, u)
			} else {
				syncUses = append(syncUses, u)
			}
		}
		if len(asyncUses) == 0 {
			continue
		}
		twinLabel := "`" + tw.twinMod.Name + "`"
		if !tw.module {
			twinLabel = "`" + tw.name + "` in `" + tw.twinMod.Name + "`"
		}
		d := diagnostics.Diagnostic{
			Start:   it.node.Start(),
			End:     it.node.End(),
			Message: "`" + tw.label + "` is sync and async code here uses it; its async twin is " + twinLabel,
			Related: []diagnostics.Related{{Start: asyncUses[0].Start(), End: asyncUses[0].End(), Message: "used from async code here"}},
		}
		if fix, ok := am401Fix(p, &st, it, tw, asyncUses, len(syncUses) > 0); ok {
			d.Fixes = []diagnostics.Fix{fix}
		}
		p.Report(d)
	}
}

// typeOnlyUse reports whether use u names a type without running it: in an
// annotation (`db: BaseDb | AsyncBaseDb`), as the class argument of
// isinstance/issubclass (`if isinstance(os.db, BaseDb):` — agno's routers
// dispatch to the sync or the async database that way), the type of
// typing.cast, or a mock's spec (`MagicMock(spec=BaseDb)`).
func typeOnlyUse(u pysyntax.Node) bool {
	child := u
	for p := u.Parent(); !p.IsNull(); child, p = p, p.Parent() {
		switch p.Kind() {
		case pysyntax.Type:
			return true
		case pysyntax.Attribute:
			if child.Field() != pysyntax.FieldObject || !p.Parent().Is(pysyntax.ArgumentList) && !p.Parent().Is(pysyntax.Type) {
				return false // `BaseDb.create(...)` runs its code
			}
			continue
		case pysyntax.Tuple, pysyntax.ParenthesizedExpr, pysyntax.BinaryOperator, pysyntax.Subscript:
			continue
		case pysyntax.KeywordArgument:
			name := p.ChildByField(pysyntax.FieldName)
			return child.Field() == pysyntax.FieldValue && (name.TextIs("spec") || name.TextIs("spec_set"))
		case pysyntax.ArgumentList:
			call := p.Parent()
			if !call.Is(pysyntax.Call) {
				return false
			}
			fn := call.ChildByField(pysyntax.FieldFunction)
			first := p.FirstNamedChild()
			switch {
			case fn.TextIs("isinstance") || fn.TextIs("issubclass"):
				return !first.IsNull() && child != first
			case fn.TextIs("cast") || fn.TextIs("typing.cast"):
				return child == first
			}
			return false
		}
		return false
	}
	return false
}

// threadOffloaders run the callable they are given in a worker thread.
var threadOffloaders = map[string]bool{
	"asyncio.to_thread": true, "asyncio.threads.to_thread": true, "anyio.to_thread.run_sync": true,
	"starlette.concurrency.run_in_threadpool": true, "fastapi.concurrency.run_in_threadpool": true,
}

// offloadedToThread reports whether use u (or an attribute chain on it,
// `user_service.get_user`) is handed as an argument to a function that
// runs it in a thread — `await asyncio.to_thread(user_service.get_user,
// …)`, `loop.run_in_executor(None, …)`: sync code, correctly kept off the
// event loop.
func offloadedToThread(f *pymodel.File, u pysyntax.Node) bool {
	e := u // climb `user_service.get_user`, `UserService().get_user`
	for p := e.Parent(); p.Is(pysyntax.Attribute) && e.Field() == pysyntax.FieldObject || p.Is(pysyntax.Call) && e.Field() == pysyntax.FieldFunction; p = e.Parent() {
		e = p
	}
	if e.Is(pysyntax.Call) {
		return false // `to_thread(user_service.get_user(1))` calls it on the loop
	}
	args := e.Parent()
	if args.Is(pysyntax.KeywordArgument) {
		args = args.Parent()
	}
	call := args.Parent()
	if !args.Is(pysyntax.ArgumentList) || !call.Is(pysyntax.Call) {
		return false
	}
	callee := call.ChildByField(pysyntax.FieldFunction)
	if callee.Is(pysyntax.Attribute) && callee.ChildByField(pysyntax.FieldAttribute).TextIs("run_in_executor") {
		return true
	}
	return threadOffloaders[f.Qualified(callee)]
}

// counterpartUse is a function and a value used in it.
type counterpartUse struct {
	fn *pymodel.Function
	v  pymodel.Value
}

// twinServes reports whether the twin should serve async use u of a sync
// import. Not when u reaches a member the twin module does not pair with
// one of its own (a helper it shares, or lacks): the sync module stays
// needed for it. Nor when the twin's counterpart of what u uses is used
// in another branch of a conditional that holds u: code that calls
// `sqla.startup()` when the engine is sync and `await
// async_sqla.startup()` when it is async chooses between the twins on
// purpose (libraries that ship both do). Both used one after the other is
// a migration half done, and is reported.
func twinServes(p *diagnostics.Pass, u pysyntax.Node, tw syncTwin, memo map[counterpartUse][]pysyntax.Node) bool {
	f, ev := p.File, p.File.Eval
	counterpart := tw.value
	if tw.module && tw.chain == "" {
		if par := u.Parent(); par.Is(pysyntax.Attribute) && u.Field() == pysyntax.FieldObject {
			attr := par.ChildByField(pysyntax.FieldAttribute).Text()
			mapped, ok := twinAttribute(p.Workspace, ev, tw.sync, tw.twinMod, attr)
			if !ok || mapped == attr && sameOrigin(ev, tw.twinMod, attr, tw.sync, attr) {
				return false
			}
			counterpart = ev.ModuleAttr(tw.twinMod, mapped)
		}
	}
	fn := f.ScopeOf(u).Function()
	if fn == nil || counterpart.Kind == pymodel.Unknown {
		return true
	}
	key := counterpartUse{fn, counterpart}
	uses, ok := memo[key]
	if !ok {
		uses = functionUses(f, fn, counterpart)
		memo[key] = uses
	}
	for _, c := range uses {
		if otherBranch(u, c) {
			return false
		}
	}
	return true
}

// functionUses lists the names and attributes in fn's body that evaluate
// to v.
func functionUses(f *pymodel.File, fn *pymodel.Function, v pymodel.Value) []pysyntax.Node {
	var out []pysyntax.Node
	f.Tree.DescendantAt(int(fn.Start), int(fn.End)).Walk(func(n pysyntax.Node) bool {
		if n.Is(pysyntax.Identifier) && isNameRead(n) || n.Is(pysyntax.Attribute) {
			got := f.Value(n)
			if got.Kind == v.Kind && got.Mod == v.Mod && got.Func == v.Func && got.Class == v.Class && got.Name == v.Name {
				out = append(out, n)
				return false
			}
		}
		return true
	})
	return out
}

// otherBranch reports whether a and b sit in different branches of one
// if statement (if, elif, else) or conditional expression: only one of
// them runs.
func otherBranch(a, b pysyntax.Node) bool {
	branchOf := map[pysyntax.Node]pysyntax.Node{}
	for child, p := a, a.Parent(); !p.IsNull() && !p.Is(pysyntax.FunctionDefinition); child, p = p, p.Parent() {
		if p.Is(pysyntax.IfStatement) || p.Is(pysyntax.ConditionalExpression) {
			branchOf[p] = child
		}
	}
	for child, p := b, b.Parent(); !p.IsNull() && !p.Is(pysyntax.FunctionDefinition); child, p = p, p.Parent() {
		other, ok := branchOf[p]
		if !ok {
			continue
		}
		return other != child && !isCondition(p, other) && !isCondition(p, child)
	}
	return false
}

// isCondition reports whether child of an if statement or conditional
// expression is its test.
func isCondition(cond, child pysyntax.Node) bool {
	if cond.Is(pysyntax.IfStatement) {
		return child.Field() == pysyntax.FieldCondition
	}
	// `x if test else y`: the test is the second named child.
	i := 0
	for c := cond.FirstNamedChild(); !c.IsNull(); c = c.NextNamedSibling() {
		if c == child {
			return i == 1
		}
		if !c.IsExtra() {
			i++
		}
	}
	return false
}

// asyncByDefinition reports whether a twin is async by what it defines:
// a module with an async def, a class whose hierarchy has a coroutine
// method. Names say little (RULES.md): `AsyncFileObjectListener` with
// only plain methods is no async twin.
func asyncByDefinition(ev *pymodel.Evaluator, v pymodel.Value) bool {
	switch v.Kind {
	case pymodel.ModuleRef:
		return v.Mod != nil && v.Mod.HasAsync
	case pymodel.ClassRef, pymodel.Instance:
		if v.Class == nil || v.Mod == nil {
			return false
		}
		for _, k := range ev.ClassHierarchy(v.Mod, v.Class).Classes {
			for _, m := range k.Methods {
				if m.Async {
					return true
				}
			}
		}
		return false
	}
	return true // a function twin is a coroutine function already
}

func concerns(us []unresolvedImport, it *importItem) bool {
	for _, u := range us {
		if u.item == nil || u.item.node == it.node {
			return true
		}
	}
	return false
}

// importedTwin says whether an import item brings in a sync module or a
// sync module-level name that has an async twin.
func importedTwin(p *diagnostics.Pass, st *importStmt, it *importItem) (syncTwin, bool) {
	w, ev, b := p.Workspace, p.File.Eval, it.binding
	label := sourceLabel(it.name)
	moduleTwin := func(sync string) (syncTwin, bool) {
		twin := w.AsyncTwinModule(sync)
		sm, tm := w.Module(sync), w.Module(twin)
		if twin == "" || sm == nil || tm == nil {
			return syncTwin{}, false
		}
		return syncTwin{label: label, module: true, sync: sm, twinMod: tm, value: pymodel.Value{Kind: pymodel.ModuleRef, Name: twin, Mod: tm}}, true
	}
	if b.Kind == pymodel.BindImport {
		tw, ok := moduleTwin(b.Module)
		if ok && b.Imported != "as" && b.Module != b.Name {
			tw.chain = b.Module // `import a.b.c` binds `a`
		}
		return tw, ok
	}
	v := ev.Binding(p.File.Module, p.File.ScopeOf(st.node), b)
	if v.Kind == pymodel.ModuleRef {
		return moduleTwin(v.Name)
	}
	from := w.Module(b.Module)
	if from == nil {
		return syncTwin{}, false
	}
	origin, name, ok := ev.Origin(from, b.Imported)
	if !ok {
		return syncTwin{}, false
	}
	twin, ok := definitionTwin(w, ev, origin, name)
	if !ok {
		return syncTwin{}, false
	}
	return syncTwin{label: label, twinMod: twin.Module, name: twin.Name, value: twin.Value}, true
}

// definitionTwin finds the async twin of a module-level function, class or
// instance (the workspace's twin lookup, by what the name is).
func definitionTwin(w *workspace.Workspace, ev *pymodel.Evaluator, mod *pymodel.Module, name string) (workspace.Twin, bool) {
	v := ev.ModuleAttr(mod, name)
	switch v.Kind {
	case pymodel.FunctionRef:
		return w.FunctionTwin(ev, mod, v.Func)
	case pymodel.ClassRef:
		return w.ClassTwin(ev, mod, v.Class)
	case pymodel.Instance:
		return w.InstanceTwin(ev, mod, v.Class)
	}
	return workspace.Twin{}, false
}

// spellsPath reports whether the attribute chain starting at name u spells
// path (`app.services.user.x` for `import app.services.user`).
func spellsPath(u pysyntax.Node, path string) bool {
	got := u.Text()
	for cur := u; got != path && strings.HasPrefix(path, got+"."); {
		par := cur.Parent()
		if !par.Is(pysyntax.Attribute) || cur.Field() != pysyntax.FieldObject {
			return false
		}
		got += "." + par.ChildByField(pysyntax.FieldAttribute).Text()
		cur = par
	}
	return got == path
}

// am401Fix rewrites the import to the twin and its uses in async code.
func am401Fix(p *diagnostics.Pass, st *importStmt, it *importItem, tw syncTwin, asyncUses []pysyntax.Node, syncUsesLeft bool) (diagnostics.Fix, bool) {
	if tw.chain != "" {
		return diagnostics.Fix{}, false // `import a.b.c` spells the path at every use
	}
	if !diagnostics.StandsAlone(p.Src(), st.node) {
		return diagnostics.Fix{}, false
	}
	f := p.File
	imp, ok := twinImport(p, st, it, tw)
	if !ok {
		return diagnostics.Fix{}, false
	}
	local := imp.name
	if !it.alias.IsNull() {
		local = it.alias.Text()
	}
	scope := f.Module.ScopeAt(int(it.binding.Start))
	if len(scope.Names[it.binding.Name]) != 1 {
		return diagnostics.Fix{}, false // rebound: which uses are the import's is unclear
	}
	var edits []diagnostics.Edit
	existing := scope.Names[local]
	alreadyThere := local != it.binding.Name && existing != nil
	if alreadyThere && !bindsTwin(p, existing, tw) {
		return diagnostics.Fix{}, false // the new name means something else here
	}
	switch {
	case !syncUsesLeft && len(st.items) == 1:
		if alreadyThere {
			rm, ok := removeStatementLine(p.Src(), st.node)
			if !ok {
				return diagnostics.Fix{}, false
			}
			edits = rm
		} else {
			edits = imp.inPlace
		}
	case scope != f.Module.Scope || !st.from || !it.alias.IsNull():
		return diagnostics.Fix{}, false // ImportEdit adds plain module-level from-imports only
	case !syncUsesLeft && !alreadyThere && imp.module == st.module:
		// The twin comes from the module this statement imports from: rename
		// the item where it stands. Adding the twin to the statement while
		// removing the item would edit the same place twice.
		edits = imp.inPlace
	default:
		if !alreadyThere {
			add, ok := diagnostics.ImportEdit(f, imp.module, imp.name)
			if !ok {
				return diagnostics.Fix{}, false
			}
			if add != nil {
				edits = append(edits, *add)
			}
		}
		if !syncUsesLeft {
			rm, ok := removeImportEdits(p.Src(), st, it)
			if !ok {
				return diagnostics.Fix{}, false
			}
			edits = append(edits, rm...)
		}
	}
	for _, u := range asyncUses {
		if local != it.binding.Name {
			if bs, _ := f.Module.Lookup(f.ScopeOf(u), local); bs != nil && !bindsTwin(p, bs, tw) {
				return diagnostics.Fix{}, false
			}
			edits = append(edits, diagnostics.Edit{Start: u.Start(), End: u.End(), NewText: local})
		}
		more, ok := followTwinUse(p, u, tw)
		if !ok {
			return diagnostics.Fix{}, false
		}
		edits = append(edits, more...)
	}
	title := "Use `" + tw.twinMod.Name + "`"
	if !tw.module {
		title = "Use `" + tw.name + "` from `" + tw.twinMod.Name + "`"
	}
	return diagnostics.Fix{Title: title, Applicability: diagnostics.Unsafe, Edits: edits}, true
}

// newImport is how the fixed code imports the twin.
type newImport struct {
	module  string // absolute module of the from-import ("" for `import x as y`)
	name    string // the imported name
	inPlace []diagnostics.Edit
}

// twinImport decides how to import the twin, keeping the statement's form:
// the same module when it provides the twin (a package re-exporting both),
// else its sibling named like the twin module (relative spelling kept), else
// the twin module spelled in full.
func twinImport(p *diagnostics.Pass, st *importStmt, it *importItem, tw syncTwin) (newImport, bool) {
	w, ev := p.Workspace, p.File.Eval
	if !st.from { // import a.user as u
		return newImport{name: tw.twinMod.Name, inPlace: []diagnostics.Edit{{Start: it.name.Start(), End: it.name.End(), NewText: tw.twinMod.Name}}}, true
	}
	module, name := tw.twinMod.Name, tw.name
	if tw.module {
		i := strings.LastIndexByte(module, '.')
		if i < 0 {
			return newImport{}, false
		}
		module, name = module[:i], module[i+1:]
	}
	var edits []diagnostics.Edit
	if name != dottedName(it.name) {
		edits = append(edits, diagnostics.Edit{Start: it.name.Start(), End: it.name.End(), NewText: name})
	}
	written := w.Module(st.module)
	switch {
	case module == st.module:
	case !tw.module && written != nil && sameOrigin(ev, written, name, tw.twinMod, name):
		module = st.module // the package the import names re-exports the twin
	case parentOf(module) == parentOf(st.module) && !lastIdentifier(st.modNode).IsNull():
		last := lastIdentifier(st.modNode)
		edits = append(edits, diagnostics.Edit{Start: last.Start(), End: last.End(), NewText: module[strings.LastIndexByte(module, '.')+1:]})
	default:
		edits = append(edits, diagnostics.Edit{Start: st.modNode.Start(), End: st.modNode.End(), NewText: module})
	}
	return newImport{module: module, name: name, inPlace: edits}, true
}

func parentOf(module string) string {
	if i := strings.LastIndexByte(module, '.'); i >= 0 {
		return module[:i]
	}
	return ""
}

// sameOrigin reports whether a.an and b.bn are the same definition.
func sameOrigin(ev *pymodel.Evaluator, a *pymodel.Module, an string, b *pymodel.Module, bn string) bool {
	if exists, _ := ev.HasName(a, an); !exists {
		return false
	}
	am, aname, ok1 := ev.Origin(a, an)
	bm, bname, ok2 := ev.Origin(b, bn)
	return ok1 && ok2 && am == bm && aname == bname
}

// bindsTwin reports whether bindings bs all import the twin already.
func bindsTwin(p *diagnostics.Pass, bs []*pymodel.Binding, tw syncTwin) bool {
	for _, b := range bs {
		if b.Kind != pymodel.BindImportFrom && b.Kind != pymodel.BindImport {
			return false
		}
		v := p.File.Eval.Binding(p.File.Module, p.File.Module.ScopeAt(int(b.Start)), b)
		if tw.module {
			if v.Kind != pymodel.ModuleRef || v.Mod != tw.twinMod {
				return false
			}
			continue
		}
		from := p.Workspace.Module(b.Module)
		if b.Kind != pymodel.BindImportFrom || from == nil || !sameOrigin(p.File.Eval, from, b.Imported, tw.twinMod, tw.name) {
			return false
		}
	}
	return true
}

// followTwinUse rewrites what hangs off a use of the twin: a module's
// attributes become their twins (`user.user_service` →
// `async_user.async_user_service`), methods must exist on the twin class,
// calls must fit the twin's signature, and a call of a coroutine function
// gets `await`. ok is false when a use cannot be mapped.
func followTwinUse(p *diagnostics.Pass, u pysyntax.Node, tw syncTwin) ([]diagnostics.Edit, bool) {
	f, ev, w := p.File, p.File.Eval, p.Workspace
	var edits []diagnostics.Edit
	v := tw.value
	for cur := u; ; {
		par := cur.Parent()
		switch {
		case par.Is(pysyntax.Attribute) && cur.Field() == pysyntax.FieldObject:
			an := par.ChildByField(pysyntax.FieldAttribute)
			attr := an.Text()
			switch v.Kind {
			case pymodel.ModuleRef:
				mapped, ok := twinAttribute(w, ev, tw.sync, v.Mod, attr)
				if !ok {
					return nil, false
				}
				if mapped != attr {
					edits = append(edits, diagnostics.Edit{Start: an.Start(), End: an.End(), NewText: mapped})
				}
				v = ev.ModuleAttr(v.Mod, mapped)
			case pymodel.Instance, pymodel.ClassRef:
				if isDunder(attr) {
					return edits, true
				}
				if !hierarchyDefines(ev.ClassHierarchy(v.Mod, v.Class), attr) {
					return nil, false
				}
				v = ev.Member(v, attr)
			default:
				return edits, true
			}
			cur = par
		case par.Is(pysyntax.Call) && cur.Field() == pysyntax.FieldFunction:
			// The twin must take the same arguments (AM302's check).
			switch call := pymodel.ExprOf(par); v.Kind {
			case pymodel.FunctionRef:
				if !accepts(v.Func, call, v.Bound || v.Func.Class != nil && v.Func.IsClassMeth()) {
					return nil, false
				}
			case pymodel.ClassRef:
				if !constructorAccepts(ev, v, call) {
					return nil, false
				}
			}
			if ev.IsCoroutineFunction(v) {
				if !awaitingNode(par).IsNull() {
					return edits, true
				}
				if !awaitAllowed(f, par) {
					return nil, false
				}
				return append(edits, insertAwaitEdits(par)...), true
			}
			if v.Kind != pymodel.ClassRef {
				return edits, true
			}
			v = pymodel.Value{Kind: pymodel.Instance, Class: v.Class, Mod: v.Mod}
			cur = par
		default:
			return edits, true
		}
	}
}

// twinAttribute maps attribute attr of the sync module to the twin module:
// the twin of the definition when the twin module holds it, or the same
// name when the twin module shares the very definition (a helper it
// re-exports).
func twinAttribute(w *workspace.Workspace, ev *pymodel.Evaluator, sync, twin *pymodel.Module, attr string) (string, bool) {
	if sync == nil || twin == nil {
		return "", false
	}
	if origin, name, ok := ev.Origin(sync, attr); ok {
		if t, ok := definitionTwin(w, ev, origin, name); ok && t.Module == twin {
			return t.Name, true
		}
	}
	if sameOrigin(ev, twin, attr, sync, attr) {
		return attr, true
	}
	return "", false
}
