package pymodel

import (
	"strings"
	"testing"
)

// argSpan is the span of the first occurrence of arg after marker in src.
func argSpan(t *testing.T, src, marker, arg string) (int32, int32) {
	t.Helper()
	i := strings.Index(src, marker)
	if i < 0 {
		t.Fatalf("%q not in source", marker)
	}
	j := strings.Index(src[i:], arg)
	if j < 0 {
		t.Fatalf("%q not after %q", arg, marker)
	}
	return int32(i + j), int32(i + j + len(arg))
}

const relocateSrc = `# Servicio de cuentas 🧮
from app.db import contar, guardar

resultado = contar(sesion_global)


class Cuentas:
    async def ver(self, db):
        return contar(db, límite=10)


async def ver(db):
    def interna(s):
        return guardar(s)
    return contar(db)


async def ver(db):  # redefinida 🎉
    return contar(db)
`

func TestRelocateFollowsMovedCode(t *testing.T) {
	old, _ := buildSrc(t, relocateSrc)
	moved := strings.Replace(relocateSrc, "# Servicio de cuentas 🧮\n", "# Servicio de cuentas 🧮\n# otra línea ✨\n\n", 1)
	moved = strings.Replace(moved, "    def interna(s):\n", "    # comentario añadido\n    def interna(s):\n", 1)
	cur, _ := buildSrc(t, moved)
	cases := []struct{ marker, arg string }{
		{"resultado = contar(", "sesion_global"},   // module level
		{"contar(db, límite", "db"},                // a method
		{"return guardar(", "s"},                   // a nested function
		{"return contar(db)\n\n\nasync", "db"},     // the first of two same-named functions
		{"redefinida 🎉\n    return contar(", "db"}, // the second
		{"contar(db, límite=10", "límite=10"},      // a keyword argument
	}
	for _, c := range cases {
		start, end := argSpan(t, relocateSrc, c.marker, c.arg)
		wantStart, wantEnd := argSpan(t, moved, c.marker, c.arg)
		if c.arg == "límite=10" {
			// The model's span of a keyword argument is its own business:
			// find it in the old model and expect the same shift.
			start, end = keywordSpan(t, old, start)
			shift := int32(len("# otra línea ✨\n\n"))
			wantStart, wantEnd = start+shift, end+shift
		}
		s, e, ok := Relocate(old, cur, start, end)
		if !ok || s != wantStart || e != wantEnd {
			t.Errorf("%q in %q: Relocate gave [%d,%d) ok=%v, want [%d,%d)", c.arg, c.marker, s, e, ok, wantStart, wantEnd)
		}
	}
	// The same model: nothing moves.
	start, end := argSpan(t, relocateSrc, "resultado = contar(", "sesion_global")
	if s, e, ok := Relocate(old, old, start, end); !ok || s != start || e != end {
		t.Errorf("Relocate into the same model gave [%d,%d) ok=%v", s, e, ok)
	}
}

// keywordSpan is the span the model gives the keyword argument of the
// call that holds offset start.
func keywordSpan(t *testing.T, m *Module, start int32) (int32, int32) {
	t.Helper()
	for _, fn := range m.Functions {
		for _, cs := range fn.Calls {
			if cs.Call.Start > start || start >= cs.Call.End {
				continue
			}
			for _, a := range cs.Call.Args {
				if a.Kw != "" {
					return a.Start, a.End
				}
			}
		}
	}
	t.Fatalf("no keyword argument in a call at %d", start)
	return 0, 0
}

// When the call itself changed, the old place means nothing in the new
// text: Relocate says so rather than guess.
func TestRelocateRefusesChangedCalls(t *testing.T) {
	old, _ := buildSrc(t, relocateSrc)
	start, end := argSpan(t, relocateSrc, "resultado = contar(", "sesion_global")
	for name, edited := range map[string]string{
		"callee renamed":    strings.Replace(relocateSrc, "resultado = contar(sesion_global)", "resultado = sumar(sesion_global)", 1),
		"argument added":    strings.Replace(relocateSrc, "resultado = contar(sesion_global)", "resultado = contar(sesion_global, 1)", 1),
		"argument replaced": strings.Replace(relocateSrc, "resultado = contar(sesion_global)", "resultado = contar(otra)", 1),
		"call removed":      strings.Replace(relocateSrc, "resultado = contar(sesion_global)\n", "", 1),
	} {
		cur, _ := buildSrc(t, edited)
		if s, e, ok := Relocate(old, cur, start, end); ok {
			t.Errorf("%s: Relocate found [%d,%d) %q", name, s, e, edited[s:e])
		}
	}
	// A span that is no call argument is not found either.
	cur, _ := buildSrc(t, relocateSrc)
	if _, _, ok := Relocate(old, cur, 0, 5); ok {
		t.Error("Relocate found an argument in the first comment")
	}
	if _, _, ok := Relocate(old, nil, start, end); ok {
		t.Error("Relocate found an argument in no model")
	}
}
