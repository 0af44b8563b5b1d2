package diagnostics

import (
	"bytes"
	"strings"

	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// ImportEdit returns the edit that makes `name` from `module` available at
// module level, in the file's style: appended to an existing
// `from module import …` (one name per line in parenthesised blocks), or a
// new line beside the imports of the same package, or in the import block,
// or after the docstring and __future__ imports. ok is false when name is
// already bound at module level to something else (the fix would shadow
// it); edit is nil when nothing needs adding.
func ImportEdit(f *pymodel.File, module, name string) (edit *Edit, ok bool) {
	m := f.Module
	if bs := m.Scope.Names[name]; len(bs) > 0 {
		for _, b := range bs {
			if b.Kind == pymodel.BindImportFrom && b.Module == module && b.Imported == name {
				return nil, true
			}
		}
		return nil, false
	}
	// A function-local import of it would also be shadowed-safe, but we
	// always add a module-level one for clarity.
	if stmt := findFromImport(f, module); !stmt.IsNull() {
		// `from m import a b`: the parser ends the import at a; a name
		// added there would land before b.
		return appendToFromImport(f, stmt, name), endsLine(f.Src, stmt.End())
	}
	return newImportLine(f, module, "from "+module+" import "+name)
}

// ModuleImportEdit makes `import module` available (e.g. asyncio).
func ModuleImportEdit(f *pymodel.File, module string) (edit *Edit, ok bool) {
	if bs := f.Module.Scope.Names[module]; len(bs) > 0 {
		for _, b := range bs {
			if b.Kind == pymodel.BindImport && (b.Module == module || strings.HasPrefix(b.Module, module+".")) && b.Imported != "as" {
				return nil, true
			}
		}
		return nil, false
	}
	return newImportLine(f, module, "import "+module)
}

func findFromImport(f *pymodel.File, module string) pysyntax.Node {
	for c := f.Tree.Root().FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if !c.Is(pysyntax.ImportFromStatement) || c.HasError() {
			continue
		}
		mn := c.ChildByField(pysyntax.FieldModuleName)
		if !mn.Is(pysyntax.DottedName) || mn.Text() != module {
			continue
		}
		if !c.ChildOfKind(pysyntax.WildcardImport).IsNull() {
			continue
		}
		return c
	}
	return pysyntax.Node{}
}

func appendToFromImport(f *pymodel.File, stmt pysyntax.Node, name string) *Edit {
	var names []pysyntax.Node
	for c := stmt.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Field() == pysyntax.FieldName {
			names = append(names, c)
		}
	}
	if len(names) == 0 {
		return nil
	}
	src := f.Src
	last := names[len(names)-1]
	parenthesised := !stmt.ChildOfKind(pysyntax.TokLParen).IsNull()
	onePerLine := parenthesised && lineOf(src, last.Start()) != lineOf(src, stmt.Start())
	// Keep a sorted list sorted (isort/Ruff order by type: CONSTANTS,
	// Classes, then functions); an unsorted one gets the name at the end.
	if sortedNames(names) {
		for _, n := range names {
			if importNameLess(name, importedName(n)) {
				if onePerLine {
					ls := lineStart(src, n.Start())
					return &Edit{Start: ls, End: ls, NewText: indentOf(src, n.Start()) + name + "," + newline(src)}
				}
				return &Edit{Start: n.Start(), End: n.Start(), NewText: name + ", "}
			}
		}
	}
	next := last.NextSibling()
	if onePerLine && next.Is(pysyntax.TokComma) {
		// One name per line with a trailing comma: add a line like it.
		indent := indentOf(src, last.Start())
		return &Edit{Start: next.End(), End: next.End(), NewText: newline(src) + indent + name + ","}
	}
	return &Edit{Start: last.End(), End: last.End(), NewText: ", " + name}
}

// importedName is the name an import item brings in before any alias.
func importedName(n pysyntax.Node) string {
	if n.Is(pysyntax.AliasedImport) {
		return n.ChildByField(pysyntax.FieldName).Text()
	}
	return n.Text()
}

