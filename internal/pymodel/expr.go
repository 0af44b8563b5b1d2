package pymodel

import (
	"strings"
	"sync"

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
func ExprOf(n pysyntax.Node) *Expr { return (*exprBuilder)(nil).expr(n, 0) }

// exprBuilder converts the nodes of one tree. Build uses one per module so
// the model holds each expression once: a call's Expr is shared by its call
// site, the assignment or return it is the value of and the call it is an
// argument of (nested calls used to be converted again at every level),
// and each identifier's text is one string. Shared Exprs are never changed
// after they are made. A nil *exprBuilder converts without sharing.
type exprBuilder struct {
	calls map[int32]sharedExpr // by node index
	names map[string]string
	pool  *sync.Pool // where the tables go back (release)
	// reach is the deepest conversion depth reached so far.
	reach int
	// Exprs and argument lists are carved from blocks: a module holds
	// about a thousand, and one allocation per Expr was most of what
	// building a model cost (the model keeps them all anyway).
	exprs blocks[Expr]
	args  []*Expr
}

const (
	exprBlock = 64
	argsBlock = 256
)

// newExpr returns a zero Expr. (Taking the Expr to copy as an argument
// would make every argument escape to the heap.)
func (c *exprBuilder) newExpr() *Expr {
	if c == nil {
		return new(Expr)
	}
	return c.exprs.next(exprBlock)
}

// newArgs returns an empty list with room for n arguments; appending past
// n reallocates, so lists carved from one block never overlap.
func (c *exprBuilder) newArgs(n int) []*Expr {
	if c == nil || n > argsBlock/8 {
		return make([]*Expr, 0, n)
	}
	if len(c.args) < n {
		c.args = make([]*Expr, argsBlock)
	}
	out := c.args[:0:n]
	c.args = c.args[n:]
	return out
}

// sharedExpr is a call's Expr with the depths it was made at: it serves
// another use only where a fresh conversion would give the same Expr
// (maxExprDepth cuts deep expressions short, depending on where the
// conversion started).
type sharedExpr struct {
	e            *Expr
	depth, reach int
}

// fits reports whether converting the same node at depth would give se.e.
func (se sharedExpr) fits(depth int) bool {
	if se.reach > maxExprDepth { // cut short: only the same start depth
		return depth == se.depth
	}
	return depth+se.reach-se.depth <= maxExprDepth
}

// An exprBuilder's tables are reused from one Build to the next: a
// keystroke rebuilds the model of its whole module, and making them anew
// was a fifth of what that allocated. Clearing a table costs time in
// proportion to the most it ever held, so small and big modules keep
// tables of their own.
var exprTables [2]sync.Pool // of *exprTable; [1] for trees of bigTree nodes or more

const bigTree = 1 << 15

type exprTable struct {
	calls map[int32]sharedExpr
	names map[string]string
}

// newExprBuilder takes tables from the pool, or makes them sized from the
// tree's calls (grown one insertion at a time, they were a tenth of what
// building a model allocated).
func newExprBuilder(tree *pysyntax.Tree) *exprBuilder {
	pool := &exprTables[0]
	if tree.Len() >= bigTree {
		pool = &exprTables[1]
	}
	if t, ok := pool.Get().(*exprTable); ok {
		return &exprBuilder{calls: t.calls, names: t.names, pool: pool}
	}
	calls := 0
	for i := 0; i < tree.Len(); i++ {
		if tree.At(i).Is(pysyntax.Call) {
			calls++
		}
	}
	return &exprBuilder{calls: make(map[int32]sharedExpr, calls), names: make(map[string]string, calls), pool: pool}
}

// release gives c's tables back for the next Build; c must not be used
// afterwards. The model keeps the interned strings and the Exprs, never the
// tables.
func (c *exprBuilder) release() {
	clear(c.calls)
	clear(c.names)
	c.pool.Put(&exprTable{calls: c.calls, names: c.names})
	c.calls, c.names = nil, nil
}

// text returns n's text, one string per distinct text in the module.
func (c *exprBuilder) text(n pysyntax.Node) string {
	if c == nil {
		return n.Text()
	}
	b := n.Bytes()
	if s, ok := c.names[string(b)]; ok {
		return s
	}
	s := string(b)
	c.names[s] = s
	return s
}

func (c *exprBuilder) expr(n pysyntax.Node, depth int) *Expr {
	if n.IsNull() {
		return nil
	}
	if c != nil && n.Is(pysyntax.Call) {
		if se, ok := c.calls[int32(n.Index())]; ok && se.fits(depth) {
			c.reach = max(c.reach, depth+se.reach-se.depth)
			return se.e
		}
		outer := c.reach
		c.reach = depth
		e := c.convert(n, depth)
		c.calls[int32(n.Index())] = sharedExpr{e, depth, c.reach}
		c.reach = max(c.reach, outer)
		return e
	}
	return c.convert(n, depth)
}

func (c *exprBuilder) convert(n pysyntax.Node, depth int) *Expr {
	if c != nil {
		c.reach = max(c.reach, depth)
	}
	if depth <= maxExprDepth {
		// Wrappers give their content's Expr, and take none of their own.
		switch n.Kind() {
		case pysyntax.ParenthesizedExpr:
			if inner := n.FirstNamedChild(); !inner.IsNull() && !inner.IsExtra() {
				return c.expr(inner, depth+1)
			}
		case pysyntax.Type:
			// Annotations are wrapped in a `type` node.
			return c.expr(n.FirstNamedChild(), depth)
		}
	}
	e := c.newExpr()
	e.Start, e.End = int32(n.Start()), int32(n.End())
	if depth > maxExprDepth {
		return e
	}
	switch n.Kind() {
	case pysyntax.Identifier:
		e.Op, e.Name = OpName, c.text(n)
	case pysyntax.Attribute:
		e.Op = OpAttr
		e.X = c.expr(n.ChildByField(pysyntax.FieldObject), depth+1)
		e.Name = c.text(n.ChildByField(pysyntax.FieldAttribute))
	case pysyntax.Call:
		e.Op = OpCall
		e.X = c.expr(n.ChildByField(pysyntax.FieldFunction), depth+1)
		args := n.ChildByField(pysyntax.FieldArguments)
		if args.Is(pysyntax.ArgumentList) {
			count := 0
			for a := args.FirstChild(); !a.IsNull() && count < maxExprArgs; a = a.NextSibling() {
				if a.IsNamed() && !a.IsExtra() {
					count++
				}
			}
			if count > 0 {
				e.Args = c.newArgs(count)
			}
			for a := args.FirstChild(); !a.IsNull() && len(e.Args) < maxExprArgs; a = a.NextSibling() {
				if !a.IsNamed() || a.IsExtra() {
					continue
				}
				e.Args = append(e.Args, c.arg(a, depth+1))
			}
		} else if !args.IsNull() { // f(x for x in y)
			e.Args = append(e.Args, c.expr(args, depth+1))
		}
	case pysyntax.Subscript:
		e.Op = OpSubscript
		e.X = c.expr(n.ChildByField(pysyntax.FieldValue), depth+1)
		for s := n.ChildByField(pysyntax.FieldValue).NextSibling(); !s.IsNull() && len(e.Args) < maxExprArgs; s = s.NextSibling() {
			if s.Field() == pysyntax.FieldSubscript {
				e.Args = append(e.Args, c.expr(s, depth+1))
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
			e.Args = []*Expr{c.expr(n.ChildByField(pysyntax.FieldLeft), depth+1), c.expr(n.ChildByField(pysyntax.FieldRight), depth+1)}
		}
	case pysyntax.Tuple, pysyntax.List, pysyntax.ExpressionList:
		e.Op = OpTuple
		for el := n.FirstChild(); !el.IsNull() && len(e.Args) < maxExprArgs; el = el.NextSibling() {
			if el.IsNamed() && !el.IsExtra() {
				e.Args = append(e.Args, c.expr(el, depth+1))
			}
		}
	case pysyntax.Await:
		e.Op = OpAwait
		e.X = c.expr(n.FirstNamedChild(), depth+1)
	case pysyntax.GenericType:
		// `list[int]` in annotation position is a generic_type in this grammar.
		e.Op = OpSubscript
		e.X = c.expr(n.FirstNamedChild(), depth+1)
		if params := n.FirstNamedChild().NextNamedSibling(); !params.IsNull() {
			for p := params.FirstChild(); !p.IsNull() && len(e.Args) < maxExprArgs; p = p.NextSibling() {
				if p.IsNamed() && !p.IsExtra() {
					e.Args = append(e.Args, c.expr(p, depth+1))
				}
			}
		}
	case pysyntax.UnionType:
		e.Op = OpOr
		for u := n.FirstChild(); !u.IsNull(); u = u.NextSibling() {
			if u.IsNamed() && !u.IsExtra() {
				e.Args = append(e.Args, c.expr(u, depth+1))
			}
		}
	}
	return e
}

func argOf(a pysyntax.Node, depth int) *Expr { return (*exprBuilder)(nil).arg(a, depth) }

func (c *exprBuilder) arg(a pysyntax.Node, depth int) *Expr {
	switch a.Kind() {
	case pysyntax.KeywordArgument:
		v := c.expr(a.ChildByField(pysyntax.FieldValue), depth)
		if v == nil {
			v = c.newExpr()
			v.Start, v.End = int32(a.Start()), int32(a.End())
		} else if c != nil && v.Op == OpCall {
			// A call's Expr is shared: the keyword belongs to this use.
			cp := c.newExpr()
			*cp = *v
			v = cp
		}
		v.Kw = c.text(a.ChildByField(pysyntax.FieldName))
		return v
	case pysyntax.ListSplat, pysyntax.DictionarySplat:
		e := c.newExpr()
		*e = Expr{Op: OpStarred, X: c.expr(a.FirstNamedChild(), depth), Start: int32(a.Start()), End: int32(a.End())}
		return e
	}
	return c.expr(a, depth)
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
