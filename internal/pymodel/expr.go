package pymodel

import (
	"strings"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// Op is the shape of an Expr.
type Op uint8

const (
	OpOther     Op = iota // anything we do not model (kept for its range)
	OpName                // Name
	OpAttr                // X.Name
	OpCall                // X(Args...)
	OpSubscript           // X[Args...]
	OpStr                 // a plain string literal; Name holds its content
	OpNone                // None
	OpOr                  // Args[0] | Args[1] (union annotations)
	OpTuple               // (Args...) or [Args...]
	OpAwait               // await X
	OpStarred             // *X or **X in a call
)

// Expr is the part of a Python expression the model reasons about: names,
// attribute chains, calls and annotation shapes. Module summaries keep
// Exprs instead of syntax trees, so the workspace index holds no tree.
type Expr struct {
	Op   Op
	Name string
	X    *Expr
	Args []*Expr
	// Kw is the keyword of a call argument (`f(db=x)`), empty otherwise.
	Kw         string
	Start, End int32
}

const (
	maxExprDepth = 24
	maxExprArgs  = 24
)

// ExprOf converts a syntax node into an Expr.
func ExprOf(n pysyntax.Node) *Expr { return exprOf(n, 0) }

func exprOf(n pysyntax.Node, depth int) *Expr {
	if n.IsNull() {
		return nil
	}
	e := &Expr{Start: int32(n.Start()), End: int32(n.End())}
	if depth > maxExprDepth {
		return e
	}
	switch n.Kind() {
	case pysyntax.Identifier:
		e.Op, e.Name = OpName, n.Text()
	case pysyntax.Attribute:
		e.Op = OpAttr
		e.X = exprOf(n.ChildByField(pysyntax.FieldObject), depth+1)
		e.Name = n.ChildByField(pysyntax.FieldAttribute).Text()
	case pysyntax.Call:
		e.Op = OpCall
		e.X = exprOf(n.ChildByField(pysyntax.FieldFunction), depth+1)
		args := n.ChildByField(pysyntax.FieldArguments)
		if args.Is(pysyntax.ArgumentList) {
			for c := args.FirstChild(); !c.IsNull() && len(e.Args) < maxExprArgs; c = c.NextSibling() {
				if !c.IsNamed() || c.IsExtra() {
					continue
				}
				e.Args = append(e.Args, argOf(c, depth+1))
			}
		} else if !args.IsNull() { // f(x for x in y)
			e.Args = append(e.Args, exprOf(args, depth+1))
		}
	case pysyntax.Subscript:
		e.Op = OpSubscript
		e.X = exprOf(n.ChildByField(pysyntax.FieldValue), depth+1)
		for c := n.ChildByField(pysyntax.FieldValue).NextSibling(); !c.IsNull() && len(e.Args) < maxExprArgs; c = c.NextSibling() {
			if c.Field() == pysyntax.FieldSubscript {
				e.Args = append(e.Args, exprOf(c, depth+1))
			}
		}
	case pysyntax.String:
		if content, ok := StringContent(n); ok {
			e.Op, e.Name = OpStr, content
		}
	case pysyntax.None:
		e.Op = OpNone
	case pysyntax.BinaryOperator:
		if op := n.ChildByField(pysyntax.FieldOperator); op.TextIs("|") {
			e.Op = OpOr
			e.Args = []*Expr{exprOf(n.ChildByField(pysyntax.FieldLeft), depth+1), exprOf(n.ChildByField(pysyntax.FieldRight), depth+1)}
		}
	case pysyntax.ParenthesizedExpr:
		if inner := n.FirstNamedChild(); !inner.IsNull() && !inner.IsExtra() {
			return exprOf(inner, depth+1)
		}
	case pysyntax.Tuple, pysyntax.List, pysyntax.ExpressionList:
		e.Op = OpTuple
		for c := n.FirstChild(); !c.IsNull() && len(e.Args) < maxExprArgs; c = c.NextSibling() {
			if c.IsNamed() && !c.IsExtra() {
				e.Args = append(e.Args, exprOf(c, depth+1))
			}
		}
	case pysyntax.Await:
		e.Op = OpAwait
		e.X = exprOf(n.FirstNamedChild(), depth+1)
	case pysyntax.Type:
		// Annotations are wrapped in a `type` node.
		return exprOf(n.FirstNamedChild(), depth)
	case pysyntax.GenericType:
		// `list[int]` in annotation position is a generic_type in this grammar.
		e.Op = OpSubscript
		e.X = exprOf(n.FirstNamedChild(), depth+1)
		if params := n.FirstNamedChild().NextNamedSibling(); !params.IsNull() {
			for c := params.FirstChild(); !c.IsNull() && len(e.Args) < maxExprArgs; c = c.NextSibling() {
				if c.IsNamed() && !c.IsExtra() {
					e.Args = append(e.Args, exprOf(c, depth+1))
				}
			}
		}
	case pysyntax.UnionType:
		e.Op = OpOr
		for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
			if c.IsNamed() && !c.IsExtra() {
				e.Args = append(e.Args, exprOf(c, depth+1))
			}
		}
	}
	return e
}

func argOf(c pysyntax.Node, depth int) *Expr {
	switch c.Kind() {
	case pysyntax.KeywordArgument:
		v := exprOf(c.ChildByField(pysyntax.FieldValue), depth)
		if v == nil {
			v = &Expr{Start: int32(c.Start()), End: int32(c.End())}
		}
		v.Kw = c.ChildByField(pysyntax.FieldName).Text()
		return v
	case pysyntax.ListSplat, pysyntax.DictionarySplat:
		return &Expr{Op: OpStarred, X: exprOf(c.FirstNamedChild(), depth), Start: int32(c.Start()), End: int32(c.End())}
	}
	return exprOf(c, depth)
}

// StringContent returns the value of a plain (non-f, non-concatenated)
// string literal.
func StringContent(n pysyntax.Node) (string, bool) {
	if !n.Is(pysyntax.String) {
		return "", false
	}
	var b strings.Builder
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		switch c.Kind() {
		case pysyntax.Interpolation:
			return "", false
		case pysyntax.StringContent:
			b.Write(c.Bytes())
		}
	}
	return b.String(), true
}

// Dotted returns "a.b.c" for a name/attribute chain.
func (e *Expr) Dotted() (string, bool) {
	if e == nil {
		return "", false
	}
	switch e.Op {
	case OpName:
		return e.Name, true
	case OpAttr:
		base, ok := e.X.Dotted()
		if !ok {
			return "", false
		}
		return base + "." + e.Name, true
	}
	return "", false
}

// Root returns the innermost base of an attribute/call/subscript chain.
func (e *Expr) Root() *Expr {
	for e != nil && (e.Op == OpAttr || e.Op == OpCall || e.Op == OpSubscript) && e.X != nil {
		e = e.X
	}
	return e
}

// Positional returns the i-th positional argument of a call.
func (e *Expr) Positional(i int) *Expr {
	for _, a := range e.Args {
		if a.Kw == "" && a.Op != OpStarred {
			if i == 0 {
				return a
			}
			i--
		}
	}
	return nil
}

// Keyword returns the argument passed as name=.
func (e *Expr) Keyword(name string) *Expr {
	for _, a := range e.Args {
		if a.Kw == name {
			return a
		}
	}
	return nil
}

// HasStarred reports *args or **kwargs among the arguments, which makes
// the argument-to-parameter mapping unknowable.
func (e *Expr) HasStarred() bool {
	for _, a := range e.Args {
		if a.Op == OpStarred {
			return true
		}
	}
	return false
}
