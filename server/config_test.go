package server

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/server/lsptest"
)

// shownMessages returns the window/showMessage texts received so far.
func shownMessages(t *testing.T, c *lsptest.Client) []string {
	t.Helper()
	var out []string
	for _, m := range c.Messages() {
		if m.Method == "window/showMessage" {
			var p struct{ Message string }
			if err := json.Unmarshal(m.Params, &p); err != nil {
				t.Fatal(err)
			}
			out = append(out, p.Message)
		}
	}
	return out
}

func TestInitializationOptions(t *testing.T) {
	options := map[string]any{"ignore": []string{"AM501"}, "colorDelTema": "rojo 🎨"}
	c := startDocs(t, Options{}, initParams("", editorCaps(), options))
	docURI := "file:///proyecto/fechas.py"
	p := openDoc(t, c, docURI, twoFaults)
	if got := p.Codes(); !slices.Equal(got, []string{"AM502"}) {
		t.Errorf("codes %v: the ignore setting must apply despite the unknown key", got)
	}
	c.WaitNotification("window/showMessage", nil, lsptest.Timeout)
	// More analyses do not show it again.
	c.ChangeFull(docURI, 2, twoFaults+"\n")
	c.WaitDiagnostics(docURI, 2)
	msgs := shownMessages(t, c)
	if len(msgs) != 1 || !strings.Contains(msgs[0], "colorDelTema") {
		t.Errorf("want the unknown key shown once, got %q", msgs)
	}
}

func TestDidChangeConfiguration(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", editorCaps(), nil))
	docURI := "file:///proyecto/fechas.py"
	openDoc(t, c, docURI, twoFaults)

	mark := c.Mark()
	c.Notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"asyncmig": map[string]any{"extend-ignore": nil, "ignore": []string{"AM502"}}}})
	p := c.WaitDiagnosticsSince(mark, docURI, lsptest.Timeout, nil)
	if got := p.Codes(); !slices.Equal(got, []string{"AM501"}) {
		t.Errorf("after ignoring AM502: %v", got)
	}

	// null settings: the server asks for them (the pull model).
	c.HandleRequest("workspace/configuration", func(params json.RawMessage) (any, *lsptest.ResponseError) {
		if !strings.Contains(string(params), `"section":"asyncmig"`) {
			return nil, &lsptest.ResponseError{Code: -32602, Message: "sección inesperada: " + string(params)}
		}
		return []any{map[string]any{"select": []string{"AM5"}, "severity": map[string]any{"AM501": "error"}}}, nil
	})
	mark = c.Mark()
	c.Notify("workspace/didChangeConfiguration", map[string]any{"settings": nil})
	p = c.WaitDiagnosticsSince(mark, docURI, lsptest.Timeout, nil)
	if got := p.Codes(); !slices.Equal(got, []string{"AM501", "AM502"}) {
		t.Errorf("after pulling settings: %v", got)
	}
	if p.Diagnostics[0].Severity != 1 {
		t.Errorf("the severity override did not apply: %s", p.Raw)
	}
}

// A config file change arrives through didChangeWatchedFiles and reloads
// the configuration; its problems are shown once.
func TestConfigFileChange(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"pyproject.toml": "[tool.asyncmig]\n# Sin fechas ingenuas, por ahora 🙈\nignore = [\"AM501\"]\nseverity = { AM502 = \"gravísimo\" }\n",
		"fechas.py":      twoFaults,
	})
	c := startDocs(t, Options{}, initParams(root, editorCaps(), nil))
	waitIndexed(t, c)
	docURI := fileURI(filepath.Join(root, "fechas.py"))
	if got := openDoc(t, c, docURI, twoFaults).Codes(); !slices.Equal(got, []string{"AM502"}) {
		t.Fatalf("with AM501 ignored: %v", got)
	}
	msgs := shownMessages(t, c)
	if len(msgs) != 1 || !strings.Contains(msgs[0], "gravísimo") {
		t.Errorf("want the bad severity shown once, got %q", msgs)
	}

	writeFiles(t, root, map[string]string{"pyproject.toml": "[tool.asyncmig]\nselect = [\"AM\"]\n"})
	mark := c.Mark()
	c.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": fileURI(filepath.Join(root, "pyproject.toml")), "type": 2}}})
	p := c.WaitDiagnosticsSince(mark, docURI, lsptest.Timeout, nil)
	if got := p.Codes(); !slices.Equal(got, []string{"AM501", "AM502"}) {
		t.Errorf("after the config change: %v", got)
	}
}
