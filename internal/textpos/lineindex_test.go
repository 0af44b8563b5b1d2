package textpos

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

var encodings = []Encoding{UTF8, UTF16, UTF32}

// sampleDoc mixes Spanish, emoji, CJK and all three line terminators.
// The expected columns below were computed with Python's codecs
// (len(s.encode("utf-16-le"))//2 and friends), not by this package.
const sampleDoc = "# Configuración: 🎉 lista\r\n" + // line 0, CRLF
	"nombre = \"Año 🚀\"; ts = datetime.utcnow()\n" + // line 1, LF
	"名前 = \"東京\"  # 🚀 despegue\r" + // line 2, lone CR
	"x = 1\n" // line 3, ASCII; line 4 is the empty line after it

// cols holds one Character per encoding.
type cols struct{ u8, u16, u32 uint32 }

func (c cols) in(enc Encoding) uint32 {
	switch enc {
	case UTF8:
		return c.u8
	case UTF32:
		return c.u32
	}
	return c.u16
}

// offsetOf returns the byte offset of the first marker in text, plus delta.
func offsetOf(t *testing.T, text, marker string, delta int) int {
	t.Helper()
	i := strings.Index(text, marker)
	if i < 0 {
		t.Fatalf("marker %q not in text", marker)
	}
	return i + delta
}

func TestParseEncodingAndString(t *testing.T) {
	for _, enc := range encodings {
		got, ok := ParseEncoding(enc.String())
		if !ok || got != enc {
			t.Errorf("ParseEncoding(%q) = %v, %v; want %v, true", enc.String(), got, ok, enc)
		}
	}
	want := map[Encoding]string{UTF8: "utf-8", UTF16: "utf-16", UTF32: "utf-32"}
	for enc, name := range want {
		if enc.String() != name {
			t.Errorf("%d.String() = %q, want %q", enc, enc.String(), name)
		}
	}
	// Clients send the LSP kinds verbatim; anything else is not negotiable.
	for _, bad := range []string{"", "utf16", "UTF-8", "utf-7", "latin1"} {
		if enc, ok := ParseEncoding(bad); ok {
			t.Errorf("ParseEncoding(%q) = %v, true; want false", bad, enc)
		}
	}
	var zero Encoding
	if zero != UTF16 {
		t.Errorf("zero Encoding is %v, want utf-16 (the LSP default)", zero)
	}
	if s := Encoding(9).String(); s != "Encoding(9)" {
		t.Errorf("Encoding(9).String() = %q", s)
	}
}

func TestLines(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		starts []int // LineStart of every line
		ends   []int // LineEnd of every line
	}{
		{"empty", "", []int{0}, []int{0}},
		{"no terminator", "añ", []int{0}, []int{3}},
		{"LF at end", "ñ\n", []int{0, 3}, []int{2, 3}},
		{"CRLF at end", "ñ\r\n", []int{0, 4}, []int{2, 4}},
		{"lone CR at end", "ñ\r", []int{0, 3}, []int{2, 3}},
		{"lone CR inside", "🚀\rb", []int{0, 5}, []int{4, 6}},
		{"CR CRLF LF", "\r\r\n\n", []int{0, 1, 3, 4}, []int{0, 1, 3, 4}},
		{"LF CR is two terminators", "é\n\ré", []int{0, 3, 4}, []int{2, 3, 6}},
		{"sample", sampleDoc, []int{0, 30, 75, 110, 116}, []int{28, 74, 109, 115, 116}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			li := NewLineIndex([]byte(tt.text))
			if li.Len() != len(tt.text) {
				t.Errorf("Len() = %d, want %d", li.Len(), len(tt.text))
			}
			if li.LineCount() != len(tt.starts) {
				t.Fatalf("LineCount() = %d, want %d", li.LineCount(), len(tt.starts))
			}
			for line := range tt.starts {
				if got := li.LineStart(line); got != tt.starts[line] {
					t.Errorf("LineStart(%d) = %d, want %d", line, got, tt.starts[line])
				}
				if got := li.LineEnd(line); got != tt.ends[line] {
					t.Errorf("LineEnd(%d) = %d, want %d", line, got, tt.ends[line])
				}
			}
			// Out-of-range lines clamp to the document's ends.
			if got := li.LineStart(-1); got != 0 {
				t.Errorf("LineStart(-1) = %d, want 0", got)
			}
			if got := li.LineStart(li.LineCount()); got != len(tt.text) {
				t.Errorf("LineStart(LineCount) = %d, want %d", got, len(tt.text))
			}
			if got := li.LineEnd(-1); got != tt.ends[0] {
				t.Errorf("LineEnd(-1) = %d, want %d", got, tt.ends[0])
			}
			if got := li.LineEnd(li.LineCount() + 3); got != len(tt.text) {
				t.Errorf("LineEnd(past last) = %d, want %d", got, len(tt.text))
			}
		})
	}
}

