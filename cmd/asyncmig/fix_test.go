package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

const (
	utcnowSafe   = "from datetime import datetime, timezone\n\n\ndef alta(socio):\n    socio.nota = \"¡Olé! 🎉\"; socio.alta = datetime.now(timezone.utc).replace(tzinfo=None)\n    return socio\n"
	utcnowUnsafe = "from datetime import datetime, timezone\n\n\ndef alta(socio):\n    socio.nota = \"¡Olé! 🎉\"; socio.alta = datetime.now(timezone.utc)\n    return socio\n"
)

func TestFixAppliesSafeFixesAndWrites(t *testing.T) {
	useRules(t, rules.AM501, rules.AM502)
	dir := newProject(t, map[string]string{"app/alta.py": utcnowFile, "app/limpio.py": "x = 1  # sin cambios ✅\n"})
	r := asyncmig(t, "fix")
	if r.code != exitClean || r.stdout != "Fixed 1 error in 1 file.\n" {
		t.Fatal(r)
	}
	if got := read(t, filepath.Join(dir, "app/alta.py")); got != utcnowSafe {
		t.Errorf("fixed file:\n%s\nwant:\n%s", got, utcnowSafe)
	}
	if got := read(t, filepath.Join(dir, "app/limpio.py")); got != "x = 1  # sin cambios ✅\n" {
		t.Errorf("an untouched file changed: %q", got)
	}
	if r := asyncmig(t, "fix"); r.code != exitClean || r.stdout != "No errors found.\n" {
		t.Errorf("second run: %s", r)
	}
	if r := asyncmig(t, "check"); r.code != exitClean {
		t.Errorf("check after fix: %s", r)
	}
}

func TestFixUnsafeFixes(t *testing.T) {
	useRules(t, rules.AM501, rules.AM502)
	dir := newProject(t, map[string]string{"app/alta.py": utcnowFile})
	r := asyncmig(t, "fix", "--unsafe-fixes", "app")
	if r.code != exitClean {
		t.Fatal(r)
	}
	if got := read(t, filepath.Join(dir, "app/alta.py")); got != utcnowUnsafe {
		t.Errorf("--unsafe-fixes applies the first listed fix:\n%s\nwant:\n%s", got, utcnowUnsafe)
	}

	// The config's unsafe-fixes = true does the same, and the flag can turn it off.
	dir = newProject(t, map[string]string{"pyproject.toml": "[tool.asyncmig]\nunsafe-fixes = true\n", "app/alta.py": utcnowFile})
	if r := asyncmig(t, "fix", "--unsafe-fixes=false"); r.code != exitClean || read(t, filepath.Join(dir, "app/alta.py")) != utcnowSafe {
		t.Errorf("--unsafe-fixes=false over the config: %s\n%s", r, read(t, filepath.Join(dir, "app/alta.py")))
	}
	dir = newProject(t, map[string]string{"pyproject.toml": "[tool.asyncmig]\nunsafe-fixes = true\n", "app/alta.py": utcnowFile})
	if r := asyncmig(t, "fix"); r.code != exitClean || read(t, filepath.Join(dir, "app/alta.py")) != utcnowUnsafe {
		t.Errorf("unsafe-fixes = true in the config: %s", r)
	}
}

