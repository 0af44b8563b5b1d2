package rules

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
	"github.com/asyncmig/asyncmig/internal/project"
)

func TestAM303(t *testing.T) { ruletest.Run(t, AM303, All) }

// diagnoseProject is diagnoseSnippet for a project of several files (and a
// pyproject.toml of the test's choosing): the diagnostics of rule, by file.
func diagnoseProject(t *testing.T, rule *diagnostics.Rule, files map[string]string) map[string][]diagnostics.Diagnostic {
	t.Helper()
	root := t.TempDir()
	if _, ok := files["pyproject.toml"]; !ok {
		files["pyproject.toml"] = "[project]\nname = \"proyecto\"\n"
	}
	for name, text := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	proj, err := project.Load(ctx, root, []string{root}, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]diagnostics.Diagnostic{}
	for f, res := range proj.Check(ctx, All) {
		for _, e := range res.Errors {
			t.Errorf("%s: %v", f.Path, e)
		}
		rel, _ := filepath.Rel(root, f.Path)
		for _, d := range res.Diagnostics {
			if d.Code == rule.Code {
				out[filepath.ToSlash(rel)] = append(out[filepath.ToSlash(rel)], d)
			}
		}
	}
	return out
}

// open() blocks only where RULES.md asks for it: in request handlers. It
// has no fix, since the reads that follow block too.
func TestAM303OpenInRequestHandlers(t *testing.T) {
	src := `# Informes en disco 📄
from fastapi import APIRouter

router = APIRouter()


@router.get("/informe")
async def informe():
    with open("/tmp/informe-ñ.txt", encoding="utf-8") as f:
        return f.read()


async def tarea_programada():
    with open("/tmp/tarea.txt") as f:
        return f.read()


@router.get("/informe/sync")
def informe_sync():
    with open("/tmp/informe-ñ.txt") as f:
        return f.read()
`
	ds := diagnoseSnippet(t, AM303, src)
	if len(ds) != 1 {
		t.Fatalf("got %d diagnostics, want 1: %v", len(ds), ds)
	}
	d := ds[0]
	if got := src[d.Start:d.End]; got != `open("/tmp/informe-ñ.txt", encoding="utf-8")` {
		t.Errorf("range covers %q", got)
	}
	if !strings.Contains(d.Message, "request handler `informe`") || len(d.Fixes) != 0 {
		t.Errorf("message %q, %d fixes", d.Message, len(d.Fixes))
	}
}

// The to_thread fix keeps every argument form as written, and is not
// offered where `await` cannot go or `asyncio` means something else.
func TestAM303ToThreadFixShapes(t *testing.T) {
	src := `# Integraciones 🔌
import subprocess
import time

import requests

URL = "https://gimnasio.example/señal"


async def formas(urls: list[str], args: list[str], pausa: tuple):
    requests.post(
        URL,
        json={"año": 2024, "emoji": "🏋️"},
    )
    subprocess.run(a for a in args)
    time.sleep(*pausa)
    total = sum(requests.get(u).status_code for u in urls)
    return total


async def sombra():
    asyncio = "no es el módulo"
    time.sleep(1)
    return asyncio
`
	want := map[string]string{
		"requests.post(":  "await asyncio.to_thread(requests.post,\n        URL,\n        json={\"año\": 2024, \"emoji\": \"🏋️\"},\n    )",
		"subprocess.run(": "await asyncio.to_thread(subprocess.run, (a for a in args))",
		"time.sleep(*":    "await asyncio.to_thread(time.sleep, *pausa)",
	}
	ds := diagnoseSnippet(t, AM303, src)
	if len(ds) != 5 {
		t.Fatalf("got %d diagnostics, want 5", len(ds))
	}
	for _, d := range ds {
		text := src[d.Start:d.End]
		var prefix string
		for p := range want {
			if strings.HasPrefix(text, p) {
				prefix = p
			}
		}
		switch {
		case prefix != "":
			fixed := applyFirstFix(t, src, d)
			if !strings.Contains(fixed, want[prefix]) || !strings.Contains(fixed, "\nimport asyncio\n") {
				t.Errorf("fixing %q gives\n%s", text, fixed)
			}
		case strings.HasPrefix(text, "requests.get(u)"):
			if len(d.Fixes) != 0 {
				t.Errorf("fix offered inside a generator expression: %q", d.Fixes[0].Title)
			}
		case text == "time.sleep(1)":
			if len(d.Fixes) != 0 {
				t.Errorf("fix offered where `asyncio` is a local string: %q", d.Fixes[0].Title)
			}
		default:
			t.Errorf("unexpected diagnostic on %q", text)
		}
	}
}

// Blocking code is followed maxBlockingDepth calls deep and no further: a
// session opened one call beyond the limit is out of sight (silence over
// guessing), and a long pure chain neither blocks nor hangs.
func TestAM303DepthLimit(t *testing.T) {
	chain := func(prefix string, n int, last string) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "\n\ndef %s_%d(x: int) -> int:\n    return %s_%d(x) + 1\n", prefix, i, prefix, i+1)
		}
		fmt.Fprintf(&b, "\n\ndef %s_%d(x: int) -> int:\n%s\n", prefix, n, last)
		return b.String()
	}
	opens := "    with SessionLocal() as s:\n        return s.scalar(select(x))"
	src := `# Cadenas de llamadas 🔗
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

SessionLocal = sessionmaker()
` + chain("cerca", maxBlockingDepth, opens) + chain("lejos", maxBlockingDepth+1, opens) +
		chain("pura", 3*maxBlockingDepth, "    return x  # ñ") + `


async def endpoint(x: int):
    return [cerca_0(x), lejos_0(x), pura_0(x)]
`
	ds := diagnoseSnippet(t, AM303, src)
	if len(ds) != 1 || !strings.HasPrefix(src[ds[0].Start:], "cerca_0(x)") {
		t.Fatalf("want one diagnostic on cerca_0(x), got %v", ds)
	}
	if want := fmt.Sprintf("`cerca_%d`, which opens a sync Session", maxBlockingDepth); !strings.Contains(ds[0].Message, want) {
		t.Errorf("message %q lacks %q", ds[0].Message, want)
	}
}
