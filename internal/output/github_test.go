package output

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
)

// GitHub parses "::level props::message" itself: a raw newline would end the
// command, and ":" or "," in a property value would split it. Values are
// escaped as @actions/core does.
func TestGitHubEscaping(t *testing.T) {
	src := []byte("x = 1\n")
	files := []File{{
		Path:   "/tmp/repo,v2/módulo:viejo.py",
		Source: src,
		Diagnostics: []diagnostics.Diagnostic{{
			Code: "AM501", Start: 0, End: 1, Severity: diagnostics.SeverityWarning,
			Message: "100% roto:\r\nsegunda línea, con coma",
		}},
	}}
	got := render(t, files, Options{Format: "github"})
	want := "::warning title=asyncmig (AM501),file=/tmp/repo%2Cv2/módulo%3Aviejo.py,line=1,col=1,endLine=1,endColumn=2" +
		"::AM501 100%25 roto:%0D%0Asegunda línea, con coma\n"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if strings.Count(got, "\n") != 1 {
		t.Errorf("one diagnostic must be one line, got %q", got)
	}
}

func TestGitHubLevelsAndMultilineRanges(t *testing.T) {
	src := []byte("a = (\n    b)\n")
	d := func(sev diagnostics.Severity, start, end int) diagnostics.Diagnostic {
		return diagnostics.Diagnostic{Code: "AM101", Message: "m", Severity: sev, Start: start, End: end}
	}
	files := []File{{Path: "/p/a.py", Source: src, Diagnostics: []diagnostics.Diagnostic{
		d(diagnostics.SeverityError, 0, 1),
		d(diagnostics.SeverityInformation, 1, 2),
		d(diagnostics.SeverityHint, 2, 3),
		d(diagnostics.SeverityWarning, 4, 11), // "(" … "b)": two lines
	}}}
	lines := strings.Split(strings.TrimSuffix(render(t, files, Options{Format: "github"}), "\n"), "\n")
	wantPrefixes := []string{
		"::error title=asyncmig (AM101),file=/p/a.py,line=1,col=1,endLine=1,endColumn=2::",
		"::notice title=asyncmig (AM101),file=/p/a.py,line=1,col=2,endLine=1,endColumn=3::",
		"::notice title=asyncmig (AM101),file=/p/a.py,line=1,col=3,endLine=1,endColumn=4::",
		// GitHub rejects col/endColumn on an annotation spanning lines.
		"::warning title=asyncmig (AM101),file=/p/a.py,line=1,endLine=2::",
	}
	if len(lines) != len(wantPrefixes) {
		t.Fatalf("got %d annotations: %q", len(lines), lines)
	}
	for i, want := range wantPrefixes {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("annotation %d:\n got %s\nwant %s…", i, lines[i], want)
		}
	}
}
