package rules_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/config"
	"github.com/asyncmig/asyncmig/internal/fixer"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/workspace"
)

// fuzzRoot is where fuzzed workspaces pretend to live; nothing is written.
var fuzzRoot = filepath.FromSlash("/fuzz/proyecto")

// fuzzModule is one module of a fuzzed workspace.
type fuzzModule struct {
	path string
	src  []byte
	tree *pysyntax.Tree
	mod  *pymodel.Module
}

// fuzzWorkspace turns fuzz input into modules: a txtar archive gives one
// module per .py section (so cross-file rules have something to resolve),
// anything else is a single module. Names that would leave the root are
// dropped.
func fuzzWorkspace(data []byte) []*fuzzModule {
	var out []*fuzzModule
	add := func(name string, src []byte) {
		p := filepath.Join(fuzzRoot, filepath.FromSlash(name))
		if rel, err := filepath.Rel(fuzzRoot, p); err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			return
		}
		for _, m := range out {
			if m.path == p {
				return
			}
		}
		out = append(out, &fuzzModule{path: p, src: src})
	}
	if ar := txtar.Parse(data); len(ar.Files) > 0 {
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".py") || strings.HasSuffix(f.Name, ".pyi") {
				add(f.Name, f.Data)
			}
		}
	}
	if len(out) == 0 {
		add("app/modulo.py", data)
	}
	return out
}

// checkWorkspace indexes the modules and runs every rule on each, the way
// `asyncmig check` does, but in memory.
func checkWorkspace(t *testing.T, mods []*fuzzModule) map[*fuzzModule]diagnostics.Result {
	cfg := config.Default()
	cfg.Root = fuzzRoot
	ws := workspace.New(fuzzRoot, project.EvalOptions(cfg), project.TwinsOf(cfg))
	for _, m := range mods {
		tree, err := pysyntax.Parse(m.src)
		if err != nil {
			continue // too large: callers skip it with a log line
		}
		name, isPkg := ws.ModuleName(m.path)
		m.tree, m.mod = tree, pymodel.Build(tree, name, m.path, isPkg)
		ws.Put(m.mod)
	}
	ws.Refresh()
	out := map[*fuzzModule]diagnostics.Result{}
	for _, m := range mods {
		if m.tree == nil {
			continue
		}
		file := pymodel.NewFile(m.tree, m.mod, ws.Evaluator())
		rel, _ := filepath.Rel(fuzzRoot, m.path)
		out[m] = diagnostics.Run(context.Background(), diagnostics.Input{File: file, Workspace: ws, Config: cfg, RelPath: filepath.ToSlash(rel)}, rules.All)
	}
	return out
}

// boundaries marks the offsets where a character starts (or the text
// ends), walking as utf8.DecodeRune does: an invalid byte is a character.
func boundaries(src []byte) []bool {
	ok := make([]bool, len(src)+1)
	for i := 0; i < len(src); {
		ok[i] = true
		_, size := utf8.DecodeRune(src[i:])
		i += size
	}
	ok[len(src)] = true
	return ok
}

// FuzzRules runs every rule over arbitrary and mutated Python (seeded with
// every rule fixture, workspaces included). No rule may panic, report a
// range outside its file or inside a character, or offer a fix whose edits
// overlap, fall outside the file, or turn a file that parses into one that
// does not. On a file that already has syntax errors, a fix that adds more
// must be refused by fixer.ApplyFix, the gate every editor fix and bulk
// fix passes through.
func FuzzRules(f *testing.F) {
	for _, fx := range fixtureSources(f, "AM*") {
		f.Add(fx.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			t.Skip("larger than a fuzzing input needs to be")
		}
		checkRules(t, data)
	})
}

