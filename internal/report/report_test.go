package report

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/project"
)

func write(t *testing.T, root string, files map[string]string) {
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var workspace = map[string]string{
	"pyproject.toml": `[tool.asyncmig]
[tool.asyncmig.tiers.criticos]
routes = ["/api/users"]
[tool.asyncmig.tiers.resto]
files = ["app/api/routes/clases.py"]
`,
	"app/__init__.py":            "",
	"app/api/__init__.py":        "",
	"app/api/routes/__init__.py": "",
	"app/services/__init__.py":   "",
	"app/services/user.py":       "def get_user(db, uid):\n    return None\n",
	"app/services/async_user.py": "async def get_user(db, uid):\n    return None\n",
	"app/main.py": `# Punto de entrada 🚀
from fastapi import FastAPI

from app.api.routes import users
from app.api.routes.clases import router as clases_router

app = FastAPI()
app.include_router(users.router, prefix="/api")
app.include_router(clases_router)


@app.get("/salud")
async def salud():
    return {"ok": "sí ✅"}
`,
	"app/api/routes/users.py": `from datetime import datetime

from fastapi import APIRouter

from app.services import user as legacy

router = APIRouter(prefix="/users")


@router.get("/{uid}")
def leer(uid: int):
    return legacy.get_user(None, uid)


@router.post("/")
async def crear():
    return {"creado": datetime.utcnow()}


@router.api_route("/ping", methods=["GET", "HEAD"])
async def ping():
    return "pong"
`,
	"app/api/routes/clases.py": `from fastapi import APIRouter

router = APIRouter(prefix="/clases")


@router.get("")
async def listar():
    return []
`,
}

func buildReport(t *testing.T) *Report {
	root := t.TempDir()
	write(t, root, workspace)
	p, err := project.Load(context.Background(), root, []string{root}, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return Build(p, p.Check(context.Background(), rules.All))
}

func TestRoutesAndStatus(t *testing.T) {
	r := buildReport(t)
	got := map[string]Route{}
	for _, rt := range r.Routes {
		got[rt.Method+" "+rt.Path] = rt
	}
	want := map[string]Status{
		"GET /api/users/{uid}":     StatusSync,
		"POST /api/users/":         StatusFindings, // datetime.utcnow()
		"GET,HEAD /api/users/ping": StatusMigrated,
		"GET /clases":              StatusMigrated,
		"GET /salud":               StatusMigrated,
	}
	for k, st := range want {
		rt, ok := got[k]
		if !ok {
			t.Errorf("route %s missing; have %v", k, keys(got))
			continue
		}
		if rt.Status != st {
			t.Errorf("%s: status %s, want %s", k, rt.Status, st)
		}
	}
	if len(r.Routes) != len(want) {
		t.Errorf("%d routes, want %d", len(r.Routes), len(want))
	}
	if rt := got["POST /api/users/"]; rt.Codes["AM501"] != 1 || rt.Handler != "crear" || rt.File != "app/api/routes/users.py" || rt.Line != 16 {
		t.Errorf("finding attribution: %+v", rt)
	}
	if got["GET /api/users/{uid}"].Tier != "criticos" || got["GET /clases"].Tier != "resto" || got["GET /salud"].Tier != "" {
		t.Errorf("tiers: %+v", r.Routes)
	}
	if len(r.Tiers) != 3 || r.Tiers[0].Name != "criticos" || r.Tiers[0].Total != 3 || r.Tiers[0].Migrated != 1 || r.Tiers[0].Percent != 33.3 {
		t.Errorf("tier groups: %+v", r.Tiers)
	}
	if len(r.Twins) != 1 || r.Twins[0].Sync != "app.services.user" || r.Legacy != 1 || r.Twins[0].Importers[0] != "app.api.routes.users" {
		t.Errorf("twins: %+v", r.Twins)
	}
}

func keys(m map[string]Route) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestFormats(t *testing.T) {
	r := buildReport(t)
	for _, f := range Formats() {
		var b bytes.Buffer
		if err := Write(&b, r, f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out := b.String()
		if !strings.Contains(out, "/api/users/{uid}") {
			t.Errorf("%s output lacks a route:\n%s", f, out)
		}
	}
	var b bytes.Buffer
	Write(&b, r, "json")
	var back Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || len(back.Routes) != len(r.Routes) {
		t.Errorf("json does not round-trip: %v", err)
	}
	if err := Write(&b, r, "pdf"); err == nil {
		t.Error("unknown format accepted")
	}
	b.Reset()
	Write(&b, r, "markdown")
	if !strings.Contains(b.String(), "| criticos | 3 | 1 | 1 | 1 | 33.3% |") {
		t.Errorf("markdown tier row:\n%s", b.String())
	}
}

// The HTML page is self-contained: parse it and check its structure.
func TestHTMLStructure(t *testing.T) {
	r := buildReport(t)
	var b bytes.Buffer
	if err := Write(&b, r, "html"); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&b)
	if err != nil {
		t.Fatal(err)
	}
	var rows, bars, external int
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if (a.Key == "src" || a.Key == "href") && strings.Contains(a.Val, "//") {
					external++
				}
				if a.Key == "class" && a.Val == "bar" {
					bars++
				}
			}
			if n.Data == "tr" && parentTable(n) == "routes" {
				rows++
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if rows != len(r.Routes)+1 || bars != len(r.Tiers) || external != 0 {
		t.Errorf("html: %d route rows (+header), %d bars for %d tiers, %d external assets", rows, bars, len(r.Tiers), external)
	}
}

func parentTable(n *html.Node) string {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Data == "table" {
			for _, a := range p.Attr {
				if a.Key == "id" {
					return a.Val
				}
			}
		}
	}
	return ""
}

func TestFailUnder(t *testing.T) {
	r := buildReport(t)
	tier, pct, err := ParseFailUnder("criticos=50")
	if err != nil || tier != "criticos" || pct != 50 {
		t.Fatal(tier, pct, err)
	}
	below, err := r.Below(map[string]float64{tier: pct, "resto": 100})
	if err != nil || len(below) != 1 || !strings.Contains(below[0], "criticos") {
		t.Errorf("below: %v %v", below, err)
	}
	if _, err := r.Below(map[string]float64{"critcos": 10}); err == nil {
		t.Error("a misspelt tier must be an error")
	}
	for _, bad := range []string{"criticos", "=5", "x=abc", "x=150"} {
		if _, _, err := ParseFailUnder(bad); err == nil {
			t.Errorf("ParseFailUnder(%q) accepted", bad)
		}
	}
}
