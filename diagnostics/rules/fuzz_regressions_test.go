package rules

import "testing"

// Regressions found by FuzzRules (fuzz_test.go); their inputs are kept in
// testdata/fuzz/FuzzRules.

func TestIsIdentifier(t *testing.T) {
	for s, want := range map[string]bool{
		"user_service": true, "cálculo": true, "año_2024": true, "ñandú": true, "_privado": true,
		"match": true, "Ωmega": true, // soft keywords and non-ASCII letters are names
		"user-service": false, "00rkout": false, "2024": false, "async": false, "None": false,
		"🎉": false, "": false, "a b": false, "módulo.py": false, "\xff": false,
	} {
		if got := isIdentifier(s); got != want {
			t.Errorf("isIdentifier(%q) = %v, want %v", s, got, want)
		}
	}
}

// A module file whose name is no identifier (user-servic.py, async.py) is
// never suggested: the replacement would not parse.
func TestCloseNamesOnlySuggestsIdentifiers(t *testing.T) {
	pool := []string{"user-servic", "async", "00rkout", "usuarios_srv"}
	for name, want := range map[string]string{"user_servic": "", "asyn": "", "0rkout": "", "usuarios_sr": "usuarios_srv"} {
		got := closeNames(name, pool, typoDistance(name))
		switch {
		case want == "" && len(got) != 0:
			t.Errorf("closeNames(%q) = %q, want nothing", name, got)
		case want != "" && (len(got) != 1 || got[0] != want):
			t.Errorf("closeNames(%q) = %q, want %q", name, got, want)
		}
	}
}
