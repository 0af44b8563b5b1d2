package config

import (
	"encoding/json"
	"path/filepath"
	"testing"
)

// decodeSettings decodes JSON the way the LSP layer hands settings over.
func decodeSettings(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMergeCamelAndKebabKeys(t *testing.T) {
	c := Default()
	problems := c.Merge(decodeSettings(t, `{
		"select": ["AM1", "AM3"],
		"extendSelect": ["AM501"],
		"ignore": ["AM303"],
		"perFileIgnores": {"tests/**": ["AM"]},
		"extend-exclude": ["generated/"],
		"severity": {"AM403": "hint"},
		"targetVersion": "py311",
		"twinPatterns": {"class": "{Class}Async"},
		"asyncSessionDependencies": ["obtener_sesión_async"],
		"syncSessionDependencies": ["get_db"],
		"redisFactories": ["get_redis"],
		"blockingModules": ["stripe"],
		"tiers": [{"name": "b", "files": ["app/b/*.py"]}, {"name": "a", "routes": ["/api/a"]}],
		"unsafeFixes": true,
		"debounceMs": 250
	}`))
	checkProblems(t, problems, nil)
	eq(t, "Select", c.Select, []string{"AM1", "AM3"})
	eq(t, "ExtendSelect", c.ExtendSelect, []string{"AM501"})
	eq(t, "Ignore", c.Ignore, []string{"AM303"})
	eq(t, "PerFileIgnores", c.PerFileIgnores, map[string][]string{"tests/**": {"AM"}})
	eq(t, "ExtendExclude", c.ExtendExclude, []string{"generated/"})
	eq(t, "Severity", c.Severity, map[string]string{"AM403": "hint"})
	eq(t, "TargetVersion", c.TargetVersion, "py311")
	eq(t, "TwinPatterns", c.TwinPatterns, TwinPatterns{Module: "async_{module}", Class: "{Class}Async", Name: "async_{name}"})
	eq(t, "AsyncSessionDependencies", c.AsyncSessionDependencies, []string{"obtener_sesión_async"})
	eq(t, "SyncSessionDependencies", c.SyncSessionDependencies, []string{"get_db"})
	eq(t, "RedisFactories", c.RedisFactories, []string{"get_redis"})
	eq(t, "BlockingModules", c.BlockingModules, []string{"stripe"})
	eq(t, "Tiers", c.Tiers, []Tier{
		{Name: "b", Files: []string{"app/b/*.py"}, Routes: []string{}},
		{Name: "a", Files: []string{}, Routes: []string{"/api/a"}},
	})
	eq(t, "UnsafeFixes", c.UnsafeFixes, true)
	eq(t, "DebounceMS", c.DebounceMS, 250)
	eq(t, "RuleEnabled(AM501)", c.RuleEnabled("AM501", "app/x.py"), true)
	eq(t, "RuleEnabled(AM303)", c.RuleEnabled("AM303", "app/x.py"), false)
}

func TestMergeOverFileConfig(t *testing.T) {
	root := t.TempDir()
	path := writeFile(t, filepath.Join(root, "pyproject.toml"),
		"[tool.asyncmig]\nselect = [\"AM1\"]\nextend-select = [\"AM5\"]\nextend-exclude = [\"legacy/\"]\nignore = [\"AM102\"]\nunsafe-fixes = true\n")
	file, _, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	c := file.Clone()
	problems := c.Merge(decodeSettings(t, `{"asyncmig": {
		"select": ["AM3"],
		"extendSelect": ["AM201"],
		"extendExclude": ["generated/"],
		"ignore": null,
		"unsafeFixes": null
	}}`))
	checkProblems(t, problems, nil)
	eq(t, "Select (replaced)", c.Select, []string{"AM3"})
	eq(t, "ExtendSelect (added to)", c.ExtendSelect, []string{"AM5", "AM201"})
	eq(t, "ExtendExclude (added to)", c.ExtendExclude, []string{"legacy/", "generated/"})
	eq(t, "Ignore (null keeps the file's)", c.Ignore, []string{"AM102"})
	eq(t, "UnsafeFixes (null keeps the file's)", c.UnsafeFixes, true)
	// The cached file config is untouched.
	eq(t, "file Select", file.Select, []string{"AM1"})
	eq(t, "file ExtendSelect", file.ExtendSelect, []string{"AM5"})
}

func TestMergeBadSettings(t *testing.T) {
	c := Default()
	c.Select = []string{"AM1"}
	before := c.Clone()
	problems := c.Merge(decodeSettings(t, `{
		"select": "AM3",
		"extendSelekt": ["AM5"],
		"ignor": ["AM1"],
		"unsafeFixes": "true",
		"debounceMs": 1.5,
		"severity": ["AM101"],
		"targetVersion": "python3.12",
		"tiers": [{"files": ["x"]}],
		"twinPatterns": {"module": "async_{Module}"},
		"perFileIgnores": {"tests/**": ["am1"]}
	}`))
	checkProblems(t, problems, []wantProblem{
		{0, `debounceMs: expected a whole number of milliseconds from 0 to 10000, got 1.5`},
		{0, `unknown setting "extendSelekt" (did you mean "extendSelect"?)`},
		{0, `unknown setting "ignor" (did you mean "ignore"?)`},
		{0, `perFileIgnores."tests/**": unknown rule selector "am1" (did you mean "AM1"?)`},
		{0, `select: expected an array of strings, got a string ("AM3") (write ["AM3"])`},
		{0, `severity: expected an object, got an array`},
		{0, `targetVersion: "python3.12" is not a supported Python version (did you mean "py312"?)`},
		{0, `tiers: element 1: expected an object with a "name"`},
		{0, `twinPatterns.module: "async_{Module}" lacks the {module} placeholder`},
		{0, `unsafeFixes: expected true or false, got a string ("true")`},
	})
	for _, p := range problems {
		if p.Path != "" {
			t.Errorf("settings problem with a path: %+v", p)
		}
	}
	eq(t, "config after bad settings", c, before)
}

func TestMergeDebounceRange(t *testing.T) {
	for _, v := range []string{`-5`, `100000`, `"100"`, `true`} {
		c := Default()
		problems := c.Merge(decodeSettings(t, `{"debounceMs": `+v+`}`))
		if len(problems) != 1 || c.DebounceMS != defaultDebounceMS {
			t.Errorf("debounceMs %s: problems %v, DebounceMS %d", v, problems, c.DebounceMS)
		}
	}
}

func TestMergeGoTypedValues(t *testing.T) {
	// The CLI builds settings from flags without a JSON round trip.
	c := Default()
	problems := c.Merge(map[string]any{"select": []string{"AM1"}, "extend-select": []string{"AM999"}, "unsafe-fixes": true})
	checkProblems(t, problems, []wantProblem{{0, `extend-select: unknown rule selector "AM999"`}})
	eq(t, "Select", c.Select, []string{"AM1"})
	eq(t, "UnsafeFixes", c.UnsafeFixes, true)
}

// FuzzMerge: whatever JSON an editor sends, Merge reports, never panics.
func FuzzMerge(f *testing.F) {
	for _, s := range []string{
		`{"select": [1, null, {}], "tiers": [{"name": 1}, null, {"name": "a", "files": "x"}]}`,
		`{"asyncmig": {"debounceMs": 1e300, "severity": {"AM1": null}}}`,
		`{"twinPatterns": [], "perFileIgnores": {"": []}}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var m map[string]any
		if json.Unmarshal([]byte(s), &m) != nil {
			return
		}
		Default().Merge(m)
	})
}