func TestFixDiff(t *testing.T) {
	useRules(t, rules.AM501, rules.AM502)
	dir := newProject(t, map[string]string{"app/alta.py": utcnowFile})
	want := `--- a/app/alta.py
+++ b/app/alta.py
@@ -1,6 +1,6 @@
-from datetime import datetime
+from datetime import datetime, timezone
 
 
 def alta(socio):
-    socio.nota = "¡Olé! 🎉"; socio.alta = datetime.utcnow()
+    socio.nota = "¡Olé! 🎉"; socio.alta = datetime.now(timezone.utc).replace(tzinfo=None)
     return socio
`
	for _, flag := range []string{"--diff", "--check"} {
		r := asyncmig(t, "fix", flag)
		if r.code != exitFindings {
			t.Fatalf("%s: exit %d, want 1 (something would change)\n%s", flag, r.code, r)
		}
		if r.stdout != want {
			t.Errorf("%s printed:\n%s\nwant:\n%s", flag, r.stdout, want)
		}
		mustContain(t, flag+" stderr", r.stderr, "Would fix 1 error in 1 file.")
		if got := read(t, filepath.Join(dir, "app/alta.py")); got != utcnowFile {
			t.Errorf("%s wrote the file", flag)
		}
	}
	// The patch applies with git to give what `fix` writes.
	if git, err := exec.LookPath("git"); err == nil {
		r := asyncmig(t, "fix", "--diff")
		os.WriteFile(filepath.Join(dir, "fix.patch"), []byte(r.stdout), 0o644)
		cmd := exec.Command(git, "apply", "--unsafe-paths", "fix.patch")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git apply: %v\n%s", err, out)
		}
		if got := read(t, filepath.Join(dir, "app/alta.py")); got != utcnowSafe {
			t.Errorf("patched file:\n%s", got)
		}
	}
	// Nothing to change: no diff, exit 0.
	if r := asyncmig(t, "fix", "--diff"); r.code != exitClean || r.stdout != "" {
		t.Errorf("clean project: %s", r)
	}
}

func TestFixSelection(t *testing.T) {
	useRules(t, rules.AM501, rules.AM502)
	src := "from datetime import datetime\n\n\ndef caduca(ts):\n    # Fecha de caducidad ⏰\n    return datetime.utcfromtimestamp(ts), datetime.utcnow()\n"
	dir := newProject(t, map[string]string{"app/token.py": src})
	r := asyncmig(t, "fix", "--select", "AM502")
	if r.code != exitClean || r.stdout != "Fixed 1 error in 1 file.\n" {
		t.Fatal(r)
	}
	got := read(t, filepath.Join(dir, "app/token.py"))
	if !strings.Contains(got, "datetime.utcnow()") || strings.Contains(got, "utcfromtimestamp") {
		t.Errorf("--select AM502 fixes AM502 only:\n%s", got)
	}
	r = asyncmig(t, "fix", "--ignore", "AM501")
	if r.code != exitClean || r.stdout != "No errors found.\n" {
		t.Errorf("--ignore AM501: %s", r)
	}
	if r := asyncmig(t, "fix", "--select", "AM7"); r.code != exitError {
		t.Errorf("bad selector: %s", r)
	}
}

// Findings without a fix are counted as remaining, and the exit code says
// that work is left.
func TestFixSummaryWithRemaining(t *testing.T) {
	useRules(t, rules.AM501, rules.AM502)
	newProject(t, map[string]string{
		"app/a.py": utcnowFile,
		"app/b.py": utcnowFile,
		// utcnow with an argument has no mechanical fix.
		"app/c.py": "from datetime import datetime\n\nraro = datetime.utcnow(None)  # 🤔\n",
	})
	r := asyncmig(t, "fix")
	if r.code != exitFindings || r.stdout != "Fixed 2 errors in 2 files, 1 remaining needs manual changes.\n" {
		t.Errorf("%s", r)
	}
	if r := asyncmig(t, "fix", "--quiet"); r.stdout != "" || r.code != exitFindings {
		t.Errorf("--quiet: %s", r)
	}
}

func TestFixSummaryWording(t *testing.T) {
	cases := []struct {
		diff                                bool
		fixed, files, remaining, unsafeOnly int
		want                                string
	}{
		{false, 0, 0, 0, 0, "No errors found."},
		{false, 37, 12, 4, 0, "Fixed 37 errors in 12 files, 4 remaining need manual changes."},
		{false, 1, 1, 0, 0, "Fixed 1 error in 1 file."},
		{true, 3, 2, 0, 0, "Would fix 3 errors in 2 files."},
		{false, 0, 0, 2, 0, "Nothing to fix, 2 remaining need manual changes."},
		{false, 2, 1, 3, 3, "Fixed 2 errors in 1 file, 3 remaining fixable with `--unsafe-fixes`."},
		{false, 2, 1, 5, 3, "Fixed 2 errors in 1 file, 5 remaining: 3 fixable with `--unsafe-fixes`, 2 need manual changes."},
		{false, 2, 1, 4, 3, "Fixed 2 errors in 1 file, 4 remaining: 3 fixable with `--unsafe-fixes`, 1 needs manual changes."},
	}
	for _, tc := range cases {
		if got := fixSummary(tc.diff, tc.fixed, tc.files, tc.remaining, tc.unsafeOnly); got != tc.want {
			t.Errorf("fixSummary(%v, %d, %d, %d, %d) = %q, want %q", tc.diff, tc.fixed, tc.files, tc.remaining, tc.unsafeOnly, got, tc.want)
		}
	}
}

