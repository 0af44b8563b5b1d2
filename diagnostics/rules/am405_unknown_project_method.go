package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM405) }

var AM405 = &diagnostics.Rule{
	Code:     "AM405",
	Name:     "unknown-project-method",
	Severity: diagnostics.SeverityError,
	Summary:  "A method call on a project class that defines no such method",
	Fix:      diagnostics.FixSometimes,
	Kinds:    []pysyntax.Kind{pysyntax.Call},
	Check:    checkAM405,
	Doc: `## What it does
Flags ` + "`x.m(...)`" + ` where ` + "`x`" + ` is an instance (or the class itself) of a project
class whose whole hierarchy is in the workspace, and no class in that
hierarchy defines ` + "`m`" + ` — not as a method, a class attribute, or an attribute
assigned on ` + "`self`" + `.

It stays silent when the hierarchy is open: a base from a library, a
metaclass, ` + "`__getattr__`" + `, ` + "`__init_subclass__`" + `, attributes set with ` + "`setattr`" + ` or
through ` + "`__dict__`" + `, an unknown class decorator, the class handed to a call
that may add attributes to it (instrumentation, classical mapping), or an
attribute of that name assigned from outside the class (in the calling
module or the class's own). Calls on ` + "`self`" + ` or ` + "`cls`" + ` are left alone too: a
subclass or a mixin partner may define the method. So are calls on a
value typed by an annotation (a parameter, ` + "`self.dialect: Dialect`" + `, a return
type) when a subclass in the workspace defines the method: the value may
be that subclass; only an instance built by calling the class itself is
known to be exactly of it.

## Why is this bad?
The call raises ` + "`AttributeError`" + ` at run time. In migrations the usual cause
is a guessed name: ` + "`user_service.get_user_by_auth0_id_async(...)`" + ` when only
` + "`get_user_by_auth0_id`" + ` exists (on the sync service) or the async twin kept the
sync name.

## Example
` + "```python" + `
user = await async_user_service.get_user_by_emial(db, email)
` + "```" + `

Use instead:
` + "```python" + `
user = await async_user_service.get_user_by_email(db, email)
` + "```" + `

## Fix
Unsafe, and only when exactly one method of the hierarchy is close: the
name the configured ` + "`twin-patterns`" + ` pair it with (` + "`async_get_user`" + ` →
` + "`get_user`" + `), or a name at most two edits away (one for names of five
characters or fewer). The call is renamed; whether it needs ` + "`await`" + ` is for
AM301/AM302 to say afterwards.`,
}

func checkAM405(p *diagnostics.Pass, call pysyntax.Node) {
	fn := call.ChildByField(pysyntax.FieldFunction)
	if !fn.Is(pysyntax.Attribute) {
		return
	}
	attr := fn.ChildByField(pysyntax.FieldAttribute)
	obj := fn.ChildByField(pysyntax.FieldObject)
	method := attr.Text()
	if isDunder(method) || !plainReceiver(obj) || isSelfOrCls(p.File, obj) {
		return
	}
	if obj.Is(pysyntax.Attribute) && p.File.Module.ForeignAttrs[obj.ChildByField(pysyntax.FieldAttribute).Text()] {
		return // the module puts its own object there (a test's fake store)
	}
	v := p.File.Value(obj)
	if v.Kind != pymodel.Instance && v.Kind != pymodel.ClassRef || v.Class == nil || v.Mod == nil {
		return
	}
	if v.Kind == pymodel.ClassRef && typeMethods[method] {
		return
	}
	ev := p.File.Eval
	h, closed := closedHierarchy(ev, v.Mod, v.Class)
	if !closed || hierarchyDefines(h, method) || assignedFromOutside(p.File.Module, h, method) {
		return
	}
	// An instance known by an annotation (`self.dialect: Dialect`, a
	// parameter, a return type) may be of a subclass that defines m.
	scope := p.File.ScopeOf(obj)
	if !exactClass(p, p.File.Module, scope, pymodel.ExprOf(obj), v.Class, 0) && p.Workspace.SubclassDefines(v.Class, method) {
		return
	}
	if classHandedToCall(ev, p.File.Module, h) {
		return
	}
	owner := "class `" + v.Class.Name + "` defines"
	if len(h.Classes) > 1 {
		owner = "`" + v.Class.Name + "` and its bases define"
	}
	d := diagnostics.Diagnostic{
		Start:   attr.Start(),
		End:     attr.End(),
		Message: "`" + sourceLabel(fn) + "` does not exist: " + owner + " no method `" + method + "`",
	}
	tw := p.Workspace.TwinPatterns()
	syncName, _ := tw.SyncName(method)
	if cands := closeNames(method, hierarchyMethods(h), typoDistance(method), syncName, tw.AsyncName(method)); len(cands) == 1 {
		d.Message += "; did you mean `" + cands[0] + "`?"
		d.Fixes = []diagnostics.Fix{{
			Title:         "Replace with `" + cands[0] + "`",
			Applicability: diagnostics.Unsafe,
			Edits:         []diagnostics.Edit{{Start: attr.Start(), End: attr.End(), NewText: cands[0]}},
		}}
	}
	p.Report(d)
}

// plainReceiver reports whether n has a shape that can name a project
// instance or class and is cheap to evaluate: a name, a dotted name
// (`self.users`, `services.user_service`), or a call of one
// (`UserService()`). Long method chains (`db.query(X).filter(…)`) are
// skipped before any evaluation: they are most calls in a file and
// almost never end on a project instance.
func plainReceiver(n pysyntax.Node) bool {
	if n.Is(pysyntax.Call) {
		n = n.ChildByField(pysyntax.FieldFunction)
	}
	for n.Is(pysyntax.Attribute) {
		n = n.ChildByField(pysyntax.FieldObject)
	}
	return n.Is(pysyntax.Identifier)
}

