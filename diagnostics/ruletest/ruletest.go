// Package ruletest is the rule fixture harness (go/analysis's analysistest
// and Ruff's snapshot tests in one): annotated Python fixtures, bad and
// good code side by side, checked diagnostic by diagnostic; golden files
// for the fixed source and snapshots of exact LSP ranges, rewritten with
// -update; and the fix quality bar of RULES.md: fixed code re-parses (and
// compiles, when python3 is there), the rule is quiet afterwards, a second
// application changes nothing, imports are added once.
package ruletest

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

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/fixer"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/textpos"
)

var update = flag.Bool("update", false, "rewrite the golden and snapshot files")

// Run checks every fixture in testdata/<rule.Code> against the rule, with
// all rules enabled as in a real run.
func Run(t *testing.T, rule *diagnostics.Rule, all []*diagnostics.Rule) {
	t.Helper()
	dir := filepath.Join("testdata", rule.Code)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("no fixtures for %s: %v", rule.Code, err)
	}
	wants, oks := 0, 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".py") && !strings.HasSuffix(name, ".txtar") {
			continue
		}
		path := filepath.Join(dir, name)
		fx, err := loadFixture(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fx.files {
			notes, err := parseNotes(f.text)
			if err != nil {
				t.Fatalf("%s/%s: %v", path, f.name, err)
			}
			for _, n := range notes {
				for _, w := range n.wants {
					if w.code == rule.Code {
						wants++
					}
				}
				for _, o := range n.oks {
					if o == rule.Code {
						oks++
					}
				}
			}
		}
		t.Run(strings.TrimSuffix(strings.TrimSuffix(name, ".py"), ".txtar"), func(t *testing.T) {
			runFixture(t, rule, all, path, fx)
		})
	}
	if wants == 0 {
		t.Errorf("%s: no positive fixture (`# want: %s`)", rule.Code, rule.Code)
	}
	if oks < wants {
		t.Errorf("%s: %d negative look-alikes (`# ok:`) for %d positives; precision needs at least as many", rule.Code, oks, wants)
	}
}

type fixtureFile struct {
	name string // relative path inside the fixture workspace
	text string
}

type fixture struct {
	txtar bool
	files []fixtureFile
}

func loadFixture(path string) (*fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(path, ".py") {
		return &fixture{files: []fixtureFile{{name: filepath.Base(path), text: string(data)}}}, nil
	}
	ar := txtar.Parse(data)
	fx := &fixture{txtar: true}
	for _, f := range ar.Files {
		fx.files = append(fx.files, fixtureFile{name: f.Name, text: string(f.Data)})
	}
	return fx, nil
}

func materialize(t *testing.T, fx *fixture) string {
	root := t.TempDir()
	// A marker so configuration discovery stops here.
	hasPyproject := false
	for _, f := range fx.files {
		p := filepath.Join(root, filepath.FromSlash(f.name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f.text), 0o644); err != nil {
			t.Fatal(err)
		}
		if f.name == "pyproject.toml" {
			hasPyproject = true
		}
	}
	if !hasPyproject {
		os.WriteFile(filepath.Join(root, "pyproject.toml"), []byte("[project]\nname = \"fixture\"\n"), 0o644)
	}
	return root
}

