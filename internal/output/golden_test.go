package output

import (
	"testing"
)

// TestGolden pins every format's exact output on the fixture. The goldens
// are meant to be read: they are what a user sees.
func TestGolden(t *testing.T) {
	unsafe := func(o Options) Options { o.UnsafeFixes = true; return o }
	quiet := func(o Options) Options { o.Quiet = true; return o }
	same := func(o Options) Options { return o }
	cases := []struct {
		name, format string
		opt          func(Options) Options
		empty        bool
	}{
		{"full", "full", same, false},
		{"full_unsafe_fixes", "full", unsafe, false},
		{"concise", "concise", same, false},
		{"concise_unsafe_fixes_quiet", "concise", func(o Options) Options { return quiet(unsafe(o)) }, false},
		{"json", "json", same, false},
		{"json_unsafe_fixes", "json", unsafe, false},
		{"json-lines", "json-lines", same, false},
		{"sarif", "sarif", same, false},
		{"github", "github", same, false},
		{"junit", "junit", same, false},
		{"empty_full", "full", same, true},
		{"empty_junit", "junit", same, true},
		{"empty_sarif", "sarif", same, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := fixtureFiles(t)
			if c.empty {
				for i := range files {
					files[i].Diagnostics = nil
				}
			}
			checkGolden(t, c.name, render(t, files, c.opt(fixtureOptions(c.format))))
		})
	}
}
