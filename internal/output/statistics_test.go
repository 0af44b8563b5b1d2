package output

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// statisticsFiles adds to the fixture two more AM501 findings (all fixable)
// and a second AM102 without a fix, so the table has distinct counts and all
// three fixable markers.
func statisticsFiles(t *testing.T) []File {
	files := fixtureFiles(t)
	for i := range files {
		f := &files[i]
		switch f.Path {
		case reportesPath:
			for _, d := range f.Diagnostics {
				if d.Code == "AM501" {
					f.Diagnostics = append(f.Diagnostics, d, d)
					break
				}
			}
		case calculoPath:
			for _, d := range f.Diagnostics {
				if d.Code == "AM102" {
					d.Fixes = nil
					f.Diagnostics = append(f.Diagnostics, d)
					break
				}
			}
		}
	}
	return files
}

func renderStatistics(t *testing.T, files []File, opt Options) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteStatistics(&b, files, opt); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestStatisticsGolden(t *testing.T) {
	files := statisticsFiles(t)
	checkGolden(t, "statistics", renderStatistics(t, files, fixtureOptions("full")))
	unsafe := fixtureOptions("concise")
	unsafe.UnsafeFixes = true
	checkGolden(t, "statistics_unsafe_fixes", renderStatistics(t, files, unsafe))
	checkGolden(t, "statistics_json", renderStatistics(t, files, fixtureOptions("json")))
}

func TestStatisticsCounts(t *testing.T) {
	var got []statistic
	if err := json.Unmarshal([]byte(renderStatistics(t, statisticsFiles(t), fixtureOptions("json"))), &got); err != nil {
		t.Fatal(err)
	}
	want := []statistic{
		{Code: "AM501", Name: "naive-utcnow", Count: 3, Fixable: true, FixableCount: 3},
		{Code: "AM102", Name: "async-session-call-not-awaited", Count: 2, Fixable: false, FixableCount: 1},
		{Code: "AM101", Name: "query-on-async-session", Count: 1, Fixable: false, FixableCount: 0}, // unsafe only
		{Code: "AM105", Name: "async-session-to-sync-api", Count: 1},
		{Code: "AM304", Name: "event-loop-reentry", Count: 1, Fixable: true, FixableCount: 1},
		{Code: "AM403", Name: "legacy-twin-module", Count: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("#%d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestStatisticsRejectsOtherFormats(t *testing.T) {
	for _, format := range []string{"sarif", "github", "junit", "json-lines", "xml"} {
		var b bytes.Buffer
		err := WriteStatistics(&b, fixtureFiles(t), Options{Format: format})
		if err == nil || !strings.Contains(err.Error(), format) || b.Len() > 0 {
			t.Errorf("%s: err %v, wrote %q", format, err, b.String())
		}
	}
}
