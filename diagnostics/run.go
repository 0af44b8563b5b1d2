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
	cfg := in.Config
	if cfg == nil {
		cfg = config.Default()
	}
	enabled := func(code string) bool { return cfg.RuleEnabled(code, in.RelPath) }
	var res Result
	var diags []Diagnostic
	// A table indexed by kind: the walk looks it up once per node.
	byKind := make([][]*Pass, pysyntax.KindCount())
	var passes []*Pass
	for _, r := range rules {
		if !enabled(r.Code) {
			continue
		}
		p := &Pass{File: in.File, Workspace: in.Workspace, Config: cfg, Rule: r, Enabled: enabled, out: &diags}
		passes = append(passes, p)
		for _, k := range r.Kinds {
			byKind[k] = append(byKind[k], p)
		}
	}
	call := func(p *Pass, f func()) {
		defer func() {
			if e := recover(); e != nil {
				res.Errors = append(res.Errors, fmt.Errorf("rule %s panicked on %s: %v\n%s", p.Rule.Code, in.File.Module.Path, e, debug.Stack()))
			}
		}()
		f()
	}
	tree := in.File.Tree
	for i := 0; i < tree.Len(); i++ {
		if i&4095 == 0 && ctx.Err() != nil {
			return res
		}
		n := tree.At(i)
		for _, p := range byKind[n.Kind()] {
			call(p, func() { p.Rule.Check(p, n) })
		}
	}
	for _, p := range passes {
		if p.Rule.Finish != nil {
			call(p, func() { p.Rule.Finish(p) })
		}
	}
	res.Diagnostics = finish(in.File.Src, diags, cfg)
	return res
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
