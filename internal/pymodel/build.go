package pymodel

import (
	"strconv"
	"strings"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// Build makes the model of one module from its syntax tree. name is the
// dotted module path ("" when the file is outside any known root); relative
// imports are resolved against it.
func Build(tree *pysyntax.Tree, name, path string, isPackage bool) *Module {
	root := tree.Root()
	m := &Module{Name: name, Path: path, IsPackage: isPackage, FirstImport: -1, LastImport: -1, Size: len(tree.Src), children: map[*Scope][]*Scope{}}
	m.Scope = newScope(ScopeModule, nil, 0, len(tree.Src)+1)
	b := &builder{m: m, src: tree.Src, x: newExprBuilder(tree)}
	defer b.x.release()
	if !root.IsNull() {
		b.prologue(root)
		b.block(root, m.Scope, nil)
		b.resolveOnce()
	}
	if len(m.Scope.Names["__getattr__"]) > 0 {
		// However it is bound: `def`, or reflex's `__getattr__, __dir__,
		// __all__ = lazy_loader.attach(…)`, an import. Any name may exist.
		m.HasGetattr = true
	}
	m.indexScopes()
	m.assignKeys()
	return m
}

// assignKeys gives every function and class its stable Key.
func (m *Module) assignKeys() {
	owner := m.Name
	if owner == "" {
		owner = m.Path
	}
	seen := map[string]int{}
	for _, f := range m.Functions {
		n := seen[f.Qual]
		seen[f.Qual] = n + 1
		f.Key = owner + ":" + f.Qual
		if n > 0 {
			f.Key += "#" + strconv.Itoa(n)
		}
	}
	seen = map[string]int{}
	for _, c := range m.Classes {
		n := seen[c.Qual]
		seen[c.Qual] = n + 1
		c.Key = owner + ":" + c.Qual
		if n > 0 {
			c.Key += "#" + strconv.Itoa(n)
		}
	}
}

type builder struct {
	m   *Module
	src []byte
	x   *exprBuilder
	// Bindings and call sites are carved from blocks (blocks.go).
	bindings  blocks[Binding]
	callSites blocks[CallSite]
	once      onceGuards // see once.go
}

// expr converts n sharing call Exprs and names with the rest of the model.
func (b *builder) expr(n pysyntax.Node) *Expr { return b.x.expr(n, 0) }

// binding returns a copy of v carved from the module's blocks.
func (b *builder) binding(v Binding) *Binding {
	p := b.bindings.next(16)
	*p = v
	return p
}

// name returns an identifier's text, one string per name in the module.
func (b *builder) name(n pysyntax.Node) string { return b.x.text(n) }

// prologue finds where new imports may go: after the docstring, __future__
// imports and the leading comment block, and the extent of the top-level
// import block.
func (b *builder) prologue(root pysyntax.Node) {
	for c := root.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		switch {
		case c.Is(pysyntax.Comment):
			continue
		case c.Is(pysyntax.ExpressionStatement) && c.FirstNamedChild().Is(pysyntax.String) && b.m.DocEnd == 0:
			b.m.DocEnd = int32(c.End())
			continue
		case c.Is(pysyntax.FutureImportStatement):
			b.m.DocEnd = int32(c.End())
			continue
		}
		break
	}
	for c := root.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Is(pysyntax.ImportStatement) || c.Is(pysyntax.ImportFromStatement) {
			if b.m.FirstImport < 0 {
				b.m.FirstImport = int32(c.Start())
			}
			b.m.LastImport = int32(c.End())
		}
	}
}

func (b *builder) child(parent *Scope, s *Scope) *Scope {
	b.m.children[parent] = append(b.m.children[parent], s)
	return s
}

// block walks statements (and, through visit, every expression) in scope.
func (b *builder) block(n pysyntax.Node, scope *Scope, fn *Function) {
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		b.visit(c, scope, fn)
	}
}

