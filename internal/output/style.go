package output

import "github.com/asyncmig/asyncmig/diagnostics"

// style wraps text in ANSI SGR codes when colour is on. The palette is
// Ruff's (ruff_db's DiagnosticStylesheet), so asyncmig looks at home next to
// it in a terminal.
type style string

const (
	styleNone          style = ""
	styleBold          style = "1"
	styleCode          style = "1;31" // rule codes: red bold
	styleSeparator     style = "36"   // ":" and "*": cyan
	styleLineNumber    style = "1;94" // gutter: bright blue bold
	styleError         style = "1;91"
	styleWarning       style = "1;33"
	styleInfo          style = "1;94"
	styleNote          style = "1;92"
	styleHelp          style = "1;96"
	styleSuccess       style = "1;32"
	styleInsertion     style = "32"
	styleDeletion      style = "31"
	styleInsertionLine style = "1;32"
	styleDeletionLine  style = "1;31"
)

type painter bool

func (p painter) paint(s style, text string) string {
	if !p || s == styleNone || text == "" {
		return text
	}
	return "\x1b[" + string(s) + "m" + text + "\x1b[0m"
}

// severityStyle colours a diagnostic's underline by its severity.
func severityStyle(s diagnostics.Severity) style {
	switch s {
	case diagnostics.SeverityError:
		return styleError
	case diagnostics.SeverityWarning:
		return styleWarning
	}
	return styleInfo
}
