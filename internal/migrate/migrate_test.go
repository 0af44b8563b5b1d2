package migrate

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/fixer"
	"github.com/asyncmig/asyncmig/internal/project"
)

// project writes the base workspace plus files and returns what Migrate
// needs for the file at rel.
func workspaceWith(t testing.TB, rel, src string, more ...string) (Env, []byte) {
	t.Helper()
	base := readArchive(t, "testdata/_base.txtar")
	files := map[string][]byte{}
	for _, f := range base.Files {
		files[f.Name] = f.Data
	}
	files[rel] = []byte(src)
	for i := 0; i+1 < len(more); i += 2 {
		files[more[i]] = []byte(more[i+1])
	}
	root := writeTree(t, files)
	proj, f := loadProject(t, root, rel)
	return envOf(proj, f), f.Src
}

func migrateNamed(t *testing.T, env Env, src []byte, name string) *Result {
	t.Helper()
	res, err := Migrate(context.Background(), env, src, Selector{Name: name}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestDisabledReasons(t *testing.T) {
	const src = `"""Casos que no se migran 🚫."""
import functools
from collections.abc import Iterator

from fastapi import APIRouter

router = APIRouter()


@router.get("/salud")
async def salud():
    return {"ok": "💚"}


def numeros() -> Iterator[int]:
    yield 1


class Servicio:
    def __init__(self) -> None:
        self.n = 0

    @property
    def nombre(self) -> str:
        return "gimnasio 🏋️"


@functools.lru_cache(maxsize=32)
def tarifa(plan: str) -> float:
    return 10.0


def externa():
    def interna():
        return 1

    return interna()


def suma(a: int, b: int) -> int:
    # Sin nada síncrono que migrar: convertirla solo rompería a quien la llama
    return a + b
`
	env, text := workspaceWith(t, "app/varios.py", src)
	for name, want := range map[string]string{
		"salud":                    "already async",
		"numeros":                  "is a generator",
		"Servicio.__init__":        "special method",
		"Servicio.nombre":          "is a property",
		"tarifa":                   "`@lru_cache(…)`",
		"externa.<locals>.interna": "inside another function",
		"suma":                     "nothing to migrate",
	} {
		res := migrateNamed(t, env, text, name)
		if !strings.Contains(res.Disabled, want) {
			t.Errorf("%s: disabled = %q, want it to say %q", name, res.Disabled, want)
		}
		if res.Text != nil || res.Edits != nil {
			t.Errorf("%s: a disabled migration has edits", name)
		}
	}
}

func TestHandlerWithNothingSyncIsStillMigrated(t *testing.T) {
	// A route answering from memory has nothing to rewrite, but making it
	// async is the step: FastAPI stops sending it to the threadpool.
	src := "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get(\"/salud\")\ndef salud():\n    return {\"estado\": \"💚\"}\n"
	env, text := workspaceWith(t, "app/salud.py", src)
	res := migrateNamed(t, env, text, "salud")
	if res.Disabled != "" {
		t.Fatalf("disabled: %s", res.Disabled)
	}
	if want := strings.Replace(src, "def salud", "async def salud", 1); string(res.Text) != want {
		t.Errorf("got:\n%s", res.Text)
	}
	if len(res.Edits) != 1 || res.Edits[0].NewText != "async " {
		t.Errorf("edits = %+v, want the single insertion of `async `", res.Edits)
	}
}

func TestSyntaxErrorDisables(t *testing.T) {
	src := "from fastapi import APIRouter\nrouter = APIRouter()\n\n\n@router.get(\"/\")\ndef otro():\n    return 1\n\n\nroto = )\n"
	env, text := workspaceWith(t, "app/roto.py", src)
	res, err := Migrate(context.Background(), env, text, Selector{Start: strings.Index(src, "otro"), End: strings.Index(src, "otro")}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Disabled, "syntax errors") {
		t.Errorf("disabled = %q, want the syntax errors named", res.Disabled)
	}
}

func TestUnknownFunctionListsTheFilesFunctions(t *testing.T) {
	src := "class UserService:\n    def get_user(self, db, user_id):\n        return db.get(user_id)\n\n\ndef ayuda():\n    return '🆘'\n"
	env, text := workspaceWith(t, "app/servicio.py", src)
	_, err := Migrate(context.Background(), env, text, Selector{Name: "get_user"}, Options{})
	if !errors.Is(err, ErrNoFunction) {
		t.Fatalf("err = %v, want ErrNoFunction", err)
	}
	if !strings.Contains(err.Error(), "UserService.get_user") || !strings.Contains(err.Error(), "ayuda") {
		t.Errorf("error %q should list the file's functions, the likely one first", err)
	}
}

func TestSelectorByRange(t *testing.T) {
	src := `from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.db.session import get_db
from app.models import User

router = APIRouter()


@router.get("/socios/{user_id}")
def socio(user_id: int,
          db: Session = Depends(get_db)):
    # Buscar el socio 🔍
    return db.get(User, user_id)


@router.get("/ping")
def ping():
    return "pong 🏓"
`
	env, text := workspaceWith(t, "app/api/routes/socios.py", src)
	at := func(s string) int { return strings.Index(src, s) }
	cases := []struct {
		name       string
		start, end int
		inBody     bool
		want       string
	}{
		{"on the decorator", at("@router.get(\"/socios"), at("@router.get(\"/socios"), false, "socio"},
		{"on a parameter line", at("db: Session"), at("db: Session"), false, "socio"},
		{"on the colon", at("get_db)):") + len("get_db))"), at("get_db)):") + len("get_db))"), false, "socio"},
		{"in the body, header only", at("# Buscar"), at("# Buscar"), false, ""},
		{"in the body, body allowed", at("# Buscar"), at("# Buscar"), true, "socio"},
		{"between functions", at("@router.get(\"/ping") - 2, at("@router.get(\"/ping") - 2, false, ""},
		{"the other function", at("def ping"), at("def ping") + 3, false, "ping"},
	}
	for _, c := range cases {
		res, err := Migrate(context.Background(), env, text, Selector{Start: c.start, End: c.end, InBody: c.inBody}, Options{})
		switch {
		case c.want == "" && !errors.Is(err, ErrNoFunction):
			t.Errorf("%s: got %v, %v; want no function", c.name, res, err)
		case c.want != "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && res.Function != c.want:
			t.Errorf("%s: selected %q, want %q", c.name, res.Function, c.want)
		}
	}
}

func TestCRLFAndNonASCII(t *testing.T) {
	// A Windows-edited file full of accents and emoji: the TODO comment and
	// the edits keep "\r\n", and no edit splits a character.
	src := strings.ReplaceAll(`"""Informes 📊 — edición Windows."""
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.db.session import get_db
from app.services.stats import weekly_volume

router = APIRouter()


@router.get("/informe/{user_id}")
def informe(user_id: int, db: Session = Depends(get_db)):
    # Volumen de la semana 💪 (sin gemelo async todavía)
    return {"volumen": weekly_volume(db, user_id), "título": "¡Ánimo! 🎉"}
`, "\n", "\r\n")
	env, text := workspaceWith(t, "app/api/routes/informe.py", src)
	res := migrateNamed(t, env, text, "informe")
	if res.Disabled != "" {
		t.Fatal(res.Disabled)
	}
	if bytes.Count(res.Text, []byte("\n")) != bytes.Count(res.Text, []byte("\r\n")) {
		t.Errorf("a bare \\n slipped into the CRLF file:\n%q", res.Text)
	}
	if len(res.Manual) != 1 || !bytes.Contains(res.Text, []byte("    "+TODOPrefix+"AM105 ")) {
		t.Errorf("want one indented TODO for the call without a twin, got %+v in\n%s", res.Manual, res.Text)
	}
	for _, e := range res.Edits {
		if !utf8.ValidString(e.NewText) || !utf8.Valid(text[e.Start:e.End]) {
			t.Errorf("edit %+v splits a character", e)
		}
	}
	got, err := fixer.Apply(text, res.Edits)
	if err != nil || !bytes.Equal(got, res.Text) {
		t.Errorf("edits do not rebuild the text: %v", err)
	}
}

func TestMinimalEdits(t *testing.T) {
	cases := []struct{ old, new string }{
		{"def f():\n    pass\n", "async def f():\n    pass\n"},
		{"x = \"añejo\"\n", "x = \"añejo 🧀\"\n"},
		{"a = 'é'\n", "a = 'è'\n"}, // same first byte, different second
		{"a = '🎉'\n", "a = '🎊'\n"}, // emoji sharing three of four bytes
		{"uno\r\ndos\r\n", "uno\r\n# nota\r\ndos\r\n"},
		{"línea\n", ""},
		{"", "nueva ✨\n"},
		{"a\nb\nc\nd\n", "a\nB\nc\nD\n"},
	}
	for _, c := range cases {
		edits := minimalEdits([]byte(c.old), []byte(c.new))
		got, err := fixer.Apply([]byte(c.old), edits)
		if err != nil || string(got) != c.new {
			t.Errorf("%q → %q: edits %+v give %q (%v)", c.old, c.new, edits, got, err)
		}
		for _, e := range edits {
			if !utf8.ValidString(e.NewText) || !utf8.ValidString(c.old[e.Start:e.End]) {
				t.Errorf("%q → %q: edit %+v splits a character", c.old, c.new, e)
			}
			if e.Start > 0 && c.old[e.Start-1] == '\r' && e.Start < len(c.old) && c.old[e.Start] == '\n' {
				t.Errorf("%q → %q: edit %+v splits a CRLF", c.old, c.new, e)
			}
		}
	}
	// Two changes far apart stay two small edits.
	old := "async def a():\n" + strings.Repeat("    x = 1\n", 50) + "    return db.commit()\n"
	new := strings.Replace(strings.Replace(old, "async def", "def", 1), "return db", "return await db", 1)
	edits := minimalEdits([]byte(old), []byte(new))
	if len(edits) != 2 || edits[0].End-edits[0].Start != len("async ") || edits[1].NewText != "await " {
		t.Errorf("edits = %+v, want the two changes alone", edits)
	}
}

func TestTitle(t *testing.T) {
	r := &Result{Function: "get_profile"}
	if got := r.Title(); got != "Migrate `get_profile` to async" {
		t.Errorf("title %q", got)
	}
	r.Manual = []ManualStep{{Code: "AM105"}, {Code: "AM303"}}
	if got := r.Title(); got != "Migrate `get_profile` to async (2 manual steps)" {
		t.Errorf("title %q", got)
	}
	r.Manual = r.Manual[:1]
	r.Callers = []Caller{{Async: true}, {Async: true, Awaited: true}}
	if got := r.Title(); got != "Migrate `get_profile` to async (1 manual step, 1 caller to update)" {
		t.Errorf("title %q", got)
	}
}

func TestChoicePolicy(t *testing.T) {
	m := &migration{}
	utc := &diagnostics.Diagnostic{Code: "AM501", Fixes: []diagnostics.Fix{
		{Title: "aware", Applicability: diagnostics.Unsafe, Edits: []diagnostics.Edit{{NewText: "datetime.now(timezone.utc)"}}},
		{Title: "naive", Applicability: diagnostics.Safe, Edits: []diagnostics.Edit{{NewText: "datetime.now(timezone.utc).replace(tzinfo=None)"}}},
	}}
	if f := m.pick(utc); f.Title != "naive" {
		t.Errorf("default utcnow fix %q, want the naive-preserving one", f.Title)
	}
	m.opt.AwareDatetimes = true
	if f := m.pick(utc); f.Title != "aware" {
		t.Errorf("aware-datetimes utcnow fix %q, want the aware one", f.Title)
	}
	thread := &diagnostics.Fix{Edits: []diagnostics.Edit{{NewText: "await asyncio.to_thread(requests.get, url)"}}}
	if !keepsBlockingCall(thread) {
		t.Error("a to_thread wrapper is a manual step")
	}
	for code, want := range map[string]bool{"AM101": true, "AM201": true, "AM303": true, "AM502": true, "AM402": true, "AM401": true, "AM404": false, "AM405": false, "AM403": false, "E501": false} {
		if migrationRule(code) != want {
			t.Errorf("migrationRule(%s) = %v", code, !want)
		}
	}
}

// The README's "Migrate an endpoint" walkthrough shows real output: its
// "Before" code, migrated in the test workspace, is its "After" code.
func TestReadmeWalkthrough(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "## Migrate an endpoint\n")
	if !ok {
		t.Fatal("README has no \"Migrate an endpoint\" section")
	}
	block := func(label string) string {
		_, rest, ok := strings.Cut(section, label+"\n\n```python\n")
		if !ok {
			t.Fatalf("no %q code block", label)
		}
		code, _, _ := strings.Cut(rest, "```\n")
		return code
	}
	before, after := block("Before:"), block("After:")
	env, text := workspaceWith(t, "app/api/routes/users.py", before)
	res := migrateNamed(t, env, text, "get_profile")
	if string(res.Text) != after {
		t.Errorf("the README's After block is not what the migration gives:\n%s", lineDiff(after, string(res.Text)))
	}
}

// Every sync function of the bundled example project either migrates to
// text that parses and compiles, with every TODO at a place a rule still
// reports, or is refused with a reason — never an error.
func TestExampleProjectSweep(t *testing.T) {
	root, err := filepath.Abs("../../examples/gym")
	if err != nil {
		t.Fatal(err)
	}
	proj, err := project.Load(context.Background(), root, []string{root}, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	migrated := 0
	for _, f := range proj.Files {
		for _, fn := range f.Module.Functions {
			if fn.Lambda || fn.Async {
				continue
			}
			name := filepath.Base(f.Path) + "::" + fn.Qual
			res, err := Migrate(context.Background(), envOf(proj, f), f.Src, Selector{Name: fn.Qual}, Options{})
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if res.Disabled != "" {
				t.Logf("%s: not migrated: %s", name, res.Disabled)
				continue
			}
			migrated++
			if !bytes.Contains(res.Text, []byte("async def "+fn.Name+"(")) {
				t.Errorf("%s: not an async def after the migration", name)
			}
			checkParses(t, res.Text)
		}
	}
	if migrated < 8 {
		t.Errorf("only %d functions of the example migrated", migrated)
	}
}
