package pysyntax

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"

	"github.com/asyncmig/asyncmig/internal/benchgen"
)

// oddSources are inputs where tree-sitter builds unusual trees: ERROR and
// MISSING nodes, extras, aliases, invisible wrappers, deep nesting.
var oddSources = map[string]string{
	"empty":            "",
	"only_comments":    "# uno\n# dos 🎉\n",
	"only_newlines":    "\n\n\r\n",
	"unclosed_paren":   "x = foo(1, [2, {3: (4\n",
	"unclosed_bracket": "def f(:\n    return [1,\nclass\n",
	"stray_paren":      "x = 1)\nprint(x))\n)\n",
	"missing":          "x = (1 + \n",
	"missing_heap":     "x = [%\"%0000000000000000]\n",
	"tabs_spaces":      "def f():\n\tif x:\n        return 1\n\treturn 2\n",
	"async_misuse":     "await x\nasync x = 1\ndef f():\n    async for = 3\n    await\nasync with:\n",
	"decorators":       "@app.get('/x', deps=[Depends(a)])\n@cache\nasync def h(a: int = 1, *args, b, **kw) -> dict[str, int]:\n    ...\n",
	"match":            "match cmd:\n    case [\"go\", dir] if dir:\n        pass\n    case {\"k\": v, **rest}:\n        pass\n    case Point(x=0) | None:\n        pass\n    case _:\n        pass\n",
	"fstrings":         "s = f\"{a['k']!r:>{w}} {f'{b}'} {{x}} {\"q\"}\"\nt = f'''{x\n}'''\n",
	"lambda_walrus":    "f = lambda x, *a, k=1: (y := x + 1) and [z for z in a if (w := z)]\n",
	"comprehension":    "d = {k: v for k, v in x.items() if v async for q in r}\ng = (i for i in range(3))\n",
	"crlf":             "def f():\r\n    return 1\r\n\r\nclass C:\r\n    x = 1\r\n",
	"lone_cr":          "x = 1\ry = 2\n",
	"nul":              "x = 1\x00\ny = \x00\n",
	"bom":              "\ufeffimport os\n",
	"spanish":          "# Año de migración: ¿por qué? ñandú\ncafé = 'ñ'  # comentario\n",
	"emoji":            "x = '🚀'  # 🎉🎉\ndef 🐍(): pass\n",
	"continuation":     "x = 1 + \\\n    2\nif a and \\\n   b:\n    pass\n",
	"global_stmts":     "global a, b\nnonlocal c\ndel x[0], y.z\nassert a, 'm'\nraise E from e\nprint >> f, x\nexec 'code'\n",
	"types":            "type X[T] = list[T]\ndef f[T: int, *Ts, **P](x: T) -> T: ...\n",
	"try":              "try:\n    pass\nexcept* (A, B) as e:\n    pass\nelse:\n    pass\nfinally:\n    pass\n",
	"bad_indent":       "  x = 1\n y = 2\n    z = 3\n",
	"keywords_as_ids":  "print = exec\nmatch = 1\ncase = match[0]\ntype = 2\n",
	"string_concat":    "x = ('a' 'b'\n     \"c\" r'\\d' b'x' u'y')\n",
	"deep_parens":      "x = " + strings.Repeat("(", 2000) + "1" + strings.Repeat(")", 2000) + "\n",
	"deep_unclosed":    "x = " + strings.Repeat("[", 2000) + "\n",
	"deep_calls":       "x = " + strings.Repeat("f(", 500) + strings.Repeat(")", 500) + "\n",
	"deep_blocks":      deepBlocks(100),
	"long_chain":       "x = a" + strings.Repeat(".b", 3000) + "\n",
	"garbage":          "\x01\x02}{][)(@@@ ::: === \xff\xfe\n\t\t\t$$$ ` ?\n",
}

func deepBlocks(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%sif x%d:\n", strings.Repeat(" ", i), i)
	}
	fmt.Fprintf(&b, "%spass\n", strings.Repeat(" ", n))
	return b.String()
}

