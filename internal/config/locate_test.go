package config

import (
	"strings"
	"testing"
)

func TestLocateLines(t *testing.T) {
	text := strings.Join([]string{
		"\ufeff# Configuración del proyecto 🎉", // 1 (BOM first, as some Windows editors save it)
		`[project]`,                          // 2
		`name = "api" # not [tool.asyncmig]`, // 3
		`description = """`,                  // 4
		`select = ["not a key"]`,             // 5 inside a multi-line string
		`[tool.asyncmig]`,                    // 6 inside it too
		`"""`,                                // 7
		``,                                   // 8
		`[tool.asyncmig]`,                    // 9
		`select = [`,                         // 10
		`  "AM1",   # sesiones asíncronas`,   // 11
		`  'AM999',`,                         // 12
		`]`,                                  // 13
		`ignore = ["a#b", "c]d"] # ¡ojo!`,    // 14
		`severity = { AM101 = "warning",`,    // 15 (TOML 1.1 multi-line inline table)
		`  "AM2" = "hint" }`,                 // 16
		`twin-patterns.module = "async_{module}"`, // 17
		`[tool.asyncmig.per-file-ignores]`,        // 18
		`"tests/**" = ["AM"]`,                     // 19
		`'lit\eral' = ["AM1"]`,                    // 20
		`[[tool.asyncmig.tiers.x]]`,               // 21
		`files = ["a\"b", "\u00f1"]`,              // 22
	}, "\r\n")
	loc := locate(text)
	keyTests := []struct {
		path []string
		want int
	}{
		{[]string{"project", "name"}, 3},
		{[]string{"project", "description"}, 4},
		{[]string{"tool", "asyncmig"}, 9},
		{[]string{"tool", "asyncmig", "select"}, 10},
		{[]string{"tool", "asyncmig", "ignore"}, 14},
		{[]string{"tool", "asyncmig", "severity"}, 15},
		{[]string{"tool", "asyncmig", "severity", "AM101"}, 15},
		{[]string{"tool", "asyncmig", "severity", "AM2"}, 16},
		{[]string{"tool", "asyncmig", "twin-patterns"}, 17},
		{[]string{"tool", "asyncmig", "twin-patterns", "module"}, 17},
		{[]string{"tool", "asyncmig", "per-file-ignores"}, 18},
		{[]string{"tool", "asyncmig", "per-file-ignores", "tests/**"}, 19},
		{[]string{"tool", "asyncmig", "per-file-ignores", `lit\eral`}, 20},
		{[]string{"tool", "asyncmig", "tiers"}, 21},
		{[]string{"tool", "asyncmig", "tiers", "x", "files"}, 22},
		// Unknown keys fall back to their nearest recorded parent.
		{[]string{"tool", "asyncmig", "severity", "AM999"}, 15},
		{[]string{"nowhere"}, 0},
	}
	for _, tt := range keyTests {
		if got := loc.line(tt.path); got != tt.want {
			t.Errorf("line(%q) = %d, want %d", tt.path, got, tt.want)
		}
	}
	valueTests := []struct {
		path  []string
		value string
		want  int
	}{
		{[]string{"tool", "asyncmig", "select"}, "AM1", 11},
		{[]string{"tool", "asyncmig", "select"}, "AM999", 12},
		{[]string{"tool", "asyncmig", "select"}, "absent", 10},
		{[]string{"tool", "asyncmig", "ignore"}, "c]d", 14},
		{[]string{"tool", "asyncmig", "severity", "AM2"}, "hint", 16},
		{[]string{"tool", "asyncmig", "tiers", "x", "files"}, `a"b`, 22},
		{[]string{"tool", "asyncmig", "tiers", "x", "files"}, "ñ", 22},
	}
	for _, tt := range valueTests {
		if got := loc.valueLine(tt.path, tt.value); got != tt.want {
			t.Errorf("valueLine(%q, %q) = %d, want %d", tt.path, tt.value, got, tt.want)
		}
	}
}

func TestLocateHeaderAfterBOM(t *testing.T) {
	loc := locate("\ufeff[tool.asyncmig]\nselct = 1\n")
	if got := loc.line([]string{"tool", "asyncmig", "selct"}); got != 2 {
		t.Errorf("line of selct = %d, want 2", got)
	}
}

func TestLocateMultilineStrings(t *testing.T) {
	text := "a = '''\nx = 1\n'''\nb = \"\"\"uno \\\n   dos\"\"\"\nc = \"\"\"\"quoted\"\"\"\"\nd = 1\n"
	loc := locate(text)
	for key, want := range map[string]int{"a": 1, "b": 4, "c": 6, "d": 7, "x": 0} {
		if got := loc.line([]string{key}); got != want {
			t.Errorf("line(%s) = %d, want %d", key, got, want)
		}
	}
	if got := loc.values["c"]; len(got) != 1 || got[0].value != `"quoted"` {
		t.Errorf(`value of c = %+v, want "quoted" with its quotes`, got)
	}
	if got := loc.values["b"]; len(got) != 1 || got[0].value != "uno dos" {
		t.Errorf("value of b = %+v, want the line-ending backslash folded", got)
	}
}

func FuzzLocate(f *testing.F) {
	for _, s := range []string{
		"[tool.asyncmig]\nselect = [\"AM1\",\n]\n",
		"a = { b = [ { c = '''x''' } ] }",
		"\"\"\"", "[[", "a.\"b", "x = \"\\u12", "k = [\n# c\n'v'", "= = =",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		loc := locate(text)
		for _, line := range loc.keys {
			if line < 1 || line > strings.Count(text, "\n")+1 {
				t.Fatalf("line %d outside the text", line)
			}
		}
	})
}
