// Package testfiles gives tests the Python files they read as real code:
// the rule fixtures, the bundled example, a generated workspace.
package testfiles

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// RuleFixtures is the rule fixtures' directory as seen from a package
// two levels below the repository root (internal/x, diagnostics/x).
var RuleFixtures = filepath.Join("..", "..", "diagnostics", "rules", "testdata")

// Examples is the bundled example project, seen from the same place.
var Examples = filepath.Join("..", "..", "examples")

// File is one Python file and its contents.
type File struct {
	Path string
	Src  []byte
}

// Python reads every .py file under roots, in walk order, and fails the
// test when a root cannot be walked or a file cannot be read.
func Python(tb testing.TB, roots ...string) []File {
	tb.Helper()
	var out []File
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(p) != ".py" {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			out = append(out, File{Path: p, Src: src})
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return out
}
