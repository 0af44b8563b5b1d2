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
		return appendToFromImport(f, stmt, name), true
	}
	return newImportLine(f, module, "from "+module+" import "+name), true
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
	return newImportLine(f, module, "import "+module), true
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
	var last pysyntax.Node
	for c := stmt.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Field() == pysyntax.FieldName {
			last = c
		}
	}
	if last.IsNull() {
		return nil
	}
	parenthesised := !stmt.ChildOfKind(pysyntax.TokLParen).IsNull()
	next := last.NextSibling()
	src := f.Src
	if parenthesised && next.Is(pysyntax.TokComma) && lineOf(src, last.Start()) != lineOf(src, stmt.Start()) {
		// One name per line with a trailing comma: add a line like it.
		indent := indentOf(src, last.Start())
		return &Edit{Start: next.End(), End: next.End(), NewText: newline(src) + indent + name + ","}
	}
	return &Edit{Start: last.End(), End: last.End(), NewText: ", " + name}
}

// newImportLine inserts line beside the imports of the same top-level
// package, else after the import block, else after the docstring.
func newImportLine(f *pymodel.File, module, line string) *Edit {
	src := f.Src
	nl := newline(src)
	pkg := module
	if i := strings.IndexByte(pkg, '.'); i >= 0 {
		pkg = pkg[:i]
	}
	var after pysyntax.Node
	var sameFamily pysyntax.Node
	for c := f.Tree.Root().FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Is(pysyntax.ImportStatement) || c.Is(pysyntax.ImportFromStatement) || c.Is(pysyntax.FutureImportStatement) {
			after = c
			if importedPackage(c) == pkg {
				sameFamily = c
			}
		}
		if c.Is(pysyntax.FunctionDefinition) || c.Is(pysyntax.ClassDefinition) || c.Is(pysyntax.DecoratedDefinition) {
			break // imports further down are not the import block
		}
	}
	if !sameFamily.IsNull() {
		after = sameFamily
	}
	if !after.IsNull() {
		at := lineEnd(src, after.End())
		return &Edit{Start: at, End: at, NewText: nl + line}
	}
	if doc := int(f.Module.DocEnd); doc > 0 {
		at := lineEnd(src, doc)
		return &Edit{Start: at, End: at, NewText: nl + line}
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
	return &Edit{Start: at, End: at, NewText: line + nl}
}

var utf8BOM = []byte("\ufeff")

func importedPackage(stmt pysyntax.Node) string {
	var n pysyntax.Node
	if stmt.Is(pysyntax.ImportFromStatement) {
		n = stmt.ChildByField(pysyntax.FieldModuleName)
	} else {
		n = stmt.ChildByField(pysyntax.FieldName)
		if n.Is(pysyntax.AliasedImport) {
			n = n.ChildByField(pysyntax.FieldName)
		}
	}
	if !n.Is(pysyntax.DottedName) {
		return ""
	}
	return n.FirstNamedChild().Text()
}

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
