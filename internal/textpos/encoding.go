package textpos

import "fmt"

// Encoding is the unit in which a Position's Character is counted: the LSP
// PositionEncodingKind negotiated at initialize. The zero value is UTF16, the
// encoding every client supports and the one assumed when none is negotiated.
type Encoding uint8

const (
	UTF16 Encoding = iota
	UTF8
	UTF32
)

// ParseEncoding reads an LSP PositionEncodingKind ("utf-8", "utf-16",
// "utf-32"). Unknown kinds report false so the server can skip them while
// negotiating.
func ParseEncoding(s string) (Encoding, bool) {
	switch s {
	case "utf-16":
		return UTF16, true
	case "utf-8":
		return UTF8, true
	case "utf-32":
		return UTF32, true
	}
	return UTF16, false
}

// String returns the LSP PositionEncodingKind name.
func (e Encoding) String() string {
	switch e {
	case UTF16:
		return "utf-16"
	case UTF8:
		return "utf-8"
	case UTF32:
		return "utf-32"
	}
	return fmt.Sprintf("Encoding(%d)", uint8(e))
}

// Position is an LSP position: a 0-based line and a 0-based Character counted
// in code units of some Encoding. A Position means nothing without its
// Encoding, so conversions always take one.
type Position struct {
	Line, Character uint32
}

// Range is a half-open LSP range [Start, End).
type Range struct {
	Start, End Position
}
