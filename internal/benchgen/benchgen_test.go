package benchgen

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// The generator must be deterministic (benchmarks compare runs) and write
// Python that parses.
func TestDeterministicAndParses(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	sa, err := Generate(a, 40, 7)
	if err != nil {
		t.Fatal(err)
	}
	sb, _ := Generate(b, 40, 7)
	if sa != sb || sa.Modules != 40 {
		t.Fatalf("stats differ or wrong count: %+v %+v", sa, sb)
	}
	err = filepath.Walk(a, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || filepath.Ext(p) != ".py" {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, _ := os.ReadFile(filepath.Join(b, rel))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between runs", rel)
		}
		tree, err := pysyntax.Parse(x)
		if err != nil || tree.HasError() {
			t.Errorf("%s does not parse", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
