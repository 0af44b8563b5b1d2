package document

import (
	"errors"
	"math/rand"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/textpos"
)

const uri = "file:///proyecto/app/servicio.py"

const text0 = "from datetime import datetime\n\nnombre = \"Año 🚀\"; ts = datetime.utcnow()\n"

func rng(l1, c1, l2, c2 uint32) *textpos.Range {
	return &textpos.Range{Start: textpos.Position{Line: l1, Character: c1}, End: textpos.Position{Line: l2, Character: c2}}
}

func TestIncrementalChangeWithUTF16Columns(t *testing.T) {
	s := NewStore()
	s.Open(uri, 1, []byte(text0))
	// "nombre = \"Año 🚀\"; ts = " is 24 UTF-16 units (🚀 counts 2); insert before `datetime`.
	snap, err := s.Change(uri, 2, []Change{{Range: rng(2, 24, 2, 24), Text: "fecha_"}}, textpos.UTF16)
	if err != nil {
		t.Fatal(err)
	}
	want := "from datetime import datetime\n\nnombre = \"Año 🚀\"; ts = fecha_datetime.utcnow()\n"
	if string(snap.Text) != want {
		t.Fatalf("text = %q", snap.Text)
	}
	if !snap.Stats.Incremental || snap.Tree == nil {
		t.Fatalf("change was not parsed incrementally: %+v", snap.Stats)
	}
	if snap.Tree.HasError() {
		t.Error("tree has errors")
	}
}

func TestSeveralChangesApplyInOrder(t *testing.T) {
	s := NewStore()
	s.Open(uri, 1, []byte("a = 1\nb = 2\n"))
	// Neovim 0.7 sends several changes at once; the second refers to the text after the first.
	snap, err := s.Change(uri, 2, []Change{
		{Range: rng(0, 0, 0, 0), Text: "# ñandú 🐦\n"},
		{Range: rng(1, 4, 1, 5), Text: "10"},
		{Range: rng(2, 0, 2, 1), Text: "c"},
	}, textpos.UTF16)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(snap.Text), "# ñandú 🐦\na = 10\nc = 2\n"; got != want {
		t.Fatalf("text = %q, want %q", got, want)
	}
}

func TestFullReplacement(t *testing.T) {
	s := NewStore()
	s.Open(uri, 1, []byte(text0))
	snap, err := s.Change(uri, 2, []Change{{Text: "x = 1\n"}}, textpos.UTF16)
	if err != nil {
		t.Fatal(err)
	}
	if string(snap.Text) != "x = 1\n" || snap.Stats.Incremental {
		t.Fatalf("full change: text %q, stats %+v", snap.Text, snap.Stats)
	}
}

func TestBadChangesKeepState(t *testing.T) {
	s := NewStore()
	first := s.Open(uri, 3, []byte(text0))
	if _, err := s.Change(uri, 3, []Change{{Text: "x"}}, textpos.UTF16); !errors.Is(err, ErrStaleVersion) {
		t.Errorf("same version: err = %v", err)
	}
	if _, err := s.Change(uri, 2, []Change{{Text: "x"}}, textpos.UTF16); !errors.Is(err, ErrStaleVersion) {
		t.Errorf("older version: err = %v", err)
	}
	// The first change is fine, the second is out of range: nothing applies.
	_, err := s.Change(uri, 4, []Change{
		{Range: rng(0, 0, 0, 0), Text: "# hola\n"},
		{Range: rng(40, 0, 40, 1), Text: "y"},
	}, textpos.UTF16)
	if !errors.Is(err, ErrInvalidRange) {
		t.Errorf("out-of-range change: err = %v", err)
	}
	if got := s.Get(uri); got != first {
		t.Errorf("state changed after rejected notifications: version %d text %q", got.Version, got.Text)
	}
	if _, err := s.Change("file:///no/abierto.py", 1, nil, textpos.UTF16); !errors.Is(err, ErrNotOpen) {
		t.Errorf("unknown document: err = %v", err)
	}
	// The document still accepts a good change afterwards.
	if _, err := s.Change(uri, 4, []Change{{Range: rng(0, 0, 0, 0), Text: "# ok\n"}}, textpos.UTF16); err != nil {
		t.Errorf("good change after bad ones: %v", err)
	}
}

func TestPastEndColumnClampsToLineEnd(t *testing.T) {
	s := NewStore()
	s.Open(uri, 1, []byte("año = 1\nb = 2\n"))
	snap, err := s.Change(uri, 2, []Change{{Range: rng(0, 99, 0, 99), Text: "  # fin"}}, textpos.UTF16)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(snap.Text); got != "año = 1  # fin\nb = 2\n" {
		t.Fatalf("text = %q", got)
	}
}

func TestBinaryIsKeptButNotParsed(t *testing.T) {
	s := NewStore()
	snap := s.Open(uri, 1, []byte("x = 1\x00\x01\x02"))
	if snap.Tree != nil || !errors.Is(snap.ParseErr, ErrBinary) {
		t.Fatalf("binary document: tree %v err %v", snap.Tree, snap.ParseErr)
	}
	// Removing the NUL makes it a Python file again.
	snap, err := s.Change(uri, 2, []Change{{Text: "x = 1\n"}}, textpos.UTF16)
	if err != nil || snap.Tree == nil {
		t.Fatalf("after fixing: tree %v err %v", snap.Tree, err)
	}
}