func (b *builder) visit(n pysyntax.Node, scope *Scope, fn *Function) {
	switch n.Kind() {
	case pysyntax.DecoratedDefinition:
		var decos []*Expr
		for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
			if c.Is(pysyntax.Decorator) {
				d := c.FirstNamedChild()
				decos = append(decos, b.expr(d))
				b.visit(d, scope, fn)
			}
		}
		def := n.ChildByField(pysyntax.FieldDefinition)
		if def.Is(pysyntax.FunctionDefinition) {
			b.function(def, n, decos, scope, fn)
		} else if def.Is(pysyntax.ClassDefinition) {
			b.class(def, n, decos, scope, fn)
		}
		return
	case pysyntax.FunctionDefinition:
		b.function(n, n, nil, scope, fn)
		return
	case pysyntax.ClassDefinition:
		b.class(n, n, nil, scope, fn)
		return
	case pysyntax.Lambda:
		b.lambda(n, scope, fn)
		return
	case pysyntax.ListComprehension, pysyntax.SetComprehension, pysyntax.DictComprehension, pysyntax.GeneratorExpression:
		b.comprehension(n, scope, fn)
		return
	case pysyntax.ImportStatement, pysyntax.ImportFromStatement, pysyntax.FutureImportStatement:
		b.importStmt(n, scope)
		return
	case pysyntax.GlobalStatement, pysyntax.NonlocalStatement:
		for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
			if c.Is(pysyntax.Identifier) {
				if n.Is(pysyntax.GlobalStatement) {
					if scope.Globals == nil {
						scope.Globals = map[string]bool{}
					}
					scope.Globals[c.Text()] = true
				} else {
					if scope.Nonlocals == nil {
						scope.Nonlocals = map[string]bool{}
					}
					scope.Nonlocals[c.Text()] = true
				}
			}
		}
		return
	case pysyntax.Assignment:
		b.assignment(n, scope, fn)
		return
	case pysyntax.TypeAliasStatement:
		b.typeAlias(n, scope, fn)
		return
	case pysyntax.AugmentedAssignment:
		b.targets(n.ChildByField(pysyntax.FieldLeft), nil, BindAugAssign, scope, fn, n)
		b.visit(n.ChildByField(pysyntax.FieldRight), scope, fn)
		return
	case pysyntax.ForStatement:
		async := n.FirstChild().Is(pysyntax.TokAsync)
		left := n.ChildByField(pysyntax.FieldLeft)
		b.targetsAsync(left, nil, BindFor, async, scope, fn, n)
		for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
			if c != left {
				b.visit(c, scope, fn)
			}
		}
		return
	case pysyntax.WithStatement:
		async := n.FirstChild().Is(pysyntax.TokAsync)
		b.withStmt(n, async, scope, fn)
		return
	case pysyntax.ExceptClause:
		b.exceptClause(n, scope, fn)
		return
	case pysyntax.NamedExpression:
		// := binds in the enclosing function, even from a comprehension.
		target := scope
		for target.Kind == ScopeComprehension && target.Parent != nil {
			target = target.Parent
		}
		name := n.ChildByField(pysyntax.FieldName)
		value := n.ChildByField(pysyntax.FieldValue)
		if name.Is(pysyntax.Identifier) {
			target.bind(b.binding(Binding{Kind: BindWalrus, Name: b.name(name), Value: b.expr(value), Start: int32(name.Start()), End: int32(name.End()), StmtStart: int32(n.Start()), StmtEnd: int32(n.End())}))
		}
		b.visit(value, scope, fn)
		return
	case pysyntax.ReturnStatement:
		if fn != nil {
			fn.ReturnValues = append(fn.ReturnValues, b.expr(n.FirstNamedChild()))
		}
	case pysyntax.Yield:
		if fn != nil && !fn.Lambda {
			fn.Generator = true
			v := n.FirstNamedChild()
			if !n.ChildOfKind(pysyntax.TokFrom).IsNull() {
				v = pysyntax.Node{} // `yield from` hands out another iterator's items
			}
			fn.YieldValues = append(fn.YieldValues, b.expr(v))
		}
	case pysyntax.Call:
		b.call(n, scope, fn)
	case pysyntax.IfStatement:
		b.noteGuards(n, fn)
	case pysyntax.Attribute:
		noteDynamicSelf(n, fn)
	}
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		b.visit(c, scope, fn)
	}
}

