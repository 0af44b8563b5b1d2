package rules

import (
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// importItem is one imported name of an import statement.
type importItem struct {
	node    pysyntax.Node // dotted_name or aliased_import: what a diagnostic marks
	name    pysyntax.Node // the imported dotted name
	alias   pysyntax.Node // null when not aliased
	binding *pymodel.Binding
}

// local is the name the item binds where it is imported.
func (it importItem) local() string {
	if it.binding != nil {
		return it.binding.Name
	}
	return ""
}

// importStmt is an import or from-import statement, read once for the
// import rules (AM401, AM404).
type importStmt struct {
	node pysyntax.Node
	from bool
	// From-imports: module is the absolute module ("" when a relative
	// import climbs out of the workspace), modNode the module as written.
	module   string
	modNode  pysyntax.Node
	wildcard bool
	items    []importItem
}

// readImport reads an import_statement or import_from_statement node.
func readImport(f *pymodel.File, n pysyntax.Node) importStmt {
	st := importStmt{node: n, from: n.Is(pysyntax.ImportFromStatement)}
	scope := f.ScopeOf(n)
	if st.from {
		st.modNode = n.ChildByField(pysyntax.FieldModuleName)
		st.module = absoluteModule(f.Module, st.modNode)
	}
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Field() == pysyntax.FieldModuleName {
			continue
		}
		it := importItem{node: c}
		var bound pysyntax.Node // the node whose text is the bound name
		switch c.Kind() {
		case pysyntax.WildcardImport:
			st.wildcard = true
			continue
		case pysyntax.DottedName:
			it.name = c
			bound = c.FirstNamedChild() // `import a.b.c` binds `a`
		case pysyntax.AliasedImport:
			it.name = c.ChildByField(pysyntax.FieldName)
			it.alias = c.ChildByField(pysyntax.FieldAlias)
			bound = it.alias
		default:
			continue
		}
		// The model records the binding at the alias, or at the whole
		// dotted name.
		at := it.node.Start()
		if !it.alias.IsNull() {
			at = it.alias.Start()
		}
		for _, b := range scope.Names[bound.Text()] {
			if int(b.Start) == at && (b.Kind == pymodel.BindImport || b.Kind == pymodel.BindImportFrom) {
				it.binding = b
			}
		}
		st.items = append(st.items, it)
	}
	return st
}

// absoluteModule resolves the module of a from-import as written.
func absoluteModule(m *pymodel.Module, n pysyntax.Node) string {
	if n.Is(pysyntax.DottedName) {
		return dottedName(n)
	}
	if !n.Is(pysyntax.RelativeImport) {
		return ""
	}
	level, rest := 0, ""
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Is(pysyntax.ImportPrefix) {
			level = len(strings.TrimSpace(c.Text()))
		} else if c.Is(pysyntax.DottedName) {
			rest = dottedName(c)
		}
	}
	return pymodel.ResolveRelative(m.Name, m.IsPackage, level, rest)
}

// dottedName is the text of a dotted_name without the spaces Python
// allows around its dots.
func dottedName(n pysyntax.Node) string {
	var b strings.Builder
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Is(pysyntax.Identifier) {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.Write(c.Bytes())
		}
	}
	return b.String()
}

// lastIdentifier is the last component of a dotted name, or of the dotted
// part of a relative import (null for a bare `.`).
func lastIdentifier(n pysyntax.Node) pysyntax.Node {
	if n.Is(pysyntax.RelativeImport) {
		n = n.ChildOfKind(pysyntax.DottedName)
	}
	var last pysyntax.Node
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Is(pysyntax.Identifier) {
			last = c
		}
	}
	return last
}

// unresolvedImport is one import of the workspace that does not resolve:
// a module that does not exist, or a name its module does not define.
type unresolvedImport struct {
	node   pysyntax.Node // the module as written, or the imported name
	module string        // absolute module path
	name   string        // the missing name; "" when the module is missing
	item   *importItem   // the item concerned; nil for a from-import's module
}

