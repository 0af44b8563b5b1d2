package output

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
)

func TestRuneWidth(t *testing.T) {
	for _, c := range []struct {
		text  string
		width int
	}{
		{"año", 3},
		{"🎉", 2},       // wide emoji
		{"e\u0301", 1}, // e + combining acute
		{"\t", 4},      // shown as four spaces
		{"日本", 4},
		{"a\u200db", 2}, // ZWJ takes no column
		{"\x1b", 1},     // shown as ␛
	} {
		if got := displayWidth(c.text); got != c.width {
			t.Errorf("displayWidth(%q) = %d, want %d", c.text, got, c.width)
		}
		if got := displayWidth(displayText(c.text)); got != c.width {
			t.Errorf("displayText(%q) = %q has width %d, want %d", c.text, displayText(c.text), got, c.width)
		}
	}
	if got := displayText("\tx\x00\u202e"); got != "    x␀\ufffd" {
		t.Errorf("displayText = %q", got)
	}
}

// renderOne renders one diagnostic over src in the full format, without the
// summary.
func renderOne(t *testing.T, src string, d diagnostics.Diagnostic, unsafe bool) string {
	t.Helper()
	if d.Code == "" {
		d.Code = "AM999"
	}
	files := []File{{Path: "/p/m.py", DisplayPath: "m.py", Source: []byte(src), Diagnostics: []diagnostics.Diagnostic{d}}}
	return render(t, files, Options{Format: "full", Quiet: true, UnsafeFixes: unsafe})
}

func at(t *testing.T, src, needle string) (int, int) {
	t.Helper()
	s, e := find(t, []byte(src), "", needle)
	return s, e
}