func runFixture(t *testing.T, rule *diagnostics.Rule, all []*diagnostics.Rule, path string, fx *fixture) {
	ctx := context.Background()
	root := materialize(t, fx)
	proj, err := project.Load(ctx, root, []string{root}, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	results := proj.Check(ctx, all)
	byName := map[string]*project.File{}
	for _, f := range proj.Files {
		rel, _ := filepath.Rel(root, f.Path)
		byName[filepath.ToSlash(rel)] = f
		for _, e := range results[f].Errors {
			t.Errorf("rule failure: %v", e)
		}
	}

	var snap strings.Builder
	for _, ff := range fx.files {
		if !strings.HasSuffix(ff.name, ".py") {
			continue
		}
		f := byName[ff.name]
		if f == nil {
			t.Errorf("%s was not analysed", ff.name)
			continue
		}
		if f.Err != nil {
			t.Errorf("%s: %v", ff.name, f.Err)
			continue
		}
		notes, _ := parseNotes(ff.text)
		checked := map[string]bool{rule.Code: true}
		for _, n := range notes {
			for _, w := range n.wants {
				checked[w.code] = true
			}
			for _, o := range n.oks {
				checked[o] = true
			}
		}
		li := textpos.NewLineIndex(f.Src)
		got := map[int]map[string][]diagnostics.Diagnostic{}
		for _, d := range results[f].Diagnostics {
			if !checked[d.Code] {
				continue
			}
			ln := li.LineOf(d.Start) + 1
			if got[ln] == nil {
				got[ln] = map[string][]diagnostics.Diagnostic{}
			}
			got[ln][d.Code] = append(got[ln][d.Code], d)
		}
		compare(t, ff.name, notes, got)
		for _, d := range results[f].Diagnostics {
			if d.Code != rule.Code {
				continue
			}
			snap.WriteString(snapLine(ff.name, li, d, proj))
			switch {
			case rule.Fix == diagnostics.FixNone && len(d.Fixes) > 0:
				t.Errorf("%s declares no fix but offers %q", rule.Code, d.Fixes[0].Title)
			case rule.Fix == diagnostics.FixAlways && len(d.Fixes) == 0:
				t.Errorf("%s declares a fix for every diagnostic but %s:%d has none", rule.Code, ff.name, li.LineOf(d.Start)+1)
			}
		}
	}
	checkSnapshot(t, path+".snap", snap.String())
	checkFixes(t, rule, all, path, fx, proj, results)
}

func compare(t *testing.T, file string, notes map[int]*lineNotes, got map[int]map[string][]diagnostics.Diagnostic) {
	t.Helper()
	lines := map[int]bool{}
	for ln := range notes {
		lines[ln] = true
	}
	for ln := range got {
		lines[ln] = true
	}
	sorted := make([]int, 0, len(lines))
	for ln := range lines {
		sorted = append(sorted, ln)
	}
	sort.Ints(sorted)
	for _, ln := range sorted {
		n := notes[ln]
		if n == nil {
			n = &lineNotes{}
		}
		byCode := map[string][]want{}
		for _, w := range n.wants {
			byCode[w.code] = append(byCode[w.code], w)
		}
		for _, ok := range n.oks {
			for _, d := range got[ln][ok] {
				if len(byCode[ok]) == 0 {
					t.Errorf("%s:%d: %s fired on a line marked `# ok: %s`: %s", file, ln, ok, ok, d.Message)
				}
			}
		}
		codes := map[string]bool{}
		for c := range byCode {
			codes[c] = true
		}
		for c := range got[ln] {
			codes[c] = true
		}
		for c := range codes {
			ws, ds := byCode[c], got[ln][c]
			used := make([]bool, len(ds))
			for _, w := range ws {
				found := false
				for i, d := range ds {
					if !used[i] && (w.re == nil || w.re.MatchString(d.Message)) {
						used[i], found = true, true
						break
					}
				}
				if !found {
					var msgs []string
					for _, d := range ds {
						msgs = append(msgs, d.Message)
					}
					t.Errorf("%s:%d: want %s %q, got %q", file, ln, c, w.raw, msgs)
				}
			}
			isOk := false
			for _, o := range n.oks {
				isOk = isOk || o == c
			}
			for i, d := range ds {
				if !used[i] && !isOk {
					t.Errorf("%s:%d: unexpected %s: %s", file, ln, c, d.Message)
				}
			}
		}
	}
}

func snapLine(name string, li *textpos.LineIndex, d diagnostics.Diagnostic, proj *project.Project) string {
	r := li.OffsetsRange(d.Start, d.End, textpos.UTF16)
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d-%d:%d %s %s %s\n", name, r.Start.Line+1, r.Start.Character, r.End.Line+1, r.End.Character, d.Code, d.Severity, d.Message)
	for _, f := range d.Fixes {
		fmt.Fprintf(&b, "  fix (%s): %s\n", f.Applicability, f.Title)
	}
	for _, rel := range d.Related {
		where := name
		rli := li
		if rel.Path != "" {
			where = filepath.Base(rel.Path)
			for _, f := range proj.Files {
				if f.Path == rel.Path {
					r, _ := filepath.Rel(proj.Root, f.Path)
					where = filepath.ToSlash(r)
					rli = textpos.NewLineIndex(f.Src)
				}
			}
		}
		rr := rli.OffsetsRange(rel.Start, rel.End, textpos.UTF16)
		fmt.Fprintf(&b, "  related %s:%d:%d: %s\n", where, rr.Start.Line+1, rr.Start.Character, rel.Message)
	}
	return b.String()
}

func checkSnapshot(t *testing.T, path, got string) {
	t.Helper()
	checkGolden(t, path, []byte(got))
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if len(got) == 0 {
			os.Remove(path)
			return
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if os.IsNotExist(err) && len(got) == 0 {
		return
	}
	if err != nil {
		t.Errorf("missing %s (run go test -update): %v", path, err)
		return
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (go test -update rewrites it)\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// firstFix picks what `asyncmig fix --unsafe-fixes` applies, for the rule
// under test only.
func firstFix(code string) func(*diagnostics.Diagnostic) *diagnostics.Fix {
	return func(d *diagnostics.Diagnostic) *diagnostics.Fix {
		if d.Code != code {
			return nil
		}
		return d.PreferredFix(true)
	}
}

func checkFixes(t *testing.T, rule *diagnostics.Rule, all []*diagnostics.Rule, path string, fx *fixture, proj *project.Project, before map[*project.File]diagnostics.Result) {
	t.Helper()
	ctx := context.Background()
	// Every alternative fix, applied alone, must leave parseable code.
	for _, f := range proj.Files {
		for _, d := range before[f].Diagnostics {
			if d.Code != rule.Code {
				continue
			}
			for _, fix := range d.Fixes {
				if fix.Applicability == diagnostics.DisplayOnly {
					continue
				}
				out, err := fixer.Apply(f.Src, fix.Edits)
				if err != nil {
					t.Errorf("%s: fix %q: %v", filepath.Base(f.Path), fix.Title, err)
					continue
				}
				if msg := parseProblem(out); msg != "" {
					t.Errorf("%s: fix %q leaves a syntax error: %s\n%s", filepath.Base(f.Path), fix.Title, msg, out)
				}
				if msg := compileProblem(t, map[string][]byte{f.Path: out}); msg != "" {
					t.Errorf("%s: fix %q does not compile: %s", filepath.Base(f.Path), fix.Title, msg)
				}
			}
		}
	}

	res := proj.Fix(ctx, all, firstFix(rule.Code))
	var golden []byte
	changed := map[string][]byte{}
	for f, text := range res.Changed {
		rel, _ := filepath.Rel(proj.Root, f.Path)
		changed[filepath.ToSlash(rel)] = text
	}
	if res.Refused > 0 {
		t.Errorf("%d fixes were refused because they would add a syntax error", res.Refused)
	}
	if fx.txtar {
		var ar txtar.Archive
		names := make([]string, 0, len(changed))
		for n := range changed {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			ar.Files = append(ar.Files, txtar.File{Name: n, Data: changed[n]})
		}
		if len(ar.Files) > 0 {
			golden = txtar.Format(&ar)
		}
	} else {
		for _, text := range changed {
			golden = text
		}
	}
	checkGolden(t, path+".golden", golden)
	if len(changed) == 0 {
		return
	}
	byPath := map[string][]byte{}
	for f, text := range res.Changed {
		byPath[f.Path] = text
		if msg := parseProblem(text); msg != "" {
			t.Errorf("fixed %s does not parse: %s", filepath.Base(f.Path), msg)
		}
		checkImportsOnce(t, f, text)
	}
	if msg := compileProblem(t, byPath); msg != "" {
		t.Errorf("fixed code does not compile: %s", msg)
	}
	// Quiet afterwards: what is left of the rule has no fix to apply.
	after := proj.Check(ctx, all)
	for f, r := range after {
		for _, d := range r.Diagnostics {
			if d.Code == rule.Code && d.PreferredFix(true) != nil {
				t.Errorf("%s still reports a fixable %s after fixing: %s", filepath.Base(f.Path), d.Code, d.Message)
			}
		}
	}
	// Idempotent: a second run changes nothing.
	if again := proj.Fix(ctx, all, firstFix(rule.Code)); len(again.Changed) > 0 {
		for f, text := range again.Changed {
			t.Errorf("fixing %s a second time changed it again:\n%s", filepath.Base(f.Path), text)
		}
	}
}

func parseProblem(src []byte) string {
	tree, err := pysyntax.Parse(src)
	if err != nil {
		return err.Error()
	}
	if n := fixer.CountErrors(tree); n > 0 {
		return fmt.Sprintf("%d syntax error nodes", n)
	}
	return ""
}

// compileProblem compiles the files with CPython when it is installed:
// stricter than the parser (await outside async def, misplaced
// __future__ imports).
func compileProblem(t *testing.T, files map[string][]byte) string {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Log("python3 not installed: fixes checked with tree-sitter only")
		return ""
	}
	dir := t.TempDir()
	var args []string
	i := 0
	for name, text := range files {
		p := filepath.Join(dir, fmt.Sprintf("%d_%s", i, filepath.Base(name)))
		i++
		if err := os.WriteFile(p, text, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	script := "import sys\nfor f in sys.argv[1:]:\n    compile(open(f, encoding='utf-8').read(), f, 'exec')\n"
	out, err := exec.Command(py, append([]string{"-c", script}, args...)...).CombinedOutput()
	if err != nil {
		return string(out)
	}
	return ""
}

// checkImportsOnce fails when a module-level import binding appears twice.
func checkImportsOnce(t *testing.T, f *project.File, text []byte) {
	tree, err := pysyntax.Parse(text)
	if err != nil {
		return
	}
	m := pymodel.Build(tree, "", "", false)
	seen := map[string]bool{}
	for _, b := range m.Imports {
		if b.Kind != pymodel.BindImportFrom && b.Kind != pymodel.BindImport {
			continue
		}
		if sc := m.ScopeAt(int(b.Start)); sc != m.Scope {
			continue
		}
		key := b.Module + " " + b.Imported + " " + b.Name
		if seen[key] {
			t.Errorf("%s: import of %s from %s added twice", filepath.Base(f.Path), b.Name, b.Module)
		}
		seen[key] = true
	}
}
