package pymodel

import "testing"

// A class whose bases refer back into itself or its subclass — code being
// typed, or nonsense a fuzzer wrote — resolved its hierarchy again from
// inside every base, exponentially: analysis of the file never finished.
// Such a hierarchy is now incomplete (rules that need the whole hierarchy,
// like AM405, stay silent) and answers at once.
func TestClassHierarchyThatRefersToItself(t *testing.T) {
	_, files := build(t, map[string]string{"app.modelos": `# Jerarquía a medio escribir ✍️
class A(A.m, A.n.o):
    def m(self): ...

class B(A, B.p.q, B.r):
    async def p(self): ...

class C(C().s, B):
    s = 1


def usar():
    return B().p(), C().t(), A.m
`})
	f := files["app.modelos"]
	for _, c := range f.Module.Classes {
		h := f.Eval.ClassHierarchy(f.Module, c)
		if h.Complete {
			t.Errorf("%s: a hierarchy through its own attributes was complete", c.Name)
		}
		if len(h.Classes) == 0 || h.Classes[0] != c {
			t.Errorf("%s: hierarchy does not start with the class: %v", c.Name, h.Classes)
		}
	}
	for _, expr := range []string{"B().p()", "C().t()", "A.m"} {
		f.Value(nodeAt(t, f, "return B().p(), C().t(), A.m", expr)) // must return
	}
}
