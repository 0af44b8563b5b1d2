package pymodel

// A parameter flow names the argument that passed a session by its offsets
// in the caller's text as the workspace last refreshed it. Typing that
// only moves code (a comment, a blank line, a longer string) changes no
// module's shape, so no refresh follows, and the offsets go stale: a
// related location would point a line or two off. Relocate finds the same
// argument in the caller's current model.

// Relocate returns where the call argument that spans [start, end) in old
// is in cur, two models of one file. The argument is found by its place in
// the model — module level or the function of its Key, the call's index among that code's calls, the argument's
// index in the call — and the call must read the same in both; ok is false
// when it cannot be found so.
func Relocate(old, cur *Module, start, end int32) (newStart, newEnd int32, ok bool) {
	if old == nil || cur == nil {
		return 0, 0, false
	}
	if old == cur {
		return start, end, true
	}
	match := func(olds, curs []*CallSite) (int32, int32, bool) {
		for k, cs := range olds {
			if cs.Call == nil || cs.Call.Start > start || cs.Call.End < end {
				continue
			}
			for j, a := range cs.Call.Args {
				if a.Start != start || a.End != end {
					continue
				}
				if k >= len(curs) || !sameShapeExpr(cs.Call, curs[k].Call) {
					return 0, 0, false
				}
				b := curs[k].Call.Args[j]
				return b.Start, b.End, true
			}
		}
		return 0, 0, false
	}
	if s, e, found := match(old.Calls, cur.Calls); found {
		return s, e, true
	}
	for _, fn := range old.Functions {
		if fn.Start > start || fn.End < end {
			continue
		}
		for _, f := range cur.Functions {
			if f.Key == fn.Key {
				if s, e, found := match(fn.Calls, f.Calls); found {
					return s, e, true
				}
				break
			}
		}
	}
	return 0, 0, false
}

// sameShapeExpr compares two Exprs but for their offsets.
func sameShapeExpr(a, b *Expr) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Op != b.Op || a.Name != b.Name || a.Kw != b.Kw || len(a.Args) != len(b.Args) || !sameShapeExpr(a.X, b.X) {
		return false
	}
	for i := range a.Args {
		if !sameShapeExpr(a.Args[i], b.Args[i]) {
			return false
		}
	}
	return true
}
