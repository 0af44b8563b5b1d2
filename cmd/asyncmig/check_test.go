package main

import (
	"encoding/json"
	"encoding/xml"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/rules"
)

func TestCheckExitCodes(t *testing.T) {
	useRules(t, rules.AM501, rules.AM502)
	dir := newProject(t, map[string]string{
		"app/limpio.py": "# Módulo sin problemas ✅\nfrom datetime import datetime, timezone\n\nahora = datetime.now(timezone.utc)\n",
		"app/alta.py":   utcnowFile,
	})
	cases := []struct {
		name string
		args []string
		code int
		out  string // stdout must contain it
		err  string // stderr must contain it
	}{
		{"clean file", []string{"check", "app/limpio.py"}, exitClean, "No errors found.", ""},
		{"findings", []string{"check"}, exitFindings, "Found 1 error.", ""},
		{"explicit dot", []string{"check", "."}, exitFindings, "app/alta.py:5:42", ""},
		{"exit-zero", []string{"check", "--exit-zero"}, exitClean, "Found 1 error.", ""},
		{"flags after paths", []string{"check", "app", "--exit-zero"}, exitClean, "Found 1 error.", ""},
		{"missing path", []string{"check", "app/no_existe.py"}, exitError, "", "no_existe.py"},
		{"unknown flag", []string{"check", "--formato", "json"}, exitError, "", "-formato"},
		{"bad format", []string{"check", "--output-format", "xml"}, exitError, "", `unknown --output-format "xml"`},
		{"statistics in sarif", []string{"check", "--statistics", "--output-format", "sarif"}, exitError, "", "--statistics"},
		{"unknown selector", []string{"check", "--select", "AM9"}, exitError, "", `"AM9"`},
		{"bad target version", []string{"check", "--target-version", "py2"}, exitError, "", "py2"},
		{"bad --config", []string{"check", "--config", "selct = [\"AM5\"]"}, exitError, "", `did you mean "select"`},
		{"--config without =", []string{"check", "--config", "select"}, exitError, "", "KEY=VALUE"},
		{"help", []string{"check", "-h"}, exitClean, "usage: asyncmig check", ""},
		{"--format alias", []string{"check", "--format", "concise"}, exitFindings, "app/alta.py:5:42: AM501", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := asyncmig(t, tc.args...)
			if r.code != tc.code {
				t.Fatalf("%v: %s", tc.args, r)
			}
			if !strings.Contains(r.stdout, tc.out) || !strings.Contains(r.stderr, tc.err) {
				t.Errorf("want stdout ⊇ %q, stderr ⊇ %q; got %s", tc.out, tc.err, r)
			}
			if tc.code == exitError && tc.err != "" && r.stdout != "" {
				t.Errorf("a usage error prints nothing on stdout: %s", r)
			}
		})
	}
	_ = dir
}

// ruffDiagnostic is the shape of one element of `ruff check
// --output-format json` (ruff 0.6+), field by field with JSON types.
var ruffShape = map[string]string{
	"cell": "null", "code": "string", "end_location": "object", "filename": "string",
	"fix": "object|null", "location": "object", "message": "string", "noqa_row": "number", "url": "string",
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case float64:
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case bool:
		return "bool"
	}
	return "?"
}

func checkLocation(t *testing.T, what string, v any, row, col int) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok || len(m) != 2 {
		t.Errorf("%s: want {\"column\", \"row\"}, got %v", what, v)
		return
	}
	if m["row"] != float64(row) || m["column"] != float64(col) {
		t.Errorf("%s = row %v col %v, want row %d col %d", what, m["row"], m["column"], row, col)
	}
}

