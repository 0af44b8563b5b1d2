package migrate

// Golden tests: each testdata/<case>.txtar is a workspace (on top of
// testdata/_base.txtar) plus an `@target` section naming the function to
// migrate (`path::function`, then optional option lines). The golden
// <case>.txtar.golden holds the action's title, the fixes taken, the manual
// steps, the callers and the migrated file; `go test -update` rewrites it.
// Every case also checks what a user relies on: the edits rebuild the
// migrated text and stay inside the function and the import block, the
// result parses (and compiles under CPython when it is installed), a fresh
// `asyncmig check` of the migrated project reports nothing inside the
// function except at the TODO comments, and migrating again is refused.

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/fixer"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/textpos"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("testdata/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	base := readArchive(t, "testdata/_base.txtar")
	n := 0
	for _, path := range cases {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		if strings.HasPrefix(name, "_") {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runCase(t, path, base, readArchive(t, path))
		})
	}
	if n < 15 {
		t.Errorf("only %d golden cases; the migration is specified on at least 15", n)
	}
}

// goldenCase is a loaded fixture.
type goldenCase struct {
	root     string
	proj     *project.Project
	file     *project.File
	function string
	opt      Options
}

func loadCase(t *testing.T, base, ar *txtar.Archive) goldenCase {
	t.Helper()
	var gc goldenCase
	files := map[string][]byte{}
	for _, f := range base.Files {
		files[f.Name] = f.Data
	}
	var target string
	for _, f := range ar.Files {
		if f.Name == "@target" {
			lines := strings.Split(strings.TrimSpace(string(f.Data)), "\n")
			target = strings.TrimSpace(lines[0])
			for _, o := range lines[1:] {
				switch strings.TrimSpace(o) {
				case "aware-datetimes":
					gc.opt.AwareDatetimes = true
				default:
					t.Fatalf("unknown option %q", o)
				}
			}
			continue
		}
		files[f.Name] = f.Data
	}
	path, fn, ok := strings.Cut(target, "::")
	if !ok {
		t.Fatalf("@target %q is not path::function", target)
	}
	gc.function = fn
	gc.root = writeTree(t, files)
	gc.proj, gc.file = loadProject(t, gc.root, path)
	return gc
}

func runCase(t *testing.T, goldenPath string, base, ar *txtar.Archive) {
	ctx := context.Background()
	gc := loadCase(t, base, ar)
	f := gc.file
	res, err := Migrate(ctx, envOf(gc.proj, f), f.Src, Selector{Name: gc.function}, gc.opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.RuleErrors {
		t.Errorf("rule failure: %v", e)
	}
	if res.Disabled != "" {
		t.Fatalf("not migrated: %s", res.Disabled)
	}
	rel, _ := filepath.Rel(gc.root, f.Path)
	rel = filepath.ToSlash(rel)
	checkGolden(t, goldenPath+".golden", render(gc, rel, res))

	checkEdits(t, f.Src, res)
	checkConfined(t, f, gc.function, res)
	checkParses(t, res.Text)
	checkCheckedClean(t, gc, rel, res)
	again, err := Migrate(ctx, envOf(gc.proj, f), res.Text, Selector{Name: gc.function}, gc.opt)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(again.Disabled, "already async") {
		t.Errorf("migrating the migrated function again: disabled = %q, want it refused as already async", again.Disabled)
	}
}

// render is the golden text of a migration.
func render(gc goldenCase, rel string, res *Result) []byte {
	ar := &txtar.Archive{}
	add := func(name, text string) {
		if text != "" && !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		ar.Files = append(ar.Files, txtar.File{Name: name, Data: []byte(text)})
	}
	add("title", res.Title())
	var b strings.Builder
	for _, a := range res.Applied {
		code := a.Code
		if code == "" {
			code = "(cleanup)"
		}
		fmt.Fprintf(&b, "%s %s\n", code, a.Title)
	}
	add("applied", b.String())
	b.Reset()
	li := textpos.NewLineIndex(res.Text)
	for _, m := range res.Manual {
		fmt.Fprintf(&b, "%d: %s\n", li.LineOf(m.Start)+1, strings.TrimSpace(m.Code+" "+m.Message))
	}
	add("manual", b.String())
	b.Reset()
	for _, c := range res.Callers {
		crel, _ := filepath.Rel(gc.root, c.Path)
		line := li.LineOf(c.Start) + 1 // a call in the migrated file: in its new text
		for _, pf := range gc.proj.Files {
			if pf.Path == c.Path && pf != gc.file {
				line = textpos.NewLineIndex(pf.Src).LineOf(c.Start) + 1
			}
		}
		in := c.Function
		if in == "" {
			in = "<module>"
		}
		fmt.Fprintf(&b, "%s:%d in `%s`: %s\n", filepath.ToSlash(crel), line, in, c.Advice())
	}
	add("callers", b.String())
	add(rel, string(res.Text))
	return txtar.Format(ar)
}

// checkEdits: the edits are sorted, disjoint and rebuild the text.
func checkEdits(t *testing.T, src []byte, res *Result) {
	t.Helper()
	for i := 1; i < len(res.Edits); i++ {
		if res.Edits[i].Start < res.Edits[i-1].End {
			t.Errorf("edits overlap or are unsorted: %+v then %+v", res.Edits[i-1], res.Edits[i])
		}
	}
	got, err := fixer.Apply(src, res.Edits)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, res.Text) {
		t.Errorf("the edits do not rebuild the migrated text:\n%s", got)
	}
}

