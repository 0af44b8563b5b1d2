// Package fixer applies fixes to source text, shared by `asyncmig fix`, the
// editor's fix-all and the rule tests, with Ruff's rules: edits sorted,
// identical edits (a shared import) applied once, a fix overlapping one
// already taken skipped for the next pass, passes repeated to a fixed
// point, and a pass that would add a syntax error refused.
package fixer

import (
	"errors"
	"fmt"
	"sort"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// MaxPasses caps fix-until-stable.
const MaxPasses = 10

// ErrOverlap is returned by Apply for edits that overlap.
var ErrOverlap = errors.New("overlapping edits")

// Apply applies a set of edits to src. Identical edits count once;
// different edits that overlap are an error.
func Apply(src []byte, edits []diagnostics.Edit) ([]byte, error) {
	es := append([]diagnostics.Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Start != es[j].Start {
			return es[i].Start < es[j].Start
		}
		return es[i].End < es[j].End
	})
	out := make([]byte, 0, len(src))
	pos := 0
	for i, e := range es {
		if i > 0 && e == es[i-1] {
			continue
		}
		if e.Start < pos || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("%w: [%d,%d) after %d", ErrOverlap, e.Start, e.End, pos)
		}
		out = append(out, src[pos:e.Start]...)
		out = append(out, e.NewText...)
		pos = e.End
	}
	return append(out, src[pos:]...), nil
}

// Select picks, from one pass's fixes, a set that can be applied together:
// in order of position, each fix whose edits do not overlap those already
// chosen (identical edits, like the same import, are shared).
func Select(fixes []*diagnostics.Fix) []*diagnostics.Fix {
	type span struct{ s, e int }
	var taken []diagnostics.Edit
	overlaps := func(e diagnostics.Edit) bool {
		for _, t := range taken {
			if t == e {
				continue
			}
			// Two insertions at the same point conflict (order unknown);
			// otherwise ranges must be disjoint.
			if e.Start < t.End && t.Start < e.End || e.Start == t.Start && e.Start == e.End && t.Start == t.End || e.Start == e.End && e.Start > t.Start && e.Start < t.End || t.Start == t.End && t.Start > e.Start && t.Start < e.End {
				return true
			}
		}
		return false
	}
	sorted := append([]*diagnostics.Fix(nil), fixes...)
	sort.SliceStable(sorted, func(i, j int) bool { return firstStart(sorted[i]) < firstStart(sorted[j]) })
	var out []*diagnostics.Fix
	for _, f := range sorted {
		ok := true
		for _, e := range f.Edits {
			if overlaps(e) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, f)
			taken = append(taken, f.Edits...)
		}
	}
	return out
}

func firstStart(f *diagnostics.Fix) int {
	m := int(^uint(0) >> 1)
	for _, e := range f.Edits {
		if e.Start < m {
			m = e.Start
		}
	}
	return m
}

// Analyze returns the diagnostics of src; Choose picks the fix to apply for
// one of them (nil: none).
type (
	Analyze func(src []byte) ([]diagnostics.Diagnostic, error)
	Choose  func(d *diagnostics.Diagnostic) *diagnostics.Fix
)

// Result reports a fix-until-stable run.
type Result struct {
	Text    []byte
	Applied int // fixes applied over all passes
	Passes  int
	// Refused counts fixes dropped because applying them would have added a
	// syntax error (a rule bug; logged by callers).
	Refused int
}

// Loop fixes src until no chosen fix remains or MaxPasses is reached.
func Loop(src []byte, analyze Analyze, choose Choose) (Result, error) {
	res := Result{Text: src}
	baseErrors := syntaxErrors(src)
	for res.Passes < MaxPasses {
		diags, err := analyze(res.Text)
		if err != nil {
			return res, err
		}
		var fixes []*diagnostics.Fix
		for i := range diags {
			if f := choose(&diags[i]); f != nil && len(f.Edits) > 0 {
				fixes = append(fixes, f)
			}
		}
		chosen := Select(fixes)
		if len(chosen) == 0 {
			break
		}
		next, refused := applyChecked(res.Text, chosen, baseErrors)
		res.Refused += refused
		if next == nil {
			break
		}
		res.Applied += len(chosen) - refused
		res.Passes++
		if string(next) == string(res.Text) {
			break
		}
		res.Text = next
	}
	return res, nil
}

// ApplyPass applies one pass of already-selected fixes, dropping any fix
// that would add a syntax error. It returns nil when nothing applies.
func ApplyPass(src []byte, fixes []*diagnostics.Fix) ([]byte, int) {
	return applyChecked(src, fixes, syntaxErrors(src))
}

// applyChecked applies fixes; when the result has more syntax errors than
// the original, it retries fix by fix and keeps only the harmless ones.
func applyChecked(src []byte, fixes []*diagnostics.Fix, baseErrors int) ([]byte, int) {
	all := func(fs []*diagnostics.Fix) []diagnostics.Edit {
		var es []diagnostics.Edit
		for _, f := range fs {
			es = append(es, f.Edits...)
		}
		return es
	}
	if out, err := Apply(src, all(fixes)); err == nil && syntaxErrors(out) <= baseErrors {
		return out, 0
	}
	var keep []*diagnostics.Fix
	refused := 0
	for _, f := range fixes {
		out, err := Apply(src, f.Edits)
		if err != nil || syntaxErrors(out) > baseErrors {
			refused++
			continue
		}
		keep = append(keep, f)
	}
	if len(keep) == 0 {
		return nil, refused
	}
	out, err := Apply(src, all(keep))
	if err != nil || syntaxErrors(out) > baseErrors {
		return nil, len(fixes)
	}
	return out, refused
}

// syntaxErrors counts ERROR and MISSING nodes (a file that does not parse
// at all counts as very broken).
func syntaxErrors(src []byte) int {
	t, err := pysyntax.Parse(src)
	if err != nil {
		return 1 << 30
	}
	return CountErrors(t)
}

// CountErrors counts ERROR and MISSING nodes in a tree.
func CountErrors(t *pysyntax.Tree) int {
	if !t.HasError() {
		return 0
	}
	n := 0
	t.Root().Walk(func(x pysyntax.Node) bool {
		if x.IsError() || x.IsMissing() {
			n++
		}
		return x.HasError() || x.IsError()
	})
	return n
}

// ApplyFix applies one fix to src and checks that it parses no worse.
func ApplyFix(src []byte, f *diagnostics.Fix) ([]byte, error) {
	out, err := Apply(src, f.Edits)
	if err != nil {
		return nil, err
	}
	if syntaxErrors(out) > syntaxErrors(src) {
		return nil, fmt.Errorf("fix %q would introduce a syntax error", f.Title)
	}
	return out, nil
}
