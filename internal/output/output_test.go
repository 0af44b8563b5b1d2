package output

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
)

func TestFormats(t *testing.T) {
	got := Formats()
	want := []string{"full", "concise", "json", "json-lines", "sarif", "github", "junit"}
	if !slices.Equal(got, want) {
		t.Fatalf("Formats() = %v", got)
	}
	got[0] = "changed"
	if Formats()[0] != "full" {
		t.Error("Formats returns shared state")
	}
	for _, f := range want {
		if err := Write(&bytes.Buffer{}, fixtureFiles(t), fixtureOptions(f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	// The empty format is the default one.
	if a, b := render(t, fixtureFiles(t), fixtureOptions("")), render(t, fixtureFiles(t), fixtureOptions("full")); a != b {
		t.Error(`Format "" differs from "full"`)
	}
}

// Bad input is reported before anything is written, with what is wrong and
// where; nothing panics.
func TestWriteRejectsBadInput(t *testing.T) {
	src := []byte("x = datetime.utcnow()\n") // 22 bytes
	diag := func(mod func(*diagnostics.Diagnostic)) []File {
		d := diagnostics.Diagnostic{Code: "AM501", Start: 4, End: 21, Message: "m", Severity: diagnostics.SeverityWarning}
		mod(&d)
		return []File{{Path: "/p/a.py", DisplayPath: "a.py", Source: src, Diagnostics: []diagnostics.Diagnostic{d}}}
	}
	cases := []struct {
		name  string
		files []File
		opt   Options
		want  string
	}{
		{"unknown format", diag(func(*diagnostics.Diagnostic) {}), Options{Format: "xml"}, `unknown format "xml" (want one of full, concise, json`},
		{"end before start", diag(func(d *diagnostics.Diagnostic) { d.End = 2 }), Options{}, "a.py: AM501 diagnostic at byte 4: range [4, 2) does not fit the 22-byte file"},
		{"past the end", diag(func(d *diagnostics.Diagnostic) { d.End = 23 }), Options{}, "range [4, 23)"},
		{"negative", diag(func(d *diagnostics.Diagnostic) { d.Start = -1 }), Options{}, "range [-1, 21)"},
		{"edit out of range", diag(func(d *diagnostics.Diagnostic) {
			d.Fixes = []diagnostics.Fix{{Title: "Arreglar", Applicability: diagnostics.Safe, Edits: []diagnostics.Edit{{Start: 30, End: 31}}}}
		}), Options{Format: "json"}, `fix "Arreglar": edit range [30, 31)`},
		{"related out of range", diag(func(d *diagnostics.Diagnostic) {
			d.Related = []diagnostics.Related{{Start: 0, End: 99, Message: "aquí"}}
		}), Options{Format: "sarif"}, "related location in a.py: range [0, 99)"},
		{"no code", diag(func(d *diagnostics.Diagnostic) { d.Code = "" }), Options{}, "has no code"},
		{"no path", []File{{Source: src}}, Options{}, "file 0 has no path"},
		{"same path twice", []File{{Path: "/p/a.py"}, {Path: "/p/a.py"}}, Options{}, "/p/a.py is listed twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			writers := map[string]func(*bytes.Buffer) error{
				"Write": func(b *bytes.Buffer) error { return Write(b, c.files, c.opt) },
			}
			if c.opt.Format == "" || c.opt.Format == "json" { // the formats statistics has
				writers["WriteStatistics"] = func(b *bytes.Buffer) error { return WriteStatistics(b, c.files, c.opt) }
			}
			for name, write := range writers {
				var b bytes.Buffer
				err := write(&b)
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Errorf("%s: err = %v, want it to mention %q", name, err, c.want)
				}
				if b.Len() > 0 {
					t.Errorf("%s wrote %q before failing", name, b.String())
				}
			}
		})
	}
}

