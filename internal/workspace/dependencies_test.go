package workspace

import (
	"path/filepath"
	"syscall"
	"testing"
)

func TestDeclaresDependency(t *testing.T) {
	w := workspaceFromFiles(t, Twins{}, map[string]string{
		"pyproject.toml": `[project]
name = "Gimnasio_App"
# Dependencias — ñandú 🚀
dependencies = ["SQLAlchemy[asyncio]>=2.0", "redis-om ; python_version >= '3.10'", "pydantic"]

[project.optional-dependencies]
todo = ["gimnasio-app[pagos]", "stripe>=8"]

[dependency-groups]
dev = ["pytest>=8", {include-group = "lint"}]
lint = ["ruff"]

[tool.poetry.dependencies]
python = "^3.11"
Flask-Login = "*"

[tool.poetry.group.docs.dependencies]
mkdocs = "^1.5"

[tool.uv]
dev-dependencies = ["respx"]
`,
		"requirements.txt": "# Producción 🐍\n-r base.txt\n--hash=sha256:abc\nalembic>=1.13  # migraciones\n" +
			"git+https://github.com/ejemplo/utilidades.git@v1#egg=utilidades\n./vendor/propio\nboto3 @ https://example.com/boto3.whl\n",
		"requirements/dev.txt": "factory_boy==3.3\n",
		"app/__init__.py":      "",
	})
	for _, top := range []string{"sqlalchemy", "redis_om", "pydantic", "stripe", "pytest", "ruff", "flask_login", "mkdocs", "respx", "alembic", "boto3", "factory_boy"} {
		if !w.DeclaresDependency(top) {
			t.Errorf("DeclaresDependency(%q) = false", top)
		}
	}
	// The project's own name (listed in its extras), python, URLs, local
	// paths and options are not dependencies.
	for _, top := range []string{"gimnasio_app", "python", "git", "utilidades", "vendor", "app", "base", ""} {
		if w.DeclaresDependency(top) {
			t.Errorf("DeclaresDependency(%q) = true", top)
		}
	}
}

func TestDeclaresDependencyBadFiles(t *testing.T) {
	w := workspaceFromFiles(t, Twins{}, map[string]string{
		"pyproject.toml":  "[project\ndependencies = [\"alembic\"]\n", // does not parse
		"app/__init__.py": "",
	})
	if err := syscall.Mkfifo(filepath.Join(w.Root(), "requirements.txt"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	// Neither a broken pyproject.toml nor a FIFO (which would block a
	// read) declares anything.
	if w.DeclaresDependency("alembic") {
		t.Error("a pyproject.toml that does not parse declares alembic")
	}
}

func TestOwnsImport(t *testing.T) {
	w := workspaceFromFiles(t, Twins{}, map[string]string{
		"pyproject.toml":                  "[project]\nname = \"gimnasio\"\ndependencies = [\"celery\"]\n",
		"alembic/env.py":                  "# Lo ejecuta Alembic ⚙️\n",
		"alembic/versions/0001_socios.py": "# Migración 🏋️\n",
		"celery/__init__.py":              "",
		"celery/ajustes.py":               "",
		"gimnasio/servicios/socios.py":    "# Sin __init__ en gimnasio/ ni en servicios/\n",
		"app/__init__.py":                 "",
		"app/services/user.py":            "",
		"scripts_sueltos.py":              "",
	})
	owned := []string{"app", "app.services.async_user", "gimnasio.servicios.async_socios", "gimnasio.servicios",
		"alembic.versions", "alembic.versions.0002_nueva", "scripts_sueltos"}
	for _, name := range owned {
		if !w.OwnsImport(name) {
			t.Errorf("OwnsImport(%q) = false", name)
		}
	}
	notOwned := []string{"alembic", "alembic.config", "alembic.runtime.migration", "gimnasio", "gimnasio.reportes",
		"celery", "celery.ajustes", "celery.schedules", "fastapi", ""}
	for _, name := range notOwned {
		if w.OwnsImport(name) {
			t.Errorf("OwnsImport(%q) = true", name)
		}
	}
}
