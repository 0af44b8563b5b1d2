package pymodel

import (
	"strings"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// File is a module being analysed with its syntax tree: rules walk the tree
// and ask the model about nodes.
type File struct {
	Module *Module
	Tree   *pysyntax.Tree
	Src    []byte
	Eval   *Evaluator
}

// NewFile pairs a tree with its model and an evaluator over the workspace.
func NewFile(tree *pysyntax.Tree, mod *Module, ev *Evaluator) *File {
	return &File{Module: mod, Tree: tree, Src: tree.Src, Eval: ev}
}

// ScopeOf returns the scope whose code contains n.
func (f *File) ScopeOf(n pysyntax.Node) *Scope { return f.Module.ScopeAt(n.Start()) }

// InAsync reports whether n runs directly in the body of an async def.
func (f *File) InAsync(n pysyntax.Node) bool { return f.ScopeOf(n).Async() }

// Value evaluates the expression node n where it stands.
func (f *File) Value(n pysyntax.Node) Value {
	return f.Eval.Eval(f.Module, f.ScopeOf(n), ExprOf(n))
}

// ExprValue evaluates an Expr as if it stood at node n.
func (f *File) ExprValue(n pysyntax.Node, e *Expr) Value {
	return f.Eval.Eval(f.Module, f.ScopeOf(n), e)
}

// Qualified returns the qualified external name n refers to
// ("datetime.datetime.utcnow"), or "" when it is not an external name.
func (f *File) Qualified(n pysyntax.Node) string {
	v := f.Value(n)
	if v.Kind == External {
		return v.Name
	}
	return ""
}

// FunctionAt returns the innermost def or lambda containing offset.
func (f *File) FunctionAt(off int) *Function {
	return f.Module.ScopeAt(off).Function()
}

// Use is how the value of a call expression is used.
type Use uint8

const (
	UseAwaited   Use = iota // await f()
	UseHandedOn             // given to gather/create_task/…, stored, returned from a plain def
	UseDiscarded            // a bare expression statement
	UseAssigned             // x = f() and x is never awaited or handed on later
	UseValue                // used as a value: f().x, if f():, len(f()), return f() in async def
	UseUnclear              // a context we do not judge
)

// handOffFuncs take a coroutine and schedule or await it.
var handOffFuncs = map[string]bool{
	"asyncio.gather": true, "asyncio.create_task": true, "asyncio.ensure_future": true, "asyncio.wait_for": true,
	"asyncio.shield": true, "asyncio.wait": true, "asyncio.as_completed": true, "asyncio.run": true,
	"asyncio.run_coroutine_threadsafe": true, "asyncio.timeout": true, "anyio.run": true,
	"asyncio.tasks.gather": true, "asyncio.tasks.create_task": true,
}

// handOffMethods are methods that take a coroutine (TaskGroup.create_task,
// loop.run_until_complete, list.append for a later gather, …).
var handOffMethods = map[string]bool{
	"create_task": true, "ensure_future": true, "run_until_complete": true, "run_coroutine_threadsafe": true,
	"start_soon": true, "spawn": true, "submit": true, "append": true, "add": true, "extend": true, "insert": true,
	"put": true, "put_nowait": true, "enter_async_context": true, "push_async_callback": true, "add_task": true,
	"gather": true, "wait_for": true, "shield": true, "run": true, "setdefault": true, "__setitem__": true,
}

// valueBuiltins use their argument's value right away.
var valueBuiltins = map[string]bool{
	"builtins.len": true, "builtins.print": true, "builtins.str": true, "builtins.repr": true, "builtins.bool": true,
	"builtins.int": true, "builtins.float": true, "builtins.list": true, "builtins.dict": true, "builtins.set": true,
	"builtins.tuple": true, "builtins.sorted": true, "builtins.isinstance": true, "builtins.getattr": true,
	"builtins.hasattr": true, "builtins.iter": true, "builtins.next": true, "builtins.sum": true, "builtins.any": true,
	"builtins.all": true, "builtins.min": true, "builtins.max": true, "builtins.enumerate": true, "builtins.zip": true,
}

// valueModules format or serialise what they are given and never await
// it: a coroutine passed to them is used as a value (logged, dumped).
var valueModules = []string{"logging.", "json."}

func valueModule(name string) bool {
	for _, p := range valueModules {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// UseOf classifies how the value of expression node n (usually a call) is
// used where it stands.
func (f *File) UseOf(n pysyntax.Node) Use { return f.useOf(n, 0) }

// maxAliasDepth bounds how many `b = a` assignments useOf follows to see
// whether a stored coroutine is consumed; past it the value counts as
// handed on (silence over guessing).
const maxAliasDepth = 6

func (f *File) useOf(n pysyntax.Node, depth int) Use {
	child := n
	p := n.Parent()
	for p.Is(pysyntax.ParenthesizedExpr) {
		child, p = p, p.Parent()
	}
	switch p.Kind() {
	case pysyntax.Await:
		return UseAwaited
	case pysyntax.ExpressionStatement:
		return UseDiscarded
	case pysyntax.Assignment:
		if child.Field() != pysyntax.FieldRight {
			return UseUnclear
		}
		left := p.ChildByField(pysyntax.FieldLeft)
		if !left.Is(pysyntax.Identifier) {
			if left.Is(pysyntax.Attribute) || left.Is(pysyntax.Subscript) {
				return UseHandedOn // stored for later
			}
			return UseUnclear
		}
		if left.TextIs("_") {
			return UseAssigned
		}
		if f.consumedLater(left, p, depth) {
			return UseHandedOn
		}
		return UseAssigned
	case pysyntax.ReturnStatement:
		fn := f.FunctionAt(n.Start())
		if fn != nil && fn.Async && !fn.Lambda {
			return UseValue
		}
		return UseHandedOn
	case pysyntax.Attribute:
		if child.Field() == pysyntax.FieldObject {
			return UseValue
		}
	case pysyntax.Subscript:
		if child.Field() == pysyntax.FieldValue {
			return UseValue
		}
	case pysyntax.IfStatement, pysyntax.WhileStatement, pysyntax.ElifClause:
		if child.Field() == pysyntax.FieldCondition {
			return UseValue
		}
	case pysyntax.NotOperator, pysyntax.BooleanOperator, pysyntax.ComparisonOperator, pysyntax.BinaryOperator, pysyntax.UnaryOperator:
		return UseValue
	case pysyntax.Interpolation:
		return UseValue
	case pysyntax.ConditionalExpression:
		if child.Field() == 0 && child == p.FirstNamedChild() || child == p.LastValue() {
			return f.useOf(p, depth)
		}
		return UseValue
	case pysyntax.List, pysyntax.Tuple, pysyntax.Set, pysyntax.Pair, pysyntax.Dictionary, pysyntax.ExpressionList,
		pysyntax.ListSplat, pysyntax.DictionarySplat:
		// An element of a display (or a *splat) goes wherever the whole
		// goes: `await gather(*[f(), g()])` hands it on, `return {"u": f()}`
		// from an async def uses it as a value.
		return f.useOf(p, depth)
	case pysyntax.ListComprehension, pysyntax.SetComprehension, pysyntax.GeneratorExpression, pysyntax.DictComprehension,
		pysyntax.Yield, pysyntax.Lambda:
		return UseHandedOn
	case pysyntax.ArgumentList, pysyntax.KeywordArgument:
		call := p
		if call.Is(pysyntax.KeywordArgument) {
			call = call.Parent()
		}
		call = call.Parent()
		if !call.Is(pysyntax.Call) {
			return UseUnclear
		}
		return f.argumentUse(call)
	}
	return UseUnclear
}

func (f *File) argumentUse(call pysyntax.Node) Use {
	fnNode := call.ChildByField(pysyntax.FieldFunction)
	v := f.Value(fnNode)
	if v.Kind == External {
		if handOffFuncs[v.Name] {
			return UseHandedOn
		}
		if valueBuiltins[v.Name] || valueModule(v.Name) {
			return UseValue
		}
	}
	if fnNode.Is(pysyntax.Attribute) && handOffMethods[fnNode.ChildByField(pysyntax.FieldAttribute).Text()] {
		return UseHandedOn
	}
	// Anything else may await what it is given (a retry helper, a task
	// runner): not ours to judge.
	return UseHandedOn
}

// consumedLater reports whether a name assigned a coroutine at assign is
// awaited or handed on somewhere in the same function, after the
// assignment (`x = x` reads its own name: that read is not "later").
func (f *File) consumedLater(name pysyntax.Node, assign pysyntax.Node, depth int) bool {
	if depth >= maxAliasDepth {
		return true
	}
	scope := f.ScopeOf(assign)
	region := f.Tree.Root()
	if fn := scope.Function(); fn != nil {
		region = f.Tree.DescendantAt(int(fn.Start), int(fn.End))
	}
	want := name.Text()
	consumed := false
	region.Walk(func(n pysyntax.Node) bool {
		if consumed {
			return false
		}
		if n.Is(pysyntax.Identifier) && n != name && n.TextIs(want) && n.Start() >= assign.End() {
			switch f.useOf(n, depth+1) {
			case UseAwaited, UseHandedOn:
				consumed = true
			}
		}
		return true
	})
	return consumed
}

// SessionCoroutineMethods are the AsyncSession methods that return
// coroutines in SQLAlchemy 2.0 (delete included).
var SessionCoroutineMethods = map[string]bool{
	"execute": true, "scalar": true, "scalars": true, "get": true, "get_one": true, "refresh": true, "flush": true,
	"commit": true, "rollback": true, "close": true, "delete": true, "merge": true, "stream": true,
	"stream_scalars": true, "run_sync": true, "connection": true, "invalidate": true, "reset": true,
}

// SessionSyncMethods are AsyncSession methods that are plain functions.
var SessionSyncMethods = map[string]bool{
	"add": true, "add_all": true, "expunge": true, "expunge_all": true, "expire": true, "expire_all": true,
	"in_transaction": true, "in_nested_transaction": true, "is_modified": true, "get_bind": true,
	"get_transaction": true, "get_nested_transaction": true, "begin": true, "begin_nested": true,
}

// DottedCallee returns "a.b.c" for the function of a call node.
func DottedCallee(call pysyntax.Node) string {
	e := ExprOf(call.ChildByField(pysyntax.FieldFunction))
	s, _ := e.Dotted()
	return s
}

// LastSegment returns what follows the last dot.
func LastSegment(s string) string { return s[strings.LastIndexByte(s, '.')+1:] }
