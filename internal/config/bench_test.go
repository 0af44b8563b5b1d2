package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func benchConfig() *Config {
	c := Default()
	c.Root = "/proyecto"
	c.Ignore = []string{"AM403"}
	c.ExtendExclude = []string{"alembic/versions/", "*_pb2.py"}
	c.PerFileIgnores = map[string][]string{"tests/**": {"AM"}, "app/legacy/*.py": {"AM4"}, "__init__.py": {"AM402"}}
	return c
}

// BenchmarkRuleEnabled is the per-diagnostic cost of selection with
// per-file-ignores.
func BenchmarkRuleEnabled(b *testing.B) {
	c := benchConfig()
	for b.Loop() {
		c.RuleEnabled("AM301", "/proyecto/app/api/v1/usuarios.py")
	}
}

// BenchmarkExcluded is the per-file cost of the default excludes plus two.
func BenchmarkExcluded(b *testing.B) {
	c := benchConfig()
	for b.Loop() {
		c.Excluded("/proyecto/app/api/v1/endpoints/usuarios.py")
	}
}

// BenchmarkCacheDiscoverHit is what the CLI pays per file once its
// directory is known.
func BenchmarkCacheDiscoverHit(b *testing.B) {
	root := b.TempDir()
	dir := filepath.Join(root, "app", "api", "v1")
	writeFile(b, filepath.Join(root, "pyproject.toml"), "[tool.asyncmig]\nselect = [\"AM\"]\n")
	cache := NewCache()
	cache.Discover(dir)
	for b.Loop() {
		cache.Discover(dir)
	}
}

// BenchmarkLoad parses and validates a realistic pyproject.toml.
func BenchmarkLoad(b *testing.B) {
	path := filepath.Join(b.TempDir(), "pyproject.toml")
	writeFile(b, path, `[project]
name = "api"  # API de reservas 🎉
dependencies = ["fastapi", "sqlalchemy[asyncio]", "redis"]

[tool.ruff]
line-length = 100

[tool.asyncmig]
select = ["AM"]
ignore = ["AM403"]
extend-exclude = ["alembic/versions/"]
target-version = "py312"
blocking-modules = ["stripe", "boto3"]
async-session-dependencies = ["get_async_db"]

[tool.asyncmig.per-file-ignores]
"tests/**" = ["AM"]
"app/legacy/*.py" = ["AM4"]

[tool.asyncmig.severity]
AM303 = "error"

[tool.asyncmig.tiers.core]
files = ["app/api/v1/users.py", "app/api/v1/auth.py"]
routes = ["/api/v1/users"]
`)
	for b.Loop() {
		if _, _, err := Load(path); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGlobManyDoubleStars guards against backtracking blow-ups: five
// "**" against a 40-deep path that never matches.
func BenchmarkGlobManyDoubleStars(b *testing.B) {
	g, err := compileGlob("**/a/**/a/**/a/**/a/**/b")
	if err != nil {
		b.Fatal(err)
	}
	path := strings.Repeat("a/", 40) + "c.py"
	for b.Loop() {
		if g.match(path, false, true) {
			b.Fatal("matched")
		}
	}
}
