package pymodel

import (
	"testing"

	"github.com/asyncmig/asyncmig/internal/benchgen"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/testfiles"
)

// Builds reuse the expression builder's tables (newExprBuilder): a module
// built after others, small and big, must come out exactly as it did
// before them — nothing of one module may leak into the next.
func TestBuildsReuseNoContent(t *testing.T) {
	var trees []*pysyntax.Tree
	var names []string
	for _, f := range testfiles.Python(t, testfiles.RuleFixtures) {
		tree, err := pysyntax.Parse(f.Src)
		if err != nil {
			t.Fatal(err)
		}
		trees, names = append(trees, tree), append(names, f.Path)
	}
	big, err := pysyntax.Parse(benchgen.EndpointModule(5000))
	if err != nil {
		t.Fatal(err)
	}
	if big.Len() < bigTree {
		t.Fatalf("the big module has %d nodes, under bigTree (%d): the test no longer reaches the big tables", big.Len(), bigTree)
	}
	trees, names = append(trees, big), append(names, "the 5,000-line module")
	if len(trees) < 10 {
		t.Fatalf("only %d sources", len(trees))
	}
	type built struct {
		shape uint64
		calls []int32
	}
	describe := func(m *Module) built {
		b := built{shape: ShapeHash(m)}
		for _, fn := range m.Functions {
			for _, cs := range fn.Calls {
				b.calls = append(b.calls, cs.Call.Start, cs.Call.End)
			}
		}
		return b
	}
	first := make([]built, len(trees))
	for i, tr := range trees {
		first[i] = describe(Build(tr, "app.m", "/ws/app/m.py", false))
	}
	for round := 0; round < 2; round++ {
		for i := len(trees) - 1; i >= 0; i-- {
			again := describe(Build(trees[i], "app.m", "/ws/app/m.py", false))
			if again.shape != first[i].shape || len(again.calls) != len(first[i].calls) {
				t.Fatalf("%s built differently after other modules", names[i])
			}
			for k := range again.calls {
				if again.calls[k] != first[i].calls[k] {
					t.Fatalf("%s: call offsets differ after other modules", names[i])
				}
			}
		}
	}
}
