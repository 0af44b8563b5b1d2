package output

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"testing"
)

// encodingJSON is the reference appendDiagnosticJSON must match.
func encodingJSON(t testing.TB, d *jsonDiagnostic, prefix string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(d); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// trickyStrings are what messages, paths and fix texts can hold.
var trickyStrings = []string{
	"", "AM501", "`datetime.utcnow()` returns a naive datetime", "¡Año nuevo! 🎉 ñandú",
	"línea\nsiguiente\r\n\ttab", `comillas "dobles" y \barra\`, "<html> & 'amp'", "\x00\x01\x1f\x7f", "\b\f form feed",
	"\u2028sep\u2029", "inválido \xff\xfe fin", "\xed\xa0\x80 sustituto", "C:\\Users\\dev\\app.py",
	"/home/dev/tienda/app/servicios/usuarios.py", "emoji 👩‍💻 zwj", "\ufffd ya reemplazado",
}

func randomDiagnostic(r *rand.Rand) jsonDiagnostic {
	s := func() string {
		a := trickyStrings[r.Intn(len(trickyStrings))]
		if r.Intn(3) == 0 {
			a += trickyStrings[r.Intn(len(trickyStrings))]
		}
		return a
	}
	loc := func() location { return location{Row: r.Intn(100000), Column: r.Intn(500)} }
	d := jsonDiagnostic{Code: s(), EndLocation: loc(), Filename: s(), Location: loc(), Message: s(), Name: s(),
		NoqaRow: r.Intn(100000), Severity: s(), URL: s()}
	switch r.Intn(4) {
	case 0:
	case 1:
		d.Fix = &jsonFix{Applicability: s(), Message: s(), Edits: []jsonEdit{}}
	case 2:
		d.Fix = &jsonFix{Applicability: s(), Message: s()} // nil edits: null
	default:
		d.Fix = &jsonFix{Applicability: s(), Message: s()}
		for range 1 + r.Intn(3) {
			d.Fix.Edits = append(d.Fix.Edits, jsonEdit{Content: s(), Location: loc(), EndLocation: loc()})
		}
	}
	return d
}

// The direct encoder writes exactly what encoding/json writes, for every
// shape of fix and every kind of awkward text.
func TestAppendDiagnosticJSONMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for i := range 3000 {
		d := randomDiagnostic(r)
		prefix := []string{"", "  "}[i%2]
		want := encodingJSON(t, &d, prefix)
		if got := appendDiagnosticJSON(nil, &d, prefix); !bytes.Equal(got, want) {
			t.Fatalf("diagnostic %d differs from encoding/json:\ngot:\n%s\nwant:\n%s", i, got, want)
		}
	}
}

// FuzzJSONString holds appendString to encoding/json on arbitrary bytes.
func FuzzJSONString(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := jsonDiagnostic{Message: s, Fix: &jsonFix{Edits: []jsonEdit{{Content: s}}}}
		want := encodingJSON(t, &d, "  ")
		if got := appendDiagnosticJSON(nil, &d, "  "); !bytes.Equal(got, want) {
			t.Fatalf("%q: got\n%s\nwant\n%s", s, got, want)
		}
	})
}