func sortedNames(names []pysyntax.Node) bool {
	for i := 1; i < len(names); i++ {
		if importNameLess(importedName(names[i]), importedName(names[i-1])) {
			return false
		}
	}
	return true
}

// importNameLess orders imported names like isort's order-by-type.
func importNameLess(a, b string) bool {
	ra, rb := nameRank(a), nameRank(b)
	if ra != rb {
		return ra < rb
	}
	la, lb := strings.ToLower(a), strings.ToLower(b)
	if la != lb {
		return la < lb
	}
	return a < b
}

func nameRank(n string) int {
	switch {
	case len(n) > 1 && strings.ToUpper(n) == n && strings.ToLower(n) != n:
		return 0 // CONSTANT
	case n != "" && n[0] >= 'A' && n[0] <= 'Z':
		return 1 // Class
	}
	return 2
}

// Import sections in isort order.
const (
	sectionFuture = iota
	sectionStdlib
	sectionThirdParty
	sectionFirstParty
	sectionLocal
)

// importStmt is one top-level import statement of the import block.
type importStmt struct {
	node    pysyntax.Node
	from    bool
	module  string
	section int
}

// sectionOf classifies a module like isort: the standard library, the
// project (any top-level package the workspace has, or this module's own),
// relative imports, or third party.
func sectionOf(f *pymodel.File, module string, relative bool) int {
	if relative {
		return sectionLocal
	}
	top := module
	if i := strings.IndexByte(top, '.'); i >= 0 {
		top = top[:i]
	}
	switch {
	case top == "__future__":
		return sectionFuture
	case stdlibModules[top]:
		return sectionStdlib
	}
	own := f.Module.Name
	if i := strings.IndexByte(own, '.'); i >= 0 {
		own = own[:i]
	}
	if top == own || f.Eval != nil && f.Eval.Index() != nil && f.Eval.Index().Module(top) != nil {
		return sectionFirstParty
	}
	return sectionThirdParty
}

func importBlock(f *pymodel.File) []importStmt {
	var out []importStmt
	for c := f.Tree.Root().FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Is(pysyntax.FunctionDefinition) || c.Is(pysyntax.ClassDefinition) || c.Is(pysyntax.DecoratedDefinition) {
			break // imports further down are not the import block
		}
		if c.HasError() {
			continue
		}
		switch c.Kind() {
		case pysyntax.FutureImportStatement:
			out = append(out, importStmt{node: c, from: true, module: "__future__", section: sectionFuture})
		case pysyntax.ImportStatement:
			n := c.ChildByField(pysyntax.FieldName)
			if n.Is(pysyntax.AliasedImport) {
				n = n.ChildByField(pysyntax.FieldName)
			}
			out = append(out, importStmt{node: c, module: n.Text(), section: sectionOf(f, n.Text(), false)})
		case pysyntax.ImportFromStatement:
			mn := c.ChildByField(pysyntax.FieldModuleName)
			rel := mn.Is(pysyntax.RelativeImport)
			out = append(out, importStmt{node: c, from: true, module: mn.Text(), section: sectionOf(f, mn.Text(), rel)})
		}
	}
	return out
}

// importLess orders statements within a section: `import x` lines before
// `from x import` lines, each by module (Ruff's isort defaults).
func importLess(aFrom bool, aMod string, bFrom bool, bMod string) bool {
	if aFrom != bFrom {
		return !aFrom
	}
	return strings.ToLower(aMod) < strings.ToLower(bMod)
}

