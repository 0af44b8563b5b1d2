package diagnostics

import (
	"bytes"
	"context"
	"slices"
	"strings"

	"github.com/asyncmig/asyncmig/internal/config"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// Incremental runs: an open document is checked after every keystroke, and
// in a 5,000-line module running every rule over every statement costs
// more than the keystroke budget. A keystroke changes one statement (the
// change counts as covering its whole lines); the findings of the others
// can change only if they are linked to it:
//   - a statement that mentions a name or attribute the changed one
//     defines (before or after the change) — it calls the edited function,
//     reads the attribute it sets — and, since its own facts may now
//     differ (a helper that became blocking makes its callers block), the
//     statements that mention what it defines in turn; a project class the
//     change names counts as defined by it (AM405 reads every use);
//   - a statement defining a name the changed one mentions: the callee's
//     findings, and an import's, which depend on how the module uses it.
// Those are re-checked and every other statement keeps its earlier
// findings, moved by the edit. The workspace state (other modules,
// parameter flows) must be the one the earlier run saw: the caller hands
// over a memo only then. A change that reaches names no text lists
// (setattr, globals(), `import *`, …) or touches the imports re-checks the
// whole file, and a statement with a syntax error is never reused. Every
// rule of this is a bug the differential tests found (incremental_test.go
// in rules/, FuzzIncremental): change it only with them.

// Memo is what a run keeps of a file's analysis for the next run of the
// same file. It is never modified once returned: concurrent runs may
// start from the same memo.
type Memo struct {
	src   []byte
	units []unit
	raw   [][]Diagnostic // per unit: what the rules reported from it, before noqa
	key   memoKey
	gen   uint64
	// moduleRoot: the tree's root is a module, not an error node.
	moduleRoot bool
}

type memoKey struct {
	ws         *workspace.Workspace
	cfg        *config.Config
	rules      *Rule
	nrules     int
	rel        string
	path, name string
	pkg        bool
}

// Generation is the workspace generation the memo was made at.
func (m *Memo) Generation() uint64 { return m.gen }

// IncrementalStats says how much of a file a run re-checked.
type IncrementalStats struct {
	Units, Rechecked int
	// Full explains a run that re-checked everything ("" otherwise).
	Full string
}

func keyOf(in Input, rules []*Rule) memoKey {
	k := memoKey{ws: in.Workspace, cfg: in.Config, nrules: len(rules), rel: in.RelPath}
	if len(rules) > 0 {
		k.rules = rules[0]
	}
	if m := in.File.Module; m != nil {
		k.path, k.name, k.pkg = m.Path, m.Name, m.IsPackage
	}
	return k
}

// RunIncremental is Run for a file that is checked again and again. prev
// is the memo of an earlier run of the same file under the same workspace
// state (nil for none); gen is the workspace generation the new memo is
// valid for. The result is the one Run would give.
func RunIncremental(ctx context.Context, in Input, rules []*Rule, prev *Memo, gen uint64) (Result, *Memo, IncrementalStats) {
	src := in.File.Src
	units := unitsOf(in.File.Tree)
	key := keyOf(in, rules)
	st := IncrementalStats{Units: len(units), Rechecked: len(units)}
	if len(units) == 0 {
		// No statement to hold a finding (an empty file): nothing to reuse.
		st.Full = "the file has no statements"
		return Run(ctx, in, rules), nil, st
	}
	var plan *reusePlan
	switch {
	case prev == nil:
		st.Full = "no earlier run"
	case prev.key != key:
		st.Full = "the configuration or the module changed"
	case !prev.moduleRoot || !in.File.Tree.Root().Is(pysyntax.Module):
		// The parser could not read the file as a module: every
		// statement sits in its error node.
		st.Full = "the file does not parse as a module"
	default:
		plan, st.Full = planReuse(prev, src, in, units)
	}
	var recheck []bool
	if plan != nil {
		recheck = plan.recheck
		st.Rechecked = 0
		for _, r := range recheck {
			if r {
				st.Rechecked++
			}
		}
	} else {
		for i := range units {
			units[i].deps = depsOf(in.File.Tree, units[i])
		}
	}
	var wants func(int) bool
	if recheck != nil {
		wants = func(off int) bool {
			i := unitAt(units, off)
			return i < 0 || recheck[i]
		}
	}
	r := newRunner(in, rules, wants)
	raw := make([][]Diagnostic, len(units))
	// The module node first (no rule looks at it today), then each unit.
	if !r.walk(ctx, 0, min(1, in.File.Tree.Len())) {
		return r.res, nil, st
	}
	for i, u := range units {
		if recheck != nil && !recheck[i] {
			continue
		}
		before := len(r.diags)
		if !r.walk(ctx, u.first, u.last) {
			return r.res, nil, st
		}
		raw[i] = append(raw[i], r.diags[before:]...)
		r.diags = r.diags[:before]
	}
	r.finishRules()
	moduleWide := map[string]bool{}
	for _, rule := range rules {
		if rule.ModuleWide {
			moduleWide[rule.Code] = true
		}
	}
	if plan != nil {
		for i, old := range plan.from {
			if old >= 0 && !recheck[i] {
				raw[i] = plan.moved(withoutCodes(prev.raw[old], moduleWide))
			}
		}
	}
	for _, d := range r.diags { // the module node's and Finish's: by place
		if i := max(unitAt(units, d.Start), 0); i < len(units) && (recheck == nil || recheck[i] || moduleWide[d.Code]) {
			// A full slice expression: raw[i] may be a kept unit's
			// findings, shared with the earlier memo.
			raw[i] = append(raw[i][:len(raw[i]):len(raw[i])], d)
		}
	}
	var all []Diagnostic
	for _, ds := range raw {
		all = append(all, ds...)
	}
	r.res.Diagnostics = finish(src, all, r.cfg)
	if len(r.res.Errors) > 0 {
		return r.res, nil, st // a rule failed: its findings are partial
	}
	return r.res, &Memo{src: src, units: units, raw: raw, key: key, gen: gen, moduleRoot: in.File.Tree.Root().Is(pysyntax.Module)}, st
}

// withoutCodes returns ds without the findings of the given rules.
func withoutCodes(ds []Diagnostic, codes map[string]bool) []Diagnostic {
	if !slices.ContainsFunc(ds, func(d Diagnostic) bool { return codes[d.Code] }) {
		return ds
	}
	var out []Diagnostic
	for _, d := range ds {
		if !codes[d.Code] {
			out = append(out, d)
		}
	}
	return out
}

// reusePlan maps the new units to the old ones they equal and says which
// to re-check.
type reusePlan struct {
	from    []int  // new unit → old unit with the same text (-1: none)
	recheck []bool // new unit → re-check it
	// The change: old bytes [p, oldEnd) became new bytes [p, oldEnd+delta).
	p, oldEnd, delta int
	path             string
	old              []unit
	kept             []bool // old unit → some new unit has its text
}

// planReuse compares the new text with prev's and decides what to
// re-check; a reason is returned instead when everything must be.
func planReuse(prev *Memo, src []byte, in Input, units []unit) (*reusePlan, string) {
	old := prev.src
	p := commonPrefix(old, src)
	s := commonSuffix(old[p:], src[p:])
	// The change counts as covering its whole lines: what shares a line
	// with it can read it (an import followed on its line by other code
	// no longer stands alone, and AM401 then offers no fix).
	p = bytes.LastIndexByte(old[:p], '\n') + 1
	if nl := bytes.IndexByte(old[len(old)-s:], '\n'); nl >= 0 {
		s -= nl + 1
	} else {
		s = 0
	}
	plan := &reusePlan{p: p, oldEnd: len(old) - s, delta: len(src) - len(old), path: in.File.Module.Path}
	plan.from = make([]int, len(units))
	plan.recheck = make([]bool, len(units))
	// An old unit wholly before or after the change keeps its text; it is
	// the same statement if a new unit has its bounds, moved by the edit.
	at := make(map[[2]int]int, len(units))
	for i, u := range units {
		at[[2]int{u.start, u.end}] = i
		plan.from[i] = -1
	}
	used := make([]bool, len(prev.units))
	plan.old, plan.kept = prev.units, used
	for k, ou := range prev.units {
		var bounds [2]int
		switch {
		case ou.end <= p:
			bounds = [2]int{ou.start, ou.end}
		case ou.start >= plan.oldEnd:
			bounds = [2]int{ou.start + plan.delta, ou.end + plan.delta}
		default:
			continue
		}
		if i, ok := at[bounds]; ok && units[i].kind == ou.kind && !ou.broken && !units[i].broken && plan.from[i] < 0 {
			plan.from[i], used[k] = k, true
			units[i].deps = ou.deps
		}
	}
	// Seeds: the changed units, old and new versions.
	changed := &unitDeps{defNames: set{}, defAttrs: set{}, refNames: set{}, refAttrs: set{}}
	for i := range units {
		if plan.from[i] < 0 {
			units[i].deps = depsOf(in.File.Tree, units[i])
			plan.recheck[i] = true
			merge(changed, units[i].deps)
		}
	}
	for k, ou := range prev.units {
		if !used[k] {
			merge(changed, ou.deps)
		}
	}
	if importLayoutChanged(units, plan.recheck, prev.units, used) {
		// Where a fix would add an import, and whether it can, depends
		// on the import block: any finding may now be told otherwise.
		return nil, "the change touches the imports"
	}
	if changed.dynamic {
		return nil, "the change reaches names no text lists"
	}
	// What may be said of a project class depends on every use of its
	// name in the module (AM405: a class handed to other code may gain
	// methods there): a class the change names counts as changed.
	for name := range changed.refNames {
		if v := in.File.Eval.Name(in.File.Module, in.File.Module.Scope, name); v.Kind == pymodel.ClassRef && v.Class != nil {
			changed.defNames.add(name)
		}
	}
	// Statements whose facts may have changed, and what they define.
	defNames, defAttrs := set{}, set{}
	defNames.addAll(changed.defNames)
	defAttrs.addAll(changed.defAttrs)
	for grown := true; grown; {
		grown = false
		for i, u := range units {
			// A module-level name is also an attribute: of this module
			// imported by itself, or through a module re-exporting it.
			if !plan.recheck[i] && (meetsEither(defNames, u.deps.refNames, u.deps.refAttrs) || u.deps.refAttrs.meets(defAttrs)) {
				plan.recheck[i] = true
				defNames.addAll(u.deps.defNames)
				defAttrs.addAll(u.deps.defAttrs)
				grown = true
			}
		}
	}
	// What they mention: callees and imports see their uses anew.
	refNames, refAttrs := set{}, set{}
	refNames.addAll(changed.refNames)
	refAttrs.addAll(changed.refAttrs)
	for i, u := range units {
		if plan.recheck[i] {
			refNames.addAll(u.deps.refNames)
			refAttrs.addAll(u.deps.refAttrs)
		}
	}
	for i, u := range units {
		if !plan.recheck[i] && (meetsEither(u.deps.defNames, refNames, refAttrs) || u.deps.defAttrs.meets(refAttrs)) {
			plan.recheck[i] = true
		}
	}
	// A kept finding must not point into the change, nor carry a fix that
	// names something the change defines.
	for i, k := range plan.from {
		if k < 0 || plan.recheck[i] {
			continue
		}
		for _, d := range prev.raw[k] {
			if !plan.movable(d) || fixMentions(d, defNames, defAttrs) {
				plan.recheck[i] = true
				break
			}
		}
	}
	return plan, ""
}

// meetsEither reports whether s shares an element with a or b, looking
// each element of s (the small side here) up once per set.
func meetsEither(s, a, b set) bool {
	for k := range s {
		if _, ok := a[k]; ok {
			return true
		}
		if _, ok := b[k]; ok {
			return true
		}
	}
	return false
}

func merge(into, d *unitDeps) {
	into.defNames.addAll(d.defNames)
	into.defAttrs.addAll(d.defAttrs)
	into.refNames.addAll(d.refNames)
	into.refAttrs.addAll(d.refAttrs)
	into.dynamic = into.dynamic || d.dynamic
}

// outside reports whether an old offset lies clear of the change, so that
// it has one place in the new text, and among statements the change left
// as they were (the text on both sides of an insertion point decides what
// a fix inserts there).
func (pl *reusePlan) outside(off int) bool {
	if off >= pl.p && off <= pl.oldEnd {
		return false
	}
	i := unitAt(pl.old, off)
	if i < 0 || !pl.kept[i] {
		return false
	}
	return off != pl.old[i].start || i == 0 || pl.kept[i-1]
}

// at is where an old offset clear of the change is in the new text.
func (pl *reusePlan) at(off int) int {
	if off < pl.p {
		return off
	}
	return off + pl.delta
}

// movable reports whether every offset of d can be carried over the
// change.
func (pl *reusePlan) movable(d Diagnostic) bool {
	if !pl.outside(d.Start) || !pl.outside(d.End) {
		return false
	}
	for _, f := range d.Fixes {
		for _, e := range f.Edits {
			if !pl.outside(e.Start) || !pl.outside(e.End) {
				return false
			}
		}
	}
	for _, r := range d.Related {
		switch {
		case r.Path == "":
			if !pl.outside(r.Start) || !pl.outside(r.End) {
				return false
			}
		case r.Path == pl.path && r.End >= pl.p && (pl.delta != 0 || r.Start <= pl.oldEnd):
			// A place in this file, from this text or from the one the
			// workspace indexed (a parameter flow): which, only a new run
			// says.
			return false
		}
	}
	return true
}

// moved returns the findings ds carried over the change.
func (pl *reusePlan) moved(ds []Diagnostic) []Diagnostic {
	if len(ds) == 0 || pl.delta == 0 {
		return ds
	}
	out := make([]Diagnostic, len(ds))
	for i, d := range ds {
		d.Start, d.End = pl.at(d.Start), pl.at(d.End)
		if len(d.Fixes) > 0 {
			fixes := make([]Fix, len(d.Fixes))
			for j, f := range d.Fixes {
				f.Edits = append([]Edit(nil), f.Edits...)
				for k := range f.Edits {
					f.Edits[k].Start, f.Edits[k].End = pl.at(f.Edits[k].Start), pl.at(f.Edits[k].End)
				}
				fixes[j] = f
			}
			d.Fixes = fixes
		}
		if len(d.Related) > 0 {
			rel := append([]Related(nil), d.Related...)
			for j := range rel {
				if rel[j].Path == "" {
					rel[j].Start, rel[j].End = pl.at(rel[j].Start), pl.at(rel[j].End)
				}
			}
			d.Related = rel
		}
		out[i] = d
	}
	return out
}

// importLayoutChanged reports whether a changed unit, new or old, is one
// that decides where a fix adds an import (ImportEdit): an import
// statement anywhere, or anything up to the first definition (the import
// block, the docstring, the first line's newline).
func importLayoutChanged(units []unit, changed []bool, old []unit, kept []bool) bool {
	first := firstDefinition(units)
	for i, u := range units {
		if changed[i] && (i <= first || u.imports) {
			return true
		}
	}
	first = firstDefinition(old)
	for k, u := range old {
		if !kept[k] && (k <= first || u.imports) {
			return true
		}
	}
	return false
}

// fixMentions reports whether a fix of d inserts a name the change
// defines: whether it must add an import depends on such names.
func fixMentions(d Diagnostic, names, attrs set) bool {
	if len(names)+len(attrs) <= 8 {
		// Few names (a keystroke's usual case): look for each in the
		// text; a name inside a longer word only costs a re-check.
		for _, f := range d.Fixes {
			for _, e := range f.Edits {
				for _, ns := range []set{names, attrs} {
					for name := range ns {
						if strings.Contains(e.NewText, name) {
							return true
						}
					}
				}
			}
		}
		return false
	}
	found := false
	for _, f := range d.Fixes {
		for _, e := range f.Edits {
			forEachWord([]byte(e.NewText), func(w []byte) {
				// Indexing with string(w) does not allocate.
				if _, ok := names[string(w)]; ok {
					found = true
				} else if _, ok := attrs[string(w)]; ok {
					found = true
				}
			})
		}
	}
	return found
}

// commonPrefix and commonSuffix compare whole blocks first (bytes.Equal
// is vectorised) and bytes only in the block that differs.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+64 <= n && bytes.Equal(a[i:i+64], b[i:i+64]) {
		i += 64
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}

func commonSuffix(a, b []byte) int {
	n := min(len(a), len(b))
	k := 0
	for k+64 <= n && bytes.Equal(a[len(a)-k-64:len(a)-k], b[len(b)-k-64:len(b)-k]) {
		k += 64
	}
	for k < n && a[len(a)-k-1] == b[len(b)-k-1] {
		k++
	}
	return k
}
