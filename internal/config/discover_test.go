package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// projectTree builds a monorepo: the root configures asyncmig, one service
// has its own pyproject.toml without [tool.asyncmig] (skipped), another has
// its own [tool.asyncmig] (nearest wins), a library has asyncmig.toml.
func projectTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "pyproject.toml"), "[tool.asyncmig]\nselect = [\"AM1\"]  # raíz\n")
	// Mentions asyncmig (as a dependency) without configuring it.
	writeFile(t, filepath.Join(root, "services", "api", "pyproject.toml"),
		"[project]\nname = \"api\"\ndependencies = [\"asyncmig>=0.1\"]\n[tool.ruff]\nline-length = 100\n")
	writeFile(t, filepath.Join(root, "services", "api", "app", "main.py"), "# código\n")
	writeFile(t, filepath.Join(root, "services", "worker", "pyproject.toml"), "[tool.asyncmig]\nselect = [\"AM3\"]\n")
	writeFile(t, filepath.Join(root, "services", "worker", "tasks", "jobs.py"), "")
	writeFile(t, filepath.Join(root, "libs", "pagos", "asyncmig.toml"), "select = [\"AM5\"]\n")
	return root
}

func TestDiscover(t *testing.T) {
	root := projectTree(t)
	tests := []struct {
		dir        string
		wantPath   string
		wantSelect []string
	}{
		{"services/api/app", "pyproject.toml", []string{"AM1"}},
		{"services/api", "pyproject.toml", []string{"AM1"}},
		{"services/api/app/main.py", "pyproject.toml", []string{"AM1"}}, // handed a file
		{"services/worker/tasks", "services/worker/pyproject.toml", []string{"AM3"}},
		{"libs/pagos", "libs/pagos/asyncmig.toml", []string{"AM5"}},
		{"libs", "pyproject.toml", []string{"AM1"}},
		{".", "pyproject.toml", []string{"AM1"}},
	}
	for _, tt := range tests {
		c, problems, err := Discover(filepath.Join(root, tt.dir))
		if err != nil || len(problems) > 0 {
			t.Errorf("Discover(%s): %v %v", tt.dir, problems, err)
			continue
		}
		want := filepath.Join(root, tt.wantPath)
		if c.Path != want || c.Root != filepath.Dir(want) {
			t.Errorf("Discover(%s) found %s (root %s), want %s", tt.dir, c.Path, c.Root, want)
		}
		eq(t, "Select for "+tt.dir, c.Select, tt.wantSelect)
	}
}

func TestDiscoverAsyncmigTOMLWinsInTheSameDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "pyproject.toml"), "[tool.asyncmig]\nselect = [\"AM1\"]\n")
	writeFile(t, filepath.Join(dir, "asyncmig.toml"), "select = [\"AM2\"]\n")
	c, _, err := Discover(filepath.Join(dir))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Path", c.Path, filepath.Join(dir, "asyncmig.toml"))
	eq(t, "Select", c.Select, []string{"AM2"})
}

func TestDiscoverRelativeDir(t *testing.T) {
	root := projectTree(t)
	t.Chdir(filepath.Join(root, "services"))
	c, _, err := Discover("worker/tasks")
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Path", c.Path, filepath.Join(root, "services", "worker", "pyproject.toml"))
}

func TestDiscoverNone(t *testing.T) {
	dir := t.TempDir()
	for d := dir; ; d = filepath.Dir(d) {
		if _, ok := candidate(d); ok {
			t.Skipf("%s above the temp dir has an asyncmig config", d)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	c, problems, err := Discover(dir)
	if err != nil || problems != nil {
		t.Fatalf("Discover = %v, %v", problems, err)
	}
	eq(t, "config", c, Default())
}

func TestDiscoverBrokenFiles(t *testing.T) {
	t.Run("broken pyproject that configures asyncmig is reported", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "pyproject.toml"), "[tool.asyncmig]\nselect = [\"AM1\"\n")
		c, problems, err := Discover(dir)
		if err == nil {
			t.Fatal("no error for invalid TOML")
		}
		eq(t, "Path", c.Path, filepath.Join(dir, "pyproject.toml"))
		if len(problems) != 1 || problems[0].Line == 0 || !strings.Contains(problems[0].Message, "not valid TOML") {
			t.Errorf("problems = %v, want one TOML error with a line", problems)
		}
	})
	t.Run("broken pyproject of another tool is skipped", func(t *testing.T) {
		root := t.TempDir()
		writeFile(t, filepath.Join(root, "asyncmig.toml"), "select = [\"AM4\"]\n")
		sub := filepath.Join(root, "vendored")
		writeFile(t, filepath.Join(sub, "pyproject.toml"), "[tool.poetry\nname = 'x'\n")
		c, _, err := Discover(sub)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "Select", c.Select, []string{"AM4"})
	})
	t.Run("unreadable asyncmig.toml is reported, not skipped", func(t *testing.T) {
		root := t.TempDir()
		writeFile(t, filepath.Join(root, "pyproject.toml"), "[tool.asyncmig]\nselect = [\"AM1\"]\n")
		sub := filepath.Join(root, "sub")
		if err := os.MkdirAll(filepath.Join(sub, "asyncmig.toml"), 0o755); err != nil { // a directory: reading it fails
			t.Fatal(err)
		}
		c, problems, err := Discover(sub)
		if err == nil {
			t.Fatal("no error for an unreadable config file")
		}
		eq(t, "Path", c.Path, filepath.Join(sub, "asyncmig.toml"))
		eq(t, "Select", c.Select, Default().Select)
		checkProblems(t, problems, []wantProblem{{0, "cannot read the config file"}})
	})
}