func TestLineOf(t *testing.T) {
	li := NewLineIndex([]byte(sampleDoc))
	crlf := strings.Index(sampleDoc, "\r\n")
	cr := strings.Index(sampleDoc, "despegue\r") + len("despegue")
	tests := []struct {
		offset, line int
	}{
		{-10, 0},
		{0, 0},
		{crlf, 0},     // the "\r" of "\r\n"
		{crlf + 1, 0}, // between "\r" and "\n": still line 0
		{crlf + 2, 1},
		{offsetOf(t, sampleDoc, "🚀", 2), 1}, // inside the emoji
		{cr, 2},
		{cr + 1, 3},
		{len(sampleDoc) - 1, 3}, // the final "\n"
		{len(sampleDoc), 4},
		{len(sampleDoc) + 10, 4},
	}
	for _, tt := range tests {
		if got := li.LineOf(tt.offset); got != tt.line {
			t.Errorf("LineOf(%d) = %d, want %d", tt.offset, got, tt.line)
		}
	}
}

// TestConversions checks both directions at character boundaries of the
// sample document, in every encoding.
func TestConversions(t *testing.T) {
	li := NewLineIndex([]byte(sampleDoc))
	line1 := strings.Index(sampleDoc, "nombre")
	tests := []struct {
		name   string
		offset int
		line   uint32
		want   cols
	}{
		{"document start", 0, 0, cols{0, 0, 0}},
		{"before 🎉", offsetOf(t, sampleDoc, "🎉", 0), 0, cols{18, 17, 17}},
		{"after 🎉", offsetOf(t, sampleDoc, "🎉", 4), 0, cols{22, 19, 18}},
		{"CRLF line end", offsetOf(t, sampleDoc, "\r\n", 0), 0, cols{28, 25, 24}},
		{"line after CRLF", line1, 1, cols{0, 0, 0}},
		{"ñ", line1 + strings.Index(sampleDoc[line1:], "ñ"), 1, cols{11, 11, 11}},
		{"before 🚀", offsetOf(t, sampleDoc, "🚀", 0), 1, cols{15, 14, 14}},
		// The example from the task brief; its numbers (26/29/25) were off by two.
		{"d of datetime", offsetOf(t, sampleDoc, "datetime", 0), 1, cols{27, 24, 23}},
		{"LF line end", offsetOf(t, sampleDoc, "()\n", 2), 1, cols{44, 41, 40}},
		{"CJK 東京", offsetOf(t, sampleDoc, "東京", 0), 2, cols{10, 6, 6}},
		{"after CJK, 🚀", offsetOf(t, sampleDoc, "despegue", 0), 2, cols{26, 16, 15}},
		{"lone CR line end", offsetOf(t, sampleDoc, "\rx", 0), 2, cols{34, 24, 23}},
		{"ASCII line", offsetOf(t, sampleDoc, "= 1", 0), 3, cols{2, 2, 2}},
		{"document end", len(sampleDoc), 4, cols{0, 0, 0}},
	}
	for _, tt := range tests {
		for _, enc := range encodings {
			want := Position{Line: tt.line, Character: tt.want.in(enc)}
			if got := li.OffsetPosition(tt.offset, enc); got != want {
				t.Errorf("%s: OffsetPosition(%d, %v) = %+v, want %+v", tt.name, tt.offset, enc, got, want)
			}
			got, err := li.PositionOffset(want, enc)
			if err != nil || got != tt.offset {
				t.Errorf("%s: PositionOffset(%+v, %v) = %d, %v; want %d", tt.name, want, enc, got, err, tt.offset)
			}
			if got := li.ClampedOffset(want, enc); got != tt.offset {
				t.Errorf("%s: ClampedOffset(%+v, %v) = %d, want %d", tt.name, want, enc, got, tt.offset)
			}
		}
	}
}