func (b *builder) call(n pysyntax.Node, scope *Scope, fn *Function) {
	cs := b.callSites.next(64)
	*cs = CallSite{Call: b.expr(n), Func: fn, Scope: scope, Awaited: IsAwaited(n), AsyncEntered: asyncEntered(n), Start: int32(n.Start()), End: int32(n.End())}
	for _, a := range cs.Call.Args { // b.expr of a call node is never nil
		if a.Op == OpName || a.Op == OpAttr {
			cs.PassesNames = true
			break
		}
	}
	if fn != nil {
		b.noteOnce(n, cs)
		fn.Calls = append(fn.Calls, cs)
	} else {
		b.m.Calls = append(b.m.Calls, cs)
	}
	// setattr(self, …) makes a class's attributes unknowable.
	if f := n.ChildByField(pysyntax.FieldFunction); f.TextIs("setattr") && fn != nil && fn.Class != nil {
		fn.Class.Dynamic = true
	}
	// globals() at module level hands the namespace to code that may fill
	// it: generated protobuf modules (`_builder.BuildTopDescriptorsAndMessages(
	// DESCRIPTOR, "x_pb2", globals())`) define every message that way.
	if f := n.ChildByField(pysyntax.FieldFunction); fn == nil && scope.Kind == ScopeModule && f.TextIs("globals") {
		if bs := scope.Names["globals"]; bs == nil {
			b.m.HasGetattr = true
		}
	}
	noteDynamicSelf(n, fn)
	b.noteSetattr(n)
}

// IsAwaited reports whether the call node is the operand of `await`
// (parentheses allowed).
func IsAwaited(n pysyntax.Node) bool {
	p := n.Parent()
	for p.Is(pysyntax.ParenthesizedExpr) {
		p = p.Parent()
	}
	return p.Is(pysyntax.Await)
}

// asyncEntered reports whether n is the context expression of an
// `async with` item (`async with X() as y` or `async with X():`).
func asyncEntered(n pysyntax.Node) bool {
	p := n.Parent()
	if p.Is(pysyntax.AsPattern) {
		if p.FirstNamedChild() != n {
			return false
		}
		p = p.Parent()
	}
	if !p.Is(pysyntax.WithItem) {
		return false
	}
	stmt := p.Parent().Parent()
	return stmt.Is(pysyntax.WithStatement) && stmt.FirstChild().Is(pysyntax.TokAsync)
}

func (b *builder) function(n, whole pysyntax.Node, decos []*Expr, scope *Scope, outer *Function) {
	name := n.ChildByField(pysyntax.FieldName)
	f := &Function{
		Name: b.name(name), Async: n.FirstChild().Is(pysyntax.TokAsync), Decorators: decos,
		Returns: b.expr(n.ChildByField(pysyntax.FieldReturnType)),
		Start:   int32(whole.Start()), End: int32(whole.End()), NameStart: int32(name.Start()), NameEnd: int32(name.End()),
		DefStart: int32(n.Start()),
	}
	if body := n.ChildByField(pysyntax.FieldBody); !body.IsNull() {
		f.BodyStart = int32(body.Start())
	}
	f.Qual = b.qual(scope, f.Name)
	if scope.Kind == ScopeClass {
		f.Class = scope.Class
		if f.Class.Methods == nil {
			f.Class.Methods = map[string]*Function{}
		}
		f.Class.Methods[f.Name] = f
		if f.Name == "__getattr__" || f.Name == "__getattribute__" {
			f.Class.HasGetattr = true
		}
	}
	if scope.Kind == ScopeModule && f.Name == "__getattr__" {
		b.m.HasGetattr = true
	}
	if f.Async {
		b.m.HasAsync = true
	}
	scope.bind(b.binding(Binding{Kind: BindDef, Name: f.Name, Func: f, Start: f.NameStart, End: f.NameEnd, StmtStart: f.Start, StmtEnd: f.End}))
	b.m.Functions = append(b.m.Functions, f)

	// The scope covers the body only: decorators, defaults and annotations
	// are evaluated in the enclosing scope.
	bodyStart := n.End()
	if body := n.ChildByField(pysyntax.FieldBody); !body.IsNull() {
		bodyStart = body.Start()
	}
	fs := b.child(scope, newScope(ScopeFunction, scope, bodyStart, n.End()))
	fs.Func = f
	f.Scope = fs
	b.params(n.ChildByField(pysyntax.FieldParameters), f, fs, scope, outer)
	// The return annotation is evaluated in the enclosing scope.
	b.visitOpt(n.ChildByField(pysyntax.FieldReturnType), scope, outer)
	b.block(n.ChildByField(pysyntax.FieldBody), fs, f)
}