func TestCheckJSONHasRuffShape(t *testing.T) {
	dir := newProject(t, map[string]string{"app/alta.py": utcnowFile})
	r := asyncmig(t, "check", "--output-format", "json", "--select", "AM501")
	if r.code != exitFindings {
		t.Fatal(r)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, r.stdout)
	}
	if len(got) != 1 {
		t.Fatalf("want one diagnostic, got %d", len(got))
	}
	d := got[0]
	for key, typ := range ruffShape {
		v, ok := d[key]
		if !ok {
			t.Errorf("missing Ruff key %q", key)
			continue
		}
		if !strings.Contains(typ, jsonType(v)) {
			t.Errorf("%q is %s, Ruff has %s", key, jsonType(v), typ)
		}
	}
	if d["code"] != "AM501" || d["filename"] != filepath.Join(dir, "app", "alta.py") || d["noqa_row"] != float64(5) {
		t.Errorf("code/filename/noqa_row: %v %v %v", d["code"], d["filename"], d["noqa_row"])
	}
	if d["url"] != "https://github.com/asyncmig/asyncmig/blob/main/docs/rules/AM501.md" {
		t.Errorf("url = %v", d["url"])
	}
	// Columns count code points: "¡Olé! 🎉" is 7 of them but 12 bytes.
	checkLocation(t, "location", d["location"], 5, 42)
	checkLocation(t, "end_location", d["end_location"], 5, 59)
	fix := d["fix"].(map[string]any)
	if fix["applicability"] != "safe" || !strings.Contains(fix["message"].(string), "replace(tzinfo=None)") {
		t.Errorf("the fix shown without --unsafe-fixes is the safe one: %v", fix)
	}
	edits := fix["edits"].([]any)
	if len(edits) != 2 {
		t.Fatalf("want the call replacement and the import, got %v", edits)
	}
	for _, e := range edits {
		e := e.(map[string]any)
		if _, ok := e["content"].(string); !ok || e["location"] == nil || e["end_location"] == nil {
			t.Errorf("edit lacks Ruff's content/location/end_location: %v", e)
		}
	}
	importAt := -1
	for i, e := range edits {
		if e.(map[string]any)["content"] == ", timezone" {
			importAt = i
		}
	}
	if importAt < 0 {
		t.Fatalf("no edit adds `timezone` to the import: %v", edits)
	}
	checkLocation(t, "import edit", edits[importAt].(map[string]any)["location"], 1, 30)

	// --unsafe-fixes shows the fix `asyncmig fix --unsafe-fixes` applies:
	// RULES.md lists the aware one first.
	r = asyncmig(t, "check", "--output-format", "json", "--select", "AM501", "--unsafe-fixes")
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatal(err)
	}
	fix = got[0]["fix"].(map[string]any)
	if fix["applicability"] != "unsafe" || strings.Contains(fix["message"].(string), "tzinfo") {
		t.Errorf("with --unsafe-fixes the first listed fix is shown: %v", fix)
	}

	// JSON Lines: one object per line, same shape.
	r = asyncmig(t, "check", "--output-format", "json-lines", "--select", "AM501")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one line: %s", r)
	}
	var one map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &one); err != nil || one["code"] != "AM501" {
		t.Errorf("json-lines: %v %v", err, lines[0])
	}
}

