package rules

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/internal/pymodel"
)

// The language server deals the rules into groups that run at the same
// time; what it publishes must be exactly what one Run finds, on a
// project where every rule fires (the bundled example).
func TestRunSplitMatchesRun(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", "examples", "gym"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := project.Load(context.Background(), root, []string{root}, project.Options{})
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, f := range p.Files {
		if f.Tree == nil {
			continue
		}
		input := func() diagnostics.Input {
			return diagnostics.Input{File: pymodel.NewFile(f.Tree, f.Module, p.Workspace.Evaluator()), Workspace: p.Workspace, Config: f.Config, RelPath: project.Rel(f.Config, f.Path)}
		}
		want := diagnostics.Run(context.Background(), input(), All)
		for _, d := range want.Diagnostics {
			codes[d.Code] = true
		}
		for _, groups := range []int{2, 3, len(All)} {
			got := diagnostics.RunSplit(context.Background(), input, All, groups)
			if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
				t.Errorf("%s in %d groups: %d findings, one Run: %d", f.Path, groups, len(got.Diagnostics), len(want.Diagnostics))
			}
		}
	}
	if len(codes) < len(All)-2 {
		t.Errorf("the example exercises only %d rules: %v", len(codes), codes)
	}
}
