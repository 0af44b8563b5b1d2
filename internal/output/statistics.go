package output

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// statistic is one rule's line in `asyncmig check --statistics`, in Ruff's
// JSON shape.
type statistic struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	Count        int    `json:"count"`
	Fixable      bool   `json:"fixable"` // every finding of the rule is fixable
	FixableCount int    `json:"fixable_count"`
}

// WriteStatistics prints how many diagnostics each rule produced, most
// frequent first, as ruff --statistics does: for the text formats (full,
// concise) a "count  code  [*] name" table followed by the summary, where
// the marker is "[*]" when every finding is fixable in this mode, "[-]" when
// some are and "[ ]" when none is; for json an array of objects. Other
// formats have no statistics form and are an error.
func WriteStatistics(w io.Writer, files []File, opt Options) error {
	format := cmp.Or(opt.Format, "full")
	if format != "full" && format != "concise" && format != "json" {
		return fmt.Errorf("output: --statistics supports the full, concise and json formats, not %q", format)
	}
	r, err := newReport(files, opt)
	if err != nil {
		return err
	}
	byCode := map[string]*statistic{}
	var stats []*statistic
	for _, it := range r.items {
		st := byCode[it.diag.Code]
		if st == nil {
			st = &statistic{Code: it.diag.Code, Name: r.ruleName(it.diag.Code, it.diag.Name)}
			byCode[it.diag.Code] = st
			stats = append(stats, st)
		}
		st.Count++
		if fixable(it.diag, opt.UnsafeFixes) {
			st.FixableCount++
		}
	}
	for _, st := range stats {
		st.Fixable = st.FixableCount == st.Count
	}
	slices.SortFunc(stats, func(a, b *statistic) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Code, b.Code))
	})

	bw := bufio.NewWriter(w)
	if format == "json" {
		list := make([]statistic, 0, len(stats))
		for _, st := range stats {
			list = append(list, *st)
		}
		if err := encodeJSON(bw, list, "  "); err != nil {
			return err
		}
		return bw.Flush()
	}
	if len(stats) > 0 {
		p := painter(opt.Color)
		countWidth, codeWidth, anyFixable := 0, 0, false
		for _, st := range stats {
			countWidth = max(countWidth, len(strconv.Itoa(st.Count)))
			codeWidth = max(codeWidth, len(st.Code))
			anyFixable = anyFixable || st.FixableCount > 0
		}
		for _, st := range stats {
			marker := ""
			if anyFixable {
				switch {
				case st.Fixable:
					marker = "[" + p.paint(styleSeparator, "*") + "] "
				case st.FixableCount > 0:
					marker = "[" + p.paint(styleSeparator, "-") + "] "
				default:
					marker = "[ ] "
				}
			}
			count := fmt.Sprintf("%*d", countWidth, st.Count)
			code := st.Code + strings.Repeat(" ", codeWidth-len(st.Code))
			fmt.Fprintf(bw, "%s\t%s\t%s%s\n", p.paint(styleBold, count), p.paint(styleCode, code), marker, st.Name)
		}
	}
	writeSummary(bw, r)
	return bw.Flush()
}
