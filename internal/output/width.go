package output

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Source lines are printed under a caret line, so both must agree on how
// wide each character is in a terminal, not on how many bytes or code points
// it has: "🎉" is one code point but two columns, a tab is shown as four
// spaces, and control characters are shown as visible symbols. This follows
// Ruff's renderer (annotate-snippets' OUTPUT_REPLACEMENTS and char_width).

// displayText returns line as it is printed: tabs expanded to four spaces,
// control characters replaced by their Unicode control pictures, ZWJ
// dropped and bidirectional controls (which make the shown text differ from
// the bytes on disk) replaced by U+FFFD. Invalid UTF-8 shows as U+FFFD.
func displayText(line string) string {
	clean := true
	for _, r := range line {
		if r == utf8.RuneError || displayReplacement(r) != "" || r == '\u200d' {
			clean = false
			break
		}
	}
	if clean {
		return line
	}
	var b strings.Builder
	for _, r := range line {
		switch rep := displayReplacement(r); {
		case r == '\u200d':
		case rep != "":
			b.WriteString(rep)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func displayReplacement(r rune) string {
	switch {
	case r == '\t':
		return "    "
	case r < 0x20:
		return string(rune(0x2400 + r)) // ␀ … ␟
	case r == 0x7f:
		return "␡"
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return "\ufffd"
	}
	return ""
}

// displayWidth is the number of terminal columns text takes once printed by
// displayText.
func displayWidth(text string) int {
	n := 0
	for _, r := range text {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case r == '\t':
		return 4
	case r == '\u200d':
		return 0
	case r < 0x20 || r == 0x7f:
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me) || r == '\ufeff' || r == '\u200b':
		return 0 // combining marks, variation selectors, zero-width spaces
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}