func TestLineLength(t *testing.T) {
	li := NewLineIndex([]byte(sampleDoc))
	want := []cols{{28, 25, 24}, {44, 41, 40}, {34, 24, 23}, {5, 5, 5}, {0, 0, 0}}
	for line, w := range want {
		for _, enc := range encodings {
			if got := li.LineLength(line, enc); got != w.in(enc) {
				t.Errorf("LineLength(%d, %v) = %d, want %d", line, enc, got, w.in(enc))
			}
		}
	}
	if got := li.LineLength(len(want), UTF16); got != 0 {
		t.Errorf("LineLength(past last) = %d, want 0", got)
	}
}

func TestPositionClamping(t *testing.T) {
	li := NewLineIndex([]byte(sampleDoc))
	rocket := offsetOf(t, sampleDoc, "🚀", 0) // line 1
	datetimeEnd := offsetOf(t, sampleDoc, "()\n", 2)
	crlf := offsetOf(t, sampleDoc, "\r\n", 0)
	tests := []struct {
		name string
		pos  Position
		enc  Encoding
		want int
	}{
		// The spec: a character past the line length defaults back to the
		// line length, before the terminator.
		{"past end of LF line", Position{1, 41 + 1}, UTF16, datetimeEnd},
		{"far past end of line", Position{1, 1 << 31}, UTF8, datetimeEnd},
		{"max character", Position{1, ^uint32(0)}, UTF32, datetimeEnd},
		{"past end of CRLF line stops before \\r", Position{0, 26}, UTF16, crlf},
		{"past end of ASCII line", Position{3, 9}, UTF8, offsetOf(t, sampleDoc, "x = 1\n", 5)},
		{"past end of last empty line", Position{4, 3}, UTF16, len(sampleDoc)},
		// Column 15 in UTF-16 is the low surrogate of 🚀: round down.
		{"inside surrogate pair", Position{1, 15}, UTF16, rocket},
		// In UTF-32 🚀 is one unit, so 15 is just past it.
		{"same column in utf-32", Position{1, 15}, UTF32, rocket + 4},
		// Bytes 16..18 of line 1 are inside 🚀's UTF-8 sequence.
		{"inside utf-8 sequence", Position{1, 17}, UTF8, rocket},
		{"inside ñ", Position{1, 12}, UTF8, offsetOf(t, sampleDoc, "ñ", 0)},
	}
	for _, tt := range tests {
		got, err := li.PositionOffset(tt.pos, tt.enc)
		if err != nil || got != tt.want {
			t.Errorf("%s: PositionOffset(%+v, %v) = %d, %v; want %d", tt.name, tt.pos, tt.enc, got, err, tt.want)
		}
		if got := li.ClampedOffset(tt.pos, tt.enc); got != tt.want {
			t.Errorf("%s: ClampedOffset(%+v, %v) = %d, want %d", tt.name, tt.pos, tt.enc, got, tt.want)
		}
	}
}

