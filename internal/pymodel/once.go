package pymodel

import (
	"bytes"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// Run-once initialisation. Lazy setup code blocks the first time a
// function runs and never again:
//
//	def start(self):
//	    if not self.running:          # or `if self._client is None:`
//	        self.running = True
//	        wait_for_server()         # runs once per object
//
//	def get_engine():
//	    global _engine
//	    if _engine is not None:
//	        return _engine
//	    _engine = connect()           # runs once per process
//	    return _engine
//
// A call is behind such a guard when the guard tests a state S that the
// guarded code itself sets, and S outlives the call: a global declared in
// the function, or an attribute of self, cls, a parameter, a class or a
// module. A local object is new at every call, and a keyed cache
// (`if key not in CACHE:`) runs once per key — both still run every time
// in general, so neither counts.

// onceGuards holds, per function being built, the regions that run only
// while a state is unset, found when their if statement is visited (before
// the calls inside or after it).
type onceGuards struct {
	regions map[*Function][]onceRegion
	// pending are calls in a region, to check against the function's
	// bindings once the whole module is built.
	pending []pendingOnce
}

// onceRegion is code that runs only while state is unset: the body of
// `if S is None: … S = …`, or what follows `if S: return …` in a block
// that sets S.
type onceRegion struct {
	start, end int
	state      pysyntax.Node
}

type pendingOnce struct {
	cs    *CallSite
	state pysyntax.Node
}

// noteGuards records the run-once regions if statement n opens in fn.
func (b *builder) noteGuards(n pysyntax.Node, fn *Function) {
	if fn == nil {
		return // module level runs once anyway
	}
	cond := n.ChildByField(pysyntax.FieldCondition)
	if s := unsetTest(cond); !s.IsNull() {
		if body := n.ChildByField(pysyntax.FieldConsequence); assigns(body, s) {
			b.addRegion(fn, onceRegion{body.Start(), body.End(), s})
			return
		}
	}
	blk := n.Parent()
	if !blk.Is(pysyntax.Block) || !n.ChildByField(pysyntax.FieldAlternative).IsNull() || !endsInReturn(n.ChildByField(pysyntax.FieldConsequence)) {
		return
	}
	if s := setTest(cond); !s.IsNull() {
		for rest := n.NextNamedSibling(); !rest.IsNull(); rest = rest.NextNamedSibling() {
			if assigns(rest, s) {
				b.addRegion(fn, onceRegion{n.End(), blk.End(), s})
				return
			}
		}
	}
}

func (b *builder) addRegion(fn *Function, r onceRegion) {
	if b.once.regions == nil {
		b.once.regions = map[*Function][]onceRegion{}
	}
	b.once.regions[fn] = append(b.once.regions[fn], r)
}

// noteOnce records call cs (node n) when it lies in a run-once region of
// its function.
func (b *builder) noteOnce(n pysyntax.Node, cs *CallSite) {
	for _, r := range b.once.regions[cs.Func] {
		if r.start <= n.Start() && n.End() <= r.end {
			b.once.pending = append(b.once.pending, pendingOnce{cs, r.state})
			return
		}
	}
}

// resolveOnce marks the pending calls whose guard state outlives a call
// of their function.
func (b *builder) resolveOnce() {
	for _, p := range b.once.pending {
		p.cs.Once = persistentState(p.cs.Func, p.state)
	}
	b.once = onceGuards{}
}

// persistentState reports whether state, read in fn, outlives a call of
// fn: a global fn declares, or an attribute chain whose base is not a
// local variable of fn (parameters, self and cls included).
func persistentState(fn *Function, state pysyntax.Node) bool {
	if fn == nil || fn.Scope == nil {
		return false
	}
	if state.Is(pysyntax.Identifier) {
		return fn.Scope.Globals[state.Text()]
	}
	base := state
	for base.Is(pysyntax.Attribute) {
		base = base.ChildByField(pysyntax.FieldObject)
	}
	for _, bd := range fn.Scope.Names[base.Text()] {
		if bd.Kind != BindParam {
			return false
		}
	}
	return true
}

func endsInReturn(blk pysyntax.Node) bool {
	var last pysyntax.Node
	for c := blk.FirstNamedChild(); !c.IsNull(); c = c.NextNamedSibling() {
		if !c.IsExtra() {
			last = c
		}
	}
	return last.Is(pysyntax.ReturnStatement)
}

// unsetTest returns S when cond holds only while S is unset.
func unsetTest(cond pysyntax.Node) pysyntax.Node {
	switch {
	case cond.Is(pysyntax.ParenthesizedExpr):
		return unsetTest(cond.FirstNamedChild())
	case cond.Is(pysyntax.NotOperator):
		return stateShaped(cond.ChildByField(pysyntax.FieldArgument))
	case cond.Is(pysyntax.ComparisonOperator):
		return noneComparison(cond, pysyntax.TokIs)
	case cond.Is(pysyntax.BooleanOperator) && operatorIs(cond, "and"):
		if s := unsetTest(cond.ChildByField(pysyntax.FieldLeft)); !s.IsNull() {
			return s
		}
		return unsetTest(cond.ChildByField(pysyntax.FieldRight))
	}
	return pysyntax.Node{}
}

// setTest returns S when cond holds whenever S is set.
func setTest(cond pysyntax.Node) pysyntax.Node {
	switch {
	case cond.Is(pysyntax.ParenthesizedExpr):
		return setTest(cond.FirstNamedChild())
	case cond.Is(pysyntax.ComparisonOperator):
		return noneComparison(cond, pysyntax.TokIsNot)
	case cond.Is(pysyntax.BooleanOperator) && operatorIs(cond, "or"):
		if s := setTest(cond.ChildByField(pysyntax.FieldLeft)); !s.IsNull() {
			return s
		}
		return setTest(cond.ChildByField(pysyntax.FieldRight))
	}
	return stateShaped(cond)
}

// noneComparison returns S for `S is None` (op TokIs) or `S is not None`
// (op TokIsNot).
func noneComparison(cmp pysyntax.Node, op pysyntax.Kind) pysyntax.Node {
	left := cmp.FirstNamedChild()
	right := left.NextNamedSibling()
	if right.IsNull() || !right.Is(pysyntax.None) || !right.NextNamedSibling().IsNull() || cmp.ChildOfKind(op).IsNull() {
		return pysyntax.Node{}
	}
	return stateShaped(left)
}

func operatorIs(n pysyntax.Node, op string) bool {
	for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
		if !c.IsNamed() && c.TextIs(op) {
			return true
		}
	}
	return false
}