func TestCloseForgets(t *testing.T) {
	s := NewStore()
	s.Open(uri, 1, []byte(text0))
	if !s.Close(uri) || s.Close(uri) {
		t.Fatal("Close should report true once")
	}
	if s.Get(uri) != nil || len(s.URIs()) != 0 {
		t.Fatal("closed document still visible")
	}
}

// utf16Edit turns a random rune-aligned byte edit into an LSP range the way
// an editor would, using a reference computation independent of textpos.
func utf16Pos(text string, off int) textpos.Position {
	line, col := 0, 0
	for i := 0; i < off; {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n':
			line, col = line+1, 0
		case r == '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				if i+1 == off { // between \r and \n: LSP has no such position
					return textpos.Position{Line: uint32(line), Character: uint32(col)}
				}
				i++
				size = 1
			}
			line, col = line+1, 0
		default:
			col += len(utf16.Encode([]rune{r}))
		}
		i += size
	}
	return textpos.Position{Line: uint32(line), Character: uint32(col)}
}

var pieces = []string{"x", "await ", "\n", "    ", "ñ", "🚀", "é", "def f():\n    return 1\n", "(", ")", "\r\n", "# ¡hola!\n", ""}

// FuzzChanges applies random LSP edits (UTF-16 ranges, multi-byte runes,
// CRLF, empty edits, full replacements) through the store and checks the
// text against plain string splicing and the tree against a fresh parse.
func FuzzChanges(f *testing.F) {
	f.Add(int64(1), 20)
	f.Add(int64(42), 60)
	f.Fuzz(func(t *testing.T, seed int64, steps int) {
		if steps < 0 || steps > 200 {
			steps = 50
		}
		r := rand.New(rand.NewSource(seed))
		want := "import os\r\n\nasync def f(db):  # Año 🎉\n    return await db.execute(q)\n"
		s := NewStore()
		s.Open(uri, 0, []byte(want))
		for v := int32(1); v <= int32(steps); v++ {
			var ch Change
			if r.Intn(40) == 0 {
				ch = Change{Text: pieces[r.Intn(len(pieces))]}
				want = ch.Text
			} else {
				a, b := runeBoundary(want, r.Intn(len(want)+1)), runeBoundary(want, r.Intn(len(want)+1))
				if a > b {
					a, b = b, a
				}
				if b-a > 16 {
					b = runeBoundary(want, a+16)
				}
				pa, pb := utf16Pos(want, a), utf16Pos(want, b)
				ch = Change{Range: &textpos.Range{Start: pa, End: pb}, Text: pieces[r.Intn(len(pieces))]}
				// What an editor means by that range, computed independently.
				ia, ib := offsetOfUTF16(want, pa), offsetOfUTF16(want, pb)
				want = want[:ia] + ch.Text + want[ib:]
			}
			snap, err := s.Change(uri, v, []Change{ch}, textpos.UTF16)
			if err != nil {
				t.Fatalf("step %d: %v", v, err)
			}
			if string(snap.Text) != want {
				t.Fatalf("step %d: text %q, want %q", v, snap.Text, want)
			}
			if snap.Tree != nil {
				fresh, err := pysyntax.Parse(snap.Text)
				if err != nil {
					t.Fatal(err)
				}
				if !pysyntax.Equal(snap.Tree, fresh) {
					t.Fatalf("step %d: incremental tree differs from a fresh parse of %q", v, snap.Text)
				}
			}
		}
	})
}

func runeBoundary(s string, i int) int {
	if i > len(s) {
		i = len(s)
	}
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// offsetOfUTF16 is the reference inverse of utf16Pos: lines end at \n, \r\n
// or \r; a column past the line end means the line end.
func offsetOfUTF16(text string, p textpos.Position) int {
	line := uint32(0)
	i := 0
	for line < p.Line && i < len(text) {
		if text[i] == '\n' {
			line++
		} else if text[i] == '\r' {
			line++
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
		}
		i++
	}
	col := uint32(0)
	for i < len(text) && text[i] != '\n' && text[i] != '\r' && col < p.Character {
		r, size := utf8.DecodeRuneInString(text[i:])
		col += uint32(len(utf16.Encode([]rune{r})))
		i += size
	}
	return i
}

func TestFuzzReferenceAgrees(t *testing.T) {
	// Sanity check of the test's own reference helpers on non-ASCII text.
	s := "a🚀b\r\nñ\rc"
	for off := 0; off <= len(s); {
		between := off < len(s) && s[off] == '\n' && off > 0 && s[off-1] == '\r'
		if got := offsetOfUTF16(s, utf16Pos(s, off)); !between && got != off {
			t.Fatalf("reference round trip at %d gave %d", off, got)
		}
		if off == len(s) {
			break
		}
		_, size := utf8.DecodeRuneInString(s[off:])
		off += size
	}
}
