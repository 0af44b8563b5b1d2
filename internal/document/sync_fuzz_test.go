package document

import (
	"bytes"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
	"github.com/asyncmig/asyncmig/internal/textpos"
)

// FuzzChanges (document_test.go) drives well-formed, rune-aligned edits.
// FuzzEditScript lets the fuzzer write the positions itself, as a buggy or
// merely different client would: characters inside a surrogate pair or a
// UTF-8 sequence, past the end of the line, on lines that do not exist,
// reversed ranges, several changes per notification, full replacements,
// stale versions, all three encodings, texts with CRLF, lone CR, invalid
// UTF-8 and NUL. A reference model written from the LSP specification
// decides what each notification means; the store must agree on the text,
// keep its state on every rejected notification, and hand out a tree equal
// to a fresh parse.

var scriptTexts = []string{
	"import os\r\n\nasync def f(db):  # Año 🎉\n    return await db.execute(q)\n",
	"# ¡Conexión! 🐍🚀\rx = 'ñandú'\r\ry = 2",
	"def g():\r\n    return '👩‍💻 código'\r\n",
	"",
	"x = b'\xff\xfe'  # bytes inválidos \xe2\x82\n\xf0\x9f\x8e\n",
}

var scriptPieces = []string{
	"", "x", "ñ", "🎉", "\r\n", "\r", "\n", "await ", "def f():\n    pass\n", "(",
	"\"\"\"", "# ¡hola! 🐍\r\n", "\t", "\xff", "\xf0\x9f", "\x00", "é\u0301", "🇪🇸",
}

// refOffset is the specification's meaning of a position: lines end at
// "\n", "\r\n" or "\r"; a character is counted in enc's units, each invalid
// byte being one unit; a position inside a character means its start; past
// the line end means the line end. ok is false for a line that does not
// exist.
func refOffset(text []byte, p textpos.Position, enc textpos.Encoding) (int, bool) {
	start := 0
	for line := uint32(0); line < p.Line; line++ {
		i := start
		for i < len(text) && text[i] != '\n' && text[i] != '\r' {
			i++
		}
		switch {
		case i == len(text):
			return 0, false
		case text[i] == '\r' && i+1 < len(text) && text[i+1] == '\n':
			start = i + 2
		default:
			start = i + 1
		}
	}
	units, i := uint32(0), start
	for i < len(text) && text[i] != '\n' && text[i] != '\r' {
		r, size := utf8.DecodeRune(text[i:])
		w := uint32(1)
		switch {
		case enc == textpos.UTF8:
			w = uint32(size)
		case enc == textpos.UTF16 && r >= 0x10000:
			w = 2
		}
		if units+w > p.Character {
			break
		}
		units += w
		i += size
	}
	return i, true
}

type scriptReader struct{ data []byte }

func (r *scriptReader) byte() (byte, bool) {
	if len(r.data) == 0 {
		return 0, false
	}
	b := r.data[0]
	r.data = r.data[1:]
	return b, true
}

// position reads a line and a character. Lines mostly stay near the text
// (one past the end is common); characters are often small, sometimes far
// past any line.
func (r *scriptReader) position(lines int) (textpos.Position, bool) {
	l, ok1 := r.byte()
	c, ok2 := r.byte()
	line := uint32(l) % uint32(lines+2)
	char := uint32(c)
	if c >= 0xF0 {
		char = 1<<31 + uint32(c) // far past the end
	}
	return textpos.Position{Line: line, Character: char}, ok1 && ok2
}

func lineCount(text []byte) int {
	return textpos.NewLineIndex(text).LineCount()
}

