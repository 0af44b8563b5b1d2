package migrate

import (
	"bytes"

	"github.com/asyncmig/asyncmig/diagnostics"
)

// minimalEdits returns the edits that turn old into new: a line diff finds
// the changed runs of lines, a diff of the words and symbols of each run
// finds what changed inside it, and each change is narrowed to the bytes
// that differ (never splitting a UTF-8 sequence or a "\r\n"). A migration
// touches a handful of places in a long file: `async ` before `def`,
// `Async` before `Session`, `await ` before a call come back as exactly
// that, and the rest of each line is left alone.
func minimalEdits(old, new []byte) []diagnostics.Edit {
	var edits []diagnostics.Edit
	diffInto(&edits, old, new, 0, splitLines, func(old, new []byte, base int) {
		diffInto(&edits, old, new, base, splitTokens, func(old, new []byte, base int) {
			if e, ok := narrow(old, new); ok {
				e.Start += base
				e.End += base
				edits = append(edits, e)
			}
		})
	})
	return edits
}

// diffInto splits old and new into pieces, diffs the pieces and calls
// changed with each differing span (old offsets shifted by base).
func diffInto(edits *[]diagnostics.Edit, old, new []byte, base int, split func([]byte) [][]byte, changed func(old, new []byte, base int)) {
	a, b := split(old), split(new)
	aOff, bOff := offsets(a), offsets(b)
	for _, h := range diffRuns(a, b) {
		changed(old[aOff[h.a0]:aOff[h.a1]], new[bOff[h.b0]:bOff[h.b1]], base+aOff[h.a0])
	}
}

// splitTokens splits a line into words (identifier characters and any
// non-ASCII byte, so UTF-8 stays whole), runs of blanks, line breaks, and
// single other characters.
func splitTokens(text []byte) [][]byte {
	var out [][]byte
	for i := 0; i < len(text); {
		j := i + 1
		switch c := text[i]; {
		case isWordByte(c):
			for j < len(text) && isWordByte(text[j]) {
				j++
			}
		case c == ' ' || c == '\t':
			for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
				j++
			}
		case c == '\r':
			if j < len(text) && text[j] == '\n' {
				j++
			}
		}
		out = append(out, text[i:j])
		i = j
	}
	return out
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// shifted maps an offset of the old text to the new one, for an offset no
// edit covers (text inserted right at it goes before it).
func shifted(edits []diagnostics.Edit, off int) int {
	delta := 0
	for _, e := range edits {
		if e.End > off {
			break
		}
		delta += len(e.NewText) - (e.End - e.Start)
	}
	return off + delta
}

// narrow is the single replacement turning old into new: the span between
// their common prefix and suffix, widened off UTF-8 continuation bytes and
// the middle of "\r\n".
func narrow(old, new []byte) (diagnostics.Edit, bool) {
	if bytes.Equal(old, new) {
		return diagnostics.Edit{}, false
	}
	p := 0
	for p < len(old) && p < len(new) && old[p] == new[p] {
		p++
	}
	for p > 0 && (splits(old, p) || splits(new, p)) {
		p--
	}
	s := 0
	for s < len(old)-p && s < len(new)-p && old[len(old)-1-s] == new[len(new)-1-s] {
		s++
	}
	for s > 0 && (splits(old, len(old)-s) || splits(new, len(new)-s)) {
		s--
	}
	return diagnostics.Edit{Start: p, End: len(old) - s, NewText: string(new[p : len(new)-s])}, true
}

func splits(text []byte, i int) bool {
	if i <= 0 || i >= len(text) {
		return false
	}
	return text[i]&0xC0 == 0x80 || text[i-1] == '\r' && text[i] == '\n'
}

// splitLines splits after every "\n", keeping the terminators.
func splitLines(text []byte) [][]byte {
	var out [][]byte
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			out = append(out, text)
			break
		}
		out = append(out, text[:i+1])
		text = text[i+1:]
	}
	return out
}

// offsets returns the byte offset of each line and, last, the length.
func offsets(lines [][]byte) []int {
	out := make([]int, len(lines)+1)
	for i, l := range lines {
		out[i+1] = out[i] + len(l)
	}
	return out
}

// run replaces lines [a0, a1) of the old text by [b0, b1) of the new.
type run struct{ a0, a1, b0, b1 int }

// diffRuns returns the changed runs of a line diff of a and b: Myers'
// greedy search after trimming the common ends, which leaves a small
// middle for a migration's few edits. Past maxDiffCost the middle is one
// run: still correct, only less narrow.
func diffRuns(a, b [][]byte) []run {
	pre := 0
	for pre < len(a) && pre < len(b) && bytes.Equal(a[pre], b[pre]) {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && bytes.Equal(a[len(a)-1-suf], b[len(b)-1-suf]) {
		suf++
	}
	am, bm := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(am) == 0 && len(bm) == 0 {
		return nil
	}
	same := myersMatches(am, bm)
	if same == nil {
		return []run{{pre, len(a) - suf, pre, len(b) - suf}}
	}
	// Walk the matched line pairs; the gaps between them are the runs.
	var out []run
	i, j := 0, 0
	for _, m := range append(same, [2]int{len(am), len(bm)}) {
		if m[0] > i || m[1] > j {
			out = append(out, run{pre + i, pre + m[0], pre + j, pre + m[1]})
		}
		i, j = m[0]+1, m[1]+1
	}
	return out
}

const maxDiffCost = 2000

// myersMatches returns the pairs (i, j) of equal lines a[i] == b[j] on a
// shortest edit script, in order; nil when the script is longer than
// maxDiffCost.
func myersMatches(a, b [][]byte) [][2]int {
	n, m := len(a), len(b)
	limit := min(n+m, maxDiffCost)
	off := limit + 1 // v[off+k] is the furthest x on diagonal k
	v := make([]int, 2*limit+3)
	var trace [][]int
	for d := 0; d <= limit; d++ {
		trace = append(trace, append([]int(nil), v...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && bytes.Equal(a[x], b[y]) {
				x, y = x+1, y+1
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, n, m, d, off)
			}
		}
	}
	return nil
}

// backtrack walks the saved frontiers back from the end and collects the
// diagonal (equal-line) moves.
func backtrack(trace [][]int, n, m, d, off int) [][2]int {
	x, y := n, m
	var matches [][2]int
	for ; d > 0; d-- {
		v := trace[d]
		k := x - y
		var prevK int
		if k == -d || k != d && v[off+k-1] < v[off+k+1] {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := v[off+prevK]
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x, y = x-1, y-1
			matches = append(matches, [2]int{x, y})
		}
		x, y = prevX, prevY
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		matches = append(matches, [2]int{x, y})
	}
	for i, j := 0, len(matches)-1; i < j; i, j = i+1, j-1 {
		matches[i], matches[j] = matches[j], matches[i]
	}
	return matches
}
