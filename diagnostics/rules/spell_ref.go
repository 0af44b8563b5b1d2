package rules

import (
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// refAt returns source text that means `name` of `module` (a workspace
// module or a library) when written at node at, and the import edit it
// needs, for fixes that switch to another definition (an async twin, an
// async dependency). In order: the bare name when it is visible there and
// means that; an import of the module the file already has (`db_session.x`,
// `async_audit.x`); a new `from module import name`; when that name is
// taken, a new import of the module itself. With preferModule the
// module-qualified spelling is tried before the bare name, to keep the
// style of a call written `module.f(…)`. ok is false when nothing works
// (every spelling is shadowed or taken).
func refAt(p *diagnostics.Pass, at pysyntax.Node, module, name string, preferModule bool) (text string, edit *diagnostics.Edit, ok bool) {
	f := p.File
	ev := f.Eval
	scope := f.ScopeOf(at)
	want := ev.Member(moduleValue(p, module), name)
	if want.Kind == pymodel.Unknown || module == "" {
		return "", nil, false
	}
	means := func(dotted string) bool {
		return sameValue(ev.Eval(f.Module, scope, dottedExpr(dotted)), want)
	}
	bare := func() bool { return means(name) }
	if !preferModule && bare() {
		return name, nil, true
	}
	for _, b := range f.Module.Imports {
		var cand string
		switch {
		case b.Kind == pymodel.BindImport && b.Imported == "as" && b.Module == module:
			cand = b.Name + "." + name
		case b.Kind == pymodel.BindImport && b.Imported != "as" && b.Module == module:
			cand = module + "." + name
		case b.Kind == pymodel.BindImportFrom && b.Module != "" && b.Module+"."+b.Imported == module:
			cand = b.Name + "." + name
		default:
			continue
		}
		if means(cand) {
			return cand, nil, true
		}
	}
	if preferModule && bare() {
		return name, nil, true
	}
	if !boundLocally(f, scope, name) {
		if e, ok := diagnostics.ImportEdit(f, module, name); ok {
			return name, e, true
		}
	}
	parent, base := splitModule(module)
	if parent == "" || boundLocally(f, scope, base) {
		return "", nil, false
	}
	if e, ok := diagnostics.ImportEdit(f, parent, base); ok {
		return base + "." + name, e, true
	}
	return "", nil, false
}

// moduleValue is what an import of module gives: the workspace module, or
// a library module by name.
func moduleValue(p *diagnostics.Pass, module string) pymodel.Value {
	if p.Workspace != nil {
		if m := p.Workspace.Module(module); m != nil {
			return pymodel.Value{Kind: pymodel.ModuleRef, Name: module, Mod: m}
		}
	}
	return pymodel.Value{Kind: pymodel.External, Name: module}
}

// boundLocally reports whether name is bound in a scope between scope and
// the module (a new module-level import would not reach code in scope).
func boundLocally(f *pymodel.File, scope *pymodel.Scope, name string) bool {
	_, where := f.Module.Lookup(scope, name)
	return where != nil && where != f.Module.Scope
}

// dottedExpr builds the Expr of a dotted name.
func dottedExpr(dotted string) *pymodel.Expr {
	var e *pymodel.Expr
	for i, part := range strings.Split(dotted, ".") {
		if i == 0 {
			e = &pymodel.Expr{Op: pymodel.OpName, Name: part}
		} else {
			e = &pymodel.Expr{Op: pymodel.OpAttr, X: e, Name: part}
		}
	}
	return e
}

func splitModule(module string) (parent, base string) {
	if i := strings.LastIndexByte(module, '.'); i >= 0 {
		return module[:i], module[i+1:]
	}
	return "", module
}

// sameValue reports whether two values are the same definition or object
// kind, whatever route led to them (Bound and Via aside).
func sameValue(a, b pymodel.Value) bool {
	return a.Kind != pymodel.Unknown && a.Kind == b.Kind && a.Name == b.Name && a.Mod == b.Mod && a.Func == b.Func && a.Class == b.Class
}
