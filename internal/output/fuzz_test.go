package output

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
)

// FuzzWrite feeds arbitrary text (invalid UTF-8, lone "\r", offsets inside
// "\r\n" or inside a character) and arbitrary in-range offsets to every
// format: each must succeed without panicking, and the JSON must parse.
func FuzzWrite(f *testing.F) {
	f.Add([]byte("x = datetime.utcnow()\n"), uint16(4), uint16(21), uint16(0), uint16(0), "await ")
	f.Add([]byte("a\r\nb\r\n"), uint16(2), uint16(5), uint16(2), uint16(6), "x\r\ny")
	f.Add([]byte("# año 🎉\n\tx\ry\n"), uint16(3), uint16(9), uint16(5), uint16(5), "")
	f.Add([]byte("\xff\xfe\x00\x1b[31m\u202e"), uint16(1), uint16(7), uint16(0), uint16(9), "🎉")
	f.Fuzz(func(t *testing.T, src []byte, a, b, c, d uint16, newText string) {
		n := len(src) + 1
		start, end := int(a)%n, int(b)%n
		if end < start {
			start, end = end, start
		}
		es, ee := int(c)%n, int(d)%n
		if ee < es {
			es, ee = ee, es
		}
		diag := diagnostics.Diagnostic{
			Code: "AM101", Name: "query-on-async-session", Start: start, End: end, Message: "m\n%:,", Severity: diagnostics.SeverityError,
			Fixes: []diagnostics.Fix{
				{Title: "safe", Applicability: diagnostics.Safe, Edits: []diagnostics.Edit{{Start: es, End: ee, NewText: newText}, {Start: start, End: end, NewText: newText}}},
				{Title: "unsafe", Applicability: diagnostics.Unsafe, Edits: []diagnostics.Edit{{Start: start, End: start, NewText: newText}}},
			},
			Related: []diagnostics.Related{{Start: es, End: ee, Message: "r"}},
		}
		files := []File{{Path: "/p/a.py", DisplayPath: "a.py", Source: src, Diagnostics: []diagnostics.Diagnostic{diag, diag}}}
		for _, format := range Formats() {
			for _, unsafe := range []bool{false, true} {
				var out bytes.Buffer
				if err := Write(&out, files, Options{Format: format, UnsafeFixes: unsafe, WorkDir: "/p"}); err != nil {
					t.Fatalf("%s: %v", format, err)
				}
				if (format == "json" || format == "sarif") && !json.Valid(out.Bytes()) {
					t.Fatalf("%s output is not JSON:\n%s", format, out.String())
				}
			}
		}
		if err := WriteStatistics(&bytes.Buffer{}, files, Options{}); err != nil {
			t.Fatal(err)
		}
	})
}
