package server

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/internal/textpos"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// requestHover requests textDocument/hover; nil means a null result.
func requestHover(t *testing.T, c *lsptest.Client, docURI string, pos protocol.Position) *protocol.Hover {
	t.Helper()
	var h *protocol.Hover
	if err := c.Call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": docURI}, "position": pos}, &h); err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHover(t *testing.T) {
	for _, markdown := range []bool{true, false} {
		name := "markdown"
		caps := editorCaps()
		if !markdown {
			name = "plaintext"
			caps["textDocument"].(map[string]any)["hover"] = map[string]any{"contentFormat": []string{"plaintext"}}
		}
		t.Run(name, func(t *testing.T) {
			c := startDocs(t, Options{}, initParams("", caps, nil))
			docURI := "file:///proyecto/tienda.py"
			noqaLine := `x = 1  # noqa: AM101, e501 — importación 📦`
			text := tiendaPy + noqaLine + "\n"
			d := diagnosticOf(t, openDoc(t, c, docURI, text), "AM501")

			// On the diagnostic: its rule's documentation and range.
			inside := d.Range.Start
			inside.Character += 3
			h := requestHover(t, c, docURI, inside)
			if h == nil || h.Range == nil || *h.Range != d.Range {
				t.Fatalf("hover on the diagnostic: %+v", h)
			}
			if markdown {
				if h.Contents.Kind != protocol.Markdown || !strings.Contains(h.Contents.Value, "**AM501** naive-utcnow") || !strings.Contains(h.Contents.Value, "## What it does") {
					t.Errorf("markdown hover: %+v", h.Contents)
				}
			} else if h.Contents.Kind != protocol.PlainText || strings.Contains(h.Contents.Value, "##") || strings.Contains(h.Contents.Value, "```") ||
				!strings.Contains(h.Contents.Value, "AM501 naive-utcnow") || !strings.Contains(h.Contents.Value, "What it does") {
				t.Errorf("plaintext hover: %+v", h.Contents)
			}

			// On a code inside a noqa comment (after non-ASCII text).
			code := rangeOnLine(4, noqaLine, "AM101", textpos.UTF16)
			h = requestHover(t, c, docURI, protocol.Position{Line: 4, Character: code.Start.Character + 2})
			if h == nil || h.Range == nil || *h.Range != code || !strings.Contains(h.Contents.Value, "AM101 query-on-async-session") && !strings.Contains(h.Contents.Value, "**AM101** query-on-async-session") {
				t.Errorf("hover on the noqa code: %+v", h)
			}
			// Another tool's code, and plain code: nothing to say.
			other := rangeOnLine(4, noqaLine, "e501", textpos.UTF16)
			if h := requestHover(t, c, docURI, other.Start); h != nil {
				t.Errorf("hover on another tool's code: %+v", h)
			}
			if h := requestHover(t, c, docURI, protocol.Position{Line: 0, Character: 3}); h != nil {
				t.Errorf("hover on a docstring: %+v", h)
			}
		})
	}
}

func TestHoverBadParams(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	wantError(t, c.Call("textDocument/hover", map[string]any{"position": map[string]any{"line": -2}}, nil), -32602, "textDocument/hover")
	var h *protocol.Hover
	if err := c.Call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": "file:///no/abierto.py"}, "position": map[string]any{"line": 0, "character": 0}}, &h); err != nil || h != nil {
		t.Errorf("hover on a document that is not open: %+v, %v", h, err)
	}
}
