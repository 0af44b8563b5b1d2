package diagnostics

import (
	"strings"
)

// Noqa is a parsed `# noqa` directive.
type Noqa struct {
	All   bool     // bare `# noqa`
	Codes []string // upper-cased codes after `# noqa:`
	// Start/End locate the directive (for extending it), CodesEnd the end of
	// its code list.
	Start, End int
}

// ParseNoqa finds a noqa directive in one line of source, like Ruff: the
// comment may follow other comments, `noqa` is case-insensitive, codes are
// separated by commas and/or spaces, and codes of other tools are kept.
func ParseNoqa(line string) (Noqa, bool) {
	hash := strings.IndexByte(line, '#')
	for hash >= 0 {
		rest := line[hash+1:]
		trimmed := strings.TrimLeft(rest, " \t")
		if len(trimmed) >= 4 && strings.EqualFold(trimmed[:4], "noqa") {
			start := hash
			after := trimmed[4:]
			n := Noqa{Start: start}
			pos := len(line) - len(after)
			if strings.HasPrefix(strings.TrimLeft(after, " "), ":") {
				colon := strings.IndexByte(after, ':')
				pos += colon + 1
				codes, used := parseCodes(line[pos:])
				if len(codes) == 0 {
					n.All = true
				}
				n.Codes = codes
				n.End = pos + used
				return n, true
			}
			if after == "" || after[0] == ' ' || after[0] == '\t' || after[0] == '#' {
				n.All = true
				n.End = pos
				return n, true
			}
		}
		next := strings.IndexByte(rest, '#')
		if next < 0 {
			break
		}
		hash += 1 + next
	}
	return Noqa{}, false
}

// parseCodes reads `AM101, F401 E501` up to the first thing that is not a
// code; it returns the codes and the bytes consumed (trailing space not
// included).
func parseCodes(s string) ([]string, int) {
	var codes []string
	i, used := 0, 0
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == ',' || s[i] == '\t') {
			i++
		}
		j := i
		for j < len(s) && (s[j] >= 'A' && s[j] <= 'Z' || s[j] >= 'a' && s[j] <= 'z') {
			j++
		}
		k := j
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if j == i || k == j {
			return codes, used
		}
		codes = append(codes, strings.ToUpper(s[i:k]))
		i, used = k, k
	}
}

// Suppresses reports whether the directive silences code.
func (n Noqa) Suppresses(code string) bool {
	if n.All {
		return true
	}
	for _, c := range n.Codes {
		if c == code {
			return true
		}
	}
	return false
}
