package rules

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAbbreviateKeepsCharactersWhole(t *testing.T) {
	cases := []struct{ in, want string }{
		{"corto 🏋️", "corto 🏋️"},
		{"primera línea\nsegunda", "primera línea…"},
		{strings.Repeat("a", 59) + "ñandú", strings.Repeat("a", 59) + "…"},
		{strings.Repeat("b", 58) + "🐦🐦", strings.Repeat("b", 58) + "…"},
		{"línea con CRLF\r\nmás", "línea con CRLF…"},
	}
	for _, c := range cases {
		got := abbreviate([]byte(c.in))
		if got != c.want {
			t.Errorf("abbreviate(%q) = %q, want %q", c.in, got, c.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("abbreviate(%q) = %q is not valid UTF-8", c.in, got)
		}
	}
}
