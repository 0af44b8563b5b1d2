package rules_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/fixer"
)

// compileAll compiles each source with CPython in one process and returns,
// per source, "" or the SyntaxError.
func compileAll(t *testing.T, python string, srcs []string) []string {
	t.Helper()
	const script = `
import json, sys, warnings
warnings.simplefilter("ignore")
out = []
for src in json.load(sys.stdin):
    try:
        compile(src, "<fuzz>", "exec", dont_inherit=True)
        out.append("")
    except (SyntaxError, ValueError) as e:
        out.append("%s: %s (line %s)" % (type(e).__name__, e.msg if hasattr(e, "msg") else e, getattr(e, "lineno", "?")))
json.dump(out, sys.stdout)
`
	in, err := json.Marshal(srcs)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-c", script)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	var res []string
	if err := json.Unmarshal(out, &res); err != nil || len(res) != len(srcs) {
		t.Fatalf("python3 answered %d results for %d sources (%v)", len(res), len(srcs), err)
	}
	return res
}

// Tree-sitter accepts some text Python does not (`from x import a-b`), so
// "the fix re-parses" is also checked against CPython, on every rule
// fixture and on line-edited variants of each (FuzzRulesEdited's edits,
// from a fixed seed): wherever the module compiled before, every fix of
// every rule must leave it compiling.
func TestRuleFixesKeepCodeCompiling(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 is required in CI")
		}
		t.Skip("no python3")
	}
	variants := 8
	if testing.Short() {
		variants = 1
	}
	r := rand.New(rand.NewSource(20260101))

	type fixed struct {
		where, title string
		before, text string
	}
	var originals []string
	var candidates [][]fixed // per original, its fixed texts
	for _, fx := range fixtureSources(t, "AM*") {
		p, data := fx.path, fx.data
		for v := range variants + 1 {
			src := data
			if v > 0 {
				ops := make([]byte, 3*(1+r.Intn(6)))
				r.Read(ops)
				src = editLines(data, ops)
			}
			for m, res := range checkWorkspace(t, fuzzWorkspace(src)) {
				var fs []fixed
				for _, d := range res.Diagnostics {
					for _, fx := range d.Fixes {
						if fx.Applicability == diagnostics.DisplayOnly {
							continue
						}
						out, err := fixer.Apply(m.src, fx.Edits)
						if err != nil {
							t.Errorf("%s (variant %d) %s: %v", p, v, fx.Title, err)
							continue
						}
						fs = append(fs, fixed{fmt.Sprintf("%s variant %d, %s", p, v, filepath.Base(m.path)), d.Code + " " + fx.Title, string(m.src), string(out)})
					}
				}
				if len(fs) > 0 {
					originals = append(originals, string(m.src))
					candidates = append(candidates, fs)
				}
			}
		}
	}
	before := compileAll(t, python, originals)
	var texts []string
	var which []fixed
	for i, fs := range candidates {
		if before[i] != "" {
			continue // not Python to begin with: nothing to keep
		}
		for _, f := range fs {
			texts = append(texts, f.text)
			which = append(which, f)
		}
	}
	after := compileAll(t, python, texts)
	broken := 0
	for i, msg := range after {
		if msg == "" {
			continue
		}
		if broken++; broken <= 10 {
			t.Errorf("%s: %s breaks compiling: %s\n--- before\n%s\n--- after\n%s", which[i].where, which[i].title, msg, which[i].before, which[i].text)
		}
	}
	if broken > 10 {
		t.Errorf("… %d fixes in all break compiling", broken)
	}
	if len(texts) < 100 {
		t.Errorf("only %d fixes checked: the test saw too little", len(texts))
	}
	valid := 0
	for _, msg := range before {
		if msg == "" {
			valid++
		}
	}
	t.Logf("%d modules with fixes, %d of them valid Python; %d fixes checked", len(originals), valid, len(texts))
}
