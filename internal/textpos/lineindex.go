// Package textpos converts between the byte offsets asyncmig works on and the
// LSP positions editors speak.
//
// There are two representations of a place in a document:
//
//   - a byte offset into the UTF-8 text, used by the parser, the rules and
//     the fixer;
//   - a Position {Line, Character}, used on the wire, whose Character counts
//     code units of the negotiated Encoding: UTF-16 units by default (an
//     emoji is 2, "ñ" is 1), bytes for UTF-8, runes for UTF-32.
//
// A LineIndex maps one to the other for one immutable text. The rules follow
// the LSP specification where it speaks and ARCHITECTURE.md where it does not:
//
//   - "\n", "\r\n" and a lone "\r" all end a line, whatever tree-sitter thinks
//     a row is;
//   - a Character past the end of its line means the line end (before the
//     terminator), as the specification says, rather than an error;
//   - a Character or offset that falls inside a character (inside a UTF-8
//     sequence or a UTF-16 surrogate pair) rounds down to its start, and an
//     offset between "\r" and "\n" is the line end;
//   - each byte of invalid UTF-8 counts as one code unit in every encoding,
//     as the U+FFFD an editor would show in its place, and the same rule is
//     used in both directions so conversions round-trip;
//   - a line past the end of the document is an error for edits
//     (PositionOffset) and the end of the document for reads (ClampedOffset).
//
// Most Python files are ASCII on most lines, where a Character is simply the
// byte column. The index records which lines hold non-ASCII bytes, so only
// those lines pay for a walk from the line start; nothing on the conversion
// path allocates.
package textpos

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"
)

// ErrLineOutOfRange is wrapped by errors for a Position whose line does not
// exist in the document.
var ErrLineOutOfRange = errors.New("line out of range")

// ErrRangeReversed is wrapped by errors for a Range whose end comes before its
// start.
var ErrRangeReversed = errors.New("range end before start")

// LineIndex maps byte offsets of one text to LSP positions and back. It is
// immutable after NewLineIndex and safe for concurrent use.
type LineIndex struct {
	text []byte
	// lineStarts[i] is the byte offset of line i's first byte; lineStarts[0]
	// is 0 and there is always at least one line.
	lineStarts []int
	// nonASCII has bit i set when line i holds a byte >= 0x80; nil when the
	// whole text is ASCII.
	nonASCII []uint64
}

// NewLineIndex indexes text in O(len(text)). It keeps text without copying it:
// the caller must not modify it afterwards.
func NewLineIndex(text []byte) *LineIndex {
	// Counting "\n" first is a vectorised pass that sizes the table exactly
	// for the usual "\n" and "\r\n" files; lone-"\r" files grow it by append.
	starts := make([]int, 1, bytes.Count(text, []byte{'\n'})+1)
	var nonASCII []uint64

	nextLF := -1 // absolute offset of the next "\n" at or after start, or len(text)
	start := 0
	for {
		if nextLF < start {
			nextLF = bytes.IndexByte(text[start:], '\n')
			if nextLF < 0 {
				nextLF = len(text)
			} else {
				nextLF += start
			}
		}
		// A "\r" before nextLF ends the line, unless it is the "\r" of "\r\n".
		contentEnd, next := nextLF, nextLF+1
		if cr := bytes.IndexByte(text[start:nextLF], '\r'); cr >= 0 {
			contentEnd = start + cr
			if contentEnd != nextLF-1 || nextLF == len(text) {
				next = contentEnd + 1 // lone "\r"
			}
		}
		if !isASCII(text[start:contentEnd]) {
			line := len(starts) - 1
			if nonASCII == nil {
				nonASCII = make([]uint64, 0, (cap(starts)+63)/64)
			}
			for len(nonASCII) <= line/64 {
				nonASCII = append(nonASCII, 0)
			}
			nonASCII[line/64] |= 1 << (line % 64)
		}
		if next > len(text) {
			break // the last line has no terminator
		}
		starts = append(starts, next)
		start = next
	}
	return &LineIndex{text: text, lineStarts: starts, nonASCII: nonASCII}
}