// checkConfined: nothing else in the file is touched — every edit lies in
// the function (from the start of its first line) or in the import block.
func checkConfined(t *testing.T, f *project.File, function string, res *Result) {
	t.Helper()
	fn := functionNamed(f.Module, function)
	start, end := lineStart(f.Src, int(fn.Start)), int(fn.End)
	for _, e := range res.Edits {
		if start <= e.Start && e.End <= end || importsOnly(f.Tree, e) {
			continue
		}
		t.Errorf("edit %d-%d %q touches code outside `%s` and the imports (%q)", e.Start, e.End, e.NewText, function, f.Src[e.Start:e.End])
	}
}

// checkParses: tree-sitter finds no error, and CPython compiles it (it also
// rejects an `await` outside an async function).
func checkParses(t *testing.T, text []byte) {
	t.Helper()
	tree, err := pysyntax.Parse(text)
	if err != nil || fixer.CountErrors(tree) > 0 {
		t.Fatalf("the migrated text does not parse:\n%s", text)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Log("python3 not installed: checked with tree-sitter only")
		return
	}
	cmd := exec.Command(py, "-c", "import sys; compile(sys.stdin.read(), 'migrated.py', 'exec')")
	cmd.Stdin = bytes.NewReader(text)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("CPython does not compile the migrated text: %s", out)
	}
}

// checkCheckedClean writes the migrated file into the project, loads it
// afresh (the index then knows the new async function, as `asyncmig check`
// would), and requires every migration-rule diagnostic inside the function
// to sit under one of the TODO comments, and every TODO to have one.
func checkCheckedClean(t *testing.T, gc goldenCase, rel string, res *Result) {
	t.Helper()
	path := filepath.Join(gc.root, filepath.FromSlash(rel))
	if err := os.WriteFile(path, res.Text, 0o644); err != nil {
		t.Fatal(err)
	}
	proj, f := loadProject(t, gc.root, rel)
	fn := functionNamed(f.Module, gc.function)
	if fn == nil || !fn.Async {
		t.Fatalf("`%s` is not an async def after the migration", gc.function)
	}
	result := proj.CheckFile(context.Background(), f, rules.All)
	li := textpos.NewLineIndex(f.Src)
	var got, want []string
	for _, d := range result.Diagnostics {
		if d.Start < int(fn.Start) || d.End > int(fn.End) || !migrationRule(d.Code) {
			continue
		}
		got = append(got, fmt.Sprintf("%d %s", li.LineOf(d.Start)+1, d.Code))
	}
	for _, m := range res.Manual {
		line := li.LineOf(m.Comment)
		lineText := string(f.Src[li.LineStart(line):li.LineStart(line+1)])
		if !strings.Contains(lineText, TODOPrefix+strings.TrimSpace(m.Code+" "+m.Message[:min(20, len(m.Message))])) {
			t.Errorf("manual step %s: no TODO comment at its recorded place (line %d: %q)", m.Code, line+1, lineText)
		}
		if m.Code != "" { // lazy loads have no rule (see lazyload.go)
			want = append(want, fmt.Sprintf("%d %s", li.LineOf(m.Start)+1, m.Code))
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics inside the migrated function:\n%s\nwant exactly the manual steps:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func functionNamed(m *pymodel.Module, qual string) *pymodel.Function {
	for _, f := range m.Functions {
		if f.Qual == qual {
			return f
		}
	}
	return nil
}

func envOf(p *project.Project, f *project.File) Env {
	return Env{Workspace: p.Workspace, Config: f.Config, Rules: rules.All, Path: f.Path, Module: f.Module.Name, IsPackage: f.Module.IsPackage, RelPath: project.Rel(f.Config, f.Path)}
}

func readArchive(t testing.TB, path string) *txtar.Archive {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ar
}

func writeTree(t testing.TB, files map[string][]byte) string {
	t.Helper()
	root := t.TempDir()
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func loadProject(t testing.TB, root, rel string) (*project.Project, *project.File) {
	t.Helper()
	proj, err := project.Load(context.Background(), root, []string{root}, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(root, filepath.FromSlash(rel))
	for _, f := range proj.Files {
		if f.Path == want {
			if f.Err != nil {
				t.Fatal(f.Err)
			}
			return proj, f
		}
	}
	t.Fatalf("%s is not in the project", rel)
	return nil, nil
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update to accept):\n%s", path, lineDiff(string(want), string(got)))
	}
}

// lineDiff shows the lines of got that are not in want and vice versa,
// enough to see what changed in a golden.
func lineDiff(want, got string) string {
	var b strings.Builder
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, w, g)
		}
	}
	return b.String()
}
