package server

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/internal/textpos"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// A router half way through the migration: a sync handler, an async one
// with two findings, a migrated one, and functions that are no handlers.
// Non-ASCII names and text before every def.
const reservasPy = `"""Rutas de reservas 🗓️ — migración a medias."""
from datetime import datetime

from fastapi import APIRouter

router = APIRouter(prefix="/reservas")


@router.get("/años")
def listar_años():  # síncrona todavía 🐢
    return []


@router.post("/")
@router.put("/{id}")
async def guardar_reserva(id: int = 0):
    creada = datetime.utcnow()  # ⏰ ¡ojo!
    return {"creada": creada, "otra": datetime.utcnow()}


@router.delete("/{id}")
async def borrar_señal(id: int):
    return None


def ayudante():
    return datetime.utcnow()
`

// lensCaps are editorCaps plus code lenses and their refresh.
func lensCaps(encodings ...string) map[string]any {
	caps := editorCaps(encodings...)
	caps["textDocument"].(map[string]any)["codeLens"] = map[string]any{"dynamicRegistration": false}
	caps["workspace"].(map[string]any)["codeLens"] = map[string]any{"refreshSupport": true}
	return caps
}

func requestLenses(t *testing.T, c *lsptest.Client, docURI string) []protocol.CodeLens {
	t.Helper()
	var lenses []protocol.CodeLens
	if err := c.Call("textDocument/codeLens", map[string]any{"textDocument": map[string]any{"uri": docURI}}, &lenses); err != nil {
		t.Fatal(err)
	}
	if lenses == nil {
		t.Fatal("textDocument/codeLens answered null, want a list")
	}
	return lenses
}

func resolveLens(c *lsptest.Client, lens protocol.CodeLens) (protocol.CodeLens, *lsptest.ResponseError) {
	var out protocol.CodeLens
	err := c.Call("codeLens/resolve", lens, &out)
	return out, err
}

// defRange is where the lens of the handler defined on line sits: from
// `def` (or `async`) to the end of the name, in enc.
func defRange(line uint32, lineText, name string, enc textpos.Encoding) protocol.Range {
	start := strings.Index(lineText, strings.TrimLeft(lineText, " "))
	end := strings.Index(lineText, name) + len(name)
	return protocol.Range{
		Start: protocol.Position{Line: line, Character: units(lineText[:start], enc)},
		End:   protocol.Position{Line: line, Character: units(lineText[:end], enc)},
	}
}

func TestCodeLensesResolvedLazily(t *testing.T) {
	for _, enc := range []textpos.Encoding{textpos.UTF16, textpos.UTF8} {
		t.Run(enc.String(), func(t *testing.T) {
			var encodings []string
			if enc == textpos.UTF8 {
				encodings = []string{"utf-8"}
			}
			c := startDocs(t, Options{}, initParams("", lensCaps(encodings...), nil))
			docURI := "file:///proyecto/app/reservas.py"
			c.Open(docURI, 1, reservasPy)

			// Asked at once, before the debounced analysis: bare lenses.
			lenses := requestLenses(t, c, docURI)
			want := []protocol.Range{
				defRange(9, "def listar_años():  # síncrona todavía 🐢", "listar_años", enc),
				defRange(15, "async def guardar_reserva(id: int = 0):", "guardar_reserva", enc),
				defRange(21, "async def borrar_señal(id: int):", "borrar_señal", enc),
			}
			if len(lenses) != len(want) {
				t.Fatalf("%d lenses, want one per handler (%d): %+v", len(lenses), len(want), lenses)
			}
			for i, l := range lenses {
				if l.Range != want[i] {
					t.Errorf("lens %d at %+v, want the def line %+v", i, l.Range, want[i])
				}
				if l.Command != nil || l.Data == nil {
					t.Errorf("lens %d is not left to codeLens/resolve: %+v", i, l)
				}
			}

			titles := []string{"sync — not migrated", "async — 2 findings", "async ✓"}
			for i, l := range lenses {
				r, err := resolveLens(c, l)
				if err != nil {
					t.Fatalf("resolving lens %d: %v", i, err)
				}
				if r.Command == nil || r.Command.Title != titles[i] || r.Range != l.Range {
					t.Errorf("lens %d resolved to %+v, want %q", i, r, titles[i])
				}
				if r.Command != nil && r.Command.Command != "asyncmig.showReport" {
					t.Errorf("lens %d runs %q, want asyncmig.showReport", i, r.Command.Command)
				}
			}
		})
	}
}