// Diagnostics may sit on an empty file or at its very end.
func TestWriteEdgeRanges(t *testing.T) {
	files := []File{
		{Path: "/p/vacío.py", Diagnostics: []diagnostics.Diagnostic{{Code: "AM403", Message: "vacío"}}},
		{Path: "/p/fin.py", Source: []byte("x = 1"), Diagnostics: []diagnostics.Diagnostic{{Code: "AM402", Start: 5, End: 5, Message: "fin"}}},
	}
	for _, f := range Formats() {
		if err := Write(&bytes.Buffer{}, files, Options{Format: f, WorkDir: "/p"}); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	got := render(t, files, Options{Format: "concise", Quiet: true})
	if want := "/p/fin.py:1:6: AM402 fin\n/p/vacío.py:1:1: AM403 vacío\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestWriteDoesNotReorderCallerSlices(t *testing.T) {
	files := fixtureFiles(t)
	before := make([][]string, len(files))
	for i, f := range files {
		before[i] = append(before[i], f.Path)
		for _, d := range f.Diagnostics {
			before[i] = append(before[i], d.Code)
		}
	}
	for _, f := range Formats() {
		render(t, files, fixtureOptions(f))
	}
	for i, f := range files {
		after := []string{f.Path}
		for _, d := range f.Diagnostics {
			after = append(after, d.Code)
		}
		if !slices.Equal(before[i], after) {
			t.Errorf("file %d changed from %v to %v", i, before[i], after)
		}
	}
}

func TestColorOnlyWhenAsked(t *testing.T) {
	for _, f := range []string{"full", "concise"} {
		opt := fixtureOptions(f)
		opt.UnsafeFixes = true // diffs and notes too
		plain := render(t, fixtureFiles(t), opt)
		if strings.Contains(plain, "\x1b[") {
			t.Errorf("%s without Color has escape codes", f)
		}
		opt.Color = true
		colored := render(t, fixtureFiles(t), opt)
		if !strings.Contains(colored, "\x1b[1;31mAM501\x1b[0m") {
			t.Errorf("%s with Color does not colour the rule code", f)
		}
		if stripANSI(colored) != plain {
			t.Errorf("%s: colour changed the text itself:\n%s", f, lineDiff(plain, stripANSI(colored)))
		}
	}
	// Machine formats never get colour.
	for _, f := range []string{"json", "json-lines", "sarif", "github", "junit"} {
		opt := fixtureOptions(f)
		opt.Color = true
		if strings.Contains(render(t, fixtureFiles(t), opt), "\x1b[") {
			t.Errorf("%s has escape codes", f)
		}
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return b.String() + s
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], 'm')
		s = s[i+j+1:]
	}
}

// Related information pointing into a file that is not written is shown
// with its position only when ReadSource can load it, and its offsets
// still fit; otherwise by path, without failing the output.
func TestRelatedInFileNotWritten(t *testing.T) {
	src := []byte("await servicio.obtener(db)\n")
	other := []byte("# servicio síncrono 🐢\ndef obtener(db: Session):\n    pass\n")
	start := bytes.Index(other, []byte("db: Session"))
	files := []File{{
		Path: "/p/app/api.py", DisplayPath: "app/api.py", Source: src,
		Diagnostics: []diagnostics.Diagnostic{{
			Code: "AM302", Start: 0, End: 26, Message: "await on sync", Severity: diagnostics.SeverityError,
			Related: []diagnostics.Related{{Path: "/p/app/servicio.py", Start: start, End: start + 11, Message: "declared sync here"}},
		}},
	}}
	opt := Options{Format: "full", WorkDir: "/p"}
	if got := render(t, files, opt); !strings.Contains(got, "info: declared sync here\n --> app/servicio.py\n") {
		t.Errorf("without ReadSource:\n%s", got)
	}

	reads := 0
	opt.ReadSource = func(path string) ([]byte, error) {
		reads++
		if path != "/p/app/servicio.py" {
			t.Errorf("read %s", path)
		}
		return other, nil
	}
	got := render(t, files, opt)
	if reads != 1 {
		t.Errorf("ReadSource called %d times, want 1", reads)
	}
	want := " --> app/servicio.py:2:13\n  |\n1 | # servicio síncrono 🐢\n2 | def obtener(db: Session):\n  |             ^^^^^^^^^^^\n3 |     pass\n  |\n"
	if !strings.Contains(got, want) {
		t.Errorf("with ReadSource, want\n%s\nin\n%s", want, got)
	}
	opt.Format = "github"
	if got := render(t, files, opt); !strings.Contains(got, "%0A  app/servicio.py:2:13: info: declared sync here") {
		t.Errorf("github: %s", got)
	}

	// The file changed on disk since the analysis: its offsets no longer fit.
	opt.Format = "sarif"
	opt.ReadSource = func(string) ([]byte, error) { return []byte("x"), nil }
	if got := render(t, files, opt); strings.Count(got, `"region"`) != 1 {
		t.Errorf("stale related file still got a region:\n%s", got)
	}
	opt.ReadSource = func(string) ([]byte, error) { return nil, errors.New("gone") }
	render(t, files, opt)
}