// junk fills nodes with a pattern, so that a field the walker forgot to
// write shows up as a difference.
func junk(n int) []node {
	out := make([]node, n)
	for i := range out {
		out[i] = node{kind: 0x5a5a, field: 0x5a5a, flags: 0x5a, start: 0x5a5a5a5a, end: 0x5a5a5a5a, parent: 0x5a5a5a5a, next: 0x5a5a5a5a, last: 0x5a5a5a5a}
	}
	return out
}

// sameFlatten compares flatten with the cursor walker from n, including the
// cap contract, and reports the first difference.
func sameFlatten(n cTSNode, field uint16) error {
	want := flattenReferenceInto(n, field, junk(descendantCount(n)))
	got := junk(len(want))
	if c := flattenRaw(n, field, got, false); c != len(want) {
		return fmt.Errorf("flatten returned %d with cap %d, the cursor walker %d nodes", c, len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			return fmt.Errorf("node %d of %d: got %+v, want %+v", i, len(want), got[i], want[i])
		}
	}
	for _, c := range []int{0, len(want) - 1, len(want) / 2} {
		if c < 0 || c >= len(want) {
			continue
		}
		if r, g := flattenRaw(n, field, make([]node, c), true), flattenRaw(n, field, make([]node, c), false); r != -1 || g != -1 {
			return fmt.Errorf("cap %d < %d nodes: flatten returned %d, the cursor walker %d", c, len(want), g, r)
		}
	}
	return nil
}

// checkTree compares both walkers on the whole tree, on every top-level
// child (the incremental path, with its own field and with a made-up one)
// and, for small trees, starting at every node.
func checkTree(t testing.TB, name string, tr *sitter.Tree, everyNode bool) {
	t.Helper()
	root := rootOf(tr)
	if err := sameFlatten(root, 0); err != nil {
		t.Fatalf("%s: whole tree: %v", name, err)
	}
	for i, k := range rootChildren(root, nil) {
		for _, f := range []uint16{k.field, 0xbeef} {
			if err := sameFlatten(k.node, f); err != nil {
				t.Fatalf("%s: top-level child %d, field %d: %v", name, i, f, err)
			}
		}
	}
	if !everyNode {
		return
	}
	for i, n := range visibleNodes(root) {
		if bad := layoutProbe(n); bad != 0 {
			t.Fatalf("%s: node %d: the mirrored structs disagree with the public API (bits %b)", name, i, bad)
		}
		if err := sameFlatten(n, 3); err != nil {
			t.Fatalf("%s: from node %d: %v", name, i, err)
		}
	}
}

func checkSource(t testing.TB, name string, src []byte) {
	t.Helper()
	tr := cParse(t, nil, src)
	defer tr.Close()
	checkTree(t, name, tr, descendantCount(rootOf(tr)) <= 3000)
	// The whole-file route parses in an arena (arena.c): the same tree.
	whole, err := Parse(src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if want := flattenWhole(rootOf(tr), src); !slices.Equal(whole.nodes, want.nodes) {
		t.Fatalf("%s: Parse, in an arena, built %d nodes that differ from the editor parser's %d", name, whole.Len(), want.Len())
	}
}

func TestFlattenMatchesCursorOnOddInputs(t *testing.T) {
	for name, src := range oddSources {
		t.Run(name, func(t *testing.T) { checkSource(t, name, []byte(src)) })
	}
	checkSource(t, "sample", []byte(sample))
}

// Every Python file in the repository: rule fixtures, examples, testdata.
func TestFlattenMatchesCursorOnRepoFiles(t *testing.T) {
	root := filepath.Join("..", "..")
	n := 0
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || filepath.Ext(p) != ".py" {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		checkSource(t, p, src)
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("found only %d .py files under %s", n, root)
	}
}

func TestFlattenMatchesCursorOnGeneratedWorkspace(t *testing.T) {
	dir := t.TempDir()
	if _, err := benchgen.Generate(dir, 50, 1); err != nil {
		t.Fatal(err)
	}
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ".py" {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			checkSource(t, p, src)
			n++
		}
		return nil
	})
	if n == 0 {
		t.Fatal("benchgen wrote no .py files")
	}
	checkSource(t, "EndpointModule", benchgen.EndpointModule(2000))
}