func TestCheckOtherFormats(t *testing.T) {
	useRules(t, rules.AM501, rules.AM502)
	dir := newProject(t, map[string]string{"app/alta.py": utcnowFile, "app/limpio.py": "x = 1  # ñ\n"})
	sarif := asyncmig(t, "check", "--output-format", "sarif")
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID      string `json:"id"`
						HelpURI string `json:"helpUri"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(sarif.stdout), &log); err != nil || log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("sarif: %v %s", err, sarif)
	}
	if len(log.Runs[0].Results) != 1 || log.Runs[0].Results[0].RuleID != "AM501" {
		t.Errorf("sarif results: %+v", log.Runs[0].Results)
	}
	foundRule := false
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		if r.ID == "AM501" && strings.HasSuffix(r.HelpURI, "/docs/rules/AM501.md") {
			foundRule = true
		}
	}
	if !foundRule {
		t.Errorf("sarif rule table lacks AM501 with its docs URL: %+v", log.Runs[0].Tool.Driver.Rules)
	}

	gh := asyncmig(t, "check", "--output-format", "github")
	mustContain(t, "github output", gh.stdout, "::warning title=asyncmig (AM501),file="+filepath.Join(dir, "app", "alta.py")+",line=5,col=42,endLine=5,endColumn=59::")

	junit := asyncmig(t, "check", "--output-format", "junit")
	var suites struct {
		XMLName  xml.Name `xml:"testsuites"`
		Failures int      `xml:"failures,attr"`
	}
	if err := xml.Unmarshal([]byte(junit.stdout), &suites); err != nil || suites.Failures != 1 {
		t.Errorf("junit: %v failures=%d\n%s", err, suites.Failures, junit.stdout)
	}

	concise := asyncmig(t, "check", "--output-format", "concise")
	mustContain(t, "concise output", concise.stdout, "app/alta.py:5:42: AM501 [*] ", "Found 1 error.")
	full := asyncmig(t, "check")
	mustContain(t, "full output", full.stdout, "--> app/alta.py:5:42", `"¡Olé! 🎉"`, "help: Replace with", "[*] 1 fixable with the `asyncmig fix` command.")

	for _, format := range []string{"full", "concise", "json", "sarif", "github", "junit"} {
		if r := asyncmig(t, "check", "--output-format", format); r.code != exitFindings {
			t.Errorf("%s: exit %d, want 1", format, r.code)
		}
	}
}

func TestCheckStatisticsAndQuiet(t *testing.T) {
	newProject(t, map[string]string{
		"app/alta.py": utcnowFile,
		"app/token.py": "from datetime import datetime\n\n\ndef caduca(ts):\n    # Fecha de caducidad ⏰\n" +
			"    return datetime.utcfromtimestamp(ts), datetime.utcnow()\n",
	})
	r := asyncmig(t, "check", "--statistics", "--select", "AM5")
	if r.code != exitFindings {
		t.Fatal(r)
	}
	mustContain(t, "statistics", r.stdout, "2\tAM501\t[*] naive-utcnow", "1\tAM502\t[*] naive-utcfromtimestamp", "Found 3 errors.")
	if strings.Contains(r.stdout, "-->") {
		t.Errorf("--statistics prints counts, not findings:\n%s", r.stdout)
	}
	r = asyncmig(t, "check", "--statistics", "--select", "AM5", "--output-format", "json")
	var stats []struct {
		Code  string `json:"code"`
		Count int    `json:"count"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &stats); err != nil || len(stats) != 2 || stats[0].Code != "AM501" || stats[0].Count != 2 {
		t.Errorf("json statistics: %v %+v", err, stats)
	}

	q := asyncmig(t, "check", "--quiet", "--select", "AM5", "--output-format", "concise")
	if q.code != exitFindings || strings.Contains(q.stdout, "Found") || strings.Count(q.stdout, "\n") != 3 {
		t.Errorf("--quiet keeps the findings and drops the summary: %s", q)
	}
	if q := asyncmig(t, "check", "-q", "app/token.py", "--select", "AM502"); strings.Contains(q.stdout, "Found") {
		t.Errorf("-q: %s", q)
	}
}

func TestCheckSelection(t *testing.T) {
	useRules(t, rules.AM501, rules.AM502)
	newProject(t, map[string]string{
		"pyproject.toml": "[tool.asyncmig]\nignore = [\"AM502\"]\n",
		"app/token.py": "from datetime import datetime\n\n\ndef caduca(ts):\n    # Fecha de caducidad ⏰\n" +
			"    return datetime.utcfromtimestamp(ts), datetime.utcnow()\n",
	})
	codes := func(args ...string) string {
		r := asyncmig(t, append([]string{"check", "--output-format", "concise", "--quiet"}, args...)...)
		var out []string
		for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			if f := strings.Fields(line); len(f) > 1 {
				out = append(out, f[1])
			}
		}
		return strings.Join(out, " ")
	}
	cases := []struct {
		args []string
		want string
	}{
		{nil, "AM501"}, // the config ignores AM502
		{[]string{"--extend-select", "AM502"}, "AM501"}, // ignore still wins for the same code
		{[]string{"--ignore", "AM501"}, "AM502"},        // the flag replaces the config's ignore
		{[]string{"--select", "AM502", "--ignore", ""}, "AM502"},
		{[]string{"--select", "AM501,AM502", "--ignore", ""}, "AM502 AM501"},
		{[]string{"--select", "AM501", "--select", "AM502", "--ignore", ""}, "AM502 AM501"},
		{[]string{"--config", `ignore = ["AM5"]`}, ""},
		{[]string{"--config", "ignore = []"}, "AM502 AM501"},
	}
	for _, tc := range cases {
		if got := codes(tc.args...); got != tc.want {
			t.Errorf("%v: codes %q, want %q", tc.args, got, tc.want)
		}
	}
}

