// Package diagnostics is the rule engine: it runs asyncmig's rules over one
// Python file and returns diagnostics with fixes. It is pure Go: byte offsets
// into the analysed text, no LSP types and no cgo. Conversion to positions
// happens at the edges (server, codeactions, output).
package diagnostics

import (
	"fmt"
	"strings"
)

// Severity follows the LSP numbering so the server can pass it through.
type Severity int

const (
	SeverityError       Severity = 1
	SeverityWarning     Severity = 2
	SeverityInformation Severity = 3
	SeverityHint        Severity = 4
)

func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	case SeverityInformation:
		return "information"
	case SeverityHint:
		return "hint"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity accepts the names used in configuration files.
func ParseSeverity(s string) (Severity, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return SeverityError, true
	case "warning", "warn":
		return SeverityWarning, true
	case "information", "info":
		return SeverityInformation, true
	case "hint":
		return SeverityHint, true
	}
	return 0, false
}

// Applicability says whether a fix keeps the program's meaning (Ruff's model).
type Applicability int

const (
	// DisplayOnly fixes are shown to the user but never applied as edits.
	DisplayOnly Applicability = iota
	// Unsafe fixes may change meaning: offered in the editor, applied in bulk
	// only with --unsafe-fixes.
	Unsafe
	// Safe fixes keep meaning: `asyncmig fix` and source.fixAll apply them.
	Safe
)

func (a Applicability) String() string {
	switch a {
	case DisplayOnly:
		return "display-only"
	case Unsafe:
		return "unsafe"
	case Safe:
		return "safe"
	}
	return fmt.Sprintf("applicability(%d)", int(a))
}

// Edit replaces the bytes [Start, End) of the analysed text with NewText.
type Edit struct {
	Start, End int
	NewText    string
}

// Fix is one way to resolve a diagnostic. Its edits do not overlap.
type Fix struct {
	Title         string
	Applicability Applicability
	Edits         []Edit
}

// Related points at another place that explains a diagnostic, possibly in
// another file (Path is a filesystem path; empty means the same file).
type Related struct {
	Path       string
	Start, End int
	Message    string
}

// Diagnostic is one finding of one rule in one file.
type Diagnostic struct {
	Code     string // "AM501"
	Name     string // "naive-utcnow"
	Start    int    // byte offsets into the analysed text
	End      int
	Message  string
	Severity Severity
	// Fixes lists the alternatives in the order RULES.md gives them; the
	// first is what `asyncmig fix --unsafe-fixes` applies.
	Fixes   []Fix
	Related []Related
}

// PreferredFix returns the fix bulk fixing applies for the given mode: the
// first safe fix, or with unsafe allowed, the first fix that is not
// display-only.
func (d *Diagnostic) PreferredFix(unsafe bool) *Fix {
	for i := range d.Fixes {
		f := &d.Fixes[i]
		if f.Applicability == Safe || (unsafe && f.Applicability == Unsafe) {
			return f
		}
	}
	return nil
}

// RuleURL is the stable documentation address of a rule (codeDescription,
// SARIF helpUri, JSON "url"). The pages are generated from the registry into
// docs/rules/.
func RuleURL(code string) string {
	return "https://github.com/asyncmig/asyncmig/blob/main/docs/rules/" + code + ".md"
}
