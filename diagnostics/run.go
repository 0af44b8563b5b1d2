package diagnostics

import (
	"context"
	"fmt"
	"runtime/debug"
	"sort"
	"sync"

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

// RunSplit is Run with the rules dealt into groups that run at the same
// time, each on its own copy of the file's model from input (evaluators
// are not safe for concurrent use; they share the workspace's memo). The
// result is the same as Run's: each rule runs whole in one group, and the
// groups' findings are merged in Run's order.
func RunSplit(ctx context.Context, input func() Input, rules []*Rule, groups int) Result {
	if groups <= 1 || len(rules) < 2 {
		return Run(ctx, input(), rules)
	}
	dealt := make([][]*Rule, groups)
	for i, r := range rules {
		dealt[i%groups] = append(dealt[i%groups], r)
	}
	results := make([]Result, groups)
	var wg sync.WaitGroup
	for g := range dealt {
		in := input()
		wg.Go(func() { results[g] = Run(ctx, in, dealt[g]) })
	}
	wg.Wait()
	var res Result
	for _, r := range results {
		res.Diagnostics = append(res.Diagnostics, r.Diagnostics...)
		res.Errors = append(res.Errors, r.Errors...)
	}
	sortDiagnostics(res.Diagnostics)
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
	sortDiagnostics(out)
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

// sortDiagnostics orders findings by position, then rule, then end; a
// rule's findings at the same place keep their order.
func sortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].Start != ds[j].Start {
			return ds[i].Start < ds[j].Start
		}
		if ds[i].Code != ds[j].Code {
			return ds[i].Code < ds[j].Code
		}
		return ds[i].End < ds[j].End
	})
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
