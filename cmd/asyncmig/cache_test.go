package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The cache is invisible except for speed: a warm check prints exactly
// what a --no-cache check prints, before and after an edit, in every
// output format that lists findings.
func TestCheckCacheIsInvisible(t *testing.T) {
	dir := newProject(t, map[string]string{
		"app/__init__.py": "",
		"app/svc.py": `from sqlalchemy.orm import Session


def get_user(db: Session, uid: int):
    return db.query(User).get(uid)
`,
		"app/routes.py": `# Rutas 🚀
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from app.svc import get_user


async def perfil(db: AsyncSession, uid: int):
    return {"u": get_user(db, uid), "t": datetime.utcnow()}
`,
	})
	for _, format := range []string{"json", "concise"} {
		cold := asyncmig(t, "check", "--no-cache", "--output-format", format, dir)
		first := asyncmig(t, "check", "-v", "--output-format", format, dir)
		warm := asyncmig(t, "check", "-v", "--output-format", format, dir)
		if !strings.Contains(warm.stderr, "every file unchanged") {
			t.Fatalf("second run did not use the cache:\n%s", warm)
		}
		if cold.stdout != first.stdout || cold.stdout != warm.stdout || cold.code != warm.code || cold.code != 1 {
			t.Fatalf("%s: cached output differs\ncold:\n%s\nwarm:\n%s", format, cold, warm)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".asyncmig_cache", ".gitignore")); err != nil {
		t.Errorf("cache directory lacks its .gitignore: %v", err)
	}
	// An edit that moves the service's code down: related locations in
	// routes.py point into it and must move too.
	svc := filepath.Join(dir, "app/svc.py")
	b, _ := os.ReadFile(svc)
	os.WriteFile(svc, append([]byte("# Servicio legado — ¡todavía síncrono! 🐢\n\n"), b...), 0o644)
	cold := asyncmig(t, "check", "--no-cache", "--output-format", "json", dir)
	warm := asyncmig(t, "check", "-v", "--output-format", "json", dir)
	if !strings.Contains(warm.stderr, "re-checking") {
		t.Fatalf("a comment-only edit should re-check few files:\n%s", warm)
	}
	if warm.stdout != cold.stdout {
		t.Fatalf("after an edit the cached output differs\ncold:\n%s\nwarm:\n%s", cold, warm)
	}
}