// newImportLine inserts line where isort would put it: in sorted position
// within its section when the section exists (and is sorted), as a new
// blank-line-separated section in section order otherwise, and after the
// docstring and __future__ imports when the file has no imports.
func newImportLine(f *pymodel.File, module, line string) (*Edit, bool) {
	src := f.Src
	nl := newline(src)
	from := strings.HasPrefix(line, "from ")
	section := sectionOf(f, module, false)
	block := importBlock(f)
	var same []importStmt
	for _, st := range block {
		if st.section == section {
			same = append(same, st)
		}
	}
	if len(same) > 0 {
		sorted := true
		for i := 1; i < len(same); i++ {
			if importLess(same[i].from, same[i].module, same[i-1].from, same[i-1].module) {
				sorted = false
			}
		}
		if sorted {
			for _, st := range same {
				if importLess(from, module, st.from, st.module) {
					at := lineStart(src, st.node.Start())
					return &Edit{Start: at, End: at, NewText: line + nl}, startsLine(src, st.node.Start())
				}
			}
		}
		end := same[len(same)-1].node.End()
		at := lineEnd(src, end)
		return &Edit{Start: at, End: at, NewText: nl + line}, endsLine(src, end)
	}
	if len(block) > 0 {
		for _, st := range block {
			if st.section > section {
				at := lineStart(src, st.node.Start())
				return &Edit{Start: at, End: at, NewText: line + nl + nl}, startsLine(src, st.node.Start())
			}
		}
		end := block[len(block)-1].node.End()
		at := lineEnd(src, end)
		return &Edit{Start: at, End: at, NewText: nl + nl + line}, endsLine(src, end)
	}
	if doc := int(f.Module.DocEnd); doc > 0 {
		at := lineEnd(src, doc)
		return &Edit{Start: at, End: at, NewText: nl + line}, endsLine(src, doc)
	}
	// No imports, no docstring: the top, after a byte order mark (which must
	// stay first to remain one) and leading comments (shebang, coding line,
	// license header).
	at := 0
	if bytes.HasPrefix(src, utf8BOM) {
		at = len(utf8BOM)
	}
	for at < len(src) {
		e := lineEnd(src, at)
		if !bytes.HasPrefix(bytes.TrimLeft(src[at:e], " \t"), []byte("#")) {
			break
		}
		at = skipNewline(src, e)
	}
	return &Edit{Start: at, End: at, NewText: line + nl}, true
}

// startsLine and endsLine tell whether a new line can go before or after
// the statement at off: nothing but indentation before it, nothing but a
// comment or further simple statements (`; …`) after it. Otherwise the
// line also holds code the parser took as something else — such as the
// start of a decorator in `from __future__ import annot@ti*ns` — and the
// new line would cut it off.
// StandsAlone reports whether statement n has its line to itself (a
// trailing comment or `;` aside). tree-sitter also accepts what Python
// rejects, `from m import a b` read as an import and a second statement:
// a fix that edits such a statement can turn the recovered parse into an
// error, so fixes leave it alone.
func StandsAlone(src []byte, n pysyntax.Node) bool {
	return startsLine(src, n.Start()) && endsLine(src, n.End())
}

func startsLine(src []byte, off int) bool {
	return len(bytes.TrimLeft(src[lineStart(src, off):off], " \t")) == 0
}

func endsLine(src []byte, off int) bool {
	rest := bytes.TrimLeft(src[off:lineEnd(src, off)], " \t")
	return len(rest) == 0 || rest[0] == '#' || rest[0] == ';'
}

var utf8BOM = []byte("\ufeff")

func skipNewline(src []byte, i int) int {
	if i < len(src) && src[i] == '\r' {
		i++
	}
	if i < len(src) && src[i] == '\n' {
		i++
	}
	return i
}

// newline returns the file's line ending.
func newline(src []byte) string {
	if i := bytes.IndexByte(src, '\n'); i > 0 && src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// Newline returns the line ending the file uses.
func Newline(src []byte) string { return newline(src) }

func lineOf(src []byte, off int) int { return bytes.Count(src[:off], []byte{'\n'}) }

func indentOf(src []byte, off int) string {
	ls := lineStart(src, off)
	i := ls
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	return string(src[ls:i])
}

// IndentOf returns the indentation of the line holding off.
func IndentOf(src []byte, off int) string { return indentOf(src, off) }

// LineStart and LineEnd bound the line holding off (terminator excluded).
func LineStart(src []byte, off int) int { return lineStart(src, off) }
func LineEnd(src []byte, off int) int   { return lineEnd(src, off) }