func TestOffsetClamping(t *testing.T) {
	li := NewLineIndex([]byte(sampleDoc))
	rocket := offsetOf(t, sampleDoc, "🚀", 0)
	crlf := offsetOf(t, sampleDoc, "\r\n", 0)
	tests := []struct {
		name   string
		offset int
		want   Position // the same in every encoding where cols is nil
		cols   *cols
	}{
		{"negative", -5, Position{0, 0}, nil},
		{"past the end", len(sampleDoc) + 7, Position{4, 0}, nil},
		{"between \\r and \\n", crlf + 1, Position{0, 0}, &cols{28, 25, 24}},
		{"inside 🚀 (2nd byte)", rocket + 1, Position{1, 0}, &cols{15, 14, 14}},
		{"inside 🚀 (4th byte)", rocket + 3, Position{1, 0}, &cols{15, 14, 14}},
		{"inside 東", offsetOf(t, sampleDoc, "東", 2), Position{2, 0}, &cols{10, 6, 6}},
	}
	for _, tt := range tests {
		for _, enc := range encodings {
			want := tt.want
			if tt.cols != nil {
				want.Character = tt.cols.in(enc)
			}
			if got := li.OffsetPosition(tt.offset, enc); got != want {
				t.Errorf("%s: OffsetPosition(%d, %v) = %+v, want %+v", tt.name, tt.offset, enc, got, want)
			}
		}
	}
}