func FuzzEditScript(f *testing.F) {
	f.Add([]byte{0, 0, 1, 2, 10, 2, 12, 3})              // insert "🎉" inside the emoji of line 2
	f.Add([]byte{0, 0, 1, 0, 200, 1, 0, 4})              // past-end column on a CRLF line
	f.Add([]byte{1, 1, 3, 0, 0, 2, 3, 1, 5, 2, 3, 0, 9}) // lone CRs, UTF-8 columns
	f.Add([]byte{2, 2, 4, 1, 16, 1, 17, 14, 5, 2})       // UTF-32, stale version
	f.Add([]byte{4, 0, 1, 0, 9, 0, 12, 16, 0, 11})       // invalid UTF-8, then a NUL
	f.Fuzz(func(t *testing.T, script []byte) {
		r := &scriptReader{data: script}
		b0, _ := r.byte()
		b1, _ := r.byte()
		want := []byte(scriptTexts[int(b0)%len(scriptTexts)])
		enc := []textpos.Encoding{textpos.UTF16, textpos.UTF8, textpos.UTF32}[int(b1)%3]

		s := NewStore()
		s.Open(uri, 0, want)
		version := int32(0)
		for step := 0; step < 64; step++ {
			op, ok := r.byte()
			if !ok {
				break
			}
			before := s.Get(uri)
			next := version + 1
			var changes []Change
			valid := true
			ref := bytes.Clone(want)
			switch op % 8 {
			case 0: // full replacement
				p, _ := r.byte()
				changes = []Change{{Text: scriptPieces[int(p)%len(scriptPieces)]}}
				ref = []byte(changes[0].Text)
			case 1: // stale or repeated version
				next = version - int32(op>>3)%2
				valid = false
				changes = []Change{{Text: "perdido"}}
			default: // one to three ranged changes, each on the text the previous made
				n := 1 + int(op>>3)%3
				for range n {
					a, ok1 := r.position(lineCount(ref))
					b, ok2 := r.position(lineCount(ref))
					p, ok3 := r.byte()
					if !ok1 || !ok2 || !ok3 {
						break
					}
					reversed := b.Line < a.Line || b.Line == a.Line && b.Character < a.Character
					if reversed && op&0x80 == 0 {
						a, b = b, a // mostly ordered; sometimes reversed on purpose
					}
					ch := Change{Range: &textpos.Range{Start: a, End: b}, Text: scriptPieces[int(p)%len(scriptPieces)]}
					changes = append(changes, ch)
					if !valid {
						continue
					}
					start, ok1 := refOffset(ref, a, enc)
					end, ok2 := refOffset(ref, b, enc)
					if !ok1 || !ok2 || end < start {
						valid = false
						continue
					}
					ref = append(append(bytes.Clone(ref[:start]), ch.Text...), ref[end:]...)
				}
				if len(changes) == 0 {
					continue
				}
			}

			snap, err := s.Change(uri, next, changes, enc)
			if !valid {
				if err == nil {
					t.Fatalf("step %d: %s change %+v on %q was accepted, giving %q", step, enc, changes, want, snap.Text)
				}
				if !errors.Is(err, ErrStaleVersion) && !errors.Is(err, ErrInvalidRange) {
					t.Fatalf("step %d: unexpected error %v", step, err)
				}
				if s.Get(uri) != before {
					t.Fatalf("step %d: a rejected notification changed the document", step)
				}
				continue
			}
			if err != nil {
				t.Fatalf("step %d: %s change %+v on %q: %v", step, enc, changes, want, err)
			}
			version, want = next, ref
			if !bytes.Equal(snap.Text, want) {
				t.Fatalf("step %d: %s change %+v: text %q, want %q", step, enc, changes, snap.Text, want)
			}
			if s.Get(uri) != snap || snap.Version != version {
				t.Fatalf("step %d: the store does not hold the new snapshot", step)
			}
			fresh := textpos.NewLineIndex(snap.Text)
			if snap.Lines.LineCount() != fresh.LineCount() || snap.Lines.Len() != len(snap.Text) {
				t.Fatalf("step %d: the line index is stale: %d lines, %d bytes", step, snap.Lines.LineCount(), snap.Lines.Len())
			}
			for l := range fresh.LineCount() {
				if snap.Lines.LineStart(l) != fresh.LineStart(l) {
					t.Fatalf("step %d: line %d starts at %d, fresh index says %d", step, l, snap.Lines.LineStart(l), fresh.LineStart(l))
				}
			}
			if isBinary(snap.Text) {
				if snap.Tree != nil || !errors.Is(snap.ParseErr, ErrBinary) {
					t.Fatalf("step %d: text with a NUL was parsed", step)
				}
				continue
			}
			if snap.Tree == nil {
				t.Fatalf("step %d: no tree: %v", step, snap.ParseErr)
			}
			freshTree, err := pysyntax.Parse(snap.Text)
			if err != nil {
				t.Fatal(err)
			}
			if !pysyntax.Equal(snap.Tree, freshTree) {
				t.Fatalf("step %d: the incremental tree of %q differs from a fresh parse:\n%s\n%s",
					step, snap.Text, snap.Tree.Root().SExpr(), freshTree.Root().SExpr())
			}
		}
	})
}

func TestScriptReferenceOffsets(t *testing.T) {
	// The reference model on the cases the specification spells out.
	text := []byte("a🎉b\r\nñ\rc\xffd")
	for _, c := range []struct {
		p    textpos.Position
		enc  textpos.Encoding
		want int
		ok   bool
	}{
		{textpos.Position{Line: 0, Character: 1}, textpos.UTF16, 1, true},
		{textpos.Position{Line: 0, Character: 2}, textpos.UTF16, 1, true}, // inside the pair: its start
		{textpos.Position{Line: 0, Character: 3}, textpos.UTF16, 5, true},
		{textpos.Position{Line: 0, Character: 2}, textpos.UTF32, 5, true},
		{textpos.Position{Line: 0, Character: 3}, textpos.UTF8, 1, true}, // inside the sequence
		{textpos.Position{Line: 0, Character: 99}, textpos.UTF16, 6, true},
		{textpos.Position{Line: 1, Character: 9}, textpos.UTF16, 10, true}, // before the lone \r
		{textpos.Position{Line: 2, Character: 2}, textpos.UTF16, 13, true}, // \xff counts one
		{textpos.Position{Line: 3, Character: 0}, textpos.UTF16, 0, false},
	} {
		got, ok := refOffset(text, c.p, c.enc)
		if got != c.want || ok != c.ok {
			t.Errorf("%v %+v: %d %v, want %d %v", c.enc, c.p, got, ok, c.want, c.ok)
		}
		if lines := textpos.NewLineIndex(text); c.ok {
			if off, err := lines.PositionOffset(c.p, c.enc); err != nil || off != c.want {
				t.Errorf("textpos disagrees on %v %+v: %d %v", c.enc, c.p, off, err)
			}
		}
	}
}
