package server

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/internal/report"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// A FastAPI project in the middle of its migration: routers mounted with
// prefixes, tiers, a legacy service with its async twin, findings.
var tiendaProject = map[string]string{
	"pyproject.toml": `[tool.asyncmig]
[tool.asyncmig.tiers.criticos]
routes = ["/api/pedidos"]
`,
	"app/__init__.py":               "",
	"app/routes/__init__.py":        "",
	"app/services/__init__.py":      "",
	"app/services/pedidos.py":       "# Servicio síncrono 🐢\ndef buscar(db, pid):\n    return None\n",
	"app/services/async_pedidos.py": "# Gemelo asíncrono ⚡\nasync def buscar(db, pid):\n    return None\n",
	"app/main.py": `# Punto de entrada 🚀
from fastapi import FastAPI

from app.routes import pedidos, salud

app = FastAPI()
app.include_router(pedidos.router, prefix="/api")
app.include_router(salud.router)
`,
	"app/routes/pedidos.py": `"""Pedidos de la tienda 🛒 — ¡migración en curso!"""
from datetime import datetime

from fastapi import APIRouter

from app.services import pedidos as servicio

router = APIRouter(prefix="/pedidos")


@router.get("/{pid}")
def leer_pedido(pid: int):  # síncrono todavía
    return servicio.buscar(None, pid)


@router.post("/")
async def crear_pedido():
    return {"creado": datetime.utcnow()}  # ⏰
`,
	"app/routes/salud.py": `from fastapi import APIRouter

router = APIRouter()


@router.get("/salud")
async def salud():
    return {"ok": "sí ✅"}
`,
}

// cliReport is what `asyncmig report` computes for files under a fresh
// root: report.Build over a loaded and checked project.
func cliReport(t *testing.T, files map[string]string) *report.Report {
	t.Helper()
	root := t.TempDir()
	writeFiles(t, root, files)
	p, err := project.Load(context.Background(), root, []string{root}, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return report.Build(p, p.Check(context.Background(), rules.All))
}

func reportJSON(t *testing.T, r *report.Report) string {
	t.Helper()
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// showReport runs asyncmig.showReport and decodes the JSON report.
func showReport(t *testing.T, c *lsptest.Client, args ...any) *report.Report {
	t.Helper()
	var r report.Report
	if err := c.Call("workspace/executeCommand", map[string]any{"command": "asyncmig.showReport", "arguments": args}, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// The report the editor gets is the one `asyncmig report` prints for the
// same files — the open document counting as its unsaved text.
func TestShowReportMatchesTheCLI(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, tiendaProject)
	c := startDocs(t, Options{}, initParams(root, editorCaps(), nil))
	waitIndexed(t, c)

	got := showReport(t, c)
	want := cliReport(t, tiendaProject)
	want.Root = root
	if reportJSON(t, got) != reportJSON(t, want) {
		t.Fatalf("showReport:\n%s\nasyncmig report:\n%s", reportJSON(t, got), reportJSON(t, want))
	}
	if got.Total.Total != 3 || got.Total.Sync != 1 || got.Total.WithFindings != 1 || got.Legacy != 1 {
		t.Errorf("the fixture no longer exercises every status: %+v", got.Total)
	}

	// Migrate the sync handler in the editor, without saving.
	edited := strings.Replace(tiendaProject["app/routes/pedidos.py"], "def leer_pedido", "async def leer_pedido", 1)
	docURI := fileURI(filepath.Join(root, "app", "routes", "pedidos.py"))
	c.Open(docURI, 1, edited)
	unsaved := map[string]string{}
	for name, text := range tiendaProject {
		unsaved[name] = text
	}
	unsaved["app/routes/pedidos.py"] = edited
	got = showReport(t, c, map[string]any{"uri": docURI})
	want = cliReport(t, unsaved)
	want.Root = root
	if reportJSON(t, got) != reportJSON(t, want) {
		t.Fatalf("showReport with an unsaved document:\n%s\nasyncmig report of the same text:\n%s", reportJSON(t, got), reportJSON(t, want))
	}
	if got.Total.Sync != 0 {
		t.Errorf("the unsaved async def is still counted as sync: %+v", got.Total)
	}

	// Markdown (and the other formats) as a string, the CLI's rendering.
	for _, format := range []string{"markdown", "text", "html"} {
		var text string
		if err := c.Call("workspace/executeCommand", map[string]any{"command": "asyncmig.showReport", "arguments": []any{format}}, &text); err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := report.Write(&b, want, format); err != nil {
			t.Fatal(err)
		}
		if text != b.String() {
			t.Errorf("%s report:\n%s\nwant:\n%s", format, text, b.String())
		}
		if !strings.Contains(text, "/api/pedidos/{pid}") {
			t.Errorf("%s report lacks a route:\n%s", format, text)
		}
	}
}

func TestShowReportErrors(t *testing.T) {
	hold := make(chan struct{})
	root := t.TempDir()
	writeFiles(t, root, tiendaProject)
	c := startDocs(t, Options{beforeIndex: func() { <-hold }}, initParams(root, editorCaps(), nil))
	wantError(t, executeCommand(c, "asyncmig.showReport"), -32803, "still being indexed")
	close(hold)
	waitIndexed(t, c)

	wantError(t, executeCommand(c, "asyncmig.showReport", "pdf"), -32602, `unknown format "pdf"`, "markdown")
	wantError(t, executeCommand(c, "asyncmig.showReport", 42), -32602, "format name")
	wantError(t, executeCommand(c, "asyncmig.showReport", map[string]any{"uri": "file:///otro/sitio/ñ.py"}), -32803, "no workspace folder")
	wantError(t, executeCommand(c, "asyncmig.showReport", map[string]any{"uri": "untitled:Sin título-1"}), -32602)
	if r := showReport(t, c, map[string]any{"format": "json", "uri": fileURI(filepath.Join(root, "app", "main.py"))}); len(r.Routes) != 3 {
		t.Errorf("report by document URI: %d routes, want 3", len(r.Routes))
	}
	echo(t, c)
}

// The report waits for CPU like any analysis, but never in the message
// queue: while it waits, the editor's other requests are answered.
func TestShowReportDoesNotBlockTheQueue(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, tiendaProject)
	s := newTestServer(t, Options{}, nil)
	c := lsptest.New(t, s.Serve)
	c.Initialize(initParams(root, editorCaps(), nil))
	waitIndexed(t, c)

	// Take every analysis slot, as running diagnostics would.
	for range cap(s.diag.slots) {
		s.diag.slots <- struct{}{}
	}
	id := c.Send("workspace/executeCommand", map[string]any{"command": "asyncmig.showReport"})
	echo(t, c)
	docURI := fileURI(filepath.Join(root, "app", "main.py"))
	c.Open(docURI, 1, tiendaProject["app/main.py"])
	requestHover(t, c, docURI, protocol.Position{})
	for _, m := range c.Messages() {
		if m.IsResponse() && string(m.ID) == id {
			t.Fatalf("the report finished without an analysis slot: %s", m.Raw)
		}
	}
	for range cap(s.diag.slots) {
		<-s.diag.slots
	}
	if reply := c.WaitResponse(id); reply.Error != nil {
		t.Fatalf("showReport: %v", reply.Error)
	}
}