// A lens resolved after the document changed reflects the current
// version, and a finding added to a handler makes the server ask the
// client to refresh its lenses; typing that changes no title does not.
func TestCodeLensesFollowEdits(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", lensCaps(), nil))
	refreshed := make(chan struct{}, 100)
	c.HandleRequest("workspace/codeLens/refresh", func(json.RawMessage) (any, *lsptest.ResponseError) {
		refreshed <- struct{}{}
		return nil, nil
	})
	waitRefresh := func(why string) {
		t.Helper()
		select {
		case <-refreshed:
		case <-time.After(lsptest.Timeout):
			t.Fatalf("no workspace/codeLens/refresh %s", why)
		}
	}
	docURI := "file:///proyecto/app/reservas.py"
	openDoc(t, c, docURI, reservasPy)
	lenses := requestLenses(t, c, docURI)
	waitRefresh("after the first diagnostics")

	// A comment above the handlers moves them: no title changes.
	c.Change(docURI, 2, protocol.Range{Start: protocol.Position{Line: 1}, End: protocol.Position{Line: 1}}, "# Comentario añadido 🎯\n")
	moved := c.WaitDiagnostics(docURI, 2)
	// A utcnow() inside the migrated handler (now on line 23) adds a finding.
	c.Change(docURI, 3, protocol.Range{Start: protocol.Position{Line: 23}, End: protocol.Position{Line: 23}}, "    ahora = datetime.utcnow()  # ñ\n")
	found := c.WaitDiagnostics(docURI, 3)
	waitRefresh("after a handler gained a finding")
	for i, m := range c.Messages() {
		if m.Method == "workspace/codeLens/refresh" && i > moved.Index && i < found.Index {
			t.Errorf("a refresh after an edit that changed no lens title: %s", m.Raw)
		}
	}
	r, err := resolveLens(c, lenses[2]) // carries version 1
	if err != nil {
		t.Fatal(err)
	}
	if r.Command == nil || r.Command.Title != "async — 1 finding" {
		t.Errorf("the stale lens of borrar_señal resolved to %+v, want the current version's \"async — 1 finding\"", r.Command)
	}

	// Deleting a handler: its old lens is reported as stale content.
	c.ChangeFull(docURI, 4, "x = 1\n")
	c.WaitDiagnostics(docURI, 4)
	_, err = resolveLens(c, lenses[0])
	wantError(t, err, -32801, "gone")
	if got := requestLenses(t, c, docURI); len(got) != 0 {
		t.Errorf("lenses on a file without handlers: %+v", got)
	}
}

// A client that says (LSP 3.18) it cannot resolve commands gets complete
// lenses at once; one without refresh support is never asked to refresh.
func TestCodeLensesForClientsThatDoNotResolve(t *testing.T) {
	caps := editorCaps()
	caps["textDocument"].(map[string]any)["codeLens"] = map[string]any{"resolveSupport": map[string]any{"properties": []string{}}}
	c := startDocs(t, Options{}, initParams("", caps, nil))
	docURI := "file:///proyecto/app/reservas.py"
	c.Open(docURI, 1, reservasPy)
	lenses := requestLenses(t, c, docURI)
	var titles []string
	for _, l := range lenses {
		if l.Command == nil {
			t.Fatalf("unresolved lens for a client that cannot resolve: %+v", l)
		}
		titles = append(titles, l.Command.Title)
	}
	if got := strings.Join(titles, " | "); got != "sync — not migrated | async — 2 findings | async ✓" {
		t.Errorf("titles %q", got)
	}
	c.WaitDiagnostics(docURI, 1)
	echo(t, c)
	for _, m := range c.Messages() {
		if m.Method == "workspace/codeLens/refresh" {
			t.Errorf("refresh sent to a client without refreshSupport: %s", m.Raw)
		}
	}
}

func TestCodeLensEdgeCases(t *testing.T) {
	c := startDocs(t, Options{}, initParams("", lensCaps(), nil))
	// Advertised, with a resolve provider.
	var caps struct {
		Capabilities struct {
			CodeLensProvider *protocol.CodeLensOptions `json:"codeLensProvider"`
		} `json:"capabilities"`
	}
	c2 := lsptest.New(t, newTestServer(t, Options{}, nil).Serve)
	if err := json.Unmarshal(c2.Initialize(nil), &caps); err != nil {
		t.Fatal(err)
	}
	if caps.Capabilities.CodeLensProvider == nil || !caps.Capabilities.CodeLensProvider.ResolveProvider {
		t.Errorf("codeLensProvider = %+v, want resolveProvider", caps.Capabilities.CodeLensProvider)
	}

	if got := requestLenses(t, c, "file:///no/abierto.py"); len(got) != 0 {
		t.Errorf("lenses of a document that is not open: %+v", got)
	}
	wantError(t, c.Call("textDocument/codeLens", nil, nil), -32602, "params are missing")
	_, err := resolveLens(c, protocol.CodeLens{Data: map[string]any{"sin": "datos ñ"}})
	wantError(t, err, -32602, "no asyncmig data")
	_, err = resolveLens(c, protocol.CodeLens{Data: codeLensData{URI: "file:///no/abierto.py", Version: 1, Handler: "x:f"}})
	wantError(t, err, -32801, "no longer open")
	// A resolved lens comes back as it is.
	done := protocol.CodeLens{Command: &protocol.Command{Title: "async ✓", Command: "asyncmig.showReport"}}
	if r, err := resolveLens(c, done); err != nil || r.Command == nil || r.Command.Title != "async ✓" {
		t.Errorf("resolving a resolved lens: %+v, %v", r, err)
	}
	echo(t, c)
}

// A handler registered on a router imported from another module of the
// workspace gets its lens too.
func TestCodeLensRouterFromAnotherModule(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"pyproject.toml":  "",
		"app/__init__.py": "",
		"app/api.py":      "from fastapi import APIRouter\n\nrouter = APIRouter()  # compartido 🤝\n",
		"app/usuarios.py": "from app.api import router\n\n\n@router.get(\"/usuarios\")\nasync def ver_usuarios():  # ✅\n    return []\n",
	}
	writeFiles(t, root, files)
	c := startDocs(t, Options{}, initParams(root, lensCaps(), nil))
	waitIndexed(t, c)
	docURI := fileURI(filepath.Join(root, "app", "usuarios.py"))
	openDoc(t, c, docURI, files["app/usuarios.py"])
	lenses := requestLenses(t, c, docURI)
	if len(lenses) != 1 || lenses[0].Range.Start.Line != 4 {
		t.Fatalf("lenses %+v, want one on line 4", lenses)
	}
	if r, err := resolveLens(c, lenses[0]); err != nil || r.Command == nil || r.Command.Title != "async ✓" {
		t.Errorf("resolved %+v, %v", r, err)
	}
}
