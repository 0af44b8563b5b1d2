package output

import (
	"strconv"
	"unicode/utf8"
)

// appendDiagnosticJSON appends d as encoding/json would with
// SetEscapeHTML(false) and SetIndent(prefix, "  "), without the trailing
// newline: byte for byte the same (json_append_test.go holds it to that),
// about ten times faster, which is most of a warm `check` that prints tens
// of thousands of findings.
func appendDiagnosticJSON(b []byte, d *jsonDiagnostic, prefix string) []byte {
	o := object{b: b, indent: prefix}
	o.open()
	o.key("cell")
	o.b = append(o.b, "null"...)
	o.strings("code", d.Code)
	o.location("end_location", d.EndLocation)
	o.strings("filename", d.Filename)
	o.key("fix")
	if f := d.Fix; f == nil {
		o.b = append(o.b, "null"...)
	} else {
		fix := object{b: o.b, indent: o.indent + "  "}
		fix.open()
		fix.strings("applicability", f.Applicability)
		fix.key("edits")
		switch {
		case f.Edits == nil:
			fix.b = append(fix.b, "null"...)
		case len(f.Edits) == 0:
			fix.b = append(fix.b, "[]"...)
		default:
			fix.b = append(fix.b, '[')
			for i := range f.Edits {
				e := &f.Edits[i]
				if i > 0 {
					fix.b = append(fix.b, ',')
				}
				in := fix.indent + "    " // fix members are two deeper, array items four
				edit := object{b: append(append(fix.b, '\n'), in...), indent: in}
				edit.open()
				edit.strings("content", e.Content)
				edit.location("end_location", e.EndLocation)
				edit.location("location", e.Location)
				fix.b = edit.close()
			}
			fix.b = append(append(append(fix.b, '\n'), fix.indent+"  "...), ']')
		}
		fix.strings("message", f.Message)
		o.b = fix.close()
	}
	o.location("location", d.Location)
	o.strings("message", d.Message, "name", d.Name)
	o.key("noqa_row")
	o.b = strconv.AppendInt(o.b, int64(d.NoqaRow), 10)
	o.strings("severity", d.Severity, "url", d.URL)
	return o.close()
}

// object appends the members of one JSON object, each on its own line
// one indentation step deeper than the object's braces.
type object struct {
	b       []byte
	indent  string // of the braces
	members int
}

func (o *object) open() { o.b = append(o.b, '{') }

// key starts a member: the comma after the previous one, a newline, the
// indentation and "key": .
func (o *object) key(k string) {
	if o.members > 0 {
		o.b = append(o.b, ',')
	}
	o.members++
	o.b = append(o.b, '\n')
	o.b = append(o.b, o.indent...)
	o.b = append(o.b, "  \""...)
	o.b = append(o.b, k...)
	o.b = append(o.b, `": `...)
}

// strings appends string members given as key, value pairs.
func (o *object) strings(kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		o.key(kv[i])
		o.b = appendString(o.b, kv[i+1])
	}
}

func (o *object) location(k string, l location) {
	o.key(k)
	loc := object{b: o.b, indent: o.indent + "  "}
	loc.open()
	loc.key("column")
	loc.b = strconv.AppendInt(loc.b, int64(l.Column), 10)
	loc.key("row")
	loc.b = strconv.AppendInt(loc.b, int64(l.Row), 10)
	o.b = loc.close()
}

// close ends the object and returns the buffer.
func (o *object) close() []byte {
	o.b = append(o.b, '\n')
	o.b = append(o.b, o.indent...)
	return append(o.b, '}')
}

const hexDigits = "0123456789abcdef"

// appendString quotes s the way encoding/json does without HTML escaping:
// control characters escaped (\n, \r, \t, \b, \f by name), invalid UTF-8 as
// U+FFFD, and U+2028/U+2029 escaped for JavaScript's sake.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
