package migrate

import (
	"sort"
	"strconv"
	"strings"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// markManualSteps puts a TODO comment above each place inside the function
// that a migration rule still reports (one per diagnostic, with its
// message) or that lazy-loads a relationship, records them in
// m.res.Manual, and returns the marked text.
func (m *migration) markManualSteps(a *analysis) []byte {
	src := a.tree.Src
	start, end := int(a.fn.Start), int(a.fn.End)
	var steps []ManualStep
	for _, d := range a.diags {
		if d.Start >= start && d.End <= end && migrationRule(d.Code) {
			steps = append(steps, ManualStep{Code: d.Code, Message: d.Message, Start: d.Start, End: d.End})
		}
	}
	for _, l := range lazyLoads(a) {
		steps = append(steps, ManualStep{Message: l.message, Start: l.start, End: l.end})
	}
	type mark struct {
		at     int // line start the comment goes before
		indent string
		step   ManualStep
	}
	var marks []mark
	seen := map[string]bool{}
	for _, st := range steps {
		at := commentLine(a.tree, st.Start)
		key := strconv.Itoa(at) + " " + st.Code + " " + st.Message
		if seen[key] {
			continue
		}
		seen[key] = true
		marks = append(marks, mark{at: at, indent: indentation(src, at), step: st})
	}
	if len(marks) == 0 {
		return src
	}
	sort.SliceStable(marks, func(i, j int) bool { return marks[i].at < marks[j].at })
	eol := lineEnding(src)
	comments := make([]string, len(marks))
	for i, mk := range marks {
		text := oneLine(mk.step.Message)
		if mk.step.Code != "" {
			text = mk.step.Code + " " + text
		}
		comments[i] = mk.indent + TODOPrefix + text + eol
	}
	// shift is how far an offset of src moves: by every comment inserted
	// at or before it.
	shift := func(off int) int {
		n := 0
		for i, mk := range marks {
			if mk.at <= off {
				n += len(comments[i])
			}
		}
		return n
	}
	var out []byte
	prev, before := 0, 0
	for i, mk := range marks {
		out = append(out, src[prev:mk.at]...)
		step := mk.step
		step.Comment = mk.at + before + len(mk.indent)
		step.Start += shift(step.Start)
		step.End += shift(step.End)
		out = append(out, comments[i]...)
		before += len(comments[i])
		prev = mk.at
		m.res.Manual = append(m.res.Manual, step)
	}
	return append(out, src[prev:]...)
}

// commentLine returns the start of the line a comment about the code at
// off can go above: the line of off itself, unless that line continues a
// string or a backslash-continued line, where a comment line would be part
// of the statement; then the first line of the enclosing statement.
func commentLine(tree *pysyntax.Tree, off int) int {
	src := tree.Src
	at := lineStart(src, off)
	if safeCommentLine(tree, at) {
		return at
	}
	n := tree.DescendantAt(off, off)
	for !n.IsNull() && !isStatement(n) {
		n = n.Parent()
	}
	if n.IsNull() {
		return at
	}
	return lineStart(src, n.Start())
}

// safeCommentLine reports whether a comment line inserted at line start
// ls would stand on its own: ls is not inside a string and the previous
// line does not end in a backslash continuation.
func safeCommentLine(tree *pysyntax.Tree, ls int) bool {
	src := tree.Src
	if ls > 0 {
		prev := ls - 1 // the line break before ls
		if prev > 0 && src[prev] == '\n' && src[prev-1] == '\r' {
			prev--
		}
		if prev > 0 && src[prev-1] == '\\' {
			return false
		}
	}
	inString := false
	tree.Root().Walk(func(n pysyntax.Node) bool {
		if inString || !(n.Start() < ls && ls < n.End()) {
			return false
		}
		if n.Is(pysyntax.String) || n.Is(pysyntax.ConcatenatedString) {
			inString = true
			return false
		}
		return true
	})
	return !inString
}

// isStatement reports whether n is a statement or a clause of one (a
// comment above an `elif` belongs to it).
func isStatement(n pysyntax.Node) bool {
	p := n.Parent()
	return p.IsNull() || p.Is(pysyntax.Block) || p.Is(pysyntax.Module) || n.Is(pysyntax.ElifClause) || n.Is(pysyntax.ElseClause) ||
		n.Is(pysyntax.ExceptClause) || n.Is(pysyntax.FinallyClause) || n.Is(pysyntax.FunctionDefinition) || n.Is(pysyntax.DecoratedDefinition)
}

func lineStart(src []byte, off int) int {
	for off > 0 && src[off-1] != '\n' && src[off-1] != '\r' {
		off--
	}
	return off
}

// indentation returns the leading blanks of the line starting at ls.
func indentation(src []byte, ls int) string {
	i := ls
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	return string(src[ls:i])
}

// lineEnding is the file's line terminator: "\r\n" when its first line
// ends so, else "\n".
func lineEnding(src []byte) string {
	if i := strings.IndexByte(string(src), '\n'); i > 0 && src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// oneLine keeps a message on the comment's line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
