package textpos

import (
	"errors"
	"testing"
	"unicode/utf8"
)

// The seed corpora live in testdata/fuzz/<FuzzName>/; `go test` runs them as
// regular tests, `go test -fuzz FuzzName` explores from them.

// refStop is a place where a position can land: a line start or the end of
// a character. units is indexed by Encoding.
type refStop struct {
	offset int
	units  [3]uint32
}

// refIndex is the slow, obvious model: walk the text rune by rune once and
// write down the position of every byte offset and every stop of every line.
type refIndex struct {
	posAt [][3]Position // posAt[offset][enc]
	lines [][]refStop   // lines[line] = stops in offset order, line start first
	stop  []bool        // stop[offset]: some line has a stop there
	ascii bool
}

func newRefIndex(text []byte) *refIndex {
	ref := &refIndex{posAt: make([][3]Position, len(text)+1), lines: [][]refStop{{{}}}, ascii: true}
	var units [3]uint32
	here := func() (p [3]Position) {
		line := uint32(len(ref.lines) - 1)
		for enc := range p {
			p[enc] = Position{Line: line, Character: units[enc]}
		}
		return p
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		if text[i] >= utf8.RuneSelf {
			ref.ascii = false
		}
		if r == '\r' || r == '\n' {
			n := 1
			if r == '\r' && i+1 < len(text) && text[i+1] == '\n' {
				n = 2
			}
			for k := range n {
				ref.posAt[i+k] = here() // every terminator byte is the line end
			}
			i += n
			units = [3]uint32{}
			ref.lines = append(ref.lines, []refStop{{offset: i}})
			continue
		}
		for k := range size {
			ref.posAt[i+k] = here() // bytes inside a character round down
		}
		// An invalid byte decodes as U+FFFD with size 1: one unit everywhere.
		units[UTF8] += uint32(size)
		units[UTF32]++
		units[UTF16]++
		if r > 0xFFFF {
			units[UTF16]++
		}
		i += size
		last := len(ref.lines) - 1
		ref.lines[last] = append(ref.lines[last], refStop{offset: i, units: units})
	}
	ref.posAt[len(text)] = here()
	ref.stop = make([]bool, len(text)+1)
	for _, stops := range ref.lines {
		for _, s := range stops {
			ref.stop[s.offset] = true
		}
	}
	return ref
}

// positionOffset returns the offset of the last stop on the line whose unit
// count does not pass char: past the end gives the line end, a unit inside a
// character gives its start.
func (ref *refIndex) positionOffset(p Position, enc Encoding) (int, bool) {
	if int(p.Line) >= len(ref.lines) {
		return 0, false
	}
	stops := ref.lines[p.Line]
	off := stops[0].offset
	for _, s := range stops {
		if s.units[enc] > p.Character {
			break
		}
		off = s.offset
	}
	return off, true
}

// isBoundary reports whether offset is a line start or the end of a
// character: where a position can point, and where an edit may cut.
func (ref *refIndex) isBoundary(offset int) bool {
	return offset >= 0 && offset < len(ref.stop) && ref.stop[offset]
}

