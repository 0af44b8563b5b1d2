package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestConfigPrintsEffectiveConfiguration(t *testing.T) {
	dir := newProject(t, map[string]string{
		"pyproject.toml": "[tool.asyncmig]\n# Reglas del equipo 🏋️\nignore = [\"AM403\"]\ntarget-version = \"py311\"\n\n[tool.asyncmig.per-file-ignores]\n\"tests/**\" = [\"AM3\"]\n",
		"app/alta.py":    utcnowFile,
	})
	r := asyncmig(t, "config", "app/alta.py", "--extend-select", "AM5", "--config", `blocking-modules = ["stripe"]`)
	if r.code != exitClean {
		t.Fatal(r)
	}
	mustContain(t, "config", r.stdout, "# from: "+filepath.Join(dir, "pyproject.toml"))
	// The output is TOML that loads back to what applies.
	var got struct {
		Select         []string            `toml:"select"`
		ExtendSelect   []string            `toml:"extend-select"`
		Ignore         []string            `toml:"ignore"`
		TargetVersion  string              `toml:"target-version"`
		Blocking       []string            `toml:"blocking-modules"`
		PerFileIgnores map[string][]string `toml:"per-file-ignores"`
	}
	if _, err := toml.Decode(r.stdout, &got); err != nil {
		t.Fatalf("not TOML: %v\n%s", err, r.stdout)
	}
	if strings.Join(got.Ignore, ",") != "AM403" || got.TargetVersion != "py311" || strings.Join(got.ExtendSelect, ",") != "AM5" ||
		strings.Join(got.Blocking, ",") != "stripe" || strings.Join(got.PerFileIgnores["tests/**"], ",") != "AM3" || strings.Join(got.Select, ",") != "AM" {
		t.Errorf("effective configuration: %+v", got)
	}

	// The default path is the working directory; a directory works as well.
	for _, args := range [][]string{{"config"}, {"config", "app"}} {
		if r := asyncmig(t, args...); r.code != exitClean || !strings.Contains(r.stdout, `ignore = ["AM403"]`) {
			t.Errorf("%v: %s", args, r)
		}
	}
	// Outside any project: the built-in defaults.
	t.Chdir(t.TempDir())
	if r := asyncmig(t, "config"); r.code != exitClean || !strings.Contains(r.stdout, "built-in defaults") {
		t.Errorf("defaults: %s", r)
	}
}

func TestConfigProblems(t *testing.T) {
	newProject(t, map[string]string{
		"pyproject.toml": "[tool.asyncmig]\nignore = [\"AM403\"]\nseverity = { AM501 = \"grave\" }\n",
	})
	r := asyncmig(t, "config")
	if r.code != exitFindings {
		t.Fatalf("a config with problems exits 1: %s", r)
	}
	if strings.Count(r.stderr, "grave") != 1 || !strings.Contains(r.stderr, "pyproject.toml:3:") {
		t.Errorf("the problem is printed once, with its line: %s", r.stderr)
	}
	if !strings.Contains(r.stdout, `ignore = ["AM403"]`) {
		t.Errorf("what still applies is printed: %s", r.stdout)
	}

	for _, args := range [][]string{{"config", "a", "b"}, {"config", "no/existe"}, {"config", "--select", "XX1"}} {
		if r := asyncmig(t, args...); r.code != exitError || r.stderr == "" || r.stdout != "" {
			t.Errorf("%v: %s", args, r)
		}
	}
}
