package rules

import (
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"strings"
)

// coroutineLost reports whether the value of call, a coroutine, is lost
// where it stands: neither awaited nor handed on. Beyond File.UseOf's
// verdicts, a `for` iterable, a `with` item and the right side of an
// augmented assignment consume the value on the spot.
func coroutineLost(f *pymodel.File, call pysyntax.Node) bool {
	switch f.UseOf(call) {
	case pymodel.UseDiscarded, pymodel.UseAssigned, pymodel.UseValue:
		return true
	case pymodel.UseUnclear:
		child, p := call, call.Parent()
		for p.Is(pysyntax.ParenthesizedExpr) {
			child, p = p, p.Parent()
		}
		switch p.Kind() {
		case pysyntax.ForStatement, pysyntax.AugmentedAssignment:
			return child.Field() == pysyntax.FieldRight
		case pysyntax.WithItem:
			return true
		case pysyntax.AsPattern: // `with X as y`: X is the first child
			return p.Parent().Is(pysyntax.WithItem) && child == p.FirstNamedChild()
		}
	}
	return false
}

// awaitAllowed reports whether `await` can be written at n: n runs in the
// body of an async def, and not inside a generator expression there (an
// await would turn the generator into an async generator).
func awaitAllowed(f *pymodel.File, n pysyntax.Node) bool {
	if !f.InAsync(n) {
		return false
	}
	for p := n.Parent(); !p.IsNull(); p = p.Parent() {
		switch p.Kind() {
		case pysyntax.GeneratorExpression:
			return false
		case pysyntax.FunctionDefinition, pysyntax.Lambda, pysyntax.ClassDefinition, pysyntax.Module:
			return true
		}
	}
	return true
}

// bindsTighterThanAwait reports whether n sits where `await n` needs
// parentheses: as the base of an attribute, a subscript or a call.
func bindsTighterThanAwait(n pysyntax.Node) bool {
	p := n.Parent()
	switch {
	case p.Is(pysyntax.Attribute):
		return n.Field() == pysyntax.FieldObject
	case p.Is(pysyntax.Subscript):
		return n.Field() == pysyntax.FieldValue
	case p.Is(pysyntax.Call):
		return n.Field() == pysyntax.FieldFunction
	}
	return false
}

// insertAwaitEdits awaits the expression n in place, parenthesised when n
// is the base of an attribute, subscript or call:
// `(await s.execute(q)).scalars()`.
func insertAwaitEdits(n pysyntax.Node) []diagnostics.Edit {
	if bindsTighterThanAwait(n) {
		return []diagnostics.Edit{
			{Start: n.Start(), End: n.Start(), NewText: "(await "},
			{Start: n.End(), End: n.End(), NewText: ")"},
		}
	}
	return []diagnostics.Edit{{Start: n.Start(), End: n.Start(), NewText: "await "}}
}

// awaitOperand returns the expression an `await` node awaits, looking
// through parentheses.
func awaitOperand(aw pysyntax.Node) pysyntax.Node {
	op := aw.FirstNamedChild()
	for op.Is(pysyntax.ParenthesizedExpr) {
		op = op.FirstNamedChild()
	}
	return op
}

// awaitingNode returns the `await` expression that awaits n (through
// parentheses), or a null node.
func awaitingNode(n pysyntax.Node) pysyntax.Node {
	p := n.Parent()
	for p.Is(pysyntax.ParenthesizedExpr) {
		p = p.Parent()
	}
	if p.Is(pysyntax.Await) {
		return p
	}
	return pysyntax.Node{}
}

// removeAwaitFixes deletes the `await` keyword (and the space after it)
// of an await expression, keeping its operand. None when a closing bracket
// precedes the await on its line (`)  await db.add(x)`): that is no Python,
// only the parser's recovery, and without the keyword the two read as one
// expression.
func removeAwaitFixes(src []byte, aw pysyntax.Node, applicability diagnostics.Applicability) []diagnostics.Fix {
	before := strings.TrimRight(string(src[diagnostics.LineStart(src, aw.Start()):aw.Start()]), " \t")
	if before != "" && strings.ContainsRune(")]}", rune(before[len(before)-1])) {
		return nil
	}
	edit := diagnostics.Edit{Start: aw.Start(), End: aw.FirstNamedChild().Start()}
	return []diagnostics.Fix{{Title: "Remove `await`", Applicability: applicability, Edits: []diagnostics.Edit{edit}}}
}
