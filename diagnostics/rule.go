package diagnostics

import (
	"github.com/asyncmig/asyncmig/internal/config"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// FixAvailability says whether a rule's diagnostics come with fixes.
type FixAvailability int

const (
	FixNone FixAvailability = iota
	FixSometimes
	FixAlways
)

// Rule is one RULES.md row.
type Rule struct {
	Code     string
	Name     string
	Severity Severity
	// Summary is one line for listings (SARIF shortDescription, rule --all).
	Summary string
	// Doc is the markdown documentation: what, why, example, fix.
	Doc string
	Fix FixAvailability
	// Kinds are the node kinds Check is called for during the single walk.
	Kinds []pysyntax.Kind
	Check func(p *Pass, n pysyntax.Node)
	// Finish runs once after the walk, for file-level findings.
	Finish func(p *Pass)
	// ModuleWide: the findings depend on the module as a whole (its API,
	// its name), not on the statements where they are reported; an
	// incremental run makes them anew every time.
	ModuleWide bool
}

// Pass is what a rule sees while checking one file.
type Pass struct {
	File      *pymodel.File
	Workspace *workspace.Workspace
	Config    *config.Config
	Rule      *Rule
	// Rules are the rules enabled for this run: a rule that defers to a
	// more specific one checks whether that one is on.
	Enabled func(code string) bool
	out     *[]Diagnostic
	wants   func(offset int) bool
}

// Wants reports whether this run is after findings at offset. A full run
// wants all; an incremental run (RunIncremental) re-checks only some
// statements and reuses the earlier findings of the others, so a Finish
// that walks the whole module skips what lies elsewhere.
func (p *Pass) Wants(offset int) bool { return p.wants == nil || p.wants(offset) }

// Src is the text being analysed.
func (p *Pass) Src() []byte { return p.File.Src }

// Report records a diagnostic for the rule being run.
func (p *Pass) Report(d Diagnostic) {
	d.Code = p.Rule.Code
	d.Name = p.Rule.Name
	if d.Severity == 0 {
		d.Severity = p.Rule.Severity
	}
	*p.out = append(*p.out, d)
}

// Text returns the source of [start, end).
func (p *Pass) Text(start, end int) string { return string(p.File.Src[start:end]) }