// The fixed file replaces the old one atomically and keeps its mode; no
// temporary file is left behind.
func TestFixKeepsFileMode(t *testing.T) {
	useRules(t, rules.AM501, rules.AM502)
	dir := newProject(t, map[string]string{"app/alta.py": utcnowFile, "app/script.py": "#!/usr/bin/env python3\n" + utcnowFile})
	os.Chmod(filepath.Join(dir, "app/alta.py"), 0o640)
	os.Chmod(filepath.Join(dir, "app/script.py"), 0o755)
	if r := asyncmig(t, "fix"); r.code != exitClean {
		t.Fatal(r)
	}
	for name, mode := range map[string]os.FileMode{"app/alta.py": 0o640, "app/script.py": 0o755} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v", name, info.Mode().Perm(), mode)
		}
	}
	if got := read(t, filepath.Join(dir, "app/alta.py")); got != utcnowSafe {
		t.Errorf("not fixed: %s", got)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "app"))
	if len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

// Windows-saved files keep their byte order mark and CRLF line ends.
func TestFixKeepsCRLFAndBOM(t *testing.T) {
	useRules(t, rules.AM501, rules.AM502)
	crlf := func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }
	dir := newProject(t, map[string]string{
		"app/alta.py":  "\ufeff" + crlf(utcnowFile),
		"app/token.py": "\ufeff" + crlf("# Caducidad ⏰\nimport datetime\n\nfin = datetime.datetime.utcfromtimestamp(0)\n"),
	})
	if r := asyncmig(t, "fix"); r.code != exitClean || r.stdout != "Fixed 2 errors in 2 files.\n" {
		t.Fatal(r)
	}
	want := map[string]string{
		"app/alta.py":  "\ufeff" + crlf(utcnowSafe),
		"app/token.py": "\ufeff" + crlf("# Caducidad ⏰\nimport datetime\n\nfin = datetime.datetime.fromtimestamp(0, tz=datetime.timezone.utc).replace(tzinfo=None)\n"),
	}
	for name, w := range want {
		got := read(t, filepath.Join(dir, name))
		if got != w {
			t.Errorf("%s:\n%q\nwant\n%q", name, got, w)
		}
		if strings.Count(got, "\n") != strings.Count(got, "\r\n") {
			t.Errorf("%s: a bare LF crept in", name)
		}
	}
	// The diff shows the CRLF lines as they are, and git applies it.
	dir = newProject(t, map[string]string{"app/alta.py": "\ufeff" + crlf(utcnowFile)})
	r := asyncmig(t, "fix", "--diff")
	mustContain(t, "diff", r.stdout, "-\ufefffrom datetime import datetime\r\n", "+\ufefffrom datetime import datetime, timezone\r\n")
}

// breakingRule's fix leaves an unclosed parenthesis: the fixer must refuse
// it, name the file, and leave it as it was.
var breakingRule = &diagnostics.Rule{
	Code: "AM999", Name: "test-breaking-fix", Severity: diagnostics.SeverityWarning, Summary: "test",
	Fix: diagnostics.FixAlways, Kinds: []pysyntax.Kind{pysyntax.Call},
	Check: func(p *diagnostics.Pass, call pysyntax.Node) {
		if !call.ChildByField(pysyntax.FieldFunction).TextIs("romper") {
			return
		}
		p.Report(diagnostics.Diagnostic{Start: call.Start(), End: call.End(), Message: "romper()",
			Fixes: []diagnostics.Fix{{Title: "break it", Applicability: diagnostics.Safe,
				Edits: []diagnostics.Edit{{Start: call.End(), End: call.End(), NewText: "(("}}}}})
	},
}

