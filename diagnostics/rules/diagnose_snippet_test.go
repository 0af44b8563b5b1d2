package rules

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/fixer"
	"github.com/asyncmig/asyncmig/internal/project"
)

// diagnoseSnippet checks one module, app/snippet.py, with every rule
// enabled and returns the diagnostics of rule, for behaviour the fixtures
// do not pin down.
func diagnoseSnippet(t *testing.T, rule *diagnostics.Rule, src string) []diagnostics.Diagnostic {
	t.Helper()
	root := t.TempDir()
	path := filepath.Join(root, "app", "snippet.py")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "pyproject.toml"), []byte("[project]\nname = \"snippet\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	proj, err := project.Load(ctx, root, []string{root}, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var out []diagnostics.Diagnostic
	for f, res := range proj.Check(ctx, All) {
		for _, e := range res.Errors {
			t.Errorf("%s: %v", f.Path, e)
		}
		for _, d := range res.Diagnostics {
			if d.Code == rule.Code {
				out = append(out, d)
			}
		}
	}
	return out
}

// applyFirstFix returns src with the first fix of d applied.
func applyFirstFix(t *testing.T, src string, d diagnostics.Diagnostic) string {
	t.Helper()
	if len(d.Fixes) == 0 {
		t.Fatalf("%s has no fix: %s", d.Code, d.Message)
	}
	out, err := fixer.Apply([]byte(src), d.Fixes[0].Edits)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