// unresolvedImports is AM404's premise, shared with AM401 (which defers to
// it): the imports of st that name workspace modules or names that do not
// exist. Only imports the workspace certainly owns are judged (OwnsImport:
// not a declared dependency's name, not a namespace folder an installed
// package overrides); a module the workspace cannot see into (__getattr__, a star
// import from outside, a file left out of the index) gives no verdict; and
// imports guarded by `except ImportError` are meant to fail sometimes.
func unresolvedImports(p *diagnostics.Pass, st *importStmt) []unresolvedImport {
	w := p.Workspace
	if w == nil || inBrokenCode(st.node) || guardedByImportError(st.node) || underTypeChecking(st.node) {
		return nil // a statement being typed, one meant to fail, or one that never runs
	}
	var out []unresolvedImport
	if !st.from {
		for i := range st.items {
			it := &st.items[i]
			mod := dottedName(it.name)
			if w.OwnsImport(mod) && !w.ModuleExists(mod) && !w.MayBeGenerated(mod) {
				out = append(out, unresolvedImport{node: it.name, module: mod, item: it})
			}
		}
		return out
	}
	if st.module == "" || !w.OwnsImport(st.module) {
		return nil
	}
	if !w.ModuleExists(st.module) {
		if w.MayBeGenerated(st.module) {
			return nil
		}
		return []unresolvedImport{{node: st.modNode, module: st.module}}
	}
	if st.wildcard {
		return nil
	}
	mod := w.Module(st.module)
	for i := range st.items {
		it := &st.items[i]
		name := dottedName(it.name)
		if mod != nil {
			if exists, certain := p.File.Eval.HasName(mod, name); exists || !certain {
				continue
			}
		} else if !w.NamespaceOnly(st.module) {
			continue // a package left out of the index: its names are not visible
		}
		if w.ModuleExists(st.module+"."+name) || w.MayBeGenerated(st.module+"."+name) {
			continue
		}
		out = append(out, unresolvedImport{node: it.name, module: st.module, name: name, item: it})
	}
	return out
}

// itemUnresolved reports whether the import of it in st is one of
// unresolvedImports (its name, or the module it comes from).
func itemUnresolved(p *diagnostics.Pass, st *importStmt, it *importItem) bool {
	for _, u := range unresolvedImports(p, st) {
		if u.item == nil || u.item.node == it.node {
			return true
		}
	}
	return false
}

// inBrokenCode reports whether n holds or sits inside a syntax error: an
// import being typed (`from app.services.async_usr import` with the next
// line read as its name) is not judged until it parses.
func inBrokenCode(n pysyntax.Node) bool {
	if n.HasError() {
		return true
	}
	for p := n.Parent(); !p.IsNull(); p = p.Parent() {
		if p.IsError() {
			return true
		}
	}
	return false
}

// guardedByImportError reports whether n sits in the body of a try
// statement that catches ImportError (or a parent of it, or everything):
// the code expects the import to fail sometimes.
func guardedByImportError(n pysyntax.Node) bool {
	return inStatementPart(n, pysyntax.TryStatement, pysyntax.FieldBody, func(try pysyntax.Node) bool {
		for c := try.FirstChild(); !c.IsNull(); c = c.NextSibling() {
			if c.Is(pysyntax.ExceptClause) && catchesImportError(c) {
				return true
			}
		}
		return false
	})
}

// underTypeChecking reports whether n sits in the body of `if
// TYPE_CHECKING:` (or `typing.TYPE_CHECKING`): only type checkers run
// those imports, so a missing module there raises nothing.
func underTypeChecking(n pysyntax.Node) bool {
	return inStatementPart(n, pysyntax.IfStatement, pysyntax.FieldConsequence, func(stmt pysyntax.Node) bool {
		cond := stmt.ChildByField(pysyntax.FieldCondition)
		return cond.TextIs("TYPE_CHECKING") || cond.TextIs("typing.TYPE_CHECKING")
	})
}

