package rules

import (
	"strings"
	"unicode/utf8"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// maxLabel is how much source a message or fix title quotes before it
// abbreviates.
const maxLabel = 60

// sourceLabel is the source text of n for a message: verbatim when it is
// short and on one line, else abbreviated — a call keeps its callee
// (`db.execute(…)`), anything else its first line.
func sourceLabel(n pysyntax.Node) string {
	b := n.Bytes()
	if len(b) <= maxLabel && !hasNewline(b) {
		return string(b)
	}
	if n.Is(pysyntax.Await) {
		if op := n.FirstNamedChild(); op.Is(pysyntax.Call) {
			return "await " + sourceLabel(op)
		}
	}
	if n.Is(pysyntax.Call) {
		if fn := n.ChildByField(pysyntax.FieldFunction); !fn.IsNull() && len(fn.Bytes()) <= maxLabel && !hasNewline(fn.Bytes()) {
			return fn.Text() + "(…)"
		}
	}
	return abbreviate(b)
}

// abbreviate cuts b at its first line end or maxLabel bytes, on a rune
// boundary, and marks the cut.
func abbreviate(b []byte) string {
	cut := len(b)
	for i, c := range b {
		if c == '\n' || c == '\r' {
			cut = i
			break
		}
	}
	if cut > maxLabel {
		cut = maxLabel
	}
	for cut > 0 && cut < len(b) && !utf8.RuneStart(b[cut]) {
		cut--
	}
	if cut == len(b) {
		return string(b)
	}
	return string(b[:cut]) + "…"
}

func hasNewline(b []byte) bool {
	for _, c := range b {
		if c == '\n' || c == '\r' {
			return true
		}
	}
	return false
}

// viaCallSite explains a kind that reached subject through a call site
// rather than from the code around it (annotations lie): the clause to
// append to the message and the related location of that call. Both are
// empty when the kind came from the code itself.
func viaCallSite(p *diagnostics.Pass, v pymodel.Value, subject string) (string, []diagnostics.Related) {
	via := v.Via
	if via == nil || via.Caller == nil {
		return "", nil
	}
	start, end := flowArgument(p, via)
	from := via.CallerFunc
	if from == "" {
		from = via.Caller.Name
	}
	kind := withArticle(via.Kind.String())
	if via.Kind == pymodel.SyncSession {
		kind = "a sync Session"
	}
	clause := " (`" + subject + "` receives " + kind + " from `" + from + "`)"
	rel := diagnostics.Related{
		Path:    via.Caller.Path,
		Start:   int(start),
		End:     int(end),
		Message: "`" + from + "` passes " + kind + " here",
	}
	return clause, []diagnostics.Related{rel}
}

// flowArgument is where the argument that passed via is in its file's
// current model: the workspace computed via when it last refreshed, and
// typing that only moves code (pymodel.Relocate) does not refresh it.
func flowArgument(p *diagnostics.Pass, via *pymodel.Flow) (start, end int32) {
	cur := p.File.Module
	if via.Caller.Path != cur.Path || cur.Path == "" {
		cur = nil
		if p.Workspace != nil && via.Caller.Path != "" {
			cur = p.Workspace.ByPath(via.Caller.Path)
		}
	}
	if s, e, ok := pymodel.Relocate(via.Caller, cur, via.Start, via.End); ok {
		return s, e
	}
	return via.Start, via.End
}

// withArticle prefixes a kind name with "a" or "an".
func withArticle(s string) string {
	if s != "" && strings.ContainsRune("AEIOUaeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}
