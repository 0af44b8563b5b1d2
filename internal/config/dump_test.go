package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func richConfig() *Config {
	c := Default()
	c.Select = []string{"AM1", "AM3"}
	c.ExtendSelect = []string{"AM501"}
	c.Ignore = []string{"AM303"}
	c.PerFileIgnores = map[string][]string{"tests/**": {"AM"}, `app/"citas"/*.py`: {"AM4"}, `odd\[x].py`: {"AM1"}, "migraciónes/": {"ALL"}}
	c.Exclude = []string{".venv", "build/"}
	c.ExtendExclude = []string{"alembic/versions/"}
	c.Severity = map[string]string{"AM403": "hint", "AM3": "error"}
	c.TargetVersion = "py312"
	c.TwinPatterns = TwinPatterns{Module: "{module}_aio", Class: "Aio{Class}", Name: "{name}_aio"}
	c.AsyncSessionDependencies = []string{"obtener_sesión"}
	c.SyncSessionDependencies = []string{"get_db"}
	c.RedisFactories = []string{"app.cache.redis"}
	c.BlockingModules = []string{"stripe", "boto3"}
	c.Tiers = []Tier{
		{Name: "zeta 🎯", Files: []string{"app/api/z.py"}, Routes: []string{}},
		{Name: "alfa", Files: []string{}, Routes: []string{"/api/v1"}},
	}
	c.UnsafeFixes = true
	return c
}

func TestDumpLoadsBackToTheSameConfig(t *testing.T) {
	for name, c := range map[string]*Config{"defaults": Default(), "rich": richConfig()} {
		t.Run(name, func(t *testing.T) {
			path := writeFile(t, filepath.Join(t.TempDir(), "asyncmig.toml"), c.Dump())
			back, problems, err := Load(path)
			if err != nil || len(problems) > 0 {
				t.Fatalf("loading the dump: %v %v\n%s", problems, err, c.Dump())
			}
			eq(t, "config after Dump and Load", stripSource(back), stripSource(c))
		})
	}
}

func TestDumpHeader(t *testing.T) {
	if d := Default().Dump(); !strings.Contains(d, "# from: built-in defaults") {
		t.Errorf("default Dump does not say where it comes from:\n%s", d)
	}
	c := richConfig()
	c.Root, c.Path = "/proyecto", "/proyecto/pyproject.toml"
	d := c.Dump()
	for _, want := range []string{"# from: /proyecto/pyproject.toml", "# globs are relative to: /proyecto", "debounce-ms = 100", `[tiers."zeta 🎯"]`, "[per-file-ignores]"} {
		if !strings.Contains(d, want) {
			t.Errorf("Dump lacks %q:\n%s", want, d)
		}
	}
}

func TestHash(t *testing.T) {
	base := richConfig()
	h := base.Hash()
	if base.Clone().Hash() != h {
		t.Error("a clone hashes differently")
	}
	for range 20 { // map iteration order must not leak into the digest
		if richConfig().Hash() != h {
			t.Fatal("the same config hashed differently")
		}
	}
	same := base.Clone()
	same.DebounceMS = 999
	same.Path = "/elsewhere/asyncmig.toml"
	if same.Hash() != h {
		t.Error("editor-only debounce or the file name changed the hash")
	}
	changes := map[string]func(c *Config){
		"Root":           func(c *Config) { c.Root = "/otro" },
		"Select":         func(c *Config) { c.Select = []string{"AM1"} },
		"Ignore order":   func(c *Config) { c.Ignore = append(c.Ignore, "AM101") },
		"PerFileIgnores": func(c *Config) { c.PerFileIgnores["tests/**"] = []string{"AM1"} },
		"Severity":       func(c *Config) { c.Severity["AM403"] = "information" },
		"TargetVersion":  func(c *Config) { c.TargetVersion = "py313" },
		"TwinPatterns":   func(c *Config) { c.TwinPatterns.Name = "async_{name}" },
		"BlockingModules": func(c *Config) {
			c.BlockingModules = []string{"stripe"}
		},
		"Tiers order": func(c *Config) { c.Tiers[0], c.Tiers[1] = c.Tiers[1], c.Tiers[0] },
		"UnsafeFixes": func(c *Config) { c.UnsafeFixes = false },
	}
	for name, change := range changes {
		c := base.Clone()
		change(c)
		if c.Hash() == h {
			t.Errorf("changing %s kept the hash", name)
		}
	}
}

func TestQuoteIsValidTOML(t *testing.T) {
	c := Default()
	weird := []string{"tab\there", "quote\"s", `back\slash`, "nul\x00", "del\x7f", "línea\nnueva", "emoji 🎉"}
	c.Exclude = weird
	path := writeFile(t, filepath.Join(t.TempDir(), "asyncmig.toml"), c.Dump())
	back, _, err := Load(path)
	if err != nil {
		t.Fatalf("Dump with control characters is not valid TOML: %v\n%s", err, c.Dump())
	}
	eq(t, "Exclude", back.Exclude, weird)
}
