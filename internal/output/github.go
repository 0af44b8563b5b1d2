package output

import (
	"bufio"
	"cmp"
	"fmt"
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
)

// writeGitHub prints GitHub Actions workflow commands, one annotation per
// diagnostic:
//
//	::warning title=asyncmig (AM501),file=/abs/app/x.py,line=3,col=12,endLine=3,endColumn=29::AM501 message
//
// Like Ruff, the fix title and related locations follow the message on
// continuation lines (%0A), and col/endColumn are left out when the range
// spans lines, since GitHub rejects columns on multi-line annotations.
func writeGitHub(w *bufio.Writer, r *report) error {
	for _, it := range r.items {
		d, s := it.diag, it.file
		start, end := s.location(d.Start), s.location(d.End)
		props := []string{
			"title=" + escapeProperty("asyncmig ("+d.Code+")"),
			"file=" + escapeProperty(s.path),
			fmt.Sprintf("line=%d", start.Row),
		}
		if start.Row == end.Row {
			props = append(props, fmt.Sprintf("col=%d", start.Column), fmt.Sprintf("endLine=%d", end.Row), fmt.Sprintf("endColumn=%d", end.Column))
		} else {
			props = append(props, fmt.Sprintf("endLine=%d", end.Row))
		}
		message := d.Code + " " + d.Message
		for _, rel := range d.Related {
			where := r.displayPath(cmp.Or(rel.Path, s.path))
			if rs := r.relatedSource(s, rel); rs != nil {
				loc := rs.location(rel.Start)
				where = fmt.Sprintf("%s:%d:%d", rs.display, loc.Row, loc.Column)
			}
			message += "\n  " + where + ": info: " + rel.Message
		}
		if fix := shownFix(d, r.opt.UnsafeFixes); fix != nil {
			message += "\n  help: " + fix.Title
		}
		fmt.Fprintf(w, "::%s %s::%s\n", githubLevel(d.Severity), strings.Join(props, ","), escapeData(message))
	}
	return nil
}

func githubLevel(s diagnostics.Severity) string {
	switch s {
	case diagnostics.SeverityError:
		return "error"
	case diagnostics.SeverityWarning:
		return "warning"
	}
	return "notice"
}

// escapeData and escapeProperty follow @actions/core's command.ts: the
// message may hold anything but "%", CR and LF; property values also not
// ":" or ",", which separate the properties.
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func escapeData(s string) string     { return dataEscaper.Replace(s) }
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