func TestLinePastEnd(t *testing.T) {
	li := NewLineIndex([]byte(sampleDoc)) // 5 lines: 0..4
	for _, line := range []uint32{5, 6, ^uint32(0)} {
		p := Position{Line: line, Character: 0}
		_, err := li.PositionOffset(p, UTF16)
		if !errors.Is(err, ErrLineOutOfRange) {
			t.Fatalf("PositionOffset(%+v) error = %v, want ErrLineOutOfRange", p, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, fmt.Sprint(line)) || !strings.Contains(msg, "5 lines") {
			t.Errorf("error %q should name line %d and the line count 5", msg, line)
		}
		// Reads clamp instead: the end of the document.
		if got := li.ClampedOffset(p, UTF16); got != len(sampleDoc) {
			t.Errorf("ClampedOffset(%+v) = %d, want %d", p, got, len(sampleDoc))
		}
	}
	// The empty line after the final newline exists.
	if got, err := li.PositionOffset(Position{4, 0}, UTF16); err != nil || got != len(sampleDoc) {
		t.Errorf("PositionOffset(4:0) = %d, %v; want %d", got, err, len(sampleDoc))
	}
}

func TestInvalidUTF8(t *testing.T) {
	// "a", a stray continuation byte, "ñ", a truncated 🚀, "b", a lone 0xff,
	// then "é" on the next line.
	text := "a\x80ñ\xf0\x9f\x9ab\xff\r\né"
	li := NewLineIndex([]byte(text))
	if li.IsASCII() {
		t.Fatal("IsASCII() = true for invalid UTF-8")
	}
	// Each invalid byte is one unit in every encoding, as U+FFFD would be;
	// only the valid ñ differs (2 bytes in UTF-8).
	tests := []struct {
		offset int
		want   cols
	}{
		{0, cols{0, 0, 0}},
		{1, cols{1, 1, 1}},  // \x80
		{2, cols{2, 2, 2}},  // ñ
		{3, cols{2, 2, 2}},  // inside ñ: rounds down
		{4, cols{4, 3, 3}},  // \xf0
		{5, cols{5, 4, 4}},  // \x9f
		{6, cols{6, 5, 5}},  // \x9a
		{7, cols{7, 6, 6}},  // b
		{8, cols{8, 7, 7}},  // \xff
		{9, cols{9, 8, 8}},  // line end
		{10, cols{9, 8, 8}}, // between \r and \n
	}
	for _, tt := range tests {
		for _, enc := range encodings {
			want := Position{0, tt.want.in(enc)}
			if got := li.OffsetPosition(tt.offset, enc); got != want {
				t.Errorf("OffsetPosition(%d, %v) = %+v, want %+v", tt.offset, enc, got, want)
			}
			if tt.offset == 3 || tt.offset == 10 {
				continue // not boundaries: they do not round-trip
			}
			if got, err := li.PositionOffset(want, enc); err != nil || got != tt.offset {
				t.Errorf("PositionOffset(%+v, %v) = %d, %v; want %d", want, enc, got, err, tt.offset)
			}
		}
	}
	if got := li.OffsetPosition(len(text), UTF16); got != (Position{1, 1}) {
		t.Errorf("OffsetPosition(end) = %+v, want 1:1", got)
	}
}

func TestByteOrderMark(t *testing.T) {
	// The index does not strip a BOM: it is U+FEFF, one UTF-16 unit and three
	// bytes, like any other character. Whoever loads the file decides.
	text := "\ufeffimport os\n"
	li := NewLineIndex([]byte(text))
	want := cols{3, 1, 1}
	for _, enc := range encodings {
		p := Position{0, want.in(enc)}
		if got := li.OffsetPosition(3, enc); got != p {
			t.Errorf("OffsetPosition(3, %v) = %+v, want %+v", enc, got, p)
		}
		if got, _ := li.PositionOffset(p, enc); got != 3 {
			t.Errorf("PositionOffset(%+v, %v) = %d, want 3", p, enc, got)
		}
		// Character 0 is before the BOM, never inside it.
		if got, _ := li.PositionOffset(Position{0, 0}, enc); got != 0 {
			t.Errorf("PositionOffset(0:0, %v) = %d, want 0", enc, got)
		}
	}
}

func TestIsASCII(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"", true},
		{"import os\r\nx = 1\r", true},
		{"x = 1\n# año\n", false},
		{strings.Repeat("a", 40) + "🎉", false}, // past the 8-byte word loop
		{"\x7f", true},
		{"\x80", false},
	}
	for _, tt := range tests {
		if got := NewLineIndex([]byte(tt.text)).IsASCII(); got != tt.want {
			t.Errorf("IsASCII(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// Lines are ASCII or not one by one: an ASCII line after a non-ASCII one
// must not be counted with the ASCII shortcut by mistake, nor the reverse.
func TestMixedLines(t *testing.T) {
	var b strings.Builder
	for i := range 200 {
		if i%3 == 0 {
			b.WriteString("# ñandú 🚀 ñandú\n") // 22 bytes, 16 UTF-16 units, 15 runes
		} else {
			b.WriteString("print('ok', 123)\n") // 16 bytes
		}
	}
	text := b.String()
	li := NewLineIndex([]byte(text))
	for line := range 200 {
		end := li.LineEnd(line)
		want := cols{16, 16, 16}
		if line%3 == 0 {
			want = cols{22, 16, 15}
		}
		for _, enc := range encodings {
			if got := li.OffsetPosition(end, enc); got != (Position{uint32(line), want.in(enc)}) {
				t.Fatalf("line %d: OffsetPosition(end, %v) = %+v, want character %d", line, enc, got, want.in(enc))
			}
		}
	}
}

func TestRangeOffsets(t *testing.T) {
	li := NewLineIndex([]byte(sampleDoc))
	start := offsetOf(t, sampleDoc, "datetime", 0)
	end := offsetOf(t, sampleDoc, "()", 0)
	// "datetime.utcnow" in UTF-16: 24..39 on line 1.
	r := Range{Start: Position{1, 24}, End: Position{1, 39}}
	gotStart, gotEnd, err := li.RangeOffsets(r, UTF16)
	if err != nil || gotStart != start || gotEnd != end {
		t.Errorf("RangeOffsets(%+v) = %d, %d, %v; want %d, %d", r, gotStart, gotEnd, err, start, end)
	}
	if got := li.OffsetsRange(start, end, UTF16); got != r {
		t.Errorf("OffsetsRange(%d, %d) = %+v, want %+v", start, end, got, r)
	}
	if got := li.OffsetsRange(end, start, UTF16); got != r {
		t.Errorf("OffsetsRange(%d, %d) (swapped) = %+v, want %+v", end, start, got, r)
	}

	// A range across lines: from 🎉 to the start of line 2.
	r = Range{Start: Position{0, 17}, End: Position{2, 0}}
	if s, e, err := li.RangeOffsets(r, UTF16); err != nil || s != offsetOf(t, sampleDoc, "🎉", 0) || e != offsetOf(t, sampleDoc, "名", 0) {
		t.Errorf("RangeOffsets(%+v) = %d, %d, %v", r, s, e, err)
	}

	reversed := Range{Start: Position{1, 39}, End: Position{1, 24}}
	if _, _, err := li.RangeOffsets(reversed, UTF16); !errors.Is(err, ErrRangeReversed) {
		t.Errorf("RangeOffsets(reversed) error = %v, want ErrRangeReversed", err)
	}
	badEnd := Range{Start: Position{1, 0}, End: Position{9, 0}}
	if _, _, err := li.RangeOffsets(badEnd, UTF16); !errors.Is(err, ErrLineOutOfRange) || !strings.Contains(err.Error(), "range end") {
		t.Errorf("RangeOffsets(end past EOF) error = %v, want ErrLineOutOfRange naming the range end", err)
	}
	// Both ends past the same line end clamp to it: an empty range, not an error.
	if s, e, err := li.RangeOffsets(Range{Position{3, 50}, Position{3, 60}}, UTF16); err != nil || s != e {
		t.Errorf("RangeOffsets(past EOL) = %d, %d, %v; want an empty range", s, e, err)
	}
}

func TestUnknownEncodingCountsAsUTF16(t *testing.T) {
	li := NewLineIndex([]byte(sampleDoc))
	bogus := Encoding(42)
	off := offsetOf(t, sampleDoc, "datetime", 0)
	if got, want := li.OffsetPosition(off, bogus), li.OffsetPosition(off, UTF16); got != want {
		t.Errorf("OffsetPosition(%v) = %+v, want the UTF-16 answer %+v", bogus, got, want)
	}
	if got, _ := li.PositionOffset(Position{1, 24}, bogus); got != off {
		t.Errorf("PositionOffset(%v) = %d, want %d", bogus, got, off)
	}
}

// The conversions run for every diagnostic and every edit: they must not
// allocate.
func TestConversionsDoNotAllocate(t *testing.T) {
	li := NewLineIndex([]byte(sampleDoc))
	off := offsetOf(t, sampleDoc, "despegue", 0)
	for _, enc := range encodings {
		allocs := testing.AllocsPerRun(100, func() {
			p := li.OffsetPosition(off, enc)
			_, _ = li.PositionOffset(p, enc)
			_ = li.ClampedOffset(p, enc)
			_ = li.OffsetsRange(0, off, enc)
		})
		if allocs != 0 {
			t.Errorf("%v: %v allocations per conversion, want 0", enc, allocs)
		}
	}
}

// Readers share one index (one per document snapshot); run with -race.
func TestConcurrentReads(t *testing.T) {
	li := NewLineIndex([]byte(strings.Repeat(sampleDoc, 50)))
	want := make([]Position, li.Len()+1)
	for off := range want {
		want[off] = li.OffsetPosition(off, UTF16)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for off := range want {
				if got := li.OffsetPosition(off, UTF16); got != want[off] {
					t.Errorf("concurrent OffsetPosition(%d) = %+v, want %+v", off, got, want[off])
					return
				}
				if _, err := li.PositionOffset(want[off], UTF16); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
