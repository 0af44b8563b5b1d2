package rules

import (
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// bindingUses returns the identifiers that read binding b: the names in
// b's scope (nested functions included) whose lookup, by Python's rules,
// finds b. Attribute names, keyword names, parameters, definitions' names
// and the parts of import statements are not reads. It walks b's scope:
// meant for the few bindings a rule has already singled out.
func bindingUses(f *pymodel.File, b *pymodel.Binding) []pysyntax.Node {
	scope := f.Module.ScopeAt(int(b.Start))
	region := f.Tree.Root()
	if scope != f.Module.Scope {
		region = f.Tree.DescendantAt(int(scope.Start), int(scope.End))
	}
	var out []pysyntax.Node
	region.Walk(func(n pysyntax.Node) bool {
		if !n.Is(pysyntax.Identifier) || !n.TextIs(b.Name) || !isNameRead(n) {
			return true
		}
		bs, _ := f.Module.Lookup(f.Module.ScopeAt(n.Start()), b.Name)
		for _, x := range bs {
			if x == b {
				out = append(out, n)
				break
			}
		}
		return true
	})
	return out
}

// isNameRead reports whether identifier n is a name read as a variable
// rather than a label of something else.
func isNameRead(n pysyntax.Node) bool {
	p := n.Parent()
	switch p.Kind() {
	case pysyntax.Attribute:
		return n.Field() != pysyntax.FieldAttribute
	case pysyntax.KeywordArgument, pysyntax.DefaultParameter, pysyntax.TypedDefaultParameter:
		return n.Field() != pysyntax.FieldName
	case pysyntax.FunctionDefinition, pysyntax.ClassDefinition:
		return n.Field() != pysyntax.FieldName
	case pysyntax.DottedName, pysyntax.AliasedImport, pysyntax.Parameters, pysyntax.LambdaParameters,
		pysyntax.TypedParameter, pysyntax.ListSplatPattern, pysyntax.DictionarySplatPattern,
		pysyntax.GlobalStatement, pysyntax.NonlocalStatement:
		return false
	}
	return true
}