func (b *builder) visitOpt(n pysyntax.Node, scope *Scope, fn *Function) {
	if !n.IsNull() {
		b.visit(n, scope, fn)
	}
}

// qual names a definition inside the module.
func (b *builder) qual(scope *Scope, name string) string {
	var parts []string
	for s := scope; s != nil && s.Kind != ScopeModule; s = s.Parent {
		switch s.Kind {
		case ScopeClass:
			parts = append(parts, s.Class.Name)
		case ScopeFunction:
			parts = append(parts, s.Func.Name+".<locals>")
		case ScopeLambda:
			parts = append(parts, "<lambda>.<locals>")
		}
	}
	q := name
	for _, p := range parts {
		q = p + "." + q
	}
	return q
}

func (b *builder) params(ps pysyntax.Node, f *Function, fs, outer *Scope, outerFn *Function) {
	if ps.IsNull() {
		return
	}
	kwOnly := false
	idx := 0
	for c := ps.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		var nameNode, annot, def pysyntax.Node
		kind := ParamNormal
		if kwOnly {
			kind = ParamKeywordOnly
		}
		switch c.Kind() {
		case pysyntax.Identifier:
			nameNode = c
		case pysyntax.TypedParameter:
			first := c.FirstNamedChild()
			switch {
			case first.Is(pysyntax.ListSplatPattern):
				nameNode, kind, kwOnly = first.FirstNamedChild(), ParamVarArgs, true
			case first.Is(pysyntax.DictionarySplatPattern):
				nameNode, kind = first.FirstNamedChild(), ParamVarKeywords
			default:
				nameNode = first
			}
			annot = c.ChildByField(pysyntax.FieldType)
		case pysyntax.DefaultParameter:
			nameNode, def = c.ChildByField(pysyntax.FieldName), c.ChildByField(pysyntax.FieldValue)
		case pysyntax.TypedDefaultParameter:
			nameNode, annot, def = c.ChildByField(pysyntax.FieldName), c.ChildByField(pysyntax.FieldType), c.ChildByField(pysyntax.FieldValue)
		case pysyntax.ListSplatPattern:
			nameNode, kind, kwOnly = c.FirstNamedChild(), ParamVarArgs, true
		case pysyntax.DictionarySplatPattern:
			nameNode, kind = c.FirstNamedChild(), ParamVarKeywords
		default:
			if c.Type() == "keyword_separator" || c.TextIs("*") {
				kwOnly = true
			}
			continue
		}
		if !nameNode.Is(pysyntax.Identifier) {
			continue
		}
		p := b.binding(Binding{
			Kind: BindParam, Name: b.name(nameNode), Annot: b.expr(annot), Default: b.expr(def),
			ParamIndex: idx, ParamKind: kind, Start: int32(nameNode.Start()), End: int32(nameNode.End()),
			StmtStart: int32(c.Start()), StmtEnd: int32(c.End()),
		})
		idx++
		f.Params = append(f.Params, p)
		fs.bind(p)
		// Annotations and defaults run in the enclosing scope.
		b.visitOpt(annot, outer, outerFn)
		b.visitOpt(def, outer, outerFn)
	}
}

func (b *builder) lambda(n pysyntax.Node, scope *Scope, fn *Function) {
	f := &Function{Name: "<lambda>", Lambda: true, Start: int32(n.Start()), End: int32(n.End()), NameStart: int32(n.Start()), NameEnd: int32(n.Start())}
	f.Qual = b.qual(scope, "<lambda>")
	lbody := n.ChildByField(pysyntax.FieldBody)
	lstart := n.End()
	if !lbody.IsNull() {
		lstart = lbody.Start()
	}
	ls := b.child(scope, newScope(ScopeLambda, scope, lstart, n.End()))
	ls.Func = f
	f.Scope = ls
	b.m.Functions = append(b.m.Functions, f)
	b.params(n.ChildByField(pysyntax.FieldParameters), f, ls, scope, fn)
	body := n.ChildByField(pysyntax.FieldBody)
	if !body.IsNull() {
		f.ReturnValues = append(f.ReturnValues, b.expr(body))
		b.visit(body, ls, f)
	}
}

