package main

// A unified diff of two texts, for `asyncmig fix --diff`: Myers' O(ND)
// line diff after trimming the common prefix and suffix (fixes touch a few
// lines of a long file, so D stays small), hunks with three lines of
// context, and "\ No newline at end of file" like diff -u. Lines keep their
// terminators, so a CRLF file diffs as CRLF and a lost "\r" would show.

import (
	"bytes"
	"fmt"
	"io"
)

const diffContext = 3

// maxDiffEdits bounds Myers' search; beyond it the changed middle is shown
// as one replacement, still a correct patch.
const maxDiffEdits = 4000

type diffOp struct {
	kind byte // ' ', '-', '+'
	line string
}

// writeUnifiedDiff writes the diff from a to b under the given file names,
// nothing when the texts are equal.
func writeUnifiedDiff(w io.Writer, oldName, newName string, a, b []byte) error {
	if bytes.Equal(a, b) {
		return nil
	}
	ops := diffLines(splitLinesKeep(a), splitLinesKeep(b))
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks(ops) {
		writeHunk(&buf, ops[h.from:h.to], h.oldStart, h.newStart)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// splitLinesKeep splits after every "\n"; a last line without one is kept.
func splitLinesKeep(text []byte) []string {
	var out []string
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		if i < 0 {
			out = append(out, string(text))
			break
		}
		out = append(out, string(text[:i+1]))
		text = text[i+1:]
	}
	return out
}

// diffLines returns an edit script turning a into b.
func diffLines(a, b []string) []diffOp {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []diffOp
	for _, l := range a[:pre] {
		ops = append(ops, diffOp{' ', l})
	}
	ops = append(ops, myers(a[pre:len(a)-suf], b[pre:len(b)-suf])...)
	for _, l := range a[len(a)-suf:] {
		ops = append(ops, diffOp{' ', l})
	}
	return ops
}

// myers is the greedy shortest-edit-script search, keeping each round's
// frontier (O(D²) memory) to walk the path back.
func myers(a, b []string) []diffOp {
	n, m := len(a), len(b)
	if n == 0 || m == 0 {
		return replaceAll(a, b)
	}
	limit := min(n+m, maxDiffEdits)
	off := limit + 1
	v := make([]int, 2*limit+3)
	var trace [][]int
	found := -1
	for d := 0; d <= limit && found < 0; d++ {
		trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = v[off+k+1]
			} else {
				x = v[off+k-1] + 1
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				found = d
				break
			}
		}
	}
	if found < 0 {
		return replaceAll(a, b)
	}
	var rev []diffOp
	x, y := n, m
	for d := found; d > 0; d-- {
		prev := trace[d] // the frontier after round d-1, indexed k+d
		k := x - y
		var pk int
		if k == -d || k != d && prev[k-1+d] < prev[k+1+d] {
			pk = k + 1
		} else {
			pk = k - 1
		}
		px := prev[pk+d]
		py := px - pk
		for x > px && y > py {
			rev = append(rev, diffOp{' ', a[x-1]})
			x--
			y--
		}
		if x == px {
			rev = append(rev, diffOp{'+', b[y-1]})
		} else {
			rev = append(rev, diffOp{'-', a[x-1]})
		}
		x, y = px, py
	}
	for x > 0 && y > 0 {
		rev = append(rev, diffOp{' ', a[x-1]})
		x--
		y--
	}
	ops := make([]diffOp, len(rev))
	for i, o := range rev {
		ops[len(rev)-1-i] = o
	}
	return ops
}

func replaceAll(a, b []string) []diffOp {
	ops := make([]diffOp, 0, len(a)+len(b))
	for _, l := range a {
		ops = append(ops, diffOp{'-', l})
	}
	for _, l := range b {
		ops = append(ops, diffOp{'+', l})
	}
	return ops
}

type hunk struct {
	from, to           int // range of ops
	oldStart, newStart int // 0-based line of the first op in each text
}

// hunks groups changes with their context, merging groups whose context
// would touch.
func hunks(ops []diffOp) []hunk {
	var out []hunk
	oldLine, newLine := 0, 0
	lineAt := make([][2]int, len(ops)+1)
	for i, o := range ops {
		lineAt[i] = [2]int{oldLine, newLine}
		if o.kind != '+' {
			oldLine++
		}
		if o.kind != '-' {
			newLine++
		}
	}
	lineAt[len(ops)] = [2]int{oldLine, newLine}
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := max(0, i-diffContext)
		end := i
		for end < len(ops) {
			if ops[end].kind != ' ' {
				end++
				continue
			}
			// A run of context: does another change follow close enough?
			j := end
			for j < len(ops) && ops[j].kind == ' ' {
				j++
			}
			if j < len(ops) && j-end <= 2*diffContext {
				end = j
				continue
			}
			end = min(end+diffContext, len(ops))
			break
		}
		if n := len(out); n > 0 && out[n-1].to >= start {
			out[n-1].to = end
		} else {
			out = append(out, hunk{from: start, to: end, oldStart: lineAt[start][0], newStart: lineAt[start][1]})
		}
		i = end
	}
	return out
}

func writeHunk(buf *bytes.Buffer, ops []diffOp, oldStart, newStart int) {
	oldLen, newLen := 0, 0
	for _, o := range ops {
		if o.kind != '+' {
			oldLen++
		}
		if o.kind != '-' {
			newLen++
		}
	}
	fmt.Fprintf(buf, "@@ -%s +%s @@\n", hunkRange(oldStart, oldLen), hunkRange(newStart, newLen))
	for _, o := range ops {
		buf.WriteByte(o.kind)
		buf.WriteString(o.line)
		if len(o.line) == 0 || o.line[len(o.line)-1] != '\n' {
			buf.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange is diff -u's "start,length": 1-based, and for an empty range the
// line before it.
func hunkRange(start, length int) string {
	if length == 0 {
		return fmt.Sprintf("%d,0", start)
	}
	if length == 1 {
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, length)
}
