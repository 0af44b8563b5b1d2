package output

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
)

// The text formats follow Ruff's `check` output with severities hidden:
//
//	concise: app/x.py:3:12: AM501 [*] `datetime.utcnow()` …
//	full:    the same header, a " --> path:row:col" line, the source lines
//	         around the range (two lines of context) with a caret underline,
//	         related locations as "info:" snippets, the fix title as "help:"
//	         and, when the fix applies in this mode, a diff of it.
//
// Both end with the summary ("Found 3 errors." and the fix hints).

// contextLines is how many lines around a range the full format shows.
const contextLines = 2

func writeConcise(w *bufio.Writer, r *report) error {
	p := painter(r.opt.Color)
	sep := p.paint(styleSeparator, ":")
	for _, it := range r.items {
		loc := it.file.location(it.diag.Start)
		fmt.Fprintf(w, "%s%s%d%s%d%s %s\n", p.paint(styleBold, it.file.display), sep, loc.Row, sep, loc.Column, sep, header(p, it.diag, r.opt.UnsafeFixes))
	}
	writeSummary(w, r)
	return nil
}

// header is "CODE [*] message", the marker only when the fix applies.
func header(p painter, d *diagnostics.Diagnostic, unsafe bool) string {
	marker := ""
	if fixable(d, unsafe) {
		marker = "[" + p.paint(styleSeparator, "*") + "] "
	}
	return p.paint(styleCode, d.Code) + " " + marker + d.Message
}

func writeFull(w *bufio.Writer, r *report) error {
	p := painter(r.opt.Color)
	for _, it := range r.items {
		d := it.diag
		fmt.Fprintln(w, header(p, d, r.opt.UnsafeFixes))
		writeSnippet(w, p, it.file, d.Start, d.End, severityStyle(d.Severity))
		for _, rel := range d.Related {
			fmt.Fprintf(w, "%s: %s\n", p.paint(styleInfo, "info"), rel.Message)
			if s := r.relatedSource(it.file, rel); s != nil {
				writeSnippet(w, p, s, rel.Start, rel.End, styleInfo)
			} else {
				fmt.Fprintf(w, " %s %s\n", p.paint(styleLineNumber, "-->"), r.displayPath(rel.Path))
			}
		}
		if fix := shownFix(d, r.opt.UnsafeFixes); fix != nil {
			fmt.Fprintf(w, "%s: %s\n", p.paint(styleHelp, "help"), fix.Title)
			if fix == d.PreferredFix(r.opt.UnsafeFixes) {
				writeFixDiff(w, p, it.file, fix)
				if fix.Applicability == diagnostics.Unsafe {
					fmt.Fprintf(w, "%s: This is an unsafe fix and may change runtime behavior\n", p.paint(styleNote, "note"))
				}
			}
		}
		fmt.Fprintln(w)
	}
	writeSummary(w, r)
	return nil
}

