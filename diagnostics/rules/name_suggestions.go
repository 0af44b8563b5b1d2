package rules

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// closeNames returns the names of pool that name was probably meant to be
// (AM404, AM405): those within maxDist edits (optimal string alignment: a
// swapped pair of letters is one edit), and those among twins, the names
// the twin patterns pair name with. Sorted and without duplicates; a fix is
// offered only when exactly one comes back.
func closeNames(name string, pool []string, maxDist int, twins ...string) []string {
	isTwin := map[string]bool{}
	for _, t := range twins {
		if t != "" && t != name {
			isTwin[t] = true
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, c := range pool {
		if c == name || seen[c] || !isIdentifier(c) {
			continue // a file named user-service.py is no name to write in code
		}
		if isTwin[c] || editDistanceWithin(name, c, maxDist) {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// typoDistance is how many edits a name may be off and still be taken for
// a typo: two, but one for names of five characters or fewer, where two
// edits make another word (`get` and `set`).
func typoDistance(name string) int {
	if utf8.RuneCountInString(name) <= 5 {
		return 1
	}
	return 2
}

// editDistanceWithin reports whether a and b are at most max edits apart
// (insertions, deletions, substitutions and adjacent transpositions, on
// runes: Python identifiers may be non-ASCII).
func editDistanceWithin(a, b string, max int) bool {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > max || -d > max {
		return false
	}
	// Three rows of the optimal-string-alignment table.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)] <= max
}

// pythonKeywords are the hard keywords: never a name.
var pythonKeywords = map[string]bool{
	"False": true, "None": true, "True": true, "and": true, "as": true, "assert": true, "async": true,
	"await": true, "break": true, "class": true, "continue": true, "def": true, "del": true, "elif": true,
	"else": true, "except": true, "finally": true, "for": true, "from": true, "global": true, "if": true,
	"import": true, "in": true, "is": true, "lambda": true, "nonlocal": true, "not": true, "or": true,
	"pass": true, "raise": true, "return": true, "try": true, "while": true, "with": true, "yield": true,
}

// isIdentifier reports whether s can be written as a Python name: a letter
// or underscore, then letters, digits, marks and connectors (non-ASCII
// included), and no keyword.
func isIdentifier(s string) bool {
	if s == "" || pythonKeywords[s] {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || unicode.IsLetter(r) || unicode.Is(unicode.Nl, r):
		case i > 0 && (unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Pc)):
		default:
			return false
		}
	}
	return true
}