// stateShaped returns n when it is a name or an attribute chain on a name
// (`_engine`, `self.running`, `cls._instance`), else a null node.
func stateShaped(n pysyntax.Node) pysyntax.Node {
	for m := n; ; m = m.ChildByField(pysyntax.FieldObject) {
		switch {
		case m.Is(pysyntax.Identifier):
			return n
		case !m.Is(pysyntax.Attribute):
			return pysyntax.Node{}
		}
	}
}

// assigns reports whether code in region (outside nested definitions)
// assigns state: `S = …`, `a = S = …`, `S, b = …`.
func assigns(region, state pysyntax.Node) bool {
	found := false
	region.Walk(func(n pysyntax.Node) bool {
		switch {
		case found:
			return false
		case n.Is(pysyntax.FunctionDefinition), n.Is(pysyntax.ClassDefinition), n.Is(pysyntax.Lambda):
			return false
		case n.Is(pysyntax.Assignment):
			left := n.ChildByField(pysyntax.FieldLeft)
			if left.Is(pysyntax.PatternList) || left.Is(pysyntax.TupleP) {
				for c := left.FirstNamedChild(); !c.IsNull() && !found; c = c.NextNamedSibling() {
					found = sameChain(c, state)
				}
			} else {
				found = sameChain(left, state)
			}
		}
		return !found
	})
	return found
}

// sameChain reports whether a and b spell the same name or attribute
// chain (`self.running`), whatever the spacing around the dots.
func sameChain(a, b pysyntax.Node) bool {
	for a.Is(pysyntax.Attribute) && b.Is(pysyntax.Attribute) {
		if !bytes.Equal(a.ChildByField(pysyntax.FieldAttribute).Bytes(), b.ChildByField(pysyntax.FieldAttribute).Bytes()) {
			return false
		}
		a, b = a.ChildByField(pysyntax.FieldObject), b.ChildByField(pysyntax.FieldObject)
	}
	return a.Is(pysyntax.Identifier) && b.Is(pysyntax.Identifier) && bytes.Equal(a.Bytes(), b.Bytes())
}
