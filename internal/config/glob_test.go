package config

import (
	"strings"
	"testing"
)

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern string
		path    string
		isDir   bool
		want    bool
	}{
		// A name without "/" matches at any depth, and excludes what is below it.
		{".venv", ".venv/lib/python3.12/site.py", false, true},
		{".venv", "services/api/.venv/x.py", false, true},
		{".venv", "venv_tools/x.py", false, false},
		{".venv", ".venv", true, true},
		{"*.py", "app/api/users.py", false, true},
		{"*.py", "app/api/users.pyi", false, false},
		{"__init__.py", "app/services/__init__.py", false, true},
		// A "/" anchors the pattern at the config directory.
		{"tests/*", "tests/test_users.py", false, true},
		{"tests/*", "tests/api/test_users.py", false, true}, // tests/api matches, so all below it
		{"tests/*", "app/tests/test_users.py", false, false},
		{"app/*.py", "app/main.py", false, true},
		{"app/*.py", "app/api/main.py", false, false}, // "*" stays within a segment
		{"/main.py", "main.py", false, true},
		{"/main.py", "app/main.py", false, false},
		{"./scripts", "scripts/seed.py", false, true},
		{"./scripts", "app/scripts/seed.py", false, false},
		{"app//api/*.py", "app/api/users.py", false, true},
		// "**" spans any number of directories, zero included.
		{"**/tests/*.py", "tests/test_a.py", false, true},
		{"**/tests/*.py", "app/x/tests/test_a.py", false, true},
		{"app/**/models.py", "app/models.py", false, true},
		{"app/**/models.py", "app/a/b/c/models.py", false, true},
		{"app/**/models.py", "lib/app/models.py", false, false},
		{"app/**", "app/api/users.py", false, true},
		{"app/**", "app", true, false}, // what is inside app, not app itself
		{"**", "anything/at/all.py", false, true},
		{"**/a/**/b.py", "x/a/y/z/b.py", false, true},
		{"**/a/**/b.py", "a/b.py", false, true},
		{"**/a/**/b.py", "b.py/a", false, false},
		{"src/**/**/x", "src/x", false, true},
		{"a/**/b/**", "a/q/b/r/s.py", false, true},
		{"a/**/b/**", "a/q/c/r/s.py", false, false},
		// A trailing "/" matches directories only.
		{"build/", "build/lib/x.py", false, true},
		{"build/", "build", false, false},
		{"build/", "build", true, true},
		{"build/", "app/build/x.py", false, true},
		{"generated/", "app/generated", false, false},
		// "?" and classes see whole characters, not bytes.
		{"caf?.py", "app/café.py", false, true},
		{"caf?.py", "app/caf.py", false, false},
		{"migración_*.py", "app/db/migración_0001.py", false, true},
		{"migracion_*.py", "app/db/migración_0001.py", false, false},
		{"🎉*", "docs/🎉fiesta.py", false, true},
		{"?.py", "🎉.py", false, true},
		{"[abc]*.py", "app/beta.py", false, true},
		{"[!abc]*.py", "app/beta.py", false, false},
		{"[^abc]*.py", "app/zeta.py", false, true},
		{"v[0-9].py", "v7.py", false, true},
		{"v[0-9].py", "vx.py", false, false},
		{"[ñ]*", "ñandú.py", false, true},
		{"[]]x", "]x", false, true},
		// Escapes make wildcards literal.
		{`\*.py`, "*.py", false, true},
		{`\*.py`, "a.py", false, false},
		// Star backtracking.
		{"*_test_*.py", "a_test_b_test_c.py", false, true},
		{"a*b*c", "aXbYbZc", false, true},
		{"a*b*c", "aXbYbZ", false, false},
	}
	for _, tt := range tests {
		g, err := compileGlob(tt.pattern)
		if err != nil {
			t.Errorf("compileGlob(%q): %v", tt.pattern, err)
			continue
		}
		if got := g.match(tt.path, tt.isDir, true); got != tt.want {
			t.Errorf("%q match %q (dir=%v) = %v, want %v", tt.pattern, tt.path, tt.isDir, got, tt.want)
		}
	}
}

func TestGlobOutsideRootOnlyUnanchored(t *testing.T) {
	unanchored, _ := compileGlob("site-packages")
	anchored, _ := compileGlob("lib/site-packages")
	p := "usr/lib/python3/site-packages/x.py"
	if !unanchored.match(p, false, false) {
		t.Errorf("a name pattern should still exclude %s outside the root", p)
	}
	if anchored.match("lib/site-packages/x.py", false, false) {
		t.Errorf("an anchored pattern must not match outside the root")
	}
}

func TestGlobErrors(t *testing.T) {
	tests := []struct{ pattern, want string }{
		{"", "empty pattern"},
		{"   ", "empty pattern"},
		{"!tests/", "negated patterns"},
		{"../shared/*.py", `".." is not allowed`},
		{"app/[abc.py", "unclosed character class"},
		{"v[9-0].py", "reversed"},
		{`tests\`, `lone "\"`},
		{`[a\`, `lone "\"`},
		{"/", "only slashes"},
		{"./", "only slashes"},
		{"bad\xffutf8", "UTF-8"},
	}
	for _, tt := range tests {
		_, err := compileGlob(tt.pattern)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("compileGlob(%q) error = %v, want it to mention %q", tt.pattern, err, tt.want)
		}
	}
}

func TestRelativeTo(t *testing.T) {
	tests := []struct {
		root, p, want string
		inside        bool
	}{
		{"/proj", "/proj/app/main.py", "app/main.py", true},
		{"/proj", "app/./api/../main.py", "app/main.py", true},
		{"/proj", "/other/app/main.py", "other/app/main.py", false},
		{"/proj", "../x/.venv/a.py", "x/.venv/a.py", false},
		{"", "/abs/.venv/a.py", "abs/.venv/a.py", false},
		{"/proj", "/proj", ".", true},
	}
	for _, tt := range tests {
		got, inside := relativeTo(tt.root, tt.p)
		if got != tt.want || inside != tt.inside {
			t.Errorf("relativeTo(%q, %q) = %q, %v; want %q, %v", tt.root, tt.p, got, inside, tt.want, tt.inside)
		}
	}
}

func FuzzGlob(f *testing.F) {
	for _, s := range []string{"**/tests/*.py", "[a-z]?", `\`, "[", "a/**/b/", "ñ*🎉", "[!]", "[]-]"} {
		f.Add(s, "app/tests/test_ñ.py")
	}
	f.Fuzz(func(t *testing.T, pattern, path string) {
		g, err := compileGlob(pattern)
		if err != nil {
			return
		}
		g.match(path, false, true)
		g.match(path, true, false)
	})
}
