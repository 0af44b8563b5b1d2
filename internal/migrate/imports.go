package migrate

import (
	"regexp"
	"sort"
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/fixer"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// Imports the migration made unused.
//
// The fixes import what the async code needs (`AsyncSession`,
// `get_async_db`, `select`, the twin service) but no rule removes what it
// no longer needs: the sync `Session`, `get_db`, the sync service, `time`.
// An import is removed when the migrated function used it, nothing in the
// migrated file uses it any more, and nothing can reach it from outside:
// the module is not a package `__init__`, no module of the workspace
// imports that name from it (or everything, with `*`), `__all__` does not
// list it, and no string mentions it (a string annotation would). Imports
// that were unused before are none of the migration's business.

// removeUnusedImports returns text without the module-level imports that
// the function used in the original file (orig) and nothing uses in text
// any more, and the names removed. Names go one at a time, each removal
// re-parsed, so two names of one statement never collide.
func (m *migration) removeUnusedImports(orig *pymodel.File, fn *pymodel.Function, text []byte) ([]byte, []string) {
	if orig.Module.IsPackage || m.importedFromOutside(orig.Module, "*") {
		return text, nil
	}
	usedBefore := readsInside(orig, int(fn.Start), int(fn.End))
	var removed []string
	tried := map[string]bool{}
	for len(tried) < len(usedBefore) {
		tree, err := m.parse(text)
		if err != nil {
			break
		}
		mod := pymodel.Build(tree, orig.Module.Name, orig.Module.Path, orig.Module.IsPackage)
		file := pymodel.NewFile(tree, mod, m.env.Workspace.Evaluator())
		next := []byte(nil)
		for _, name := range sortedKeys(usedBefore) {
			if tried[name] {
				continue
			}
			tried[name] = true
			bs := mod.Scope.Names[name]
			if len(bs) != 1 || m.importedFromOutside(orig.Module, name) {
				continue
			}
			b := bs[0]
			if b.Kind != pymodel.BindImportFrom && !(b.Kind == pymodel.BindImport && (b.Imported == "as" || b.Module == b.Name)) {
				continue // `import a.b` binds `a` for every `import a.x` too: left alone
			}
			if usedAnywhere(file, b) || mentionedInStrings(tree, name) {
				continue
			}
			e, ok := removeBinding(tree, b)
			if !ok {
				continue
			}
			if out, err := fixer.Apply(text, e); err == nil && m.parsesClean(out) {
				next = out
				removed = append(removed, name)
				break
			}
		}
		if next == nil {
			break
		}
		text = next
	}
	return text, removed
}

// readsInside returns the module-level names read in [start, end) of f.
func readsInside(f *pymodel.File, start, end int) map[string]bool {
	used := map[string]bool{}
	f.Tree.Root().Walk(func(n pysyntax.Node) bool {
		if n.End() <= start || n.Start() >= end {
			return false
		}
		if n.Is(pysyntax.Identifier) && isNameRead(n) {
			name := n.Text()
			if _, where := f.Module.Lookup(f.Module.ScopeAt(n.Start()), name); where == f.Module.Scope {
				used[name] = true
			}
		}
		return true
	})
	return used
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// usedAnywhere reports whether b's name is read anywhere in the file as the
// module-level name b binds.
func usedAnywhere(f *pymodel.File, b *pymodel.Binding) bool {
	used := false
	f.Tree.Root().Walk(func(n pysyntax.Node) bool {
		if used {
			return false
		}
		if isImport(n) {
			return false
		}
		if !n.Is(pysyntax.Identifier) || !n.TextIs(b.Name) || !isNameRead(n) {
			return true
		}
		if _, where := f.Module.Lookup(f.Module.ScopeAt(n.Start()), b.Name); where == f.Module.Scope || where == nil {
			used = true
		}
		return true
	})
	return used
}

// isNameRead reports whether identifier n reads a variable rather than
// naming an attribute, a keyword, a parameter or a definition.
func isNameRead(n pysyntax.Node) bool {
	p := n.Parent()
	switch p.Kind() {
	case pysyntax.Attribute:
		return n.Field() != pysyntax.FieldAttribute
	case pysyntax.KeywordArgument, pysyntax.DefaultParameter, pysyntax.TypedDefaultParameter,
		pysyntax.FunctionDefinition, pysyntax.ClassDefinition:
		return n.Field() != pysyntax.FieldName
	case pysyntax.Parameters, pysyntax.LambdaParameters, pysyntax.TypedParameter,
		pysyntax.ListSplatPattern, pysyntax.DictionarySplatPattern, pysyntax.GlobalStatement, pysyntax.NonlocalStatement:
		return false
	}
	return true
}

// mentionedInStrings reports whether a string of the file holds name as a
// word: a string annotation (`"Session"`) or `__all__` entry uses it.
func mentionedInStrings(tree *pysyntax.Tree, name string) bool {
	word := regexp.MustCompile(`(^|[^\w.])` + regexp.QuoteMeta(name) + `($|[^\w])`)
	found := false
	tree.Root().Walk(func(n pysyntax.Node) bool {
		if found {
			return false
		}
		if n.Is(pysyntax.String) {
			found = word.Match(n.Bytes())
			return false
		}
		return true
	})
	return found
}

// importedFromOutside reports whether a workspace module imports name (or
// `*`) from mod.
func (m *migration) importedFromOutside(mod *pymodel.Module, name string) bool {
	if mod.Name == "" {
		return false
	}
	for _, imp := range m.env.Workspace.Importers(mod.Name) {
		if imp.Name == name || imp.Name == "*" {
			return true
		}
	}
	return false
}

// removeBinding returns the edits deleting import binding b: its name from
// a statement that imports several, or the statement's whole line.
func removeBinding(tree *pysyntax.Tree, b *pymodel.Binding) ([]diagnostics.Edit, bool) {
	src := tree.Src
	stmt := tree.DescendantAt(int(b.StmtStart), int(b.StmtEnd))
	for !stmt.IsNull() && !isImport(stmt) {
		stmt = stmt.Parent()
	}
	if stmt.IsNull() || !stmt.Parent().Is(pysyntax.Module) {
		return nil, false
	}
	var items []pysyntax.Node
	var item pysyntax.Node
	for c := stmt.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Field() != pysyntax.FieldName {
			continue
		}
		items = append(items, c)
		if c.Start() <= int(b.Start) && int(b.End) <= c.End() {
			item = c
		}
	}
	if item.IsNull() {
		return nil, false
	}
	if len(items) == 1 {
		return removeLine(src, stmt)
	}
	for i, it := range items {
		if it != item {
			continue
		}
		if i+1 < len(items) {
			return []diagnostics.Edit{{Start: it.Start(), End: items[i+1].Start()}}, true
		}
		return []diagnostics.Edit{{Start: items[i-1].End(), End: it.End()}}, true
	}
	return nil, false
}

// removeLine deletes the lines of stmt, which must start its line and be
// followed by nothing but a comment.
func removeLine(src []byte, stmt pysyntax.Node) ([]diagnostics.Edit, bool) {
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
		end++
	}
	if end < len(src) && src[end] == '\n' {
		end++
	}
	// The last import of a group between blank lines takes one of them
	// along, so no double blank line is left.
	if blankBefore(src, ls) {
		if next := blankLineEnd(src, end); next > end {
			end = next
		}
	}
	return []diagnostics.Edit{{Start: ls, End: end}}, true
}

// blankBefore reports whether the line before line start ls is blank.
func blankBefore(src []byte, ls int) bool {
	if ls == 0 {
		return false
	}
	prev := diagnostics.LineStart(src, ls-1)
	return strings.TrimSpace(string(src[prev:ls])) == ""
}

// blankLineEnd returns the end of the blank line starting at ls (after its
// terminator), or ls when that line is not blank or does not exist.
func blankLineEnd(src []byte, ls int) int {
	if ls >= len(src) {
		return ls
	}
	le := diagnostics.LineEnd(src, ls)
	if strings.TrimSpace(string(src[ls:le])) != "" {
		return ls
	}
	if le < len(src) && src[le] == '\r' {
		le++
	}
	if le < len(src) && src[le] == '\n' {
		le++
	}
	return le
}
