package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/asyncmig/asyncmig/diagnostics"
)

type decodedLocation struct {
	Row    int `json:"row"`
	Column int `json:"column"`
}

type decodedDiagnostic struct {
	Cell        json.RawMessage `json:"cell"`
	Code        string          `json:"code"`
	Message     string          `json:"message"`
	Name        string          `json:"name"`
	Filename    string          `json:"filename"`
	Location    decodedLocation `json:"location"`
	EndLocation decodedLocation `json:"end_location"`
	Fix         *struct {
		Applicability string `json:"applicability"`
		Message       string `json:"message"`
		Edits         []struct {
			Content     string          `json:"content"`
			Location    decodedLocation `json:"location"`
			EndLocation decodedLocation `json:"end_location"`
		} `json:"edits"`
	} `json:"fix"`
	URL      string `json:"url"`
	NoqaRow  int    `json:"noqa_row"`
	Severity string `json:"severity"`
}

// naiveLocation is the test's own oracle for Ruff's row/column: it walks the
// text line by line ("\n", "\r\n" and "\r" end lines) and counts code points.
func naiveLocation(src []byte, offset int) decodedLocation {
	row, lineStart := 1, 0
	for i := 0; i < offset; i++ {
		switch src[i] {
		case '\n':
			row, lineStart = row+1, i+1
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				continue // the "\n" ends the line
			}
			row, lineStart = row+1, i+1
		}
	}
	return decodedLocation{Row: row, Column: utf8.RuneCount(src[lineStart:offset]) + 1}
}

func decodeJSON(t *testing.T, out string) []decodedDiagnostic {
	t.Helper()
	var got []decodedDiagnostic
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("output is not Ruff-shaped JSON: %v\n%s", err, out)
	}
	return got
}

func TestJSONFieldByField(t *testing.T) {
	files := fixtureFiles(t)
	sources := map[string][]byte{}
	var want []*diagnostics.Diagnostic
	for _, f := range files {
		sources[f.Path] = f.Source
	}
	// Output order: by path, then by position.
	for _, path := range []string{calculoPath, reportesPath, utilPath} {
		for _, f := range files {
			if f.Path != path {
				continue
			}
			ds := f.Diagnostics
			order := map[string][]int{calculoPath: {1, 0}, reportesPath: {1, 2, 0}, utilPath: {0}}[path]
			for _, i := range order {
				want = append(want, &ds[i])
			}
		}
	}

	for _, unsafe := range []bool{false, true} {
		opt := fixtureOptions("json")
		opt.UnsafeFixes = unsafe
		got := decodeJSON(t, render(t, files, opt))
		if len(got) != len(want) {
			t.Fatalf("unsafe=%v: %d diagnostics, want %d", unsafe, len(got), len(want))
		}
		for i, g := range got {
			w := want[i]
			src := sources[g.Filename]
			if src == nil {
				t.Fatalf("filename %q is not one of the absolute input paths", g.Filename)
			}
			if g.Code != w.Code || g.Message != w.Message || g.Name != w.Name || g.Severity != w.Severity.String() {
				t.Errorf("#%d: got %s %q (%s, %s), want %s %q (%s, %s)", i, g.Code, g.Message, g.Name, g.Severity, w.Code, w.Message, w.Name, w.Severity)
			}
			if string(g.Cell) != "null" {
				t.Errorf("%s: cell = %s, want null", g.Code, g.Cell)
			}
			if loc := naiveLocation(src, w.Start); g.Location != loc {
				t.Errorf("%s: location %+v, want %+v (code points, 1-based)", g.Code, g.Location, loc)
			}
			if loc := naiveLocation(src, w.End); g.EndLocation != loc {
				t.Errorf("%s: end_location %+v, want %+v", g.Code, g.EndLocation, loc)
			}
			if g.NoqaRow != g.Location.Row {
				t.Errorf("%s: noqa_row %d, want the start row %d", g.Code, g.NoqaRow, g.Location.Row)
			}
			if g.URL != diagnostics.RuleURL(w.Code) {
				t.Errorf("%s: url %q", g.Code, g.URL)
			}

			wantFix := w.PreferredFix(unsafe)
			if wantFix == nil && len(w.Fixes) > 0 {
				wantFix = &w.Fixes[0]
			}
			if wantFix == nil {
				if g.Fix != nil {
					t.Errorf("%s: fix %+v, want null", g.Code, g.Fix)
				}
				continue
			}
			if g.Fix == nil {
				t.Fatalf("%s: fix is null, want %q", g.Code, wantFix.Title)
			}
			if g.Fix.Message != wantFix.Title || g.Fix.Applicability != wantFix.Applicability.String() || len(g.Fix.Edits) != len(wantFix.Edits) {
				t.Fatalf("unsafe=%v %s: fix %q (%s, %d edits), want %q (%s, %d edits)", unsafe, g.Code,
					g.Fix.Message, g.Fix.Applicability, len(g.Fix.Edits), wantFix.Title, wantFix.Applicability, len(wantFix.Edits))
			}
			for j, e := range g.Fix.Edits {
				we := wantFix.Edits[j]
				if e.Content != we.NewText || e.Location != naiveLocation(src, we.Start) || e.EndLocation != naiveLocation(src, we.End) {
					t.Errorf("%s edit %d: %q at %+v-%+v, want %q at %+v-%+v", g.Code, j, e.Content, e.Location, e.EndLocation,
						we.NewText, naiveLocation(src, we.Start), naiveLocation(src, we.End))
				}
			}
		}
	}
}

// The emoji and accents before AM501 on its line must not shift its column:
// Ruff counts code points, not bytes (which would give 52) nor UTF-16 units.
func TestJSONColumnsCountCodePoints(t *testing.T) {
	got := decodeJSON(t, render(t, fixtureFiles(t), fixtureOptions("json")))
	for _, g := range got {
		if g.Code == "AM501" {
			if g.Location != (decodedLocation{Row: 12, Column: 45}) || g.EndLocation != (decodedLocation{Row: 12, Column: 62}) {
				t.Errorf("AM501 at %+v-%+v, want 12:45-12:62", g.Location, g.EndLocation)
			}
			return
		}
	}
	t.Fatal("no AM501 in output")
}

func TestJSONLinesMatchesJSON(t *testing.T) {
	files := fixtureFiles(t)
	array := decodeJSON(t, render(t, files, fixtureOptions("json")))
	lines := render(t, files, fixtureOptions("json-lines"))
	sc := bufio.NewScanner(strings.NewReader(lines))
	sc.Buffer(nil, 1<<20)
	i := 0
	for ; sc.Scan(); i++ {
		line := sc.Bytes()
		if i >= len(array) {
			t.Fatalf("more lines than diagnostics: %s", line)
		}
		compact, _ := json.Marshal(array[i])
		var one decodedDiagnostic
		if err := json.Unmarshal(line, &one); err != nil {
			t.Fatalf("line %d is not a JSON object: %v", i+1, err)
		}
		again, _ := json.Marshal(one)
		if !bytes.Equal(compact, again) {
			t.Errorf("line %d differs from the JSON array's element:\n%s\n%s", i+1, again, compact)
		}
	}
	if i != len(array) {
		t.Errorf("%d lines, want %d", i, len(array))
	}
}

func TestJSONEmpty(t *testing.T) {
	for format, want := range map[string]string{"json": "[]\n", "json-lines": ""} {
		if got := render(t, nil, fixtureOptions(format)); got != want {
			t.Errorf("%s with no diagnostics: %q, want %q", format, got, want)
		}
	}
}