// inStatementPart reports whether n sits, inside its own function or class
// body, in the given part of a statement of kind k that accept approves.
func inStatementPart(n pysyntax.Node, k pysyntax.Kind, part pysyntax.Field, accept func(stmt pysyntax.Node) bool) bool {
	for child, p := n, n.Parent(); !p.IsNull(); child, p = p, p.Parent() {
		if p.Is(pysyntax.FunctionDefinition) || p.Is(pysyntax.ClassDefinition) {
			return false
		}
		if p.Is(k) && child.Field() == part && accept(p) {
			return true
		}
	}
	return false
}

var importErrorCatchers = map[string]bool{
	"ImportError": true, "ModuleNotFoundError": true, "Exception": true, "BaseException": true,
	"builtins.ImportError": true, "builtins.ModuleNotFoundError": true, "builtins.Exception": true,
}

func catchesImportError(clause pysyntax.Node) bool {
	caught := pysyntax.Node{}
	for c := clause.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.IsNamed() && !c.IsExtra() && !c.Is(pysyntax.Block) {
			caught = c
			break
		}
	}
	if caught.IsNull() {
		return true // bare except
	}
	if caught.Is(pysyntax.AsPattern) {
		caught = caught.FirstNamedChild()
	}
	match := false
	caught.Walk(func(n pysyntax.Node) bool {
		if n.Is(pysyntax.Identifier) && importErrorCatchers[n.Text()] {
			match = true
		}
		return !match
	})
	return match
}

// removeImportEdits removes item it from statement st: the statement's
// whole line when it is the only item, else the item and one comma beside
// it. ok is false when that cannot be done cleanly: the statement shares
// its line with other code, or is the only statement of its block.
func removeImportEdits(src []byte, st *importStmt, it *importItem) ([]diagnostics.Edit, bool) {
	if len(st.items) == 1 && !st.wildcard {
		return removeStatementLine(src, st.node)
	}
	var prevComma, nextComma, nextItem pysyntax.Node
	found := false
	for c := st.node.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		switch {
		case c == it.node:
			found = true
		case c.Is(pysyntax.TokComma) && !found:
			prevComma = c
		case c.Is(pysyntax.TokComma) && found && nextComma.IsNull():
			nextComma = c
		case found && !nextComma.IsNull() && nextItem.IsNull() && c.Field() == pysyntax.FieldName:
			nextItem = c
		}
	}
	switch {
	case !found:
		return nil, false
	case !nextItem.IsNull():
		return []diagnostics.Edit{{Start: it.node.Start(), End: nextItem.Start()}}, true
	case !nextComma.IsNull() && !prevComma.IsNull(): // trailing comma
		return []diagnostics.Edit{{Start: prevComma.End(), End: nextComma.End()}}, true
	case !prevComma.IsNull():
		return []diagnostics.Edit{{Start: prevComma.Start(), End: it.node.End()}}, true
	}
	return nil, false
}

// removeStatementLine deletes the line holding stmt, which must hold
// nothing else but a trailing comment, and must not be the only statement
// of its block.
func removeStatementLine(src []byte, stmt pysyntax.Node) ([]diagnostics.Edit, bool) {
	if p := stmt.Parent(); p.Is(pysyntax.Block) {
		alone := true
		for c := p.FirstChild(); !c.IsNull(); c = c.NextSibling() {
			if c != stmt && c.IsNamed() && !c.IsExtra() {
				alone = false
			}
		}
		if alone {
			return nil, false
		}
	}
	ls := diagnostics.LineStart(src, stmt.Start())
	if strings.TrimLeft(string(src[ls:stmt.Start()]), " \t") != "" {
		return nil, false
	}
	le := diagnostics.LineEnd(src, stmt.End())
	if rest := strings.TrimLeft(string(src[stmt.End():le]), " \t"); rest != "" && rest[0] != '#' {
		return nil, false
	}
	end := le
	if end < len(src) && src[end] == '\r' {
		if end+1 < len(src) && src[end+1] != '\n' {
			// A lone CR: Python ends the line there, the parser reads on
			// to the \n. Which text is the line's is not certain.
			return nil, false
		}
		end++
	}
	if end < len(src) && src[end] == '\n' {
		end++
	}
	return []diagnostics.Edit{{Start: ls, End: end}}, true
}
