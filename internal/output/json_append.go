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
	in1 := prefix + "  "
	in2 := in1 + "  "
	b = append(b, "{\n"...)
	b = append(b, in1...)
	b = append(b, `"cell": null,`...)
	b = appendField(b, in1, "code")
	b = appendString(b, d.Code)
	b = append(b, ',')
	b = appendField(b, in1, "end_location")
	b = appendLocation(b, d.EndLocation, in1)
	b = append(b, ',')
	b = appendField(b, in1, "filename")
	b = appendString(b, d.Filename)
	b = append(b, ',')
	b = appendField(b, in1, "fix")
	if d.Fix == nil {
		b = append(b, "null"...)
	} else {
		f := d.Fix
		b = append(b, '{')
		b = appendField(b, in2, "applicability")
		b = appendString(b, f.Applicability)
		b = append(b, ',')
		b = appendField(b, in2, "edits")
		if f.Edits == nil {
			b = append(b, "null"...)
		} else if len(f.Edits) == 0 {
			b = append(b, "[]"...)
		} else {
			in3 := in2 + "  "
			in4 := in3 + "  "
			b = append(b, '[')
			for i := range f.Edits {
				e := &f.Edits[i]
				b = append(b, '\n')
				b = append(b, in3...)
				b = append(b, '{')
				b = appendField(b, in4, "content")
				b = appendString(b, e.Content)
				b = append(b, ',')
				b = appendField(b, in4, "end_location")
				b = appendLocation(b, e.EndLocation, in4)
				b = append(b, ',')
				b = appendField(b, in4, "location")
				b = appendLocation(b, e.Location, in4)
				b = append(b, '\n')
				b = append(b, in3...)
				b = append(b, '}')
				if i < len(f.Edits)-1 {
					b = append(b, ',')
				}
			}
			b = append(b, '\n')
			b = append(b, in2...)
			b = append(b, ']')
		}
		b = append(b, ',')
		b = appendField(b, in2, "message")
		b = appendString(b, f.Message)
		b = append(b, '\n')
		b = append(b, in1...)
		b = append(b, '}')
	}
	b = append(b, ',')
	b = appendField(b, in1, "location")
	b = appendLocation(b, d.Location, in1)
	b = append(b, ',')
	b = appendField(b, in1, "message")
	b = appendString(b, d.Message)
	b = append(b, ',')
	b = appendField(b, in1, "name")
	b = appendString(b, d.Name)
	b = append(b, ',')
	b = appendField(b, in1, "noqa_row")
	b = strconv.AppendInt(b, int64(d.NoqaRow), 10)
	b = append(b, ',')
	b = appendField(b, in1, "severity")
	b = appendString(b, d.Severity)
	b = append(b, ',')
	b = appendField(b, in1, "url")
	b = appendString(b, d.URL)
	b = append(b, '\n')
	b = append(b, prefix...)
	return append(b, '}')
}

// appendField starts a member on its own line: newline, indent, "key": .
func appendField(b []byte, indent, key string) []byte {
	b = append(b, '\n')
	b = append(b, indent...)
	b = append(b, '"')
	b = append(b, key...)
	return append(b, `": `...)
}

func appendLocation(b []byte, l location, indent string) []byte {
	b = append(b, '{')
	b = appendField(b, indent+"  ", "column")
	b = strconv.AppendInt(b, int64(l.Column), 10)
	b = append(b, ',')
	b = appendField(b, indent+"  ", "row")
	b = strconv.AppendInt(b, int64(l.Row), 10)
	b = append(b, '\n')
	b = append(b, indent...)
	return append(b, '}')
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
