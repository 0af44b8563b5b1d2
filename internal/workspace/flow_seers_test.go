package workspace

import (
	"math/rand"
	"slices"
	"testing"

	"github.com/asyncmig/asyncmig/internal/benchgen"
	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/testfiles"
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
	if _, err := benchgen.Generate(dir, 12, 3); err != nil {
		t.Fatal(err)
	}
	// The rule fixtures add what generated code lacks: lambdas, nested
	// defs and classes, comprehensions, decorators, default values.
	var sites []*pymodel.CallSite
	var owners []siteOwner
	var keys []string
	for _, f := range testfiles.Python(t, dir, testfiles.RuleFixtures) {
		tree, err := pysyntax.Parse(f.Src)
		if err != nil {
			t.Fatal(err)
		}
		m := pymodel.Build(tree, f.Path, f.Path, false)
		sites = append(sites, m.Calls...)
		for _, fn := range m.Functions {
			keys = append(keys, fn.Key)
			lo := len(sites)
			sites = append(sites, fn.Calls...)
			if len(sites) > lo {
				owners = append(owners, siteOwner{fn, siteRun{int32(lo), int32(len(sites))}})
			}
		}
	}
	if len(sites) < 1000 || len(keys) < 100 {
		t.Fatalf("a small workspace: %d sites, %d functions", len(sites), len(keys))
	}
	seers := newFlowSeers(owners, len(sites))
	// check compares the index with the scope walk for one change and
	// says how many sites it reaches.
	check := func(changed map[string]bool) int {
		var want []int
		for i, cs := range sites {
			if seesFlowsOf(cs, changed) {
				want = append(want, i)
			}
		}
		if got := seers.affected(changed); !slices.Equal(got, want) {
			t.Fatalf("changed %v: %d sites listed, the scope walk finds %d", changed, len(got), len(want))
		}
		return len(want)
	}
	check(map[string]bool{"not.a.function": true})
	rng := rand.New(rand.NewSource(1))
	seen := 0
	for round := 0; round < 200; round++ {
		changed := map[string]bool{}
		for n := rng.Intn(6); n >= 0; n-- {
			changed[keys[rng.Intn(len(keys))]] = true
		}
		if check(changed) > 0 {
			seen++
		}
	}
	// Every function alone, the nested ones of the fixtures included.
	for _, key := range keys {
		check(map[string]bool{key: true})
	}
	if seen < 100 {
		t.Fatalf("only %d of 200 changes reach a site: the test proves little", seen)
	}
}
