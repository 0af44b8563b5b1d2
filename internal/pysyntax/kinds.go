package pysyntax

import (
	"fmt"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/python"
)

// Kind is a node type of the Python grammar, interned by (name, named):
// the grammar has several symbols for one visible name (two "block"s, aliased
// "identifier"s) and a named node and a keyword can share a name ("type").
type Kind uint16

// Field is a grammar field id ("name", "body", "function", …); 0 is none.
type Field uint16

type kindInfo struct {
	name  string
	named bool
}

// grammar holds the interned tables. It is a package variable (not init)
// so that the Kind variables below, which depend on it, see it filled.
var grammar = loadGrammar()

type grammarTables struct {
	kinds     []kindInfo
	kindIndex map[kindInfo]Kind
	symKind   []Kind // raw grammar symbol → Kind
	errorKind Kind
	fields    []string
	fieldIdx  map[string]Field
}

func (g *grammarTables) intern(name string, named bool) Kind {
	ki := kindInfo{name, named}
	if k, ok := g.kindIndex[ki]; ok {
		return k
	}
	k := Kind(len(g.kinds))
	g.kinds = append(g.kinds, ki)
	g.kindIndex[ki] = k
	return k
}

func loadGrammar() *grammarTables {
	g := &grammarTables{kindIndex: map[kindInfo]Kind{}, fields: []string{""}, fieldIdx: map[string]Field{}}
	lang := python.GetLanguage()
	g.intern("", false) // Kind 0: never produced, so a zero Kind means "none"
	n := lang.SymbolCount()
	g.symKind = make([]Kind, n)
	for i := uint32(0); i < n; i++ {
		s := sitter.Symbol(i)
		g.symKind[i] = g.intern(lang.SymbolName(s), lang.SymbolType(s) == sitter.SymbolTypeRegular)
	}
	g.errorKind = g.intern("ERROR", true)
	for i := 1; ; i++ {
		name := lang.FieldName(i)
		if name == "" {
			break
		}
		g.fields = append(g.fields, name)
		g.fieldIdx[name] = Field(i)
	}
	return g
}

func kindOfSymbol(sym uint16) Kind {
	if int(sym) < len(grammar.symKind) {
		return grammar.symKind[sym]
	}
	return grammar.errorKind // ts_builtin_sym_error (0xFFFF) and anything unexpected
}

