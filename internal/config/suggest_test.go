package config

import "testing"

func TestEditDistanceCountsRunes(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"select", "selct", 1},
		{"configuración", "configuracion", 1},
		{"🎉", "🎊", 1},
		{"", "abc", 3},
		{"per-file-ignore", "per-file-ignores", 1},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestClosestRejectsFarGuesses(t *testing.T) {
	if c, ok := closest("colour", knownKeys, 3); ok {
		t.Errorf(`closest("colour") = %q; a guess that far off misleads`, c)
	}
	if c, ok := closest("ignores", knownKeys, 3); !ok || c != "ignore" {
		t.Errorf(`closest("ignores") = %q, %v; want "ignore"`, c, ok)
	}
}

func TestKebabAndCamel(t *testing.T) {
	for camelName, kebabName := range map[string]string{
		"extendSelect":             "extend-select",
		"perFileIgnores":           "per-file-ignores",
		"asyncSessionDependencies": "async-session-dependencies",
		"debounceMs":               "debounce-ms",
		"debounceMS":               "debounce-ms",
		"select":                   "select",
		"extend-select":            "extend-select",
	} {
		if got := kebab(camelName); got != kebabName {
			t.Errorf("kebab(%q) = %q, want %q", camelName, got, kebabName)
		}
	}
	if got := camel("async-session-dependencies"); got != "asyncSessionDependencies" {
		t.Errorf("camel = %q", got)
	}
}
