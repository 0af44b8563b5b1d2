package lsptest

import (
	"encoding/json"
	"fmt"
	"time"

	"go.lsp.dev/protocol"
)

// Document helpers: what an editor sends while the user edits, and what it
// waits for.

// Open sends textDocument/didOpen for a Python document.
func (c *Client) Open(uri string, version int32, text string) {
	c.t.Helper()
	c.Notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "python", "version": version, "text": text,
	}})
}

// Change sends an incremental textDocument/didChange replacing rng with
// text; rng's characters are in the negotiated encoding.
func (c *Client) Change(uri string, version int32, rng protocol.Range, text string) {
	c.t.Helper()
	c.Notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": version},
		"contentChanges": []any{map[string]any{"range": rng, "text": text}},
	})
}

// ChangeFull sends a full-text textDocument/didChange.
func (c *Client) ChangeFull(uri string, version int32, text string) {
	c.t.Helper()
	c.Notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": version},
		"contentChanges": []any{map[string]any{"text": text}},
	})
}

// Close sends textDocument/didClose.
func (c *Client) Close(uri string) {
	c.t.Helper()
	c.Notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri}})
}

// Published is one textDocument/publishDiagnostics.
type Published struct {
	URI         string                `json:"uri"`
	Version     *int32                `json:"version"`
	Diagnostics []protocol.Diagnostic `json:"diagnostics"`
	// Raw is the notification as received, for assertions on the wire
	// form (`[]` rather than null).
	Raw []byte `json:"-"`
	// Index is the notification's position among all received messages.
	Index int `json:"-"`
}

// Codes lists the codes of the diagnostics, in order.
func (p *Published) Codes() []string {
	out := make([]string, len(p.Diagnostics))
	for i, d := range p.Diagnostics {
		out[i] = fmt.Sprint(d.Code)
	}
	return out
}

// Mark returns a position in the message log; the Since waits only look
// at messages received after it.
func (c *Client) Mark() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.messages)
}

// WaitDiagnostics waits for diagnostics published for uri at version.
func (c *Client) WaitDiagnostics(uri string, version int32) *Published {
	c.t.Helper()
	return c.WaitDiagnosticsSince(0, uri, Timeout, func(p *Published) bool { return p.Version != nil && *p.Version == version })
}

// WaitDiagnosticsSince waits for diagnostics published for uri after mark
// that satisfy match (nil: any).
func (c *Client) WaitDiagnosticsSince(mark int, uri string, timeout time.Duration, match func(*Published) bool) *Published {
	c.t.Helper()
	var found *Published
	c.wait(fmt.Sprintf("diagnostics for %s", uri), timeout, func() *Message {
		for i := len(c.messages) - 1; i >= mark; i-- {
			m := c.messages[i]
			if m.Method != "textDocument/publishDiagnostics" {
				continue
			}
			p, err := decodePublished(m, i)
			if err != nil {
				c.violations = append(c.violations, err.Error())
				continue
			}
			if p.URI == uri && (match == nil || match(p)) {
				found = p
				return m
			}
		}
		return nil
	})
	return found
}

// AllDiagnostics returns every publication for uri so far, in order.
func (c *Client) AllDiagnostics(uri string) []*Published {
	c.t.Helper()
	var out []*Published
	for i, m := range c.Messages() {
		if m.Method != "textDocument/publishDiagnostics" {
			continue
		}
		p, err := decodePublished(m, i)
		if err != nil {
			c.t.Fatal(err)
		}
		if p.URI == uri {
			out = append(out, p)
		}
	}
	return out
}

func decodePublished(m *Message, index int) (*Published, error) {
	var p Published
	if err := json.Unmarshal(m.Params, &p); err != nil {
		return nil, fmt.Errorf("undecodable publishDiagnostics: %v: %s", err, m.Raw)
	}
	p.Raw, p.Index = m.Raw, index
	return &p, nil
}

// CodeActions requests textDocument/codeAction.
func (c *Client) CodeActions(params any) ([]protocol.CodeAction, *ResponseError) {
	c.t.Helper()
	var actions []protocol.CodeAction
	err := c.Call("textDocument/codeAction", params, &actions)
	return actions, err
}
