package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/asyncmig/asyncmig/diagnostics/rules"
)

// runWithin runs the CLI in-process and fails the test, rather than
// hanging the suite, if it does not return in time.
func runWithin(t *testing.T, d time.Duration, args ...string) result {
	t.Helper()
	done := make(chan result, 1)
	go func() { done <- asyncmig(t, args...) }()
	select {
	case r := <-done:
		return r
	case <-time.After(d):
		t.Fatalf("asyncmig %s did not finish within %v", strings.Join(args, " "), d)
		return result{}
	}
}

// A project full of traps: a FIFO and a socket named like modules, a
// symlink loop, links out of the project to files with findings, a binary
// file. check and fix finish, name what they skipped, and never read or
// write outside the project.
func TestCheckAndFixSurviveHostileProjects(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("FIFOs and symlinks")
	}
	useRules(t, rules.AM501, rules.AM502)
	outside := t.TempDir()
	secret := filepath.Join(outside, "ajeno.py")
	if err := os.WriteFile(secret, []byte(utcnowFile), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := newProject(t, map[string]string{"app/alta.py": utcnowFile, "app/datos.py": "x = 1\x00\x00"})
	mustDo(t, syscall.Mkfifo(filepath.Join(dir, "app", "tubería.py"), 0o644))
	mustDo(t, os.Symlink("..", filepath.Join(dir, "app", "bucle")))
	mustDo(t, os.Symlink(secret, filepath.Join(dir, "app", "fuga.py")))
	mustDo(t, os.Symlink(outside, filepath.Join(dir, "externo")))
	mustDo(t, os.Symlink("alta.py", filepath.Join(dir, "app", "enlace.py")))

	r := runWithin(t, time.Minute, "check", "--output-format", "concise")
	if r.code != exitFindings {
		t.Fatal(r)
	}
	mustContain(t, "stderr", r.stderr,
		"skipped app/tubería.py: not a regular file",
		"skipped app/datos.py", "binary",
		"skipped app/fuga.py: symlink points outside the project",
		"skipped externo: symlink points outside the project")
	if strings.Contains(r.stdout, "ajeno") || strings.Contains(r.stdout, "fuga") || strings.Contains(r.stdout, "externo") {
		t.Errorf("a file outside the project was checked:\n%s", r.stdout)
	}

	r = runWithin(t, time.Minute, "fix")
	if r.code != exitClean {
		t.Fatal(r)
	}
	if got := read(t, secret); got != utcnowFile {
		t.Errorf("fix wrote outside the project:\n%s", got)
	}
	if got := read(t, filepath.Join(dir, "app", "alta.py")); got != utcnowSafe {
		t.Errorf("the project file was not fixed:\n%s", got)
	}
	for _, link := range []string{"app/enlace.py", "app/fuga.py", "externo", "app/bucle"} {
		if info, err := os.Lstat(filepath.Join(dir, link)); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symlink (%v)", link, err)
		}
	}
	if info, err := os.Lstat(filepath.Join(dir, "app", "tubería.py")); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced (%v)", err)
	}
}

// Named on the command line, a file reached through a link out of the
// project is checked (the user asked) but never written.
func TestFixDoesNotWriteThroughALinkOutOfTheProject(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks")
	}
	useRules(t, rules.AM501, rules.AM502)
	outside := t.TempDir()
	secret := filepath.Join(outside, "ajeno.py")
	mustDo(t, os.WriteFile(secret, []byte(utcnowFile), 0o644))
	dir := newProject(t, map[string]string{"app/__init__.py": ""})
	mustDo(t, os.Symlink(secret, filepath.Join(dir, "app", "fuga.py")))
	r := runWithin(t, time.Minute, "fix", "app/fuga.py")
	mustContain(t, "stderr", r.stderr, "outside the project")
	if got := read(t, secret); got != utcnowFile {
		t.Errorf("fix wrote outside the project (%s):\n%s", r, got)
	}
	if info, err := os.Lstat(filepath.Join(dir, "app", "fuga.py")); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a regular file (%v)", err)
	}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
