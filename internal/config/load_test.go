package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeFile(t testing.TB, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pyprojectHead puts [tool.asyncmig] on line 4, so the first body line is 5.
const pyprojectHead = "[project]\nname = \"demo\"  # demostración 🎉\n\n[tool.asyncmig]\n"

func bodyLine(n int) int { return n + 4 }

type wantProblem struct {
	line     int
	contains string
}

func checkProblems(t *testing.T, got []Problem, want []wantProblem) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(got), len(want), problemList(got))
		return
	}
	for i, w := range want {
		if got[i].Line != w.line || !strings.Contains(got[i].Message, w.contains) {
			t.Errorf("problem %d = %s (line %d), want line %d containing %q", i, got[i].Message, got[i].Line, w.line, w.contains)
		}
	}
}

func problemList(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

// TestLoadMatrix gives every key a good value and bad ones: a good value is
// applied, a bad one is reported once on its line and leaves the default.
func TestLoadMatrix(t *testing.T) {
	def := Default()
	tests := []struct {
		name     string
		body     string
		check    func(t *testing.T, c *Config)
		problems []wantProblem
	}{
		{
			name: "select good",
			body: `select = ["AM1", "AM501"]`,
			check: func(t *testing.T, c *Config) {
				eq(t, "Select", c.Select, []string{"AM1", "AM501"})
			},
		},
		{
			name: "select keeps its valid selectors",
			body: "select = [\n  \"AM1\",\n  \"AM999\",  # typo\n]",
			check: func(t *testing.T, c *Config) {
				eq(t, "Select", c.Select, []string{"AM1"})
			},
			problems: []wantProblem{{bodyLine(3), `unknown rule selector "AM999"`}},
		},
		{
			name: "select with only bad selectors keeps the default",
			body: `select = ["AM9"]`,
			check: func(t *testing.T, c *Config) {
				eq(t, "Select", c.Select, def.Select)
			},
			problems: []wantProblem{{bodyLine(1), `"AM9"`}},
		},
		{
			name:     "select lowercase gets a suggestion",
			body:     `select = ["am101"]`,
			problems: []wantProblem{{bodyLine(1), `did you mean "AM101"?`}},
		},
		{
			name:     "select near-miss code gets a suggestion",
			body:     `select = ["AM1O1"]`,
			problems: []wantProblem{{bodyLine(1), `did you mean "AM101"?`}},
		},
		{
			name: "select as a string",
			body: `select = "AM1"`,
			check: func(t *testing.T, c *Config) {
				eq(t, "Select", c.Select, def.Select)
			},
			problems: []wantProblem{{bodyLine(1), `expected an array of strings, got a string ("AM1") (write ["AM1"])`}},
		},
		{
			name: "select empty selects nothing",
			body: `select = []`,
			check: func(t *testing.T, c *Config) {
				eq(t, "Select", c.Select, []string{})
			},
		},
		{
			name: "the same bad selector twice is reported once",
			body: `select = ["AM1", "AM999", "AM999"]`,
			problems: []wantProblem{
				{bodyLine(1), `"AM999"`},
			},
		},
		{
			name: "src keeps folders inside the project",
			body: "src = [\n  \"backend\",\n  \"../fuera\",\n  \"servicios/./pagos\",\n  \"/abs\",\n]",
			check: func(t *testing.T, c *Config) {
				eq(t, "Src", c.Src, []string{"backend", "servicios/pagos"})
			},
			problems: []wantProblem{{bodyLine(3), `"../fuera": expected a folder inside the project`}, {bodyLine(5), `"/abs": expected a folder inside the project`}},
		},
		{
			name: "src unset is nil",
			body: `select = ["AM1"]`,
			check: func(t *testing.T, c *Config) {
				if c.Src != nil {
					t.Errorf("Src = %q, want nil (other tools' roots apply)", c.Src)
				}
			},
		},
		{
			name: "ignore good",
			body: `ignore = ["AM403", "AM5"]`,
			check: func(t *testing.T, c *Config) {
				eq(t, "Ignore", c.Ignore, []string{"AM403", "AM5"})
			},
		},
		{
			name: "ignore with a number",
			body: `ignore = ["AM403", 501]`,
			check: func(t *testing.T, c *Config) {
				eq(t, "Ignore", c.Ignore, []string{"AM403"})
			},
			problems: []wantProblem{{bodyLine(1), "ignore: element 2: expected a string, got a number"}},
		},
		{
			name: "extend-select good",
			body: `extend-select = ["ALL"]`,
			check: func(t *testing.T, c *Config) {
				eq(t, "ExtendSelect", c.ExtendSelect, []string{"ALL"})
			},
		},
		{
			name:     "extend-select bad",
			body:     `extend-select = ["RUF001"]`,
			problems: []wantProblem{{bodyLine(1), `extend-select: unknown rule selector "RUF001"`}},
		},
		{
			name: "per-file-ignores good",
			body: "[tool.asyncmig.per-file-ignores]\n\"tests/**\" = [\"AM\"]\n\"app/legacy/*.py\" = [\"AM401\", \"AM403\"]",
			check: func(t *testing.T, c *Config) {
				eq(t, "PerFileIgnores", c.PerFileIgnores, map[string][]string{"tests/**": {"AM"}, "app/legacy/*.py": {"AM401", "AM403"}})
			},
		},
		{
			name: "per-file-ignores bad glob and bad selector",
			body: "[tool.asyncmig.per-file-ignores]\n\"tests/[unit\" = [\"AM\"]\n\"scripts/*\" = [\"AM3\", \"AM30x\"]\n\"ok/*\" = [\"AM1\"]",
			check: func(t *testing.T, c *Config) {
				eq(t, "PerFileIgnores", c.PerFileIgnores, map[string][]string{"scripts/*": {"AM3"}, "ok/*": {"AM1"}})
			},
			problems: []wantProblem{
				{bodyLine(2), `bad glob "tests/[unit": unclosed character class`},
				{bodyLine(3), `unknown rule selector "AM30x"`},
			},
		},
		{
			name:     "per-file-ignores as an array",
			body:     `per-file-ignores = ["tests/**"]`,
			problems: []wantProblem{{bodyLine(1), "per-file-ignores: expected a table, got an array"}},
		},
		{
			name: "exclude good replaces the defaults",
			body: `exclude = ["generated/", "**/migrations/*.py"]`,
			check: func(t *testing.T, c *Config) {
				eq(t, "Exclude", c.Exclude, []string{"generated/", "**/migrations/*.py"})
			},
		},
		{
			name: "exclude bad",
			body: `exclude = ["../vendor", "build"]`,
			check: func(t *testing.T, c *Config) {
				eq(t, "Exclude", c.Exclude, []string{"build"})
			},
			problems: []wantProblem{{bodyLine(1), `exclude: bad glob "../vendor": ".." is not allowed`}},
		},
		{
			name: "extend-exclude good keeps the defaults",
			body: `extend-exclude = ["alembic/versions/"]`,
			check: func(t *testing.T, c *Config) {
				eq(t, "Exclude", c.Exclude, def.Exclude)
				eq(t, "ExtendExclude", c.ExtendExclude, []string{"alembic/versions/"})
			},
		},
		{
			name:     "extend-exclude negation",
			body:     `extend-exclude = ["!keep.py"]`,
			problems: []wantProblem{{bodyLine(1), "negated patterns"}},
		},
		{
			name: "severity good",
			body: `severity = { AM403 = "hint", AM3 = "error" }`,
			check: func(t *testing.T, c *Config) {
				eq(t, "Severity", c.Severity, map[string]string{"AM403": "hint", "AM3": "error"})
			},
		},
		{
			name: "severity bad value, bad selector, wrong type",
			body: "[tool.asyncmig.severity]\nAM101 = \"warn\"\nAM7 = \"error\"\nAM102 = 2\nAM103 = \"Error\"\nAM104 = \"fatal\"\nAM105 = \"hint\"",
			check: func(t *testing.T, c *Config) {
				eq(t, "Severity", c.Severity, map[string]string{"AM105": "hint"})
			},
			problems: []wantProblem{
				{bodyLine(2), `severity.AM101: unknown severity "warn" (did you mean "warning"?)`},
				{bodyLine(3), `severity.AM7: unknown rule selector "AM7"`},
				{bodyLine(4), `severity.AM102: expected one of "error", "warning", "information", "hint", got a number`},
				{bodyLine(5), `(did you mean "error"?)`},
				{bodyLine(6), `unknown severity "fatal" (use one of "error", "warning", "information", "hint")`},
			},
		},
		{
			name: "target-version good",
			body: `target-version = "py312"`,
			check: func(t *testing.T, c *Config) {
				eq(t, "TargetVersion", c.TargetVersion, "py312")
				eq(t, "TargetMinor", c.TargetMinor(), 12)
			},
		},
		{
			name: "target-version too old",
			body: `target-version = "py27"`,
			check: func(t *testing.T, c *Config) {
				eq(t, "TargetVersion", c.TargetVersion, def.TargetVersion)
			},
			problems: []wantProblem{{bodyLine(1), `"py27" is not a supported Python version (use "py38" … "py314")`}},
		},
		{
			name:     "target-version written as a number",
			body:     `target-version = "3.11"`,
			problems: []wantProblem{{bodyLine(1), `(did you mean "py311"?)`}},
		},
		{
			name:     "target-version wrong type",
			body:     `target-version = 311`,
			problems: []wantProblem{{bodyLine(1), `target-version: expected a string such as "py311", got a number`}},
		},
		{
			name: "twin-patterns good, partial",
			body: "[tool.asyncmig.twin-patterns]\nmodule = \"{module}_async\"\nclass = \"{Class}Async\"",
			check: func(t *testing.T, c *Config) {
				eq(t, "TwinPatterns", c.TwinPatterns, TwinPatterns{Module: "{module}_async", Class: "{Class}Async", Name: "async_{name}"})
			},
		},
		{
			name: "twin-patterns bad",
			body: "[tool.asyncmig.twin-patterns]\nmodule = \"async_{mod}\"\nklass = \"Async{Class}\"\nname = \"async-{name}\"\nclass = \"{Class}\"",
			check: func(t *testing.T, c *Config) {
				eq(t, "TwinPatterns", c.TwinPatterns, def.TwinPatterns)
			},
			problems: []wantProblem{
				{bodyLine(2), `"async_{mod}" lacks the {module} placeholder`},
				{bodyLine(3), `unknown key "klass" (did you mean "class"?)`},
				{bodyLine(4), `would not make a Python name ('-' is not allowed)`},
				{bodyLine(5), `names every Class as its own twin`},
			},
		},
		{
			name: "session dependencies good",
			body: "async-session-dependencies = [\"get_async_db\", \"app.deps.obtener_sesión\"]\nsync-session-dependencies = [\"get_db\"]",
			check: func(t *testing.T, c *Config) {
				eq(t, "AsyncSessionDependencies", c.AsyncSessionDependencies, []string{"get_async_db", "app.deps.obtener_sesión"})
				eq(t, "SyncSessionDependencies", c.SyncSessionDependencies, []string{"get_db"})
			},
		},
		{
			name: "session dependencies bad",
			body: "async-session-dependencies = [\"get-db\", \"app..deps\"]\nsync-session-dependencies = \"get_db\"",
			check: func(t *testing.T, c *Config) {
				eq(t, "AsyncSessionDependencies", c.AsyncSessionDependencies, []string{})
				eq(t, "SyncSessionDependencies", c.SyncSessionDependencies, []string{})
			},
			problems: []wantProblem{
				{bodyLine(1), `"get-db" is not a Python name`},
				{bodyLine(1), `"app..deps" is not a Python name`},
				{bodyLine(2), `expected an array of strings`},
			},
		},
		{
			name: "redis-factories good",
			body: `redis-factories = ["get_redis", "app.core.cache.redis_client"]`,
			check: func(t *testing.T, c *Config) {
				eq(t, "RedisFactories", c.RedisFactories, []string{"get_redis", "app.core.cache.redis_client"})
			},
		},
		{
			name:     "redis-factories bad",
			body:     `redis-factories = [""]`,
			problems: []wantProblem{{bodyLine(1), `"" is not a Python name`}},
		},
		{
			name: "blocking-modules good",
			body: `blocking-modules = ["stripe", "boto3", "supabase"]`,
			check: func(t *testing.T, c *Config) {
				eq(t, "BlockingModules", c.BlockingModules, []string{"stripe", "boto3", "supabase"})
			},
		},
		{
			name:     "blocking-modules bad",
			body:     `blocking-modules = ["3rdparty"]`,
			problems: []wantProblem{{bodyLine(1), `"3rdparty" is not a Python name`}},
		},
		{
			name: "tiers good, in file order",
			body: "[tool.asyncmig.tiers.\"tier-2 pagos\"]\nfiles = [\"app/api/payments/*.py\"]\n[tool.asyncmig.tiers.core]\nroutes = [\"/api/v1/users\", \"/api/*/admin\"]",
			check: func(t *testing.T, c *Config) {
				eq(t, "Tiers", c.Tiers, []Tier{
					{Name: "tier-2 pagos", Files: []string{"app/api/payments/*.py"}, Routes: []string{}},
					{Name: "core", Files: []string{}, Routes: []string{"/api/v1/users", "/api/*/admin"}},
				})
			},
		},
		{
			name: "tiers as inline tables, in file order",
			body: `tiers = { zeta = { files = ["app/z.py"] }, alfa = { routes = ["/api/a"] } }`,
			check: func(t *testing.T, c *Config) {
				eq(t, "Tiers", c.Tiers, []Tier{
					{Name: "zeta", Files: []string{"app/z.py"}, Routes: []string{}},
					{Name: "alfa", Files: []string{}, Routes: []string{"/api/a"}},
				})
			},
		},
		{
			name: "tiers bad",
			body: "[tool.asyncmig.tiers.core]\nfiles = [\"app/api/**\"]\nroutes = [\"api/v1\"]\nroute = [\"/x\"]\n[tool.asyncmig.tiers.\"vacío\"]\n",
			check: func(t *testing.T, c *Config) {
				eq(t, "Tiers", c.Tiers, []Tier{
					{Name: "core", Files: []string{"app/api/**"}, Routes: []string{}},
					{Name: "vacío", Files: []string{}, Routes: []string{}},
				})
			},
			problems: []wantProblem{
				{bodyLine(3), `route "api/v1" must start with "/" (did you mean "/api/v1"?)`},
				{bodyLine(4), `unknown key "route" (did you mean "routes"?)`},
				{bodyLine(5), `tiers."vacío": the tier lists neither files nor routes`},
			},
		},
		{
			name:     "tier key far from any valid one",
			body:     "[tool.asyncmig.tiers.core]\nendpoints = [\"app/api.py\"]\nfiles = [\"app/api.py\"]",
			problems: []wantProblem{{bodyLine(2), `tiers.core.endpoints: unknown key "endpoints" (expected one of "files", "routes")`}},
		},
		{
			name:     "tiers as an array of tables",
			body:     "[[tool.asyncmig.tiers]]\nname = \"core\"",
			problems: []wantProblem{{bodyLine(1), "tiers: expected a table of tier name → {files, routes}, got an array"}},
		},
		{
			name: "unsafe-fixes good",
			body: `unsafe-fixes = true`,
			check: func(t *testing.T, c *Config) {
				eq(t, "UnsafeFixes", c.UnsafeFixes, true)
			},
		},
		{
			name:     "unsafe-fixes bad",
			body:     `unsafe-fixes = "yes"`,
			problems: []wantProblem{{bodyLine(1), `unsafe-fixes: expected true or false, got a string ("yes")`}},
		},
		{
			name: "unknown keys",
			body: "selct = [\"AM1\"]\nextendSelect = [\"AM5\"]\ndebounce-ms = 50\ncolour = \"red\"\n[tool.asyncmig.per-file-ignore]\n\"x\" = [\"AM\"]",
			problems: []wantProblem{
				{bodyLine(1), `unknown key "selct" in [tool.asyncmig] (did you mean "select"?)`},
				{bodyLine(2), `unknown key "extendSelect" in [tool.asyncmig] (did you mean "extend-select"?)`},
				{bodyLine(3), `"debounce-ms" is an editor setting`},
				{bodyLine(4), `unknown key "colour" in [tool.asyncmig]`},
				{bodyLine(5), `(did you mean "per-file-ignores"?)`},
			},
		},
		{
			name: "bad values leave the rest applied",
			body: "select = [\"AM1\", \"AM0\"]\nignore = [\"AM103\"]\ntarget-version = \"py2\"\nunsafe-fixes = true\nseverity = { AM101 = \"loud\", AM102 = \"hint\" }",
			check: func(t *testing.T, c *Config) {
				eq(t, "Select", c.Select, []string{"AM1"})
				eq(t, "Ignore", c.Ignore, []string{"AM103"})
				eq(t, "TargetVersion", c.TargetVersion, "py39")
				eq(t, "UnsafeFixes", c.UnsafeFixes, true)
				eq(t, "Severity", c.Severity, map[string]string{"AM102": "hint"})
				eq(t, "RuleEnabled(AM102)", c.RuleEnabled("AM102", "app/x.py"), true)
				eq(t, "RuleEnabled(AM103)", c.RuleEnabled("AM103", "app/x.py"), false)
			},
			problems: []wantProblem{
				{bodyLine(1), `"AM0"`},
				{bodyLine(3), `"py2"`},
				{bodyLine(5), `"loud"`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, filepath.Join(t.TempDir(), "pyproject.toml"), pyprojectHead+tt.body+"\n")
			c, problems, err := Load(path)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			for _, p := range problems {
				if p.Path != path {
					t.Errorf("problem path = %q, want %q", p.Path, path)
				}
			}
			checkProblems(t, problems, tt.problems)
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

func TestLoadAsyncmigTOMLTopLevel(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "asyncmig.toml"), "select = [\"AM3\"]\n\n[tool.asyncmig]\nignore = [\"AM301\"]\n")
	c, problems, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Select", c.Select, []string{"AM3"})
	eq(t, "Ignore", c.Ignore, []string{})
	eq(t, "Root", c.Root, dir)
	checkProblems(t, problems, []wantProblem{{3, `unknown key "tool" in asyncmig.toml (in asyncmig.toml the settings are top-level keys, without [tool.asyncmig])`}})
}

func TestLoadCRLFAndSpanish(t *testing.T) {
	text := strings.Join([]string{
		"# Configuración de asyncmig — migración a async 🚀",
		"[tool.asyncmig]",
		"# Reglas: ¡todas salvo las de Redis!",
		"select = [\"AM\"]",
		"ignore = [",
		"    \"AM201\",  # KEYS está bien en desarrollo",
		"    \"AM2O1\",  # errata",
		"]",
		"[tool.asyncmig.per-file-ignores]",
		"\"app/migraciónes/**\" = [\"AM\"]  # código heredado",
		"[tool.asyncmig.tiers.\"núcleo 🎯\"]",
		"files = [\"app/api/usuarios.py\"]",
	}, "\r\n") + "\r\n"
	path := writeFile(t, filepath.Join(t.TempDir(), "pyproject.toml"), text)
	c, problems, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	checkProblems(t, problems, []wantProblem{{7, `unknown rule selector "AM2O1" (did you mean "AM201"?)`}})
	eq(t, "Ignore", c.Ignore, []string{"AM201"})
	eq(t, "PerFileIgnores", c.PerFileIgnores, map[string][]string{"app/migraciónes/**": {"AM"}})
	eq(t, "Tiers", c.Tiers, []Tier{{Name: "núcleo 🎯", Files: []string{"app/api/usuarios.py"}, Routes: []string{}}})
	eq(t, "AM101 in app/migraciónes/v1/x.py", c.RuleEnabled("AM101", "app/migraciónes/v1/x.py"), false)
	eq(t, "AM101 in app/api/x.py", c.RuleEnabled("AM101", "app/api/x.py"), true)
}

func TestLoadTruncated(t *testing.T) {
	path := writeFile(t, filepath.Join(t.TempDir(), "pyproject.toml"),
		"[tool.asyncmig]\n# configuración a medias\nunsafe-fixes = true\nselect = [\"AM1\",\n  \"AM3")
	c, problems, err := Load(path)
	if err == nil {
		t.Fatal("Load of a truncated file: no error")
	}
	eq(t, "config", stripSource(c), stripSource(Default()))
	eq(t, "Path", c.Path, path)
	if len(problems) != 1 {
		t.Fatalf("got %d problems, want 1:\n%s", len(problems), problemList(problems))
	}
	p := problems[0]
	if p.Line != 5 || !strings.Contains(p.Message, "not valid TOML") || !strings.Contains(p.Message, "using the defaults") {
		t.Errorf("problem = %s (line %d), want the TOML error on line 5", p.Message, p.Line)
	}
}

func TestLoadTOMLErrorLines(t *testing.T) {
	tests := []struct {
		text string
		line int
	}{
		{"[tool.asyncmig]\n# ñ\nselect = [\"AM1\",\n", 3},
		{"[tool.asyncmig]\nunsafe-fixes = true\n\"\\", 3}, // unclosed string at the very end
		{"\"\\", 1},
		{"[tool.asyncmig]\r\nselect = [\"AM1\"]\r\nselect = [\"AM2\"]\r\n", 3}, // duplicate key
	}
	for _, tt := range tests {
		path := writeFile(t, filepath.Join(t.TempDir(), "pyproject.toml"), tt.text)
		_, problems, err := Load(path)
		if err == nil || len(problems) != 1 || problems[0].Line != tt.line {
			t.Errorf("Load(%q) = %v, %v; want one problem on line %d", tt.text, problems, err, tt.line)
		}
	}
}

func stripSource(c *Config) *Config {
	n := c.Clone()
	n.Root, n.Path = "", ""
	return n
}

func TestLoadUnreadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "asyncmig.toml")
	c, problems, err := Load(path)
	if err == nil {
		t.Fatal("Load of a missing file: no error")
	}
	eq(t, "config", stripSource(c), stripSource(Default()))
	checkProblems(t, problems, []wantProblem{{0, "cannot read the config file"}})
}

func TestLoadToolAsyncmigNotATable(t *testing.T) {
	path := writeFile(t, filepath.Join(t.TempDir(), "pyproject.toml"), "[tool]\nruff.line-length = 100\nasyncmig = true\n")
	_, problems, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	checkProblems(t, problems, []wantProblem{{3, "tool.asyncmig must be a table"}})
}

func TestLoadPyprojectWithoutTable(t *testing.T) {
	path := writeFile(t, filepath.Join(t.TempDir(), "pyproject.toml"), "[tool.ruff]\nline-length = 100\n")
	c, problems, err := Load(path)
	if err != nil || len(problems) != 0 {
		t.Fatalf("Load = %v, %v; want no error or problem", problems, err)
	}
	eq(t, "config", stripSource(c), stripSource(Default()))
}

// FuzzParse feeds arbitrary TOML (and so arbitrary value types: dates,
// nested arrays, arrays of tables) through validation: never a panic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"[tool.asyncmig]\nselect = [\"AM1\", 2, [3]]\nseverity = { AM1 = 1979-05-27 }\n",
		"[tool.asyncmig]\ntiers = { a = { files = [{ x = 1 }], routes = \"/\" } }\n",
		"[[tool.asyncmig.per-file-ignores]]\n[tool.asyncmig.twin-patterns]\nmodule = [\"{module}\"]\n",
		"tool.asyncmig = [1]",
		"[tool.asyncmig]\ndebounce-ms = 1e400\nunsafe-fixes = 0\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, name := range []string{"/p/pyproject.toml", "/p/asyncmig.toml"} {
			c, problems, _, _ := parse(name, []byte(text))
			if c == nil {
				t.Fatal("nil config")
			}
			for _, p := range problems {
				// Every problem in a file must point at a line.
				if p.Message == "" || p.Line < 1 {
					t.Fatalf("problem %+v lacks a message or a line", p)
				}
			}
		}
	})
}
