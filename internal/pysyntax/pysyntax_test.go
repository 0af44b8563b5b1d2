package pysyntax

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"unsafe"

	sitter "github.com/smacker/go-tree-sitter"
	"github.com/smacker/go-tree-sitter/python"
)

const sample = `"""Servicio de usuarios — ¡migración en curso! 🚀"""
from datetime import datetime
from sqlalchemy.ext.asyncio import AsyncSession


async def get_user(db: AsyncSession, user_id: int):  # Año 🎉
    nombre = "Año 🚀"; ts = datetime.utcnow()
    result = await db.execute(select(User).where(User.id == user_id))
    async with AsyncSessionLocal() as s:
        await s.commit()
    return result.scalars().first()


class UserService:
    def __init__(self, db):
        self.db = db

    def get(self, uid):
        return self.db.query(User).get(uid)
`

func smackerSExpr(t *testing.T, src []byte) string {
	t.Helper()
	p := sitter.NewParser()
	p.SetLanguage(python.GetLanguage())
	tr, err := p.ParseCtx(context.Background(), nil, src)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	return tr.RootNode().String()
}

func TestLayoutMatchesC(t *testing.T) {
	if got, want := int(unsafe.Sizeof(node{})), sizeofFlatnode; got != want {
		t.Fatalf("Go node is %d bytes, C flatnode %d: cgo.go and tree.go disagree", got, want)
	}
}

// The flat tree must describe exactly what tree-sitter parsed: compare with
// smacker's own S-expression (named nodes, fields, MISSING) on valid,
// broken and non-ASCII sources.
func TestFlatTreeMatchesTreeSitter(t *testing.T) {
	cases := map[string]string{
		"sample":   sample,
		"empty":    "",
		"broken":   "def f(:\n    return (1,\nclass\n",
		"missing":  "x = (1 + \n",
		"crlf":     "def f():\r\n    return 1\r\n",
		"lone_cr":  "x = 1\ry = 2\n",
		"nul":      "x = 1\x00\n",
		"bom":      "\ufeffimport os\n",
		"deep":     "x = " + strings.Repeat("(", 3000) + "1" + strings.Repeat(")", 3000) + "\n",
		"emoji_id": "café = '🎉'\nprint(café)\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			tree, err := Parse([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := tree.Root().SExpr(), smackerSExpr(t, []byte(src)); got != want {
				t.Errorf("flat tree differs from tree-sitter\n got: %s\nwant: %s", got, want)
			}
			checkLinks(t, tree)
		})
	}
}

// checkLinks verifies the structural invariants rules rely on.
func checkLinks(t *testing.T, tr *Tree) {
	t.Helper()
	for i := 0; i < tr.Len(); i++ {
		n := tr.At(i)
		r := n.raw()
		if r.start > r.end || int(r.end) > len(tr.Src) {
			t.Fatalf("node %d (%s) has range [%d,%d) outside the %d-byte source", i, n.Type(), r.start, r.end, len(tr.Src))
		}
		var prev Node
		for c := n.FirstChild(); !c.IsNull(); c = c.NextSibling() {
			if c.Parent() != n {
				t.Fatalf("child %d of %d has parent %d", c.i, i, c.raw().parent)
			}
			if !prev.IsNull() && prev.End() > c.Start() {
				t.Fatalf("siblings %d and %d overlap", prev.i, c.i)
			}
			prev = c
		}
	}
}

func TestNodeAPI(t *testing.T) {
	tr, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	var fn Node
	tr.Root().Walk(func(n Node) bool {
		if n.Is(FunctionDefinition) && fn.IsNull() {
			fn = n
			return false
		}
		return true
	})
	if fn.IsNull() {
		t.Fatal("no function_definition found")
	}
	if got := fn.ChildByField(FieldName).Text(); got != "get_user" {
		t.Errorf("function name = %q", got)
	}
	if !fn.FirstChild().Is(TokAsync) {
		t.Errorf("async def should start with the async token, got %s", fn.FirstChild().Type())
	}
	// Offsets are bytes: the emoji and ñ before `datetime` count 4 and 2.
	idx := strings.Index(sample, "datetime.utcnow()")
	n := tr.DescendantAt(idx, idx+len("datetime.utcnow()"))
	if !n.Is(Call) || n.Start() != idx {
		t.Errorf("DescendantAt found %s at %d, want call at %d", n.Type(), n.Start(), idx)
	}
	if !tr.Root().Contains(n) || n.Contains(tr.Root()) {
		t.Error("Contains is wrong")
	}
}

func TestParseTooLarge(t *testing.T) {
	_, err := Parse(make([]byte, MaxSourceSize+1))
	if err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("want a too-large error, got %v", err)
	}
}

func TestNewEditPoints(t *testing.T) {
	old := []byte("ñ = 1\nx = 'año'\n")
	start := strings.Index(string(old), "'")
	e := NewEdit(old, start, start+len("'año'"), []byte("(\n  2\n)"))
	if e.StartPoint != (Point{1, 4}) || e.OldEndPoint != (Point{1, 4 + uint32(len("'año'"))}) || e.NewEndPoint != (Point{3, 1}) {
		t.Fatalf("points: %+v", e)
	}
}