func TestFixLeavesFilesThatWouldNotParse(t *testing.T) {
	useRules(t, rules.AM501, breakingRule)
	src := "# Roto a propósito 💥\nromper()\n"
	dir := newProject(t, map[string]string{"app/roto.py": src})
	r := asyncmig(t, "fix", "--select", "AM")
	if read(t, filepath.Join(dir, "app/roto.py")) != src {
		t.Errorf("the file changed")
	}
	mustContain(t, "stderr", r.stderr, "app/roto.py: 1 fix left out", "would have broken the syntax")
	if r.code != exitFindings || !strings.Contains(r.stdout, "Nothing to fix, 1 remaining") {
		t.Errorf("%s", r)
	}
}

func TestFixSkipsFilesWithSyntaxErrors(t *testing.T) {
	useRules(t, rules.AM501, rules.AM502)
	broken := "from datetime import datetime\n\nalta = datetime.utcnow()\n\ndef roto(:  # ¡falta algo! 🙈\n    pass\n"
	dir := newProject(t, map[string]string{"app/roto.py": broken, "app/alta.py": utcnowFile})
	r := asyncmig(t, "fix")
	if got := read(t, filepath.Join(dir, "app/roto.py")); got != broken {
		t.Errorf("a file with a syntax error was changed:\n%s", got)
	}
	if got := read(t, filepath.Join(dir, "app/alta.py")); got != utcnowSafe {
		t.Errorf("the other file was not fixed:\n%s", got)
	}
	mustContain(t, "stderr", r.stderr, "app/roto.py: not fixed: syntax error on line 5")
	if r.code != exitFindings || !strings.Contains(r.stdout, "Fixed 1 error in 1 file, 1 remaining") {
		t.Errorf("%s", r)
	}
}

// loopRule's fix always produces another finding: the pass cap stops it
// with a warning instead of running forever.
var loopRule = &diagnostics.Rule{
	Code: "AM998", Name: "test-endless-fix", Severity: diagnostics.SeverityWarning, Summary: "test",
	Fix: diagnostics.FixAlways, Kinds: []pysyntax.Kind{pysyntax.Integer},
	Check: func(p *diagnostics.Pass, n pysyntax.Node) {
		p.Report(diagnostics.Diagnostic{Start: n.Start(), End: n.End(), Message: "número",
			Fixes: []diagnostics.Fix{{Title: "grow", Applicability: diagnostics.Safe,
				Edits: []diagnostics.Edit{{Start: n.End(), End: n.End(), NewText: "1"}}}}})
	},
}

func TestFixStopsAtThePassCap(t *testing.T) {
	useRules(t, loopRule)
	dir := newProject(t, map[string]string{"app/n.py": "n = 1  # uno\n"})
	r := asyncmig(t, "fix", "--select", "AM")
	mustContain(t, "stderr", r.stderr, "still changing the code after 10 passes")
	if got := read(t, filepath.Join(dir, "app/n.py")); got != "n = "+strings.Repeat("1", 11)+"  # uno\n" {
		t.Errorf("got %q", got)
	}
	if r.code != exitFindings {
		t.Errorf("%s", r)
	}
}

func TestFixUsageErrors(t *testing.T) {
	newProject(t, map[string]string{"app/alta.py": utcnowFile})
	for _, args := range [][]string{
		{"fix", "--dif"},
		{"fix", "--unsafe-fixes=quizá"},
		{"fix", "no/such/dir"},
		{"fix", "--config", "unsafe-fixes = \"sí\""},
	} {
		r := asyncmig(t, args...)
		if r.code != exitError || r.stderr == "" || r.stdout != "" {
			t.Errorf("%v: want exit 2 with a message on stderr: %s", args, r)
		}
	}
}