func (b *builder) comprehension(n pysyntax.Node, scope *Scope, fn *Function) {
	cs := b.child(scope, newScope(ScopeComprehension, scope, n.Start(), n.End()))
	// Bind every for-target first; then visit the rest in the new scope.
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Is(pysyntax.ForInClause) {
			b.targets(c.ChildByField(pysyntax.FieldLeft), nil, BindComprehension, cs, fn, c)
		}
	}
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Is(pysyntax.ForInClause) {
			for d := c.FirstChild(); !d.IsNull(); d = d.NextSibling() {
				if d.Field() != pysyntax.FieldLeft {
					b.visit(d, cs, fn)
				}
			}
			continue
		}
		b.visit(c, cs, fn)
	}
}

func (b *builder) assignment(n pysyntax.Node, scope *Scope, fn *Function) {
	left := n.ChildByField(pysyntax.FieldLeft)
	right := n.ChildByField(pysyntax.FieldRight)
	annot := n.ChildByField(pysyntax.FieldType)
	// a = b = value: the right side is itself an assignment.
	value := right
	for value.Is(pysyntax.Assignment) {
		value = value.ChildByField(pysyntax.FieldRight)
	}
	kind := BindAssign
	if right.IsNull() && !annot.IsNull() {
		kind = BindAnnotation
	}
	b.targetsAnnot(left, b.expr(value), b.expr(annot), kind, scope, fn, n)
	b.visitOpt(annot, scope, fn)
	b.visitOpt(right, scope, fn)
}

// typeAlias binds the name of a PEP 695 alias (`type Opciones =
// Sequence[Opcion]`, `type Orden[T] = tuple[T, bool]`) to the aliased type,
// as the assignment it replaces would.
func (b *builder) typeAlias(n pysyntax.Node, scope *Scope, fn *Function) {
	parts := n.NamedChildren()
	if len(parts) != 2 {
		return
	}
	left, right := parts[0], parts[1]
	name := left
	for name.Is(pysyntax.Type) || name.Is(pysyntax.GenericType) {
		name = name.FirstNamedChild()
	}
	if !name.Is(pysyntax.Identifier) {
		return
	}
	b.targets(name, b.expr(right), BindAssign, scope, fn, n)
	b.visit(right, scope, fn)
}

func (b *builder) targets(t pysyntax.Node, value *Expr, kind BindKind, scope *Scope, fn *Function, stmt pysyntax.Node) {
	b.bindTarget(t, value, nil, kind, false, scope, fn, stmt)
}

func (b *builder) targetsAsync(t pysyntax.Node, value *Expr, kind BindKind, async bool, scope *Scope, fn *Function, stmt pysyntax.Node) {
	b.bindTarget(t, value, nil, kind, async, scope, fn, stmt)
}

func (b *builder) targetsAnnot(t pysyntax.Node, value, annot *Expr, kind BindKind, scope *Scope, fn *Function, stmt pysyntax.Node) {
	b.bindTarget(t, value, annot, kind, false, scope, fn, stmt)
}

func (b *builder) bindTarget(t pysyntax.Node, value, annot *Expr, kind BindKind, async bool, scope *Scope, fn *Function, stmt pysyntax.Node) {
	switch t.Kind() {
	case pysyntax.Identifier:
		name := b.name(t)
		b.target(scope, name).bind(b.binding(Binding{Kind: kind, Name: name, Value: value, Annot: annot, Async: async,
			Start: int32(t.Start()), End: int32(t.End()), StmtStart: int32(stmt.Start()), StmtEnd: int32(stmt.End())}))
	case pysyntax.PatternList, pysyntax.TupleP, pysyntax.ListP, pysyntax.Tuple, pysyntax.List, pysyntax.ExpressionList:
		elems := t.NamedChildren()
		for i, e := range elems {
			var v *Expr
			if value != nil && value.Op == OpTuple && len(value.Args) == len(elems) {
				v = value.Args[i]
			}
			b.bindTarget(e, v, nil, kind, async, scope, fn, stmt)
		}
	case pysyntax.ParenthesizedExpr:
		b.bindTarget(t.FirstNamedChild(), value, annot, kind, async, scope, fn, stmt)
	case pysyntax.ListSplatPattern:
		b.bindTarget(t.FirstNamedChild(), nil, nil, kind, async, scope, fn, stmt)
	case pysyntax.Attribute:
		obj := t.ChildByField(pysyntax.FieldObject)
		attr := b.name(t.ChildByField(pysyntax.FieldAttribute))
		b.noteAttrAssign(attr)
		onSelf := fn != nil && fn.Class != nil && len(fn.Params) > 0 && obj.Is(pysyntax.Identifier) && obj.Text() == fn.Params[0].Name && !fn.IsStatic()
		if !onSelf {
			if b.m.ForeignAttrs == nil {
				b.m.ForeignAttrs = map[string]bool{}
			}
			b.m.ForeignAttrs[attr] = true
		}
		if onSelf {
			c := fn.Class
			if c.SelfAttrs == nil {
				c.SelfAttrs = map[string][]*SelfAttr{}
			}
			c.SelfAttrs[attr] = append(c.SelfAttrs[attr], &SelfAttr{Value: value, Annot: annot, Method: fn})
			if attr == "__dict__" {
				c.Dynamic = true
			}
		}
		b.visit(t, scope, fn)
	default:
		b.visit(t, scope, fn)
	}
}