func TestFullSnippets(t *testing.T) {
	t.Run("tab and emoji before the range", func(t *testing.T) {
		src := "if x:\n\tnota = \"🎉 año\"; y = malo()\n"
		s, e := at(t, src, "malo()")
		got := renderOne(t, src, diagnostics.Diagnostic{Start: s, End: e, Message: "m"}, false)
		want := "AM999 m\n" +
			" --> m.py:2:22\n" + // code points: the tab and the emoji count one each
			"  |\n" +
			"1 | if x:\n" +
			"2 |     nota = \"🎉 año\"; y = malo()\n" +
			"  |                          ^^^^^^\n\n"
		if got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("multi-line range opening at its line's indentation", func(t *testing.T) {
		src := "async def f(db):\n    db.query(X)\\\n        .all()\n    return 1\n"
		s, _ := at(t, src, "db.query(X)")
		_, e := at(t, src, ".all()")
		got := renderOne(t, src, diagnostics.Diagnostic{Start: s, End: e, Message: "m"}, false)
		want := "AM999 m\n" +
			" --> m.py:2:5\n" +
			"  |\n" +
			"1 |   async def f(db):\n" +
			"2 | /     db.query(X)\\\n" +
			"3 | |         .all()\n" +
			"  | |______________^\n" +
			"4 |       return 1\n" +
			"  |\n\n"
		if got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("range ending with its line terminator stays on its line", func(t *testing.T) {
		src := "a = 1\r\nb = 2\r\n"
		got := renderOne(t, src, diagnostics.Diagnostic{Start: 0, End: 7, Message: "m"}, false)
		want := "AM999 m\n --> m.py:1:1\n  |\n1 | a = 1\n  | ^^^^^^\n2 | b = 2\n  |\n\n"
		if got != want {
			t.Errorf("got\n%q\nwant\n%q", got, want)
		}
	})
	t.Run("multi-line range ending between CR and LF", func(t *testing.T) {
		src := "x = (\r\n    y)\r\nz\r\n"
		s, _ := at(t, src, "(")
		_, e := at(t, src, "y)\r")
		got := renderOne(t, src, diagnostics.Diagnostic{Start: s, End: e, Message: "m"}, false)
		want := "AM999 m\n --> m.py:1:5\n  |\n1 |   x = (\n  |  _____^\n2 | |     y)\n  | |_______^\n3 |   z\n  |\n\n"
		if got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	})
	t.Run("empty range and blank context lines", func(t *testing.T) {
		src := "\n\nimport os\nx = 1\n\n\n"
		s, _ := at(t, src, "os")
		got := renderOne(t, src, diagnostics.Diagnostic{Start: s, End: s, Message: "m"}, false)
		// Blank lines at the edges of the context window are dropped.
		want := "AM999 m\n --> m.py:3:8\n  |\n3 | import os\n  |        ^\n4 | x = 1\n  |\n\n"
		if got != want {
			t.Errorf("got\n%q\nwant\n%q", got, want)
		}
	})
}

func TestFullFixDiff(t *testing.T) {
	src := "import os\nimport sys\n\ndef f():\n    return 1\n"
	fix := func(app diagnostics.Applicability, edits ...diagnostics.Edit) []diagnostics.Fix {
		return []diagnostics.Fix{{Title: "Arreglar", Applicability: app, Edits: edits}}
	}
	diffOf := func(out string) string {
		i := strings.Index(out, "help: Arreglar\n")
		if i < 0 {
			t.Fatalf("no help line in\n%s", out)
		}
		return out[i+len("help: Arreglar\n"):]
	}
	t.Run("deleting a whole line", func(t *testing.T) {
		s, _ := at(t, src, "import os")
		_, e := at(t, src, "import os\n")
		got := diffOf(renderOne(t, src, diagnostics.Diagnostic{Start: s, End: e, Message: "m", Fixes: fix(diagnostics.Safe, diagnostics.Edit{Start: s, End: e})}, false))
		want := "  |\n  - import os\n1 | import sys\n  |\n\n"
		if got != want {
			t.Errorf("got\n%q\nwant\n%q", got, want)
		}
	})
	t.Run("inserting a line before another is an insertion", func(t *testing.T) {
		s, _ := at(t, src, "def f")
		got := diffOf(renderOne(t, src, diagnostics.Diagnostic{Start: s, End: s, Message: "m",
			Fixes: fix(diagnostics.Safe, diagnostics.Edit{Start: s, End: s, NewText: "@cache\n"})}, false))
		want := "  |\n3 |\n4 + @cache\n5 | def f():\n  |\n\n"
		if got != want {
			t.Errorf("got\n%q\nwant\n%q", got, want)
		}
	})
	t.Run("unsafe fix: diff only with --unsafe-fixes, then noted", func(t *testing.T) {
		s, e := at(t, src, "return 1")
		d := diagnostics.Diagnostic{Start: s, End: e, Message: "m",
			Fixes: fix(diagnostics.Unsafe, diagnostics.Edit{Start: s, End: e, NewText: "return await g()"})}
		if got := diffOf(renderOne(t, src, d, false)); got != "\n" {
			t.Errorf("without --unsafe-fixes the help line stands alone, got %q", got)
		}
		got := diffOf(renderOne(t, src, d, true))
		want := "  |\n4 | def f():\n  -     return 1\n5 +     return await g()\n  |\nnote: This is an unsafe fix and may change runtime behavior\n\n"
		if got != want {
			t.Errorf("got\n%q\nwant\n%q", got, want)
		}
	})
	t.Run("display-only fix: title, never a diff", func(t *testing.T) {
		s, e := at(t, src, "os")
		got := diffOf(renderOne(t, src, diagnostics.Diagnostic{Start: s, End: e, Message: "m",
			Fixes: fix(diagnostics.DisplayOnly, diagnostics.Edit{Start: s, End: e, NewText: "sys"})}, true))
		if got != "\n" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("nearby edits share a hunk", func(t *testing.T) {
		s1, e1 := at(t, src, "import sys")
		s2, e2 := at(t, src, "return 1")
		got := diffOf(renderOne(t, src, diagnostics.Diagnostic{Start: s1, End: e1, Message: "m", Fixes: fix(diagnostics.Safe,
			diagnostics.Edit{Start: s1, End: e1, NewText: "import asyncio"}, diagnostics.Edit{Start: s2, End: e2, NewText: "return 2"})}, false))
		want := "  |\n1 | import os\n  - import sys\n2 + import asyncio\n3 |\n4 | def f():\n  -     return 1\n5 +     return 2\n  |\n\n"
		if got != want {
			t.Errorf("got\n%q\nwant\n%q", got, want)
		}
	})
}

func TestSummary(t *testing.T) {
	src := "a\n"
	d := func(fixes ...diagnostics.Applicability) diagnostics.Diagnostic {
		dd := diagnostics.Diagnostic{Code: "AM101", Start: 0, End: 1, Message: "m"}
		for _, a := range fixes {
			dd.Fixes = append(dd.Fixes, diagnostics.Fix{Title: "t", Applicability: a, Edits: []diagnostics.Edit{{Start: 0, End: 1, NewText: "b"}}})
		}
		return dd
	}
	summary := func(unsafe bool, ds ...diagnostics.Diagnostic) string {
		out := render(t, []File{{Path: "/p/a.py", Source: []byte(src), Diagnostics: ds}}, Options{Format: "concise", UnsafeFixes: unsafe})
		return out[strings.Index(out, "Found"):]
	}
	for _, c := range []struct {
		name   string
		unsafe bool
		ds     []diagnostics.Diagnostic
		want   string
	}{
		{"one, no fix", false, []diagnostics.Diagnostic{d()}, "Found 1 error.\n"},
		{"safe fixes", false, []diagnostics.Diagnostic{d(diagnostics.Safe), d(diagnostics.Safe)}, "Found 2 errors.\n[*] 2 fixable with the `asyncmig fix` command.\n"},
		{"only hidden unsafe", false, []diagnostics.Diagnostic{d(diagnostics.Unsafe)}, "Found 1 error.\nNo fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).\n"},
		{"both", false, []diagnostics.Diagnostic{d(diagnostics.Safe), d(diagnostics.Unsafe), d(diagnostics.Unsafe)},
			"Found 3 errors.\n[*] 1 fixable with the `asyncmig fix` command (2 hidden fixes can be enabled with the `--unsafe-fixes` option).\n"},
		{"unsafe mode", true, []diagnostics.Diagnostic{d(diagnostics.Safe), d(diagnostics.Unsafe), d(diagnostics.DisplayOnly)},
			"Found 3 errors.\n[*] 2 fixable with the `asyncmig fix --unsafe-fixes` command.\n"},
		{"display-only is never a hint", false, []diagnostics.Diagnostic{d(diagnostics.DisplayOnly)}, "Found 1 error.\n"},
	} {
		if got := summary(c.unsafe, c.ds...); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