// writeSnippet prints " --> path:row:col" and the lines around [start, end)
// with the range marked, as Ruff's renderer (annotate-snippets) does:
//
//	 --> app/x.py:3:12          --> app/x.py:3:12
//	  |                          |
//	3 |     ts = utcnow()      3 |       rows = (db.query(X)
//	  |          ^^^^^^^^        |  _____________^
//	4 | …                      4 | |         .all())
//	  |                          | |_______________^
func writeSnippet(w *bufio.Writer, p painter, s *source, start, end int, mark style) {
	li := s.lines
	first := li.LineOf(start)
	last := li.LineOf(end)
	// A range that ends with a line terminator ends on that line, not on the
	// empty start of the next one.
	if end > start && li.LineStart(last) == end {
		last = max(first, last-1)
	}
	from, to := contextWindow(s, first, last)

	numWidth := len(strconv.Itoa(to + 1))
	pad := strings.Repeat(" ", numWidth)
	gutter := p.paint(styleLineNumber, pad+" |")
	loc := s.location(start)
	fmt.Fprintf(w, "%s%s %s:%d:%d\n", pad, p.paint(styleLineNumber, "-->"), s.display, loc.Row, loc.Column)
	fmt.Fprintln(w, gutter)

	multiline := last > first
	lineNo := func(n int) string { return p.paint(styleLineNumber, fmt.Sprintf("%*d |", numWidth, n+1)) }
	emit := func(prefix, text string) {
		if text = strings.TrimRight(text, " "); text != "" {
			prefix += " " + text
		}
		fmt.Fprintln(w, prefix)
	}
	for n := from; n <= to; n++ {
		raw := s.lineText(n)
		text := displayText(raw)
		lineStart := li.LineStart(n)
		// The text before the range on its first line; a start between "\r"
		// and "\n" is the end of the line.
		before := raw[:min(max(start-lineStart, 0), len(raw))]
		switch {
		case !multiline:
			emit(lineNo(n), text)
			if n == first {
				col := displayWidth(before)
				fmt.Fprintf(w, "%s %s%s\n", gutter, strings.Repeat(" ", col), p.paint(mark, strings.Repeat("^", underlineWidth(s, n, start, end))))
			}
		case n < first || n > last:
			emit(lineNo(n), "  "+text)
		case n == first:
			if isBlank(before) {
				// Only indentation before the start: the line itself opens
				// the bracket.
				emit(lineNo(n), p.paint(mark, "/")+" "+text)
				continue
			}
			emit(lineNo(n), "  "+text)
			fmt.Fprintf(w, "%s  %s\n", gutter, p.paint(mark, strings.Repeat("_", displayWidth(before)+1)+"^"))
		case n < last:
			emit(lineNo(n), p.paint(mark, "|")+" "+text)
		default:
			emit(lineNo(n), p.paint(mark, "|")+" "+text)
			endCol := underlineWidth(s, n, lineStart, end) - 1
			fmt.Fprintf(w, "%s %s\n", gutter, p.paint(mark, "|"+strings.Repeat("_", endCol+1)+"^"))
		}
	}
	if to > last {
		fmt.Fprintln(w, gutter)
	}
}

// contextWindow returns the lines shown around lines first..last: up to
// contextLines on each side, without blank lines at either edge (Ruff's
// context_before and context_after); blank lines inside the window stay.
func contextWindow(s *source, first, last int) (from, to int) {
	from = max(0, first-contextLines)
	for from < first && isBlank(s.lineText(from)) {
		from++
	}
	to = min(s.lines.LineCount()-1, last+contextLines)
	for to > last && isBlank(s.lineText(to)) {
		to--
	}
	return from, to
}

// underlineWidth is the number of columns of [start, end) on line n: at
// least one, so an empty range still gets a caret, and one more when the
// range goes on past the line's end (it includes the line terminator).
func underlineWidth(s *source, n, start, end int) int {
	lineEnd := s.lines.LineEnd(n)
	cols := displayWidth(string(s.text[min(start, lineEnd):min(end, lineEnd)]))
	if end > lineEnd {
		cols++
	}
	return max(cols, 1)
}

// lineText is line n without its terminator.
func (s *source) lineText(n int) string {
	return string(s.text[s.lines.LineStart(n):s.lines.LineEnd(n)])
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// writeSummary prints Ruff's closing lines: the count and what `asyncmig
// fix` would do, with a hint when only --unsafe-fixes would fix some.
func writeSummary(w *bufio.Writer, r *report) {
	if r.opt.Quiet {
		return
	}
	p := painter(r.opt.Color)
	if len(r.items) == 0 {
		fmt.Fprintln(w, p.paint(styleSuccess, "No errors found."))
		return
	}
	fmt.Fprintf(w, "Found %d error%s.\n", len(r.items), plural(len(r.items), "s"))
	applicable, hidden := 0, 0
	for _, it := range r.items {
		switch {
		case fixable(it.diag, r.opt.UnsafeFixes):
			applicable++
		case hiddenUnsafe(it.diag, r.opt.UnsafeFixes):
			hidden++
		}
	}
	marker := "[" + p.paint(styleSeparator, "*") + "]"
	command := "`asyncmig fix`"
	if r.opt.UnsafeFixes {
		command = "`asyncmig fix --unsafe-fixes`"
	}
	switch {
	case applicable > 0 && hidden > 0:
		fmt.Fprintf(w, "%s %d fixable with the %s command (%d hidden fix%s can be enabled with the `--unsafe-fixes` option).\n", marker, applicable, command, hidden, plural(hidden, "es"))
	case applicable > 0:
		fmt.Fprintf(w, "%s %d fixable with the %s command.\n", marker, applicable, command)
	case hidden > 0:
		fmt.Fprintf(w, "No fixes available (%d hidden fix%s can be enabled with the `--unsafe-fixes` option).\n", hidden, plural(hidden, "es"))
	}
}

func plural(n int, suffix string) string {
	if n == 1 {
		return ""
	}
	return suffix
}
