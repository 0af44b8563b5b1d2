package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics"
)

// result is one in-process run of the CLI.
type result struct {
	stdout, stderr string
	code           int
}

// asyncmig runs the CLI with args as main would, in the current directory.
func asyncmig(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return result{out.String(), errOut.String(), code}
}

func (r result) String() string {
	return "exit " + strconv.Itoa(r.code) + "\n--- stdout\n" + r.stdout + "--- stderr\n" + r.stderr
}

// newProject writes files (slash paths → content) under a fresh directory
// that has a pyproject.toml unless one is given, makes it the working
// directory, and returns it.
func newProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	if _, ok := files["pyproject.toml"]; !ok {
		files["pyproject.toml"] = "[project]\nname = \"gimnasio\"\n"
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// useRules swaps the registered rules for the length of a test.
func useRules(t *testing.T, rs ...*diagnostics.Rule) {
	t.Helper()
	prev := registeredRules
	registeredRules = func() []*diagnostics.Rule { return rs }
	t.Cleanup(func() { registeredRules = prev })
}

func mustContain(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%s lacks %q:\n%s", what, p, text)
		}
	}
}

// utcnowFile is a module with one AM501 finding on a line of Spanish text
// and emoji, so columns are counted in code points, not bytes.
const utcnowFile = `from datetime import datetime


def alta(socio):
    socio.nota = "¡Olé! 🎉"; socio.alta = datetime.utcnow()
    return socio
`