// checkRules runs every rule over the workspace data describes and checks
// the properties FuzzRules states.
func checkRules(t *testing.T, data []byte) {
	mods := fuzzWorkspace(data)
	byPath := map[string]*fuzzModule{}
	for _, m := range mods {
		byPath[m.path] = m
	}
	for m, res := range checkWorkspace(t, mods) {
		for _, err := range res.Errors {
			t.Errorf("%s: %v", m.path, err)
		}
		at := boundaries(m.src)
		inFile := func(what string, start, end int, src []byte, at []bool) {
			t.Helper()
			if start < 0 || end < start || end > len(src) {
				t.Fatalf("%s: %s [%d,%d) outside a %d-byte file", m.path, what, start, end, len(src))
			}
			if !at[start] || !at[end] {
				t.Fatalf("%s: %s [%d,%d) cuts a UTF-8 sequence: %q", m.path, what, start, end, src[max(start-3, 0):min(end+3, len(src))])
			}
		}
		baseErrors := fixer.CountErrors(m.tree)
		for _, d := range res.Diagnostics {
			inFile(d.Code+" range", d.Start, d.End, m.src, at)
			for _, rel := range d.Related {
				if rel.Path == "" {
					inFile(d.Code+" related", rel.Start, rel.End, m.src, at)
					continue
				}
				other := byPath[rel.Path]
				if other == nil {
					t.Fatalf("%s: %s related information names %s, not in the workspace", m.path, d.Code, rel.Path)
				}
				inFile(d.Code+" related in "+rel.Path, rel.Start, rel.End, other.src, boundaries(other.src))
			}
			for _, fx := range d.Fixes {
				what := d.Code + " fix " + fx.Title
				for _, e := range fx.Edits {
					inFile(what+" edit", e.Start, e.End, m.src, at)
					if utf8.Valid(m.src) && !utf8.ValidString(e.NewText) {
						t.Fatalf("%s: %s inserts invalid UTF-8 %q into a valid file (an editor would receive U+FFFD)", m.path, what, e.NewText)
					}
				}
				fixed, err := fixer.Apply(m.src, fx.Edits)
				if err != nil {
					t.Fatalf("%s: %s: %v", m.path, what, err)
				}
				if fx.Applicability == diagnostics.DisplayOnly {
					continue
				}
				tree, err := pysyntax.Parse(fixed)
				if err != nil {
					continue // grew past the parse limit; callers refuse it
				}
				added := fixer.CountErrors(tree) > baseErrors
				switch {
				case added && baseErrors == 0:
					t.Fatalf("%s: %s turns a file that parses into one that does not:\n--- before\n%s\n--- after\n%s", m.path, what, m.src, fixed)
				case added:
					if _, err := fixer.ApplyFix(m.src, &fx); err == nil {
						t.Fatalf("%s: %s adds syntax errors and fixer.ApplyFix still offers it", m.path, what)
					}
				}
			}
		}
	}
}

func TestFuzzWorkspaceKeepsNamesInsideTheRoot(t *testing.T) {
	ar := txtar.Format(&txtar.Archive{Files: []txtar.File{
		{Name: "app/servicio.py", Data: []byte("x = 'ñ 🎉'\n")},
		{Name: "../fuera.py", Data: []byte("y = 1\n")},
		{Name: "app/servicio.py", Data: []byte("z = 2\n")},
		{Name: "pyproject.toml", Data: []byte("[project]\n")},
	}})
	mods := fuzzWorkspace(ar)
	if len(mods) != 1 || !bytes.Contains(mods[0].src, []byte("🎉")) {
		t.Fatalf("modules: %+v", mods)
	}
	if got := fuzzWorkspace([]byte("print('hola')\n")); len(got) != 1 || !strings.HasSuffix(got[0].path, "modulo.py") {
		t.Fatalf("plain source: %+v", got)
	}
}

// The in-memory harness must see what the fixtures show, or the fuzz
// target would be checking nothing: every rule fires on its own fixtures.
func TestFuzzHarnessSeesEveryRule(t *testing.T) {
	for _, r := range rules.All {
		fired, fixes := 0, 0
		fixtures := fixtureSources(t, r.Code)
		for _, fx := range fixtures {
			for _, res := range checkWorkspace(t, fuzzWorkspace(fx.data)) {
				for _, d := range res.Diagnostics {
					if d.Code == r.Code {
						fired++
						fixes += len(d.Fixes)
					}
				}
			}
		}
		if len(fixtures) > 0 && fired == 0 {
			t.Errorf("%s: no diagnostic on its own fixtures through the fuzz harness", r.Code)
		}
		t.Logf("%s: %d diagnostics, %d fixes", r.Code, fired, fixes)
	}
}

