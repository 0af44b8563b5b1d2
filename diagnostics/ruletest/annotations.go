package ruletest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// want is one `# want: CODE "re"` expectation.
type want struct {
	code string
	re   *regexp.Regexp // nil: any message
	raw  string
}

// lineNotes are the annotations of one source line.
type lineNotes struct {
	wants []want
	oks   []string
}

// parseNotes reads the `# want:` and `# ok:` annotations of every line
// (1-based line numbers).
func parseNotes(src string) (map[int]*lineNotes, error) {
	out := map[int]*lineNotes{}
	for i, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		ln := i + 1
		for _, key := range []string{"# want:", "# ok:"} {
			idx := strings.Index(line, key)
			if idx < 0 {
				continue
			}
			rest := line[idx+len(key):]
			notes := out[ln]
			if notes == nil {
				notes = &lineNotes{}
				out[ln] = notes
			}
			items, err := parseItems(rest, key == "# want:")
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", ln, err)
			}
			for _, it := range items {
				if key == "# want:" {
					notes.wants = append(notes.wants, it)
				} else {
					notes.oks = append(notes.oks, it.code)
				}
			}
		}
	}
	return out, nil
}

var codeRE = regexp.MustCompile(`^AM\d{3}`)

// parseItems reads `AM102 "re", AM103` up to the first thing that is not
// an item (another comment, for example).
func parseItems(s string, allowRegexp bool) ([]want, error) {
	var out []want
	s = strings.TrimLeft(s, " ")
	for {
		code := codeRE.FindString(s)
		if code == "" {
			if len(out) == 0 {
				return nil, fmt.Errorf("annotation without a code: %q", s)
			}
			return out, nil
		}
		s = strings.TrimLeft(s[len(code):], " ")
		w := want{code: code}
		if allowRegexp && strings.HasPrefix(s, `"`) {
			q, err := strconv.QuotedPrefix(s)
			if err != nil {
				// Regexps are written raw: find the closing quote ourselves.
				end := closingQuote(s)
				if end < 0 {
					return nil, fmt.Errorf("unterminated regexp in %q", s)
				}
				q = s[:end+1]
				w.raw = q[1 : len(q)-1]
			} else {
				w.raw = q[1 : len(q)-1]
			}
			re, err := regexp.Compile(w.raw)
			if err != nil {
				return nil, fmt.Errorf("bad regexp %q: %v", w.raw, err)
			}
			w.re = re
			s = strings.TrimLeft(s[len(q):], " ")
		}
		out = append(out, w)
		if !strings.HasPrefix(s, ",") {
			return out, nil
		}
		s = strings.TrimLeft(s[1:], " ")
	}
}

// closingQuote finds the quote ending a raw regexp (a quote preceded by a
// backslash is part of it).
func closingQuote(s string) int {
	for i := 1; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == '"' {
			return i
		}
	}
	return -1
}