// Incremental parses share and shift subtrees; compare on the edited old
// tree and on the reparsed one.
func TestFlattenMatchesCursorAfterEdits(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	src := []byte(sample + oddSources["match"] + oddSources["fstrings"] + oddSources["crlf"])
	tr := cParse(t, nil, src)
	snippets := []string{"", "x", "(", ")", "\n", "    ", "async ", "await y\n", "'", "#", "é", ":\n\t", "\r\n"}
	for i := 0; i < 200; i++ {
		start := r.Intn(len(src) + 1)
		end := start + r.Intn(min(8, len(src)-start)+1)
		repl := []byte(snippets[r.Intn(len(snippets))])
		e := NewEdit(src, start, end, repl)
		next := append(append(append([]byte{}, src[:start]...), repl...), src[end:]...)
		editTree(tr.RootNode(), e)
		checkTree(t, fmt.Sprintf("edit %d, before reparse", i), tr, false)
		nt := cParse(t, tr, next)
		tr.Close()
		tr, src = nt, next
		checkTree(t, fmt.Sprintf("edit %d", i), tr, i%20 == 0)
	}
	tr.Close()
}

// soupTokens are the pieces tokenSoup builds Python-like text from.
var soupTokens = strings.Fields(`def class async await if elif else for while with try except finally
	match case lambda return yield from import as global nonlocal del pass break continue raise
	assert print exec type not and or in is None True False self x y _ ( ) [ ] { } : , . ; = == :=
	-> + - * ** / // % @ | & ^ ~ < > <= != += |= ... 1 1.5 0x1f 1j 'a' "b" b'c' r'\d' f'{x}'
	f"{y!r:>{w}}" """doc""" é 🎉 #c`)

// tokenSoup reads each byte as a token, a space, an indent or a newline:
// raw bytes rarely get past the lexer, token soup reaches the grammar's
// error recovery, aliases and fields.
func tokenSoup(data []byte) []byte {
	var b []byte
	for _, c := range data {
		switch {
		case c < 200:
			b = append(b, soupTokens[int(c)%len(soupTokens)]...)
		case c < 220:
			b = append(b, ' ')
		case c < 235:
			b = append(b, '\n')
		case c < 245:
			b = append(b, "    "...)
		case c < 250:
			b = append(b, '\t')
		case c < 253:
			b = append(b, "\r\n"...)
		default:
			b = append(b, "\\\n"...)
		}
	}
	return b
}

func TestFlattenMatchesCursorOnTokenSoup(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	n := 2000
	if testing.Short() {
		n = 200
	}
	for i := 0; i < n; i++ {
		data := make([]byte, 1+r.Intn(120))
		r.Read(data)
		checkSource(t, fmt.Sprintf("soup %d %x", i, data), tokenSoup(data))
	}
}

// FuzzFlattenMatchesCursor: for arbitrary bytes, the direct walker writes
// exactly what the cursor walker writes, and a whole-file parse in an
// arena builds the same tree as the editor's parser.
func FuzzFlattenMatchesCursor(f *testing.F) {
	for _, s := range oddSources {
		if len(s) < 1000 {
			f.Add([]byte(s))
		}
	}
	f.Add([]byte(sample))
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			return
		}
		checkSource(t, "input", src)
		// Inside a function body and a list the same bytes parse from other states.
		checkSource(t, "wrapped", bytes.Join([][]byte{[]byte("def f():\n    x = ["), src, []byte("]\n")}, nil))
		checkSource(t, "token soup", tokenSoup(src))
	})
}
