package pymodel

import (
	"testing"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// linearScopeAt is ScopeAt as a plain scan over every scope's children, the
// reference the binary search must agree with.
func linearScopeAt(m *Module, off int) *Scope {
	s := m.Scope
	for {
		var next *Scope
		for _, c := range m.children[s] {
			if int(c.Start) <= off && off < int(c.End) {
				next = c
				break
			}
		}
		if next == nil {
			return s
		}
		s = next
	}
}

// Scopes whose creation order differs from their position (a lambda in a
// default value is created after the function's own scope, but sits before
// it), comprehensions, classes and nested defs: ScopeAt must answer like the
// linear scan at every byte.
func TestScopeAtMatchesLinearScan(t *testing.T) {
	for _, src := range []string{
		`# Ámbitos anidados 🪆
import functools


@functools.lru_cache(maxsize=(lambda: 8)())
def f(x=lambda y: [y for _ in range(2)], *, z: "list[int]" = [w for w in (1, 2)]) -> {k: v for k, v in {}.items()}:
    def g():
        return (lambda q: {q: [q2 for q2 in q]})(x)

    class C:
        campo = [i for i in range(3)]

        async def m(self, s=lambda: 1):
            return [await a for a in s]

    return g, C


async def h():
    return {n async for n in f()}
`,
		"def roto(:\n    return [x for x in y]\nlambda: (lambda: 1)\n",
	} {
		tree, err := pysyntax.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		m := Build(tree, "app.ambitos", "/ws/app/ambitos.py", false)
		if !m.scopesSorted {
			t.Errorf("scopes of %q were not indexed", src[:20])
		}
		for off := 0; off <= len(src); off++ {
			if got, want := m.ScopeAt(off), linearScopeAt(m, off); got != want {
				t.Fatalf("ScopeAt(%d) in %q: got scope [%d,%d), want [%d,%d)", off, src[:20], got.Start, got.End, want.Start, want.End)
			}
		}
	}
}