// FuzzRoundTrip checks the properties callers rely on without trusting the
// reference for the numbers: positions of boundary offsets convert back to
// the same offset, and no position, however wild, yields an offset outside
// the text or one that would split a character or a "\r\n".
func FuzzRoundTrip(f *testing.F) {
	f.Fuzz(func(t *testing.T, text []byte, line, char uint32) {
		li := NewLineIndex(text)
		ref := newRefIndex(text)
		for _, enc := range encodings {
			for off := 0; off <= len(text); off++ {
				if !ref.isBoundary(off) {
					continue
				}
				p := li.OffsetPosition(off, enc)
				got, err := li.PositionOffset(p, enc)
				if err != nil || got != off {
					t.Fatalf("%v: offset %d -> %+v -> %d, %v", enc, off, p, got, err)
				}
			}

			check := func(p Position) {
				got, err := li.PositionOffset(p, enc)
				if int(p.Line) >= li.LineCount() {
					if !errors.Is(err, ErrLineOutOfRange) {
						t.Fatalf("%v: PositionOffset(%+v) with %d lines: err = %v", enc, p, li.LineCount(), err)
					}
					return
				}
				if err != nil {
					t.Fatalf("%v: PositionOffset(%+v): %v", enc, p, err)
				}
				if got < li.LineStart(int(p.Line)) || got > li.LineEnd(int(p.Line)) || got > len(text) {
					t.Fatalf("%v: PositionOffset(%+v) = %d, outside line [%d, %d]", enc, p, got,
						li.LineStart(int(p.Line)), li.LineEnd(int(p.Line)))
				}
				if !ref.isBoundary(got) {
					t.Fatalf("%v: PositionOffset(%+v) = %d splits a character or a line terminator", enc, p, got)
				}
				if back := li.OffsetPosition(got, enc); back.Line != p.Line || back.Character > p.Character {
					t.Fatalf("%v: PositionOffset(%+v) = %d, which maps back to %+v", enc, p, got, back)
				}
			}
			check(Position{Line: line, Character: char})
			check(Position{Line: line % uint32(li.LineCount()+1), Character: char})
			for l := range li.LineCount() {
				width := uint32(li.LineEnd(l) - li.LineStart(l))
				for c := uint32(0); c <= width+2; c++ {
					check(Position{Line: uint32(l), Character: c})
				}
			}
		}
	})
}

// FuzzMatchesReference compares every conversion of the fast index with the
// rune-by-rune reference, on every offset and every position of the text.
func FuzzMatchesReference(f *testing.F) {
	f.Fuzz(func(t *testing.T, text []byte) {
		li := NewLineIndex(text)
		ref := newRefIndex(text)
		if li.LineCount() != len(ref.lines) {
			t.Fatalf("LineCount() = %d, reference %d", li.LineCount(), len(ref.lines))
		}
		if li.IsASCII() != ref.ascii {
			t.Fatalf("IsASCII() = %v, reference %v", li.IsASCII(), ref.ascii)
		}
		for l, stops := range ref.lines {
			if got := li.LineStart(l); got != stops[0].offset {
				t.Fatalf("LineStart(%d) = %d, reference %d", l, got, stops[0].offset)
			}
			if got := li.LineEnd(l); got != stops[len(stops)-1].offset {
				t.Fatalf("LineEnd(%d) = %d, reference %d", l, got, stops[len(stops)-1].offset)
			}
		}
		for _, enc := range encodings {
			for off := -1; off <= len(text)+1; off++ {
				want := ref.posAt[min(max(off, 0), len(text))][enc]
				if got := li.OffsetPosition(off, enc); got != want {
					t.Fatalf("%v: OffsetPosition(%d) = %+v, reference %+v", enc, off, got, want)
				}
				if got := li.LineOf(off); got != int(want.Line) {
					t.Fatalf("LineOf(%d) = %d, reference %d", off, got, want.Line)
				}
			}
			for l := range len(ref.lines) + 1 {
				var width uint32
				if l < len(ref.lines) {
					stops := ref.lines[l]
					width = stops[len(stops)-1].units[enc]
					if got := li.LineLength(l, enc); got != width {
						t.Fatalf("%v: LineLength(%d) = %d, reference %d", enc, l, got, width)
					}
				}
				for c := uint32(0); c <= width+2; c++ {
					p := Position{Line: uint32(l), Character: c}
					want, ok := ref.positionOffset(p, enc)
					got, err := li.PositionOffset(p, enc)
					if ok != (err == nil) || got != want {
						t.Fatalf("%v: PositionOffset(%+v) = %d, %v; reference %d, %v", enc, p, got, err, want, ok)
					}
					if !ok {
						want = len(text)
					}
					if got := li.ClampedOffset(p, enc); got != want {
						t.Fatalf("%v: ClampedOffset(%+v) = %d, reference %d", enc, p, got, want)
					}
				}
			}
		}
	})
}
