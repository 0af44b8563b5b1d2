package codeactions

import (
	"fmt"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// IgnoreTitle is the title of the action that silences code on one line.
func IgnoreTitle(code string) string {
	return "asyncmig: Ignore " + code + " on this line"
}

// Ignore returns the quickfix that silences t's rule on the line where the
// diagnostic starts (the line the engine reads noqa from): the code is
// appended to the line's `# noqa:` list, keeping the codes of other tools
// as written, or a `  # noqa: CODE` comment is added at the end of the
// line. ok is false when the line cannot take a comment there (it ends
// inside a multi-line string or with a backslash continuation) or already
// silences the code.
func (b *Builder) Ignore(t Target) (action protocol.CodeAction, ok bool, err error) {
	d := t.Diagnostic
	edit, hash, ok := noqaEdit(b.doc, d.Code, d.Start)
	if !ok {
		return protocol.CodeAction{}, false, nil
	}
	tree, err := b.check([]diagnostics.Edit{edit})
	if err != nil {
		return protocol.CodeAction{}, false, fmt.Errorf("ignoring %s at byte %d of %s: %w", d.Code, d.Start, b.doc.URI, err)
	}
	if hash >= 0 {
		// The new directive must be comment text (a comment of its own,
		// or the tail of one already there), not text added to a string
		// that goes on past the end of the line.
		if c := tree.DescendantAt(hash, hash+1); !c.Is(pysyntax.Comment) {
			return protocol.CodeAction{}, false, nil
		}
	}
	return protocol.CodeAction{
		Title:       IgnoreTitle(d.Code),
		Kind:        protocol.QuickFix,
		Diagnostics: []protocol.Diagnostic{t.Published},
		Edit:        WorkspaceEdit(b.doc, []diagnostics.Edit{edit}, b.opt),
	}, true, nil
}

// noqaEdit computes the edit that adds code to the noqa directive of the
// line holding offset. hash is the offset of the new comment's `#` in the
// edited text, or -1 when an existing directive is extended.
func noqaEdit(doc Document, code string, offset int) (edit diagnostics.Edit, hash int, ok bool) {
	line := doc.Lines.LineOf(offset)
	start, end := doc.Lines.LineStart(line), doc.Lines.LineEnd(line)
	text := string(doc.Text[start:end])
	if n, found := diagnostics.ParseNoqa(text); found {
		if n.Suppresses(code) {
			return diagnostics.Edit{}, -1, false
		}
		at := start + n.End
		return diagnostics.Edit{Start: at, End: at, NewText: ", " + code}, -1, true
	}
	trimmed := strings.TrimRight(text, " \t")
	if strings.HasSuffix(trimmed, "\\") {
		return diagnostics.Edit{}, -1, false // a comment would end the continuation
	}
	at := start + len(trimmed)
	sep := "  "
	if trimmed == "" {
		sep = ""
	}
	return diagnostics.Edit{Start: at, End: end, NewText: sep + "# noqa: " + code}, at + len(sep), true
}