// The target version decides how AM501 spells UTC when the file already
// imports datetime.UTC (Python 3.11+).
func TestCheckTargetVersion(t *testing.T) {
	newProject(t, map[string]string{
		"app/alta.py": "from datetime import UTC, datetime\n\n# Registro 📝\nINICIO = datetime.now(UTC)\nalta = datetime.utcnow()\n",
	})
	fixMessage := func(args ...string) string {
		r := asyncmig(t, append([]string{"check", "--output-format", "json", "--select", "AM501", "--unsafe-fixes"}, args...)...)
		var got []struct {
			Fix struct {
				Message string `json:"message"`
			} `json:"fix"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 1 {
			t.Fatalf("%v: %s", err, r)
		}
		return got[0].Fix.Message
	}
	if m := fixMessage("--target-version", "py311"); !strings.Contains(m, "datetime.now(UTC)") {
		t.Errorf("py311: %q", m)
	}
	if m := fixMessage("--target-version", "py39"); !strings.Contains(m, "timezone.utc") {
		t.Errorf("py39: %q", m)
	}
	if m := fixMessage("--config", "target-version=py312"); !strings.Contains(m, "datetime.now(UTC)") {
		t.Errorf("--config target-version=py312 (bare word): %q", m)
	}
}

// A bad key in a config file is reported once for the whole run, however
// many files it governs, and the valid keys still apply.
func TestCheckConfigProblemsOnce(t *testing.T) {
	useRules(t, rules.AM501, rules.AM502)
	newProject(t, map[string]string{
		"pyproject.toml": "[tool.asyncmig]\nselct = [\"AM501\"]\nignore = [\"AM502\"]\n",
		"app/a.py":       utcnowFile,
		"app/sub/b.py":   utcnowFile,
		"app/sub/c.py":   "from datetime import datetime\nt = datetime.utcfromtimestamp(0)  # ñandú\n",
	})
	r := asyncmig(t, "check", "--output-format", "concise")
	if r.code != exitFindings {
		t.Fatal(r)
	}
	if n := strings.Count(r.stderr, `unknown key "selct"`); n != 1 {
		t.Errorf("the config problem is printed %d times, want once:\n%s", n, r.stderr)
	}
	mustContain(t, "stderr", r.stderr, "pyproject.toml:2:", `did you mean "select"?`)
	if strings.Contains(r.stdout, "AM502") || strings.Count(r.stdout, "AM501") != 2 {
		t.Errorf("the rest of the configuration (ignore AM502) must still apply:\n%s", r.stdout)
	}
}

// Files that cannot be read are named on stderr; the others are checked.
func TestCheckSkipsBinaryFiles(t *testing.T) {
	useRules(t, rules.AM501, rules.AM502)
	newProject(t, map[string]string{"app/alta.py": utcnowFile, "app/datos.py": "x = 1\x00\x00"})
	r := asyncmig(t, "check", "--output-format", "concise")
	if r.code != exitFindings {
		t.Fatal(r)
	}
	mustContain(t, "stderr", r.stderr, "skipped app/datos.py", "binary")
}

// Colours only for terminals, unless FORCE_COLOR asks; NO_COLOR always wins.
func TestCheckColor(t *testing.T) {
	useRules(t, rules.AM501)
	newProject(t, map[string]string{"app/alta.py": utcnowFile})
	t.Setenv("NO_COLOR", "")
	t.Setenv("FORCE_COLOR", "")
	if r := asyncmig(t, "check"); strings.Contains(r.stdout, "\x1b[") {
		t.Errorf("colours in a pipe:\n%s", r.stdout)
	}
	t.Setenv("FORCE_COLOR", "1")
	if r := asyncmig(t, "check"); !strings.Contains(r.stdout, "\x1b[") {
		t.Errorf("FORCE_COLOR=1 without colours:\n%s", r.stdout)
	}
	t.Setenv("NO_COLOR", "1")
	if r := asyncmig(t, "check"); strings.Contains(r.stdout, "\x1b[") {
		t.Errorf("NO_COLOR=1 with colours:\n%s", r.stdout)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		r := asyncmig(t, args...)
		if r.code != exitClean || r.stdout != "asyncmig "+version+"\n" {
			t.Errorf("%v: %s", args, r)
		}
	}
}
