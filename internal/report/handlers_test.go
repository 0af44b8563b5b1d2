package report

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/project"
)

// A router file as editors see it: sync and async handlers, a handler
// registered twice, a method of a class, and decorators that register
// nothing.
const rutasPy = `# Rutas de reservas 🗓️ — migración a medias, ¡cuidado!
import functools
from datetime import datetime

from fastapi import APIRouter as Enrutador
import requests

router = Enrutador(prefix="/reservas")
cache = {}


@router.get("/")
def listar():  # síncrona todavía 🐢
    return []


@router.post("/")
@router.put("/{id}")
async def guardar(id: int = 0):
    creada = datetime.utcnow()  # ⏰
    otra = datetime.utcnow()
    return {"creada": creada, "otra": otra}


@router.delete("/{id}")
async def borrar(id: int):
    return None


@functools.lru_cache()
def no_es_ruta():
    return datetime.utcnow()


def decorador(f):
    return f


@decorador
async def tampoco():
    return None


@requests.get("/no-es-un-router")
async def falsa():
    return None
`

func TestHandlersAndAssess(t *testing.T) {
	root := t.TempDir()
	write(t, root, map[string]string{"pyproject.toml": "", "app/rutas.py": rutasPy})
	p, err := project.Load(context.Background(), root, []string{root}, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	results := p.Check(context.Background(), rules.All)
	f := p.Files[0]
	if filepath.Base(f.Path) != "rutas.py" {
		t.Fatalf("loaded %s", f.Path)
	}
	hs := Handlers(p.Workspace.Evaluator(), f.Module)
	type lens struct {
		handler string
		routes  int
		label   string
	}
	var got []lens
	for _, h := range hs {
		got = append(got, lens{h.Func.Qual, len(h.Routes), Assess(h.Func, results[f].Diagnostics).Label()})
	}
	want := []lens{
		{"listar", 1, "sync — not migrated"},
		{"guardar", 2, "async — 2 findings"},
		{"borrar", 1, "async ✓"},
	}
	if len(got) != len(want) {
		t.Fatalf("handlers %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("handler %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if r := hs[1].Routes; r[0].Method != "POST" || r[0].Path != "/" || r[1].Method != "PUT" || r[1].Path != "/{id}" {
		t.Errorf("routes of guardar (as written, no router prefix): %+v", r)
	}
	// The utcnow() outside any handler counts for none.
	if a := Assess(hs[1].Func, results[f].Diagnostics); a.Codes["AM501"] != 2 || len(a.Codes) != 1 {
		t.Errorf("codes of guardar: %v", a.Codes)
	}
	if Handlers(p.Workspace.Evaluator(), nil) != nil {
		t.Error("Handlers of no module")
	}
}

func TestAssessmentLabel(t *testing.T) {
	for _, c := range []struct {
		a    Assessment
		want string
	}{
		{Assessment{Status: StatusSync}, "sync — not migrated"},
		{Assessment{Status: StatusMigrated}, "async ✓"},
		{Assessment{Status: StatusFindings, Findings: 1}, "async — 1 finding"},
		{Assessment{Status: StatusFindings, Findings: 3}, "async — 3 findings"},
	} {
		if got := c.a.Label(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.a, got, c.want)
		}
	}
}