// target is the scope an assignment to name binds in: the module for
// `global name`, the enclosing function that owns it for `nonlocal name`.
func (b *builder) target(scope *Scope, name string) *Scope {
	if scope.Globals[name] {
		return b.m.Scope
	}
	if scope.Nonlocals[name] {
		for s := scope.Parent; s != nil; s = s.Parent {
			if s.Kind == ScopeFunction && s.Names[name] != nil {
				return s
			}
		}
	}
	return scope
}

func (b *builder) withStmt(n pysyntax.Node, async bool, scope *Scope, fn *Function) {
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if !c.Is(pysyntax.WithClause) {
			b.visit(c, scope, fn)
			continue
		}
		for item := c.FirstChild(); !item.IsNull(); item = item.NextSibling() {
			if !item.Is(pysyntax.WithItem) {
				continue
			}
			v := item.ChildByField(pysyntax.FieldValue)
			if v.Is(pysyntax.AsPattern) {
				// `with X as y`: the grammar reuses as_pattern.
				val := v.FirstNamedChild()
				alias := v.ChildByField(pysyntax.FieldAlias)
				target := alias.FirstNamedChild()
				if target.IsNull() {
					target = alias
				}
				b.bindTarget(target, b.expr(val), nil, BindWith, async, scope, fn, item)
				b.visit(val, scope, fn)
				continue
			}
			b.visit(v, scope, fn)
		}
	}
}

func (b *builder) exceptClause(n pysyntax.Node, scope *Scope, fn *Function) {
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Is(pysyntax.AsPattern) {
			alias := c.ChildByField(pysyntax.FieldAlias)
			target := alias.FirstNamedChild()
			if target.IsNull() {
				target = alias
			}
			b.bindTarget(target, nil, nil, BindExcept, false, scope, fn, c)
			b.visit(c.FirstNamedChild(), scope, fn)
			continue
		}
		b.visit(c, scope, fn)
	}
}

func (b *builder) class(n, whole pysyntax.Node, decos []*Expr, scope *Scope, fn *Function) {
	name := n.ChildByField(pysyntax.FieldName)
	c := &Class{Name: b.name(name), Decorators: decos, Methods: map[string]*Function{}, Attrs: map[string][]*Binding{},
		Start: int32(whole.Start()), End: int32(whole.End()), NameStart: int32(name.Start()), NameEnd: int32(name.End())}
	c.Qual = b.qual(scope, c.Name)
	if sup := n.ChildByField(pysyntax.FieldSuperclasses); !sup.IsNull() {
		for a := sup.FirstChild(); !a.IsNull(); a = a.NextSibling() {
			if !a.IsNamed() || a.IsExtra() {
				continue
			}
			e := b.x.arg(a, 0)
			if e.Kw != "" || e.Op == OpStarred {
				c.Keywords = append(c.Keywords, e)
				if e.Op == OpStarred {
					c.Dynamic = true
				}
			} else {
				c.Bases = append(c.Bases, e)
			}
			b.visit(a, scope, fn)
		}
	}
	scope.bind(b.binding(Binding{Kind: BindClass, Name: c.Name, Class: c, Start: c.NameStart, End: c.NameEnd, StmtStart: c.Start, StmtEnd: c.End}))
	b.m.Classes = append(b.m.Classes, c)
	cbody := n.ChildByField(pysyntax.FieldBody)
	cstart := n.End()
	if !cbody.IsNull() {
		cstart = cbody.Start()
	}
	cs := b.child(scope, newScope(ScopeClass, scope, cstart, n.End()))
	cs.Class = c
	c.Scope = cs
	b.block(n.ChildByField(pysyntax.FieldBody), cs, fn)
	c.Attrs = cs.Names
	if _, ok := cs.Names["__slots__"]; ok {
		// __slots__ alone is fine; __getattr__ tricks are caught above.
	}
}