// typeMethods are what every class object has besides dunders.
var typeMethods = map[string]bool{"mro": true}

// isSelfOrCls reports whether n is the first parameter of the method it is
// read in: the instance may be of a subclass, or of a class that mixes
// this one with the class that defines the method.
func isSelfOrCls(f *pymodel.File, n pysyntax.Node) bool {
	if !n.Is(pysyntax.Identifier) {
		return false
	}
	bs, where := f.Module.Lookup(f.ScopeOf(n), n.Text())
	if where == nil || where.Kind != pymodel.ScopeFunction || where.Func == nil {
		return false
	}
	fn := where.Func
	for _, b := range bs {
		if b.Kind == pymodel.BindParam && b.ParamIndex == 0 && fn.Class != nil && !fn.IsStatic() {
			return true
		}
	}
	return false
}

// exactClass reports whether e, read in scope of module m, is certainly
// class c itself or an instance made by calling c: the class statement,
// `c(…)`, or names bound only to those (assignments, imports of them, a
// module's attribute) — not a value typed c by an annotation, which may be
// of a subclass.
func exactClass(p *diagnostics.Pass, m *pymodel.Module, scope *pymodel.Scope, e *pymodel.Expr, c *pymodel.Class, depth int) bool {
	if e == nil || depth > 4 {
		return false
	}
	ev := p.File.Eval
	switch e.Op {
	case pymodel.OpCall:
		v := ev.Eval(m, scope, e.X)
		return v.Kind == pymodel.ClassRef && v.Class == c
	case pymodel.OpName:
		bs, where := m.Lookup(scope, e.Name)
		return exactBindings(p, m, where, bs, c, depth)
	case pymodel.OpAttr:
		if mv := ev.Eval(m, scope, e.X); mv.Kind == pymodel.ModuleRef && mv.Mod != nil {
			return exactBindings(p, mv.Mod, mv.Mod.Scope, mv.Mod.Scope.Names[e.Name], c, depth+1)
		}
	}
	return false
}

// exactBindings reports whether every binding of bs (found in scope of m)
// binds exactly c or an instance made by calling it.
func exactBindings(p *diagnostics.Pass, m *pymodel.Module, scope *pymodel.Scope, bs []*pymodel.Binding, c *pymodel.Class, depth int) bool {
	if len(bs) == 0 || scope == nil {
		return false
	}
	for _, b := range bs {
		switch b.Kind {
		case pymodel.BindClass:
			if b.Class != c {
				return false
			}
		case pymodel.BindAssign, pymodel.BindWalrus:
			if !exactClass(p, m, scope, b.Value, c, depth+1) {
				return false
			}
		case pymodel.BindImportFrom:
			src := p.Workspace.Module(b.Module)
			if src == nil || !exactBindings(p, src, src.Scope, src.Scope.Names[b.Imported], c, depth+1) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// lookOnlyCallees take a class without changing it.
var lookOnlyCallees = map[string]bool{
	"builtins.isinstance": true, "builtins.issubclass": true, "builtins.type": true, "builtins.id": true,
	"builtins.repr": true, "builtins.str": true, "builtins.print": true, "builtins.getattr": true,
	"builtins.hasattr": true, "builtins.super": true, "builtins.vars": true, "typing.cast": true,
	"fastapi.Depends": true, "fastapi.params.Depends": true,
}

// classHandedToCall reports whether the module being checked, or a module
// of h, passes a class of h itself to a call that may add attributes to
// it: instrumentation (`_instrument_class(Base)`), classical mapping
// (`mapper(User, tabla)`), registries. Only calls that look at a class
// without changing it (isinstance, super, Depends …) do not count.
func classHandedToCall(ev *pymodel.Evaluator, here *pymodel.Module, h pymodel.Hierarchy) bool {
	names := map[string]bool{}
	inH := map[*pymodel.Class]bool{}
	for _, k := range h.Classes {
		names[k.Name], inH[k] = true, true
	}
	hands := func(m *pymodel.Module, cs *pymodel.CallSite) bool {
		if cs.Call == nil || cs.Scope == nil {
			return false
		}
		for _, a := range cs.Call.Args {
			if a.Op != pymodel.OpName || !names[a.Name] {
				continue
			}
			if v := ev.Eval(m, cs.Scope, a); v.Kind != pymodel.ClassRef || !inH[v.Class] {
				continue
			}
			if callee := ev.Eval(m, cs.Scope, cs.Call.X); callee.Kind == pymodel.External && lookOnlyCallees[callee.Name] {
				continue
			}
			return true
		}
		return false
	}
	seen := map[*pymodel.Module]bool{}
	for _, m := range append([]*pymodel.Module{here}, h.Modules...) {
		if seen[m] {
			continue
		}
		seen[m] = true
		for _, cs := range m.Calls {
			if hands(m, cs) {
				return true
			}
		}
		for _, fn := range m.Functions {
			for _, cs := range fn.Calls {
				if hands(m, cs) {
					return true
				}
			}
		}
	}
	return false
}

// assignedFromOutside reports whether the module being checked, or a
// module defining a class of h, assigns an attribute called name on
// anything (`svc.handler = f`, `UserService.extra = g`): the class lists
// only what it assigns itself.
func assignedFromOutside(here *pymodel.Module, h pymodel.Hierarchy, name string) bool {
	if here.AssignedAttrs[name] {
		return true
	}
	for _, m := range h.Modules {
		if m.AssignedAttrs[name] {
			return true
		}
	}
	return false
}
