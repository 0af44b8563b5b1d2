package output

import (
	"bufio"
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/asyncmig/asyncmig/diagnostics"
)

// The full format shows what a fix would change, as Ruff does under
// "help:": deleted lines marked "-", inserted lines "+" with their new line
// numbers, one line of context, and hunks further apart than a few lines
// separated by a rule. The diff is computed from the edits themselves (the
// lines each group of edits touches, minus the lines that stay the same at
// either end), not by diffing the whole file.

const (
	diffContext = 1
	// diffMergeGap is the largest number of unchanged lines between two
	// changes that are still shown in full rather than split into hunks:
	// both contexts plus Ruff's merge window of two lines.
	diffMergeGap = 2*diffContext + 2
)

// lineChange replaces old lines [from, to) (0-based) by inserted.
type lineChange struct {
	from, to int
	inserted []string
}

// diffRow is one printed line; newLine is 0 for deletions.
type diffRow struct {
	newLine int
	sign    byte // '|', '-', '+', or 0 for the separator between hunks
	text    string
}

func writeFixDiff(w *bufio.Writer, p painter, s *source, fix *diagnostics.Fix) {
	changes := lineChanges(s, fix.Edits)
	if len(changes) == 0 {
		return
	}
	lineCount := s.contentLineCount()
	var rows []diffRow
	delta := 0 // new line number minus old line number, before the current change
	newNumber := func(old int) int { return old + delta + 1 }
	for i, c := range changes {
		switch {
		case i == 0:
			for n := max(0, c.from-diffContext); n < c.from; n++ {
				rows = append(rows, diffRow{newNumber(n), '|', s.lineText(n)})
			}
		case c.from-changes[i-1].to > diffMergeGap:
			prev := changes[i-1].to
			for n := prev; n < prev+diffContext; n++ {
				rows = append(rows, diffRow{newNumber(n), '|', s.lineText(n)})
			}
			rows = append(rows, diffRow{})
			for n := c.from - diffContext; n < c.from; n++ {
				rows = append(rows, diffRow{newNumber(n), '|', s.lineText(n)})
			}
		default:
			for n := changes[i-1].to; n < c.from; n++ {
				rows = append(rows, diffRow{newNumber(n), '|', s.lineText(n)})
			}
		}
		for n := c.from; n < c.to; n++ {
			rows = append(rows, diffRow{0, '-', s.lineText(n)})
		}
		for j, text := range c.inserted {
			rows = append(rows, diffRow{c.from + delta + j + 1, '+', text})
		}
		delta += len(c.inserted) - (c.to - c.from)
	}
	last := changes[len(changes)-1].to
	for n := last; n < min(lineCount, last+diffContext); n++ {
		rows = append(rows, diffRow{newNumber(n), '|', s.lineText(n)})
	}

	width := 1
	for _, r := range rows {
		width = max(width, len(strconv.Itoa(r.newLine)))
	}
	pad := strings.Repeat(" ", width)
	gutter := p.paint(styleLineNumber, pad+" |")
	fmt.Fprintln(w, gutter)
	for _, r := range rows {
		number, sign, text := pad, string(r.sign), nonPrinting.Replace(r.text)
		if r.newLine > 0 {
			number = fmt.Sprintf("%-*d", width, r.newLine)
		}
		switch r.sign {
		case 0:
			fmt.Fprintln(w, strings.Repeat("-", 80))
			continue
		case '-':
			sign, text = p.paint(styleDeletionLine, sign), p.paint(styleDeletion, text)
		case '+':
			sign, text = p.paint(styleInsertionLine, sign), p.paint(styleInsertion, text)
		default:
			sign = p.paint(styleLineNumber, sign)
		}
		line := p.paint(styleLineNumber, number) + " " + sign
		if r.text != "" {
			line += " " + text
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, gutter)
}

var nonPrinting = strings.NewReplacer("\x07", "␇", "\x08", "␈", "\x1b", "␛", "\x7f", "␡")

// lineChanges turns byte edits into whole-line replacements: edits touching
// the same lines are applied together, then the lines that come out
// unchanged at either end are dropped (an import inserted before a line is
// an insertion, not a rewrite of that line).
func lineChanges(s *source, edits []diagnostics.Edit) []lineChange {
	edits = slices.Clone(edits)
	slices.SortFunc(edits, func(a, b diagnostics.Edit) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})
	var changes []lineChange
	for i := 0; i < len(edits); {
		first, last := s.lines.LineOf(edits[i].Start), s.lines.LineOf(edits[i].End)
		end := edits[i].End
		j := i + 1
		for j < len(edits) && s.lines.LineOf(edits[j].Start) <= last {
			last = max(last, s.lines.LineOf(edits[j].End))
			end = max(end, edits[j].End)
			j++
		}
		// An edit may end inside a "\r\n", past its line's content.
		start, end := s.lines.LineStart(first), max(s.lines.LineEnd(last), end)
		var after strings.Builder
		pos := start
		for _, e := range edits[i:j] {
			if e.Start < pos {
				continue // overlapping edits are a bug upstream; show the first
			}
			after.Write(s.text[pos:e.Start])
			after.WriteString(e.NewText)
			pos = e.End
		}
		after.Write(s.text[pos:end])
		old, new := splitLines(string(s.text[start:end])), splitLines(after.String())
		common := 0
		for common < min(len(old), len(new)) && old[common] == new[common] {
			common++
		}
		tail := 0
		for tail < min(len(old), len(new))-common && old[len(old)-1-tail] == new[len(new)-1-tail] {
			tail++
		}
		if len(old)-common-tail > 0 || len(new)-common-tail > 0 {
			changes = append(changes, lineChange{
				from:     first + common,
				to:       first + len(old) - tail,
				inserted: new[common : len(new)-tail],
			})
		}
		i = j
	}
	return changes
}

// splitLines splits on "\n", "\r\n" and "\r", as textpos counts lines.
func splitLines(text string) []string {
	var lines []string
	for {
		i := strings.IndexAny(text, "\r\n")
		if i < 0 {
			return append(lines, text)
		}
		lines = append(lines, text[:i])
		if text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n' {
			i++
		}
		text = text[i+1:]
	}
}

// contentLineCount is the number of lines that hold text: a final line
// terminator does not start another line here, unlike in an editor.
func (s *source) contentLineCount() int {
	n := s.lines.LineCount()
	if n > 1 && s.lines.LineStart(n-1) == len(s.text) {
		n--
	}
	return n
}