func (b *builder) importStmt(n pysyntax.Node, scope *Scope) {
	stmtStart, stmtEnd := int32(n.Start()), int32(n.End())
	add := func(bd *Binding) {
		bd.StmtStart, bd.StmtEnd = stmtStart, stmtEnd
		scope.bind(bd)
		b.m.Imports = append(b.m.Imports, bd)
	}
	switch n.Kind() {
	case pysyntax.ImportStatement:
		for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
			switch c.Kind() {
			case pysyntax.DottedName:
				// `import a.b.c` binds `a`; Module records the full path.
				first := c.FirstNamedChild()
				add(b.binding(Binding{Kind: BindImport, Name: b.name(first), Module: dottedText(c), Start: int32(c.Start()), End: int32(c.End())}))
			case pysyntax.AliasedImport:
				alias := c.ChildByField(pysyntax.FieldAlias)
				add(b.binding(Binding{Kind: BindImport, Name: b.name(alias), Module: dottedText(c.ChildByField(pysyntax.FieldName)), Start: int32(alias.Start()), End: int32(alias.End()), Imported: "as"}))
			}
		}
	case pysyntax.ImportFromStatement, pysyntax.FutureImportStatement:
		mod := "__future__"
		if n.Is(pysyntax.ImportFromStatement) {
			mod = b.resolveFrom(n.ChildByField(pysyntax.FieldModuleName))
		}
		for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
			if c.Field() == pysyntax.FieldModuleName {
				continue
			}
			switch c.Kind() {
			case pysyntax.WildcardImport:
				if scope == b.m.Scope && mod != "" {
					b.m.StarImports = append(b.m.StarImports, mod)
				} else if scope == b.m.Scope {
					b.m.UnresolvedStarImport = true
				}
			case pysyntax.DottedName:
				add(b.binding(Binding{Kind: BindImportFrom, Name: b.name(c), Module: mod, Imported: b.name(c), Start: int32(c.Start()), End: int32(c.End())}))
			case pysyntax.AliasedImport:
				name := c.ChildByField(pysyntax.FieldName)
				alias := c.ChildByField(pysyntax.FieldAlias)
				add(b.binding(Binding{Kind: BindImportFrom, Name: b.name(alias), Module: mod, Imported: b.name(name), Start: int32(alias.Start()), End: int32(alias.End())}))
			}
		}
	}
}

func dottedText(n pysyntax.Node) string {
	var parts []string
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Is(pysyntax.Identifier) {
			parts = append(parts, c.Text())
		}
	}
	return strings.Join(parts, ".")
}

// resolveFrom turns the module of a from-import into an absolute path.
func (b *builder) resolveFrom(n pysyntax.Node) string {
	if n.Is(pysyntax.DottedName) {
		return dottedText(n)
	}
	if !n.Is(pysyntax.RelativeImport) {
		return ""
	}
	level := 0
	rest := ""
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if c.Is(pysyntax.ImportPrefix) {
			level = len(strings.TrimSpace(c.Text()))
		} else if c.Is(pysyntax.DottedName) {
			rest = dottedText(c)
		}
	}
	return ResolveRelative(b.m.Name, b.m.IsPackage, level, rest)
}

// ResolveRelative resolves `from <level dots><rest> import …` inside module
// name; "" when it climbs above the top-level package or name is unknown.
func ResolveRelative(name string, isPackage bool, level int, rest string) string {
	if name == "" {
		return ""
	}
	parts := strings.Split(name, ".")
	if !isPackage {
		parts = parts[:len(parts)-1]
	}
	up := level - 1
	if up > len(parts) {
		return ""
	}
	parts = parts[:len(parts)-up]
	if rest != "" {
		parts = append(parts, rest)
	}
	return strings.Join(parts, ".")
}
