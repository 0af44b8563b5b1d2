package pysyntax

import (
	"context"
	"strings"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/python"
)

// flatten reads tree-sitter's private structs through mirrors in cgo.go;
// on every node, what it reads must agree with the public API's answers
// (symbol, size, missing, extra, has_error, named, visible counts, and the
// TSLanguage tables). Static asserts in cgo.go pin the LP64 offsets.
func TestMirroredStructsMatchPublicAPI(t *testing.T) {
	sources := []string{
		sample,
		"",
		"x = (1 + \n",                      // MISSING, stored inline
		"x = [%\"%0000000000000000]\n",     // MISSING before a long token: on the heap
		"def f(:\n    return (1,\nclass\n", // ERROR
		"x = 1  # c\ny = [  # d\n  2]\n",   // extras
		"print >> f, x\nexec 'code'\n",     // aliases
		"match c:\n    case [a, *_]:\n        pass\n",
		"s = f\"{a!r:>{w}}\"\nt = 'x' 'y'\n",
		"x = " + strings.Repeat("(", 300) + "1" + strings.Repeat(")", 300) + "\n",
		"x = '" + strings.Repeat("é", 200) + "'\n", // leaves too big to store inline
	}
	for _, src := range sources {
		tr := cParse(t, nil, []byte(src))
		for i, n := range visibleNodes(rootOf(tr)) {
			if bad := layoutProbe(n); bad != 0 {
				t.Errorf("%.30q: node %d: the mirrored structs disagree with the public API (bits %b, see layout_probe)", src, i, bad)
				break
			}
		}
		tr.Close()
	}
}

// cParse parses src with a fresh parser and returns the C tree.
func cParse(t testing.TB, old *sitter.Tree, src []byte) *sitter.Tree {
	t.Helper()
	p := sitter.NewParser()
	defer p.Close()
	p.SetLanguage(python.GetLanguage())
	tr, err := p.ParseCtx(context.Background(), old, src)
	if err != nil || tr == nil {
		t.Fatalf("parse: %v", err)
	}
	return tr
}
