package server

import (
	"context"
	"slices"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/codeactions"
	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/textpos"
)

// hover shows the documentation of a rule: of the diagnostics under the
// cursor, or of the code under the cursor inside a `# noqa: AM101`
// comment. Elsewhere the answer is null.
func (s *Server) hover(ctx context.Context, req *request) (any, *jsonrpc2.Error) {
	var p protocol.HoverParams
	if err := req.decode(&p); err != nil {
		return nil, err
	}
	snap := s.docs.Get(string(p.TextDocument.URI))
	req.release()
	if snap == nil {
		return nil, nil
	}
	enc := s.session().positionEncoding
	offset := snap.Lines.ClampedOffset(textpos.Position{Line: p.Position.Line, Character: p.Position.Character}, enc)
	fa := s.analysisFor(ctx, snap)
	if ctx.Err() != nil {
		return nil, cancelled(req)
	}

	var codes []string
	var rng *protocol.Range
	for i, d := range fa.diags {
		if d.Start <= offset && offset <= d.End && !slices.Contains(codes, d.Code) {
			codes = append(codes, d.Code)
			if rng == nil {
				r := fa.lsp[i].Range
				rng = &r
			}
		}
	}
	if len(codes) == 0 {
		if code, start, end, ok := noqaCodeAt(snap.Text, snap.Lines, offset); ok {
			codes = []string{code}
			r := codeactions.Range(snap.Lines, start, end, enc)
			rng = &r
		}
	}
	var docs []string
	for _, code := range codes {
		if doc, ok := s.ruleDoc(code); ok {
			docs = append(docs, doc)
		}
	}
	if len(docs) == 0 {
		return nil, nil
	}
	value := strings.Join(docs, "\n\n---\n\n")
	kind := protocol.Markdown
	if !s.session().hoverMarkdown {
		kind, value = protocol.PlainText, plainText(value)
	}
	return &protocol.Hover{Contents: protocol.MarkupContent{Kind: kind, Value: value}, Range: rng}, nil
}

// ruleDoc renders a rule's documentation with its code, name and page.
func (s *Server) ruleDoc(code string) (string, bool) {
	for _, r := range s.rules {
		if r.Code == code {
			return "**" + r.Code + "** " + r.Name + "\n\n" + strings.TrimSpace(r.Doc) + "\n\n[" + r.Code + " documentation](" + diagnostics.RuleURL(r.Code) + ")", true
		}
	}
	return "", false
}

// noqaCodeAt finds the code under offset inside the line's noqa directive:
// `AM101` in `# noqa: AM101, F401`.
func noqaCodeAt(text []byte, lines *textpos.LineIndex, offset int) (code string, start, end int, ok bool) {
	line := lines.LineOf(offset)
	ls, le := lines.LineStart(line), lines.LineEnd(line)
	n, found := diagnostics.ParseNoqa(string(text[ls:le]))
	if !found || len(n.Codes) == 0 {
		return "", 0, 0, false
	}
	isWord := func(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
	for i := ls + n.Start; i < ls+n.End; {
		if !isWord(text[i]) {
			i++
			continue
		}
		j := i
		for j < ls+n.End && isWord(text[j]) {
			j++
		}
		word := strings.ToUpper(string(text[i:j]))
		if i <= offset && offset <= j && slices.Contains(n.Codes, word) {
			return word, i, j, true
		}
		i = j
	}
	return "", 0, 0, false
}

// plainText strips the markdown a plaintext client would show literally:
// heading marks, code fences, emphasis and backticks.
func plainText(md string) string {
	var b strings.Builder
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			continue
		}
		if heading := strings.TrimLeft(line, "#"); heading != line {
			line = strings.TrimPrefix(heading, " ")
		}
		line = strings.NewReplacer("**", "", "`", "").Replace(line)
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n")
}
