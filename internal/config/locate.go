package config

// The TOML library (v1.6.0) records key positions but keeps them private, so
// problems find their line with this small scanner over the text instead. It
// only runs on text the library has already parsed, yet it must never panic
// or loop on anything (see FuzzLocate): it tracks table headers, dotted and
// quoted keys, inline tables (multi-line ones too, TOML 1.1), arrays over
// several lines, comments and all four string forms.

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

type locator struct {
	keys   map[string]int         // joined key path → line of its first appearance
	values map[string][]valueLine // joined key path → string values with their lines
}

type valueLine struct {
	value string
	line  int
}

func joinKey(path []string) string { return strings.Join(path, "\x00") }

// line returns the line of key path, or of its nearest recorded parent.
func (l *locator) line(path []string) int {
	if l == nil {
		return 0
	}
	for n := len(path); n > 0; n-- {
		if line, ok := l.keys[joinKey(path[:n])]; ok {
			return line
		}
	}
	return 0
}

// valueLine returns the line of the string value under key path (an array
// element on its own line, say), else the key's line.
func (l *locator) valueLine(path []string, value string) int {
	if l == nil {
		return 0
	}
	for _, v := range l.values[joinKey(path)] {
		if v.value == value {
			return v.line
		}
	}
	return l.line(path)
}

func locate(text string) *locator {
	// Skip the byte order marks the TOML parser skips (UTF-8, and the UTF-16
	// ones some tools write): one left in would read as part of a bare key.
	for _, bom := range []string{"\ufeff", "\xff\xfe", "\xfe\xff"} {
		if rest, ok := strings.CutPrefix(text, bom); ok {
			text = rest
			break
		}
	}
	sc := &scanner{s: text, line: 1, loc: &locator{keys: map[string]int{}, values: map[string][]valueLine{}}}
	sc.document()
	return sc.loc
}

type scanner struct {
	s    string
	i    int
	line int
	loc  *locator
}

func (sc *scanner) eof() bool  { return sc.i >= len(sc.s) }
func (sc *scanner) peek() byte { return sc.s[sc.i] }

func (sc *scanner) record(path []string, line int) {
	for n := 1; n <= len(path); n++ {
		k := joinKey(path[:n])
		if _, ok := sc.loc.keys[k]; !ok {
			sc.loc.keys[k] = line
		}
	}
}

func (sc *scanner) document() {
	var table []string
	for {
		sc.skipBlank(true)
		if sc.eof() {
			return
		}
		start := sc.i
		line := sc.line
		if sc.peek() == '[' {
			sc.i++
			if !sc.eof() && sc.peek() == '[' {
				sc.i++
			}
			key := sc.key()
			table = key
			sc.record(key, line)
			sc.skipLine()
			continue
		}
		key := sc.key()
		if len(key) > 0 {
			path := append(append([]string{}, table...), key...)
			sc.record(path, line)
			sc.skipBlank(false)
			if !sc.eof() && sc.peek() == '=' {
				sc.i++
				sc.skipBlank(false)
				sc.value(path)
			}
		}
		sc.skipLine()
		if sc.i == start {
			sc.i++ // never stall on a byte the grammar above does not expect
		}
	}
}

// skipBlank skips spaces, tabs and carriage returns, and with newlines also
// line breaks and comments.
func (sc *scanner) skipBlank(newlines bool) {
	for !sc.eof() {
		switch sc.peek() {
		case ' ', '\t', '\r':
			sc.i++
		case '\n':
			if !newlines {
				return
			}
			sc.line++
			sc.i++
		case '#':
			if !newlines {
				return
			}
			for !sc.eof() && sc.peek() != '\n' {
				sc.i++
			}
		default:
			return
		}
	}
}

// skipLine moves past the end of the current line.
func (sc *scanner) skipLine() {
	for !sc.eof() {
		c := sc.peek()
		sc.i++
		if c == '\n' {
			sc.line++
			return
		}
	}
}

// key reads a dotted key (bare or quoted parts) up to "=", "]" or the line end.
func (sc *scanner) key() []string {
	var parts []string
	for {
		sc.skipBlank(false)
		if sc.eof() {
			return parts
		}
		switch c := sc.peek(); {
		case c == '"' || c == '\'':
			s, ok := sc.str()
			if !ok {
				return parts
			}
			parts = append(parts, s)
		case isBareKeyByte(c):
			start := sc.i
			for !sc.eof() && isBareKeyByte(sc.peek()) {
				sc.i++
			}
			parts = append(parts, sc.s[start:sc.i])
		default:
			return parts
		}
		sc.skipBlank(false)
		if sc.eof() || sc.peek() != '.' {
			return parts
		}
		sc.i++
	}
}