// editSnippets are lines a migration touches, inserted by FuzzRulesEdited.
var editSnippets = []string{
	"    # Comentario en español: ¡ojo con la sesión! 🎉",
	"async def nueva(db: AsyncSession):",
	"def vieja(db: Session):",
	"    return db.query(Usuario).filter(Usuario.id == 1).first()",
	"    resultado = db.execute(select(Usuario))",
	"    await db.add(usuario)",
	"    ahora = datetime.utcnow()",
	"    claves = await redis.keys('sesión:*')",
	"    asyncio.run(tarea())",
	"    time.sleep(1)",
	"    return await user_service.get_user(db, 1)",
	"from app.services.async_user import async_user_service",
	"from sqlalchemy.ext.asyncio import AsyncSession",
	"    pass  # noqa: AM101, AM301",
	"    with SessionLocal() as s:",
	"class Servicio(Base):",
	"    x = lambda: db.commit()",
	"    ",
	"",
}

var identRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// editLines applies line-level edits to src, three bytes each (operation,
// two operands): delete, duplicate, swap, re-indent, insert a snippet,
// add or remove `await`, swap one identifier for another of the file, and
// switch to CRLF. The result stays close to real code, where byte-level
// mutation mostly yields syntax errors.
func editLines(src []byte, ops []byte) []byte {
	lines := strings.Split(string(src), "\n")
	crlf := false
	for len(ops) >= 3 && len(lines) > 0 {
		op, a, b := ops[0], int(ops[1])%len(lines), int(ops[2])%len(lines)
		ops = ops[3:]
		switch op % 9 {
		case 0:
			lines = append(lines[:a], lines[a+1:]...)
		case 1:
			lines = append(lines[:b], append([]string{lines[a]}, lines[b:]...)...)
		case 2:
			lines[a], lines[b] = lines[b], lines[a]
		case 3:
			if b%2 == 0 {
				lines[a] = "    " + lines[a]
			} else {
				lines[a] = strings.TrimPrefix(lines[a], "    ")
			}
		case 4:
			lines = append(lines[:a], append([]string{editSnippets[b%len(editSnippets)]}, lines[a:]...)...)
		case 5:
			if locs := identRE.FindAllStringIndex(lines[a], -1); len(locs) > 0 {
				at := locs[b%len(locs)][0]
				lines[a] = lines[a][:at] + "await " + lines[a][at:]
			}
		case 6:
			lines[a] = strings.Replace(lines[a], "await ", "", 1)
		case 7:
			all := identRE.FindAllString(strings.Join(lines, "\n"), -1)
			if locs := identRE.FindAllStringIndex(lines[a], -1); len(locs) > 0 && len(all) > 0 {
				l := locs[b%len(locs)]
				lines[a] = lines[a][:l[0]] + all[(a*31+b)%len(all)] + lines[a][l[1]:]
			}
		case 8:
			crlf = !crlf
		}
	}
	out := strings.Join(lines, "\n")
	if crlf {
		out = strings.ReplaceAll(out, "\n", "\r\n")
	}
	return []byte(out)
}

// FuzzRulesEdited checks the properties of FuzzRules on rule fixtures
// edited line by line, which mostly stay valid Python: the fixes get
// exercised on code they were not written against.
func FuzzRulesEdited(f *testing.F) {
	for _, fx := range fixtureSources(f, "AM*") {
		i := fx.index
		f.Add(fx.data, []byte{byte(i), byte(i * 7), byte(i * 13), 4, byte(i), byte(i * 3), 5, byte(i * 5), 0})
	}
	f.Fuzz(func(t *testing.T, src, ops []byte) {
		if len(src) > 1<<16 || len(ops) > 3*64 {
			t.Skip("larger than a fuzzing input needs to be")
		}
		checkRules(t, editLines(src, ops))
	})
}

// fixtureSource is one rule fixture (.py or .txtar) and its position in
// the sorted list of all files of the fixture folders (FuzzRulesEdited
// derives its seed edits from it).
type fixtureSource struct {
	path  string
	data  []byte
	index int
}

// fixtureSources reads the fixtures under testdata/<dirs> (a glob such as
// "AM*" or one rule's code); goldens and snapshots are left out.
func fixtureSources(tb testing.TB, dirs string) []fixtureSource {
	tb.Helper()
	paths, _ := filepath.Glob(filepath.Join("testdata", dirs, "*"))
	var out []fixtureSource
	for i, p := range paths {
		if !strings.HasSuffix(p, ".py") && !strings.HasSuffix(p, ".txtar") {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, fixtureSource{path: p, data: data, index: i})
	}
	return out
}
