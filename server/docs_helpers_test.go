package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/textpos"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// The document of the issue: non-ASCII text before the call on its line.
const tiendaPy = `"""Reservas de la tienda 🛒."""
from datetime import datetime

nombre = "Año 🚀"; ts = datetime.utcnow()
`

// callLine is the line of tiendaPy holding the AM501 call.
const callLine = `nombre = "Año 🚀"; ts = datetime.utcnow()`

// editorCaps are the capabilities of a modern editor: literal code actions
// with lazy fix-all, versioned edits, applyEdit, markdown hover,
// dynamically registered file watching, and progress.
func editorCaps(encodings ...string) map[string]any {
	caps := map[string]any{
		"workspace": map[string]any{
			"applyEdit":             true,
			"workspaceEdit":         map[string]any{"documentChanges": true},
			"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true},
			"configuration":         true,
		},
		"textDocument": map[string]any{
			"codeAction": map[string]any{
				"codeActionLiteralSupport": map[string]any{"codeActionKind": map[string]any{"valueSet": []string{"quickfix", "source.fixAll"}}},
				"resolveSupport":           map[string]any{"properties": []string{"edit"}},
			},
			"hover": map[string]any{"contentFormat": []string{"markdown", "plaintext"}},
		},
		"window": map[string]any{"workDoneProgress": true},
	}
	if len(encodings) > 0 {
		caps["general"] = map[string]any{"positionEncodings": encodings}
	}
	return caps
}

// initParams initializes with root as the workspace folder ("" for none).
func initParams(root string, caps map[string]any, options map[string]any) map[string]any {
	p := map[string]any{"processId": nil, "capabilities": caps, "clientInfo": map[string]any{"name": "prueba-ñ"}}
	if root != "" {
		p["rootUri"] = fileURI(root)
		p["workspaceFolders"] = []any{map[string]any{"uri": fileURI(root), "name": filepath.Base(root)}}
	} else {
		p["rootUri"] = nil
	}
	if options != nil {
		p["initializationOptions"] = options
	}
	return p
}

func fileURI(path string) string { return string(uri.File(path)) }

// startDocs starts an in-process server over a pipe and initializes it
// with params.
func startDocs(t *testing.T, opts Options, params map[string]any) *lsptest.Client {
	t.Helper()
	c := lsptest.New(t, newTestServer(t, opts, nil).Serve)
	c.Initialize(params)
	return c
}

// writeFiles creates files under root.
func writeFiles(t testing.TB, root string, contents map[string]string) {
	t.Helper()
	for name, text := range contents {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// diagnosticOf returns the one diagnostic of code in p.
func diagnosticOf(t testing.TB, p *lsptest.Published, code string) protocol.Diagnostic {
	t.Helper()
	var found []protocol.Diagnostic
	for _, d := range p.Diagnostics {
		if d.Code == code {
			found = append(found, d)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one %s diagnostic, got %s", code, p.Raw)
	}
	return found[0]
}

// units counts s in enc's code units.
func units(s string, enc textpos.Encoding) uint32 {
	li := textpos.NewLineIndex([]byte(s))
	return li.OffsetPosition(len(s), enc).Character
}

// rangeOnLine is the range of needle on line (0-based) whose text is
// lineText, in enc.
func rangeOnLine(line uint32, lineText, needle string, enc textpos.Encoding) protocol.Range {
	i := strings.Index(lineText, needle)
	start := units(lineText[:i], enc)
	return protocol.Range{
		Start: protocol.Position{Line: line, Character: start},
		End:   protocol.Position{Line: line, Character: start + units(needle, enc)},
	}
}

// applyWorkspaceEdit applies edit to text the way an editor does, reading
// ranges in enc against the text before the edit. The version of a
// versioned edit must be version.
func applyWorkspaceEdit(t testing.TB, text string, docURI string, version int32, edit *protocol.WorkspaceEdit, enc textpos.Encoding) string {
	t.Helper()
	if edit == nil {
		t.Fatal("no edit")
	}
	var edits []protocol.TextEdit
	for _, dc := range edit.DocumentChanges {
		if string(dc.TextDocument.URI) != docURI {
			t.Fatalf("edit of %s, want %s", dc.TextDocument.URI, docURI)
		}
		if dc.TextDocument.Version == nil || *dc.TextDocument.Version != version {
			t.Fatalf("edit for version %v, the editor has %d", dc.TextDocument.Version, version)
		}
		edits = append(edits, dc.Edits...)
	}
	for u, es := range edit.Changes {
		if string(u) != docURI {
			t.Fatalf("edit of %s, want %s", u, docURI)
		}
		edits = append(edits, es...)
	}
	lines := textpos.NewLineIndex([]byte(text))
	type span struct {
		start, end int
		text       string
	}
	spans := make([]span, len(edits))
	for i, e := range edits {
		s, en, err := lines.RangeOffsets(fromProtocolRange(e.Range), enc)
		if err != nil {
			t.Fatalf("edit %+v: %v", e, err)
		}
		spans[i] = span{s, en, e.NewText}
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	pos := 0
	for _, s := range spans {
		if s.start < pos {
			t.Fatalf("overlapping edits %+v", edits)
		}
		b.WriteString(text[pos:s.start])
		b.WriteString(s.text)
		pos = s.end
	}
	b.WriteString(text[pos:])
	return b.String()
}

func mustParse(t testing.TB, src string) {
	t.Helper()
	tree, err := pysyntax.Parse([]byte(src))
	if err != nil || tree.HasError() {
		t.Fatalf("the text does not parse cleanly (%v):\n%s", err, src)
	}
}

// noNulls fails if any list the server sent came as null: publishDiagnostics
// lists and code action results.
func noNulls(t testing.TB, c *lsptest.Client) {
	t.Helper()
	for _, m := range c.Messages() {
		if m.Method == "textDocument/publishDiagnostics" {
			var p struct {
				Diagnostics json.RawMessage `json:"diagnostics"`
			}
			if err := json.Unmarshal(m.Params, &p); err != nil || string(p.Diagnostics) == "null" || len(p.Diagnostics) == 0 {
				t.Errorf("diagnostics not a list: %s", m.Raw)
			}
		}
	}
}

// codeActionRequest builds codeAction params for a diagnostic.
func codeActionRequest(docURI string, rng protocol.Range, diags []protocol.Diagnostic, only ...string) map[string]any {
	ctx := map[string]any{"diagnostics": diags}
	if diags == nil {
		ctx["diagnostics"] = []any{}
	}
	if len(only) > 0 {
		ctx["only"] = only
	}
	return map[string]any{"textDocument": map[string]any{"uri": docURI}, "range": rng, "context": ctx}
}
