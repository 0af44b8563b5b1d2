// Package codeactions turns the rule engine's results into LSP code actions:
// one quick fix per offered fix, "ignore on this line" through a noqa
// comment, and the safe fix-all. It is the LSP-facing half of fixing: it
// converts byte edits into TextEdits in the negotiated position encoding and
// checks every edit set by applying it and re-parsing (internal/fixer and
// pysyntax), but it never analyses code itself — the caller hands it the
// diagnostics, and for fix-all a function that analyses a text.
package codeactions

import (
	"slices"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/textpos"
)

// Document is the version of an open document that every edit applies to.
type Document struct {
	URI     protocol.DocumentURI
	Version int32
	Text    []byte
	Lines   *textpos.LineIndex
	// Tree is the parse of Text; nil means it did not parse (every edit
	// set is then measured against a fresh parse).
	Tree *pysyntax.Tree
}

// Options say how the client takes edits.
type Options struct {
	// Encoding is the negotiated position encoding.
	Encoding textpos.Encoding
	// DocumentChanges: the client accepts versioned documentChanges, so it
	// rejects an edit made for a version it no longer has, instead of
	// applying it at the wrong place.
	DocumentChanges bool
}

// KindFixAll is the code action kind of the fix-all action. LSP 3.17 defines
// source.fixAll; v0.12.0 has neither it nor a way to sub-kind it.
const KindFixAll protocol.CodeActionKind = "source.fixAll.asyncmig"

// TextEdits converts byte edits of lines' text into TextEdits, in document
// order. Identical edits (the import two fixes both add) are sent once:
// internal/fixer applies them once too.
func TextEdits(lines *textpos.LineIndex, edits []diagnostics.Edit, enc textpos.Encoding) []protocol.TextEdit {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b diagnostics.Edit) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return a.End - b.End
	})
	sorted = slices.Compact(sorted)
	out := make([]protocol.TextEdit, 0, len(sorted))
	for _, e := range sorted {
		out = append(out, protocol.TextEdit{Range: Range(lines, e.Start, e.End, enc), NewText: e.NewText})
	}
	return out
}

// Range converts the byte range [start, end) to an LSP range.
func Range(lines *textpos.LineIndex, start, end int, enc textpos.Encoding) protocol.Range {
	r := lines.OffsetsRange(start, end, enc)
	return protocol.Range{
		Start: protocol.Position{Line: r.Start.Line, Character: r.Start.Character},
		End:   protocol.Position{Line: r.End.Line, Character: r.End.Character},
	}
}

// WorkspaceEdit wraps byte edits of doc: versioned documentChanges when the
// client supports them, else the plain changes map.
func WorkspaceEdit(doc Document, edits []diagnostics.Edit, opt Options) *protocol.WorkspaceEdit {
	textEdits := TextEdits(doc.Lines, edits, opt.Encoding)
	if opt.DocumentChanges {
		version := doc.Version
		return &protocol.WorkspaceEdit{DocumentChanges: []protocol.TextDocumentEdit{{
			TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{
				TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: doc.URI},
				Version:                &version,
			},
			Edits: textEdits,
		}}}
	}
	return &protocol.WorkspaceEdit{Changes: map[protocol.DocumentURI][]protocol.TextEdit{doc.URI: textEdits}}
}

// Replacement returns the single edit that turns old into new: the span
// between their common prefix and suffix, widened so that neither end
// splits a UTF-8 sequence or a "\r\n" (either would make an LSP position
// that does not exist). ok is false when the texts are equal.
func Replacement(old, new []byte) (edit diagnostics.Edit, ok bool) {
	prefix := 0
	for prefix < len(old) && prefix < len(new) && old[prefix] == new[prefix] {
		prefix++
	}
	if prefix == len(old) && prefix == len(new) {
		return diagnostics.Edit{}, false
	}
	for prefix > 0 && (splitsChar(old, prefix) || splitsChar(new, prefix)) {
		prefix--
	}
	suffix := 0
	for suffix < len(old)-prefix && suffix < len(new)-prefix && old[len(old)-1-suffix] == new[len(new)-1-suffix] {
		suffix++
	}
	for suffix > 0 && (splitsChar(old, len(old)-suffix) || splitsChar(new, len(new)-suffix)) {
		suffix--
	}
	return diagnostics.Edit{Start: prefix, End: len(old) - suffix, NewText: string(new[prefix : len(new)-suffix])}, true
}

// splitsChar reports whether offset i of text falls inside a UTF-8 sequence
// or between "\r" and "\n".
func splitsChar(text []byte, i int) bool {
	if i <= 0 || i >= len(text) {
		return false
	}
	return text[i]&0xC0 == 0x80 || text[i-1] == '\r' && text[i] == '\n'
}
