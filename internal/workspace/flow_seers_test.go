package workspace

import (
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/asyncmig/asyncmig/internal/benchgen"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// seesFlowsOf is the definition flowSeers indexes: a call site's arguments
// may read the parameters of a function in changed when the site is inside
// one (or nested in one), or in a method of a class one of whose methods is.
func seesFlowsOf(cs *pymodel.CallSite, changed map[string]bool) bool {
	for s := cs.Scope; s != nil; s = s.Parent {
		if fn := s.Func; fn != nil {
			if changed[fn.Key] {
				return true
			}
			if fn.Class != nil {
				for _, meth := range fn.Class.Methods {
					if changed[meth.Key] {
						return true
					}
				}
			}
		}
	}
	return false
}

// The flow rounds re-evaluate the sites flowSeers.affected lists: exactly
// those the scope walk says may see what changed, for any change.
func TestFlowSeersAgreeWithTheScopeWalk(t *testing.T) {
	dir := t.TempDir()
	if _, err := benchgen.Generate(dir, 30, 3); err != nil {
		t.Fatal(err)
	}
	var sites []*pymodel.CallSite
	var keys []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".py" {
			return nil
		}
		src, _ := os.ReadFile(p)
		tree, err := pysyntax.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		m := pymodel.Build(tree, filepath.Base(p), p, false)
		sites = append(sites, m.Calls...)
		for _, fn := range m.Functions {
			keys = append(keys, fn.Key)
			sites = append(sites, fn.Calls...)
		}
		return nil
	})
	if len(sites) < 1000 || len(keys) < 100 {
		t.Fatalf("a small workspace: %d sites, %d functions", len(sites), len(keys))
	}
	seers := newFlowSeers(sites)
	rng := rand.New(rand.NewSource(1))
	seen := 0
	for round := 0; round < 200; round++ {
		changed := map[string]bool{}
		for n := rng.Intn(6); n >= 0; n-- {
			changed[keys[rng.Intn(len(keys))]] = true
		}
		if round == 0 {
			changed = map[string]bool{"not.a.function": true}
		}
		var want []int
		for i, cs := range sites {
			if seesFlowsOf(cs, changed) {
				want = append(want, i)
			}
		}
		if got := seers.affected(changed); !slices.Equal(got, want) {
			t.Fatalf("changed %v: %d sites listed, the scope walk finds %d", changed, len(got), len(want))
		}
		if len(want) > 0 {
			seen++
		}
	}
	if seen < 100 {
		t.Fatalf("only %d of 200 changes reach a site: the test proves little", seen)
	}
}