func (k Kind) String() string {
	if int(k) < len(grammar.kinds) {
		return grammar.kinds[k].name
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Named reports whether k is a named node type (not a keyword or punctuation).
func (k Kind) Named() bool { return int(k) < len(grammar.kinds) && grammar.kinds[k].named }

func (f Field) String() string {
	if int(f) < len(grammar.fields) {
		return grammar.fields[f]
	}
	return fmt.Sprintf("field(%d)", int(f))
}

func mustNamed(name string) Kind {
	k, ok := grammar.kindIndex[kindInfo{name, true}]
	if !ok {
		panic("pysyntax: the Python grammar has no node type " + name)
	}
	return k
}

func mustToken(text string) Kind {
	k, ok := grammar.kindIndex[kindInfo{text, false}]
	if !ok {
		panic("pysyntax: the Python grammar has no token " + text)
	}
	return k
}

func mustField(name string) Field {
	f, ok := grammar.fieldIdx[name]
	if !ok {
		panic("pysyntax: the Python grammar has no field " + name)
	}
	return f
}

// KindNamed returns the named node type called name, if the grammar has it.
func KindNamed(name string) (Kind, bool) {
	k, ok := grammar.kindIndex[kindInfo{name, true}]
	return k, ok
}

// Node types the analysis uses. Resolved at start-up; a grammar without one
// of them fails loudly at init rather than silently matching nothing.
var (
	Error                  = grammar.errorKind
	Module                 = mustNamed("module")
	Identifier             = mustNamed("identifier")
	Comment                = mustNamed("comment")
	String                 = mustNamed("string")
	StringContent          = mustNamed("string_content")
	ConcatenatedString     = mustNamed("concatenated_string")
	Integer                = mustNamed("integer")
	None                   = mustNamed("none")
	True                   = mustNamed("true")
	False                  = mustNamed("false")
	ImportStatement        = mustNamed("import_statement")
	ImportFromStatement    = mustNamed("import_from_statement")
	FutureImportStatement  = mustNamed("future_import_statement")
	RelativeImport         = mustNamed("relative_import")
	ImportPrefix           = mustNamed("import_prefix")
	AliasedImport          = mustNamed("aliased_import")
	WildcardImport         = mustNamed("wildcard_import")
	DottedName             = mustNamed("dotted_name")
	ExpressionStatement    = mustNamed("expression_statement")
	ReturnStatement        = mustNamed("return_statement")
	DeleteStatement        = mustNamed("delete_statement")
	RaiseStatement         = mustNamed("raise_statement")
	PassStatement          = mustNamed("pass_statement")
	IfStatement            = mustNamed("if_statement")
	ElifClause             = mustNamed("elif_clause")
	ElseClause             = mustNamed("else_clause")
	WhileStatement         = mustNamed("while_statement")
	ForStatement           = mustNamed("for_statement")
	TryStatement           = mustNamed("try_statement")
	ExceptClause           = mustNamed("except_clause")
	FinallyClause          = mustNamed("finally_clause")
	WithStatement          = mustNamed("with_statement")
	WithClause             = mustNamed("with_clause")
	WithItem               = mustNamed("with_item")
	MatchStatement         = mustNamed("match_statement")
	FunctionDefinition     = mustNamed("function_definition")
	ClassDefinition        = mustNamed("class_definition")
	DecoratedDefinition    = mustNamed("decorated_definition")
	Decorator              = mustNamed("decorator")
	Block                  = mustNamed("block")
	Parameters             = mustNamed("parameters")
	LambdaParameters       = mustNamed("lambda_parameters")
	TypedParameter         = mustNamed("typed_parameter")
	DefaultParameter       = mustNamed("default_parameter")
	TypedDefaultParameter  = mustNamed("typed_default_parameter")
	ListSplatPattern       = mustNamed("list_splat_pattern")
	DictionarySplatPattern = mustNamed("dictionary_splat_pattern")
	Type                   = mustNamed("type")
	GenericType            = mustNamed("generic_type")
	UnionType              = mustNamed("union_type")
	GlobalStatement        = mustNamed("global_statement")
	NonlocalStatement      = mustNamed("nonlocal_statement")
	Lambda                 = mustNamed("lambda")
	Assignment             = mustNamed("assignment")
	AugmentedAssignment    = mustNamed("augmented_assignment")
	TypeAliasStatement     = mustNamed("type_alias_statement")
	NamedExpression        = mustNamed("named_expression")
	PatternList            = mustNamed("pattern_list")
	ExpressionList         = mustNamed("expression_list")
	Attribute              = mustNamed("attribute")
	Subscript              = mustNamed("subscript")
	Call                   = mustNamed("call")
	ArgumentList           = mustNamed("argument_list")
	KeywordArgument        = mustNamed("keyword_argument")
	ListSplat              = mustNamed("list_splat")
	DictionarySplat        = mustNamed("dictionary_splat")
	Await                  = mustNamed("await")
	Yield                  = mustNamed("yield")
	NotOperator            = mustNamed("not_operator")
	BooleanOperator        = mustNamed("boolean_operator")
	BinaryOperator         = mustNamed("binary_operator")
	UnaryOperator          = mustNamed("unary_operator")
	ComparisonOperator     = mustNamed("comparison_operator")
	ConditionalExpression  = mustNamed("conditional_expression")
	ParenthesizedExpr      = mustNamed("parenthesized_expression")
	List                   = mustNamed("list")
	Tuple                  = mustNamed("tuple")
	Set                    = mustNamed("set")
	Dictionary             = mustNamed("dictionary")
	Pair                   = mustNamed("pair")
	ListComprehension      = mustNamed("list_comprehension")
	DictComprehension      = mustNamed("dictionary_comprehension")
	SetComprehension       = mustNamed("set_comprehension")
	GeneratorExpression    = mustNamed("generator_expression")
	ForInClause            = mustNamed("for_in_clause")
	IfClause               = mustNamed("if_clause")
	AsPattern              = mustNamed("as_pattern")
	AsPatternTarget        = mustNamed("as_pattern_target")
	Interpolation          = mustNamed("interpolation")
	TupleP                 = mustNamed("tuple_pattern")
	ListP                  = mustNamed("list_pattern")

	TokAsync  = mustToken("async")
	TokAwait  = mustToken("await")
	TokDef    = mustToken("def")
	TokFor    = mustToken("for")
	TokWith   = mustToken("with")
	TokStar   = mustToken("*")
	TokLParen = mustToken("(")
	TokRParen = mustToken(")")
	TokComma  = mustToken(",")
	TokDot    = mustToken(".")
	TokImport = mustToken("import")
	TokFrom   = mustToken("from")
	TokAs     = mustToken("as")
	TokEq     = mustToken("=")
	TokNot    = mustToken("not")
	TokIs     = mustToken("is")
	TokIsNot  = mustToken("is not")
	TokIn     = mustToken("in")

	FieldName           = mustField("name")
	FieldBody           = mustField("body")
	FieldParameters     = mustField("parameters")
	FieldReturnType     = mustField("return_type")
	FieldFunction       = mustField("function")
	FieldArguments      = mustField("arguments")
	FieldObject         = mustField("object")
	FieldAttribute      = mustField("attribute")
	FieldLeft           = mustField("left")
	FieldRight          = mustField("right")
	FieldValue          = mustField("value")
	FieldType           = mustField("type")
	FieldAlias          = mustField("alias")
	FieldModuleName     = mustField("module_name")
	FieldCondition      = mustField("condition")
	FieldConsequence    = mustField("consequence")
	FieldAlternative    = mustField("alternative")
	FieldSuperclasses   = mustField("superclasses")
	FieldDefinition     = mustField("definition")
	FieldOperator       = mustField("operator")
	FieldArgument       = mustField("argument")
	FieldSubscript      = mustField("subscript")
	FieldKey            = mustField("key")
	FieldTypeParameters = mustField("type_parameters")
)

// KindCount is one more than the largest Kind, for tables indexed by Kind.
func KindCount() int { return len(grammar.kinds) }