// edit is a replacement in byte offsets, as the document store produces.
type edit struct {
	start, end int
	text       string
}

func applyEdit(src []byte, e edit) []byte {
	out := make([]byte, 0, len(src)-(e.end-e.start)+len(e.text))
	out = append(out, src[:e.start]...)
	out = append(out, e.text...)
	return append(out, src[e.end:]...)
}

var snippets = []string{
	"x", "await ", "db.", "execute(q)", "\n", "\n    ", "    return 1\n", "(", ")", ":", "ñ", "🚀",
	"# comentario ¡sí!\n", "def g():\n    pass\n", "async ", "'", "\"", "import os\n", "\r\n", " ",
}

func randomEdit(r *rand.Rand, src []byte) edit {
	start := r.Intn(len(src) + 1)
	for start > 0 && start < len(src) && src[start]&0xC0 == 0x80 {
		start-- // keep UTF-8 intact, as LSP edits do
	}
	end := start
	if r.Intn(2) == 0 {
		end = start + r.Intn(12)
		if end > len(src) {
			end = len(src)
		}
		for end < len(src) && src[end]&0xC0 == 0x80 {
			end++
		}
	}
	return edit{start, end, snippets[r.Intn(len(snippets))]}
}

// After many random edits, the incrementally maintained flat tree must equal
// a fresh parse of the same text, and reparsing must actually reuse.
func TestIncrementalEqualsFresh(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	src := []byte(strings.Repeat(sample, 4))
	doc, err := ParseDoc(src)
	if err != nil {
		t.Fatal(err)
	}
	reused := 0
	for step := 0; step < 1000; step++ {
		// Several changes in one didChange, each relative to the text before it.
		var edits []Edit
		next := src
		for k := 0; k < 1+r.Intn(3); k++ {
			e := randomEdit(r, next)
			edits = append(edits, NewEdit(next, e.start, e.end, []byte(e.text)))
			next = applyEdit(next, e)
		}
		nd, err := doc.Reparse(next, edits)
		if err != nil {
			t.Fatal(err)
		}
		doc.Close()
		doc, src = nd, next
		if !doc.Stats().Incremental {
			t.Fatal("reparse did not use the old tree")
		}
		reused += doc.Stats().ReusedChunks
		fresh, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if !Equal(doc.Tree(), fresh) {
			t.Fatalf("step %d: incremental tree differs from a fresh parse\ninc:   %s\nfresh: %s\nsrc:\n%s",
				step, doc.Tree().Root().SExpr(), fresh.Root().SExpr(), src)
		}
	}
	doc.Close()
	if reused == 0 {
		t.Error("no top-level statement was ever reused: incremental flattening is not working")
	}
}

// Typing at the end of a line — the character lengthens the last token
// before the newline, the commonest keystroke there is — re-parses that
// statement only: the top-level statements after it are reused, and the
// tree is the one a fresh parse gives. Handed the bare one-byte edit,
// tree-sitter re-lexed every statement after it. (A run of top-level
// `name = value` lines still re-lexes to the end of the run: tree-sitter
// reuses none of them, whatever the edit says.)
func TestKeystrokeAtLineEndReusesWhatFollows(t *testing.T) {
	repeat := func(unit string, n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, unit, i)
		}
		return b.String()
	}
	cases := []struct {
		name, src, typeAfter string
		maxWalked            int
	}{
		{"last line of a function", repeat("def f%d(db):\n    x = 1  # ñ\n    y\n\n", 400), "f200(db):\n    x = 1  # ñ\n    y", 3},
		{"assignment ending a function", repeat("async def f%d(db):\n    x = 1\n    z = y\n\n", 400), "f200(db):\n    x = 1\n    z = y", 3},
		{"line before a decorated handler", repeat("@router.get('/a')\nasync def f%d(db):\n    x = 1\n    y\n", 400), "f200(db):\n    x = 1\n    y", 3},
		{"constants before the functions", repeat("Z%d = y  # 🎉\n", 10) + "\n\n" + repeat("def f%d(db):\n    return 1\n\n\n", 300), "Z5 = y", 20},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := []byte(tc.src)
			at := strings.Index(tc.src, tc.typeAfter) + len(tc.typeAfter)
			for _, typed := range []string{"s", "x", "("} {
				doc, err := ParseDoc(src)
				if err != nil {
					t.Fatal(err)
				}
				next := append(append(append([]byte{}, src[:at]...), typed...), src[at:]...)
				nd, err := doc.Reparse(next, []Edit{NewEdit(src, at, at, []byte(typed))})
				doc.Close()
				if err != nil {
					t.Fatal(err)
				}
				fresh, _ := Parse(next)
				if !Equal(nd.Tree(), fresh) {
					t.Fatalf("typing %q: the incremental tree differs from a fresh parse", typed)
				}
				if st := nd.Stats(); typed != "(" && st.WalkedChunks > tc.maxWalked {
					t.Errorf("typing %q re-walked %d top-level statements (reused %d); want at most %d", typed, st.WalkedChunks, st.ReusedChunks, tc.maxWalked)
				}
				nd.Close()
			}
		})
	}
}
