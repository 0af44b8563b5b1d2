package diagnostics

import (
	"context"
	"fmt"
	"runtime/debug"
	"sort"

	"github.com/asyncmig/asyncmig/internal/config"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// Input is one file to check.
type Input struct {
	File      *pymodel.File
	Workspace *workspace.Workspace
	Config    *config.Config // nil: defaults
	// RelPath is the file's path relative to the config root, for
	// per-file-ignores; "" disables them.
	RelPath string
}

// Result holds a run's diagnostics and the rule failures it survived.
type Result struct {
	Diagnostics []Diagnostic
	// Errors are rule panics, each turned into one message: a broken rule
	// never takes the run (or the server) down.
	Errors []error
}

// Run checks one file with the enabled rules: one walk over the tree,
// each node handed to the rules that asked for its kind; then noqa,
// severity overrides and a stable order.
func Run(ctx context.Context, in Input, rules []*Rule) Result {
	r := newRunner(in, rules, nil)
	if !r.walk(ctx, 0, in.File.Tree.Len()) {
		return r.res
	}
	r.finishRules()
	r.res.Diagnostics = finish(in.File.Src, r.diags, r.cfg)
	return r.res
}

// runner holds one run's passes and what they reported so far.
type runner struct {
	in     Input
	cfg    *config.Config
	passes []*Pass
	byKind [][]*Pass // indexed by kind: the walk looks it up once per node
	diags  []Diagnostic
	res    Result
	steps  int // nodes walked, for cancellation checks
}

// newRunner prepares the passes of the enabled rules; wants, if not nil,
// limits Finish to the findings a partial run is after (Pass.Wants).
func newRunner(in Input, rules []*Rule, wants func(offset int) bool) *runner {
	r := &runner{in: in, cfg: in.Config}
	if r.cfg == nil {
		r.cfg = config.Default()
	}
	enabled := func(code string) bool { return r.cfg.RuleEnabled(code, in.RelPath) }
	r.byKind = make([][]*Pass, pysyntax.KindCount())
	for _, rule := range rules {
		if !enabled(rule.Code) {
			continue
		}
		p := &Pass{File: in.File, Workspace: in.Workspace, Config: r.cfg, Rule: rule, Enabled: enabled, out: &r.diags}
		if !rule.ModuleWide {
			p.wants = wants
		}
		r.passes = append(r.passes, p)
		for _, k := range rule.Kinds {
			r.byKind[k] = append(r.byKind[k], p)
		}
	}
	return r
}

// call runs one rule callback; a panic becomes an error of the run.
func (r *runner) call(p *Pass, f func()) {
	defer func() {
		if e := recover(); e != nil {
			r.res.Errors = append(r.res.Errors, fmt.Errorf("rule %s panicked on %s: %v\n%s", p.Rule.Code, r.in.File.Module.Path, e, debug.Stack()))
		}
	}()
	f()
}

// walk hands the nodes [from, to) of the tree, in preorder, to the rules
// that asked for their kind. It reports false when ctx ended the run.
func (r *runner) walk(ctx context.Context, from, to int) bool {
	tree := r.in.File.Tree
	for i := from; i < to; i++ {
		if r.steps&4095 == 0 && ctx.Err() != nil {
			return false
		}
		r.steps++
		n := tree.At(i)
		for _, p := range r.byKind[n.Kind()] {
			r.call(p, func() { p.Rule.Check(p, n) })
		}
	}
	return true
}

// finishRules runs the rules' file-level checks.
func (r *runner) finishRules() {
	for _, p := range r.passes {
		if p.Rule.Finish != nil {
			r.call(p, func() { p.Rule.Finish(p) })
		}
	}
}

// finish applies noqa and severity overrides and orders the diagnostics.
func finish(src []byte, diags []Diagnostic, cfg *config.Config) []Diagnostic {
	out := diags[:0]
	noqa := map[int]*Noqa{} // by line start
	for _, d := range diags {
		ls := lineStart(src, d.Start)
		n, ok := noqa[ls]
		if !ok {
			if dir, found := ParseNoqa(string(src[ls:lineEnd(src, d.Start)])); found {
				n = &dir
			}
			noqa[ls] = n
		}
		if n != nil && n.Suppresses(d.Code) {
			continue
		}
		if s, ok := cfg.SeverityFor(d.Code); ok {
			if sev, ok := ParseSeverity(s); ok {
				d.Severity = sev
			}
		}
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Start != out[j].Start {
			return out[i].Start < out[j].Start
		}
		if out[i].Code != out[j].Code {
			return out[i].Code < out[j].Code
		}
		return out[i].End < out[j].End
	})
	// One fault, one report: drop exact duplicates.
	dedup := out[:0]
	for i, d := range out {
		if i > 0 && d.Code == out[i-1].Code && d.Start == out[i-1].Start && d.End == out[i-1].End {
			continue
		}
		dedup = append(dedup, d)
	}
	return dedup
}

func lineStart(src []byte, off int) int {
	for off > 0 && src[off-1] != '\n' && src[off-1] != '\r' {
		off--
	}
	return off
}

func lineEnd(src []byte, off int) int {
	for off < len(src) && src[off] != '\n' && src[off] != '\r' {
		off++
	}
	return off
}