// isBareKeyByte accepts TOML's bare-key characters and any non-ASCII byte
// (TOML 1.1 allows Unicode letters in bare keys).
func isBareKeyByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c >= utf8.RuneSelf
}

func (sc *scanner) value(path []string) {
	if sc.eof() {
		return
	}
	line := sc.line
	switch sc.peek() {
	case '"', '\'':
		if s, ok := sc.str(); ok {
			k := joinKey(path)
			sc.loc.values[k] = append(sc.loc.values[k], valueLine{s, line})
		}
	case '[':
		sc.i++
		for {
			sc.skipBlank(true)
			if sc.eof() {
				return
			}
			switch sc.peek() {
			case ']':
				sc.i++
				return
			case ',':
				sc.i++
				continue
			}
			start := sc.i
			sc.value(path)
			if sc.i == start {
				sc.i++
			}
		}
	case '{':
		sc.i++
		for {
			sc.skipBlank(true)
			if sc.eof() {
				return
			}
			switch sc.peek() {
			case '}':
				sc.i++
				return
			case ',':
				sc.i++
				continue
			}
			start := sc.i
			keyLine := sc.line
			key := sc.key()
			sub := append(append([]string{}, path...), key...)
			if len(key) > 0 {
				sc.record(sub, keyLine)
			}
			sc.skipBlank(false)
			if !sc.eof() && sc.peek() == '=' {
				sc.i++
				sc.skipBlank(false)
				sc.value(sub)
			}
			if sc.i == start {
				sc.i++
			}
		}
	default:
		for !sc.eof() && !strings.ContainsRune(",]}#\n", rune(sc.peek())) {
			sc.i++
		}
	}
}

// str reads any of the four TOML string forms starting at the current quote
// and returns its value; ok is false when it is not closed.
func (sc *scanner) str() (string, bool) {
	q := sc.peek()
	multi := strings.HasPrefix(sc.s[sc.i:], strings.Repeat(string(q), 3))
	if multi {
		sc.i += 3
		// A line break right after the opening quotes is not part of the value.
		if strings.HasPrefix(sc.s[sc.i:], "\r\n") {
			sc.i++
		}
		if !sc.eof() && sc.peek() == '\n' {
			sc.i++
			sc.line++
		}
	} else {
		sc.i++
	}
	var b strings.Builder
	for !sc.eof() {
		c := sc.peek()
		switch {
		case c == q && (!multi || strings.HasPrefix(sc.s[sc.i:], strings.Repeat(string(q), 3))):
			if multi {
				sc.i += 3
				// Up to two more quotes right before the closing ones belong to the string.
				for n := 0; n < 2 && !sc.eof() && sc.peek() == q; n++ {
					b.WriteByte(q)
					sc.i++
				}
			} else {
				sc.i++
			}
			return b.String(), true
		case c == '\n':
			if !multi {
				return b.String(), false
			}
			sc.line++
			b.WriteByte('\n')
			sc.i++
		case c == '\\' && q == '"':
			sc.escape(&b, multi)
		default:
			b.WriteByte(c)
			sc.i++
		}
	}
	return b.String(), false
}

// escape decodes one backslash escape of a basic string into b.
func (sc *scanner) escape(b *strings.Builder, multi bool) {
	sc.i++ // the backslash
	if sc.eof() {
		return
	}
	c := sc.peek()
	simple := map[byte]byte{'b': '\b', 't': '\t', 'n': '\n', 'f': '\f', 'r': '\r', 'e': 0x1b, '"': '"', '\\': '\\'}
	if r, ok := simple[c]; ok {
		b.WriteByte(r)
		sc.i++
		return
	}
	digits := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
	if digits > 0 && sc.i+1+digits <= len(sc.s) {
		if n, err := strconv.ParseUint(sc.s[sc.i+1:sc.i+1+digits], 16, 32); err == nil {
			b.WriteRune(rune(n))
			sc.i += 1 + digits
			return
		}
	}
	if multi && (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
		// Line-ending backslash: the break and the next line's indent vanish.
		for !sc.eof() && strings.ContainsRune(" \t\r\n", rune(sc.peek())) {
			if sc.peek() == '\n' {
				sc.line++
			}
			sc.i++
		}
		return
	}
	b.WriteByte('\\')
}
