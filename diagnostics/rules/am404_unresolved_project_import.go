package rules

import (
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func init() { register(AM404) }

var AM404 = &diagnostics.Rule{
	Code:     "AM404",
	Name:     "unresolved-project-import",
	Severity: diagnostics.SeverityError,
	Summary:  "An import of a workspace module or name that does not exist",
	Fix:      diagnostics.FixSometimes,
	Kinds:    []pysyntax.Kind{pysyntax.ImportStatement, pysyntax.ImportFromStatement},
	Check:    checkAM404,
	Doc: `## What it does
Flags imports of modules and names of your own project that do not exist —
module-level and function-local, absolute and relative — typically an async
twin that was never written: ` + "`from app.services.async_user import async_user_service`" + `
when ` + "`app/services/async_user.py`" + ` defines no such name.

Only imports the project certainly owns are judged: the top-level package
belongs to the workspace, is not named like a dependency the project
declares (pyproject.toml, requirements*.txt), and, when it is a folder
without ` + "`__init__.py`" + `, the import reaches into it — such a folder is a
namespace portion that an installed package of the same name overrides
(` + "`from alembic import op`" + ` beside an ` + "`alembic/`" + ` folder of migrations).
Names a module may produce dynamically (a module ` + "`__getattr__`" + `, a star import
from outside the workspace) and imports inside ` + "`try: … except ImportError:`" + `
are left alone, and so are imports of paths the project's ` + "`.gitignore`" + `
ignores: code generated at build time (` + "`*_pb2.py`" + ` stubs, a settings module
a script writes) is missing from a fresh clone without being a bug.

## Why is this bad?
The import raises ` + "`ImportError`" + ` when the module loads — for a function-local
import, only when that code path runs, which is often in production first.

## Example
` + "```python" + `
from app.services.async_user import AsyncUserServise  # typo
from app.services.async_reports import async_build   # the twin is called build
` + "```" + `

Use instead:
` + "```python" + `
from app.services.async_user import AsyncUserService
from app.services.async_reports import build
` + "```" + `

## Fix
Unsafe, and only when exactly one existing name is close: one or two edits
away (one for names of five characters or fewer), or its twin under the
configured ` + "`twin-patterns`" + ` (` + "`async_build`" + ` → ` + "`build`" + `). The import and the
uses of the name in the file are renamed. A missing module is replaced by
the one sibling module that is close and provides every imported name.`,
}

func checkAM404(p *diagnostics.Pass, n pysyntax.Node) {
	st := readImport(p.File, n)
	for _, u := range unresolvedImports(p, &st) {
		d := diagnostics.Diagnostic{Start: u.node.Start(), End: u.node.End()}
		var fix *diagnostics.Fix
		var meant string
		fixable := diagnostics.StandsAlone(p.Src(), st.node)
		if u.name == "" {
			d.Message = missingModuleMessage(u)
			if fixable {
				fix, meant = missingModuleFix(p, &st, u)
			}
		} else {
			d.Message = "`" + u.name + "` is not defined in `" + u.module + "`"
			if fixable {
				fix, meant = missingNameFix(p, &st, u)
			}
		}
		if fix != nil {
			d.Message += "; did you mean `" + meant + "`?"
			d.Fixes = []diagnostics.Fix{*fix}
		}
		p.Report(d)
	}
}

func missingModuleMessage(u unresolvedImport) string {
	written := u.node.Text()
	if u.node.Is(pysyntax.DottedName) {
		written = dottedName(u.node)
	}
	msg := "`" + written + "` is not a module of the workspace"
	if written != u.module {
		msg += " (`" + u.module + "`)"
	}
	return msg
}

// missingModuleFix replaces a missing module by its one close sibling that
// provides every name imported from it. `import a.b.c` without an alias
// binds `a` and spells the path at every use, so it gets no fix.
func missingModuleFix(p *diagnostics.Pass, st *importStmt, u unresolvedImport) (*diagnostics.Fix, string) {
	w := p.Workspace
	if !st.from && (u.item == nil || u.item.alias.IsNull()) {
		return nil, ""
	}
	last := lastIdentifier(u.node)
	if last.IsNull() {
		return nil, ""
	}
	parent, base := "", u.module
	if i := strings.LastIndexByte(u.module, '.'); i >= 0 {
		parent, base = u.module[:i], u.module[i+1:]
	}
	if base != last.Text() {
		return nil, ""
	}
	tw := w.TwinPatterns()
	syncName, _ := tw.SyncModuleName(base)
	var pool []string
	for _, sib := range w.Submodules(parent) {
		if providesAll(p, join(parent, sib), st) {
			pool = append(pool, sib)
		}
	}
	cands := closeNames(base, pool, typoDistance(base), tw.AsyncModuleName(base), syncName)
	if len(cands) != 1 {
		return nil, ""
	}
	return &diagnostics.Fix{
		Title:         "Replace with `" + cands[0] + "`",
		Applicability: diagnostics.Unsafe,
		Edits:         []diagnostics.Edit{{Start: last.Start(), End: last.End(), NewText: cands[0]}},
	}, cands[0]
}

// providesAll reports whether module provides every name st imports.
func providesAll(p *diagnostics.Pass, module string, st *importStmt) bool {
	if !st.from || st.wildcard {
		return p.Workspace.ModuleExists(module)
	}
	mod := p.Workspace.Module(module)
	if mod == nil {
		return false
	}
	for _, it := range st.items {
		name := dottedName(it.name)
		if exists, _ := p.File.Eval.HasName(mod, name); !exists && !p.Workspace.ModuleExists(module+"."+name) {
			return false
		}
	}
	return true
}

func join(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// missingNameFix renames a missing name to the one close name its module
// provides, together with the file's uses of it when it is not aliased.
func missingNameFix(p *diagnostics.Pass, st *importStmt, u unresolvedImport) (*diagnostics.Fix, string) {
	it := u.item
	if it == nil || it.binding == nil {
		return nil, ""
	}
	pool := moduleNamePool(p, u.module)
	tw := p.Workspace.TwinPatterns()
	syncName, _ := tw.SyncName(u.name)
	syncClass, _ := tw.SyncClassName(u.name)
	cands := closeNames(u.name, pool, typoDistance(u.name), tw.AsyncName(u.name), syncName, tw.AsyncClassName(u.name), syncClass)
	if len(cands) != 1 {
		return nil, ""
	}
	to := cands[0]
	// `to` may already be imported from the same module in this scope:
	// then the typo's import goes and its uses join the existing one.
	scope := p.File.Module.ScopeAt(int(it.binding.Start))
	existing := scope.Names[to]
	var edits []diagnostics.Edit
	switch {
	case existing == nil:
		edits = []diagnostics.Edit{{Start: it.name.Start(), End: it.name.End(), NewText: to}}
	case it.alias.IsNull() && importsOf(existing, u.module, to):
		rm, ok := removeImportEdits(p.Src(), st, it)
		if !ok {
			return nil, ""
		}
		edits = rm
	default:
		return nil, ""
	}
	if it.alias.IsNull() {
		uses, ok := renameUses(p.File, it.binding, to, existing)
		if !ok {
			return nil, ""
		}
		edits = append(edits, uses...)
	}
	return &diagnostics.Fix{Title: "Replace with `" + to + "`", Applicability: diagnostics.Unsafe, Edits: edits}, to
}

// importsOf reports whether every binding of bs imports name from module.
func importsOf(bs []*pymodel.Binding, module, name string) bool {
	for _, b := range bs {
		if b.Kind != pymodel.BindImportFrom || b.Module != module || b.Imported != name {
			return false
		}
	}
	return len(bs) > 0
}

// renameUses renames the reads of binding b to `to`, refusing when that
// would change what a name means: b's name is bound more than once in its
// scope, or, where b's name is read, `to` already names something other
// than the bindings in same.
func renameUses(f *pymodel.File, b *pymodel.Binding, to string, same []*pymodel.Binding) ([]diagnostics.Edit, bool) {
	scope := f.Module.ScopeAt(int(b.Start))
	if len(scope.Names[b.Name]) != 1 {
		return nil, false
	}
	var edits []diagnostics.Edit
	for _, n := range bindingUses(f, b) {
		if bs, _ := f.Module.Lookup(f.Module.ScopeAt(n.Start()), to); bs != nil && !sameBindings(bs, same) {
			return nil, false
		}
		edits = append(edits, diagnostics.Edit{Start: n.Start(), End: n.End(), NewText: to})
	}
	return edits, true
}

func sameBindings(a, b []*pymodel.Binding) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// moduleNamePool lists what `from module import X` can name: its
// module-level names, those its workspace star imports provide, and its
// submodules.
func moduleNamePool(p *diagnostics.Pass, module string) []string {
	var pool []string
	seen := map[*pymodel.Module]bool{}
	var add func(m *pymodel.Module, star bool)
	add = func(m *pymodel.Module, star bool) {
		if m == nil || seen[m] {
			return
		}
		seen[m] = true
		for name := range m.Scope.Names {
			if !star || !strings.HasPrefix(name, "_") {
				pool = append(pool, name)
			}
		}
		for _, sm := range m.StarImports {
			add(p.Workspace.Module(sm), true)
		}
	}
	add(p.Workspace.Module(module), false)
	return append(pool, p.Workspace.Submodules(module)...)
}