// isASCII reports whether b has no byte >= 0x80, eight bytes at a time.
func isASCII(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			return false
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Len returns the length of the text in bytes.
func (li *LineIndex) Len() int { return len(li.text) }

// LineCount returns the number of lines: "" has 1 and "a\n" has 2, since the
// position after a final terminator is the start of an empty last line.
func (li *LineIndex) LineCount() int { return len(li.lineStarts) }

// IsASCII reports whether the whole text is ASCII, where every encoding counts
// bytes.
func (li *LineIndex) IsASCII() bool { return li.nonASCII == nil }

// LineStart returns the byte offset of the first byte of line. A negative
// line gives 0 and a line past the last gives Len().
func (li *LineIndex) LineStart(line int) int {
	switch {
	case line < 0:
		return 0
	case line >= len(li.lineStarts):
		return len(li.text)
	}
	return li.lineStarts[line]
}

// LineEnd returns the byte offset where line's content ends: the offset of
// its terminator, or Len() for the last line. Out-of-range lines are clamped
// as in LineStart.
func (li *LineIndex) LineEnd(line int) int {
	switch {
	case line < 0:
		line = 0
	case line >= len(li.lineStarts):
		return len(li.text)
	}
	return li.lineEnd(line)
}

func (li *LineIndex) lineEnd(line int) int {
	if line+1 == len(li.lineStarts) {
		return len(li.text)
	}
	end := li.lineStarts[line+1] - 1 // the terminator's last byte
	if li.text[end] == '\n' && end > li.lineStarts[line] && li.text[end-1] == '\r' {
		end--
	}
	return end
}

// LineOf returns the line holding offset, clamped to [0, Len()]. The bytes of
// a line's terminator belong to that line.
func (li *LineIndex) LineOf(offset int) int {
	offset = li.clampOffset(offset)
	i, found := slices.BinarySearch(li.lineStarts, offset)
	if !found {
		i--
	}
	return i
}

func (li *LineIndex) clampOffset(offset int) int {
	return min(max(offset, 0), len(li.text))
}

func (li *LineIndex) lineIsASCII(line int) bool {
	return li.nonASCII == nil || line/64 >= len(li.nonASCII) || li.nonASCII[line/64]&(1<<(line%64)) == 0
}

// LineLength returns the length of line's content in code units of enc: the
// largest Character that does not clamp. Callers use it to notice (and log)
// clients that send positions past the end of a line. Lines out of range
// have length 0.
func (li *LineIndex) LineLength(line int, enc Encoding) uint32 {
	if line < 0 || line >= len(li.lineStarts) {
		return 0
	}
	return li.OffsetPosition(li.lineEnd(line), enc).Character
}

// OffsetPosition converts a byte offset to a Position in enc. The offset is
// clamped to [0, Len()]; an offset inside a UTF-8 sequence rounds down to the
// start of its character, and one inside a line terminator ("\r|\n") gives
// the line end.
func (li *LineIndex) OffsetPosition(offset int, enc Encoding) Position {
	offset = li.clampOffset(offset)
	line := li.LineOf(offset)
	start, end := li.lineStarts[line], li.lineEnd(line)
	offset = min(offset, end)
	var char int
	switch {
	case li.lineIsASCII(line):
		char = offset - start
	case enc == UTF8:
		char = runeStart(li.text, offset) - start
	default:
		char = unitsBefore(li.text[start:end], offset-start, enc)
	}
	return Position{Line: uint32(line), Character: uint32(char)}
}

// PositionOffset converts a Position in enc to a byte offset, for applying
// edits. A Character past the end of the line gives the line end (before the
// terminator), as the LSP specification requires; one inside a character (the
// middle of a surrogate pair, or of a UTF-8 sequence for UTF8) rounds down to
// its start. A line that does not exist is an error wrapping
// ErrLineOutOfRange: the last valid position of a document is on its last
// line, including the empty line after a final newline.
func (li *LineIndex) PositionOffset(p Position, enc Encoding) (int, error) {
	if uint64(p.Line) >= uint64(len(li.lineStarts)) {
		return 0, fmt.Errorf("%w: line %d, but the document has %d lines (0-%d)",
			ErrLineOutOfRange, p.Line, len(li.lineStarts), len(li.lineStarts)-1)
	}
	return li.offsetInLine(int(p.Line), p.Character, enc), nil
}

// ClampedOffset converts a Position for reads (hover, code action ranges),
// where a stale or sloppy position should still mean something: like
// PositionOffset, but a line past the end of the document gives Len().
func (li *LineIndex) ClampedOffset(p Position, enc Encoding) int {
	if uint64(p.Line) >= uint64(len(li.lineStarts)) {
		return len(li.text)
	}
	return li.offsetInLine(int(p.Line), p.Character, enc)
}

func (li *LineIndex) offsetInLine(line int, char uint32, enc Encoding) int {
	start, end := li.lineStarts[line], li.lineEnd(line)
	if uint64(char) >= uint64(end-start) {
		// No encoding has more code units than bytes, so this is past the
		// line end in all of them; it also keeps start+char from overflowing.
		return end
	}
	switch {
	case li.lineIsASCII(line):
		return start + int(char)
	case enc == UTF8:
		return runeStart(li.text, start+int(char))
	}
	return start + offsetOfUnits(li.text[start:end], char, enc)
}

// RangeOffsets converts a Range to byte offsets with PositionOffset. It is an
// error (wrapping ErrRangeReversed) for the end to come before the start.
func (li *LineIndex) RangeOffsets(r Range, enc Encoding) (start, end int, err error) {
	start, err = li.PositionOffset(r.Start, enc)
	if err != nil {
		return 0, 0, fmt.Errorf("range start: %w", err)
	}
	end, err = li.PositionOffset(r.End, enc)
	if err != nil {
		return 0, 0, fmt.Errorf("range end: %w", err)
	}
	if end < start {
		return 0, 0, fmt.Errorf("%w: end %d:%d is before start %d:%d (%s)", ErrRangeReversed,
			r.End.Line, r.End.Character, r.Start.Line, r.Start.Character, enc)
	}
	return start, end, nil
}

// OffsetsRange converts the byte range [start, end) to a Range in enc, each
// end as OffsetPosition does. Offsets given in the wrong order are swapped,
// so the range still covers the text between them.
func (li *LineIndex) OffsetsRange(start, end int, enc Encoding) Range {
	if end < start {
		start, end = end, start
	}
	return Range{Start: li.OffsetPosition(start, enc), End: li.OffsetPosition(end, enc)}
}

// unitsBefore counts the code units in enc of the characters of line (which
// holds no terminator) that end at or before byte n; a character straddling
// n is left out, which rounds n down to its start. Invalid UTF-8 decodes as
// one-byte U+FFFD, so every invalid byte is one unit.
func unitsBefore(line []byte, n int, enc Encoding) int {
	units, i := 0, 0
	for i < n {
		if line[i] < utf8.RuneSelf {
			units++
			i++
			continue
		}
		_, size := utf8.DecodeRune(line[i:])
		if i+size > n {
			break
		}
		units += unitWidth(size, enc)
		i += size
	}
	return units
}

// offsetOfUnits returns the byte offset in line (which holds no terminator)
// of the character boundary reached after char code units of enc, stopping
// at the end of line, and before a character that would pass char (the
// second half of a surrogate pair rounds down).
func offsetOfUnits(line []byte, char uint32, enc Encoding) int {
	units, i := uint64(0), 0
	for i < len(line) && units < uint64(char) {
		if line[i] < utf8.RuneSelf {
			units++
			i++
			continue
		}
		_, size := utf8.DecodeRune(line[i:])
		units += uint64(unitWidth(size, enc))
		if units > uint64(char) {
			break
		}
		i += size
	}
	return i
}

// unitWidth is the number of code units in enc of a character that decoded
// from size bytes. Only valid 4-byte sequences lie beyond the BMP, where
// UTF-16 needs a surrogate pair. Unknown encodings count as UTF-16, the LSP
// default.
func unitWidth(size int, enc Encoding) int {
	switch {
	case enc == UTF8:
		return size
	case size == 4 && enc != UTF32:
		return 2
	}
	return 1
}

// runeStart rounds offset down to the start of the character holding it,
// where characters are what utf8.DecodeRune yields walking from the start of
// text: valid sequences, or single invalid bytes. Walking is not needed: only
// a valid sequence can contain offset, and it must start at the nearest
// non-continuation byte at most three bytes back.
func runeStart(text []byte, offset int) int {
	for s := offset; s >= 0 && s > offset-utf8.UTFMax; s-- {
		if s < len(text) && utf8.RuneStart(text[s]) {
			if _, size := utf8.DecodeRune(text[s:]); s+size > offset {
				return s
			}
			return offset
		}
	}
	return offset
}
