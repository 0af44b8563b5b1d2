package server

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/asyncmig/asyncmig/diagnostics/rules"
	"github.com/asyncmig/asyncmig/internal/cache"
	"github.com/asyncmig/asyncmig/internal/project"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// A project the CLI checked opens from its cache: the open document is
// analysed against the cached facts (the session kinds callers pass)
// before the full index has parsed anything else.
func TestOpensFromTheCLICache(t *testing.T) {
	root := t.TempDir()
	svc := `# Servicio legado 🐢
from sqlalchemy.orm import Session


def get_user(db: Session, uid: int):
    return db.query(User).get(uid)
`
	writeFiles(t, root, map[string]string{
		"pyproject.toml":  "[project]\nname = \"gimnasio\"\n",
		"app/__init__.py": "",
		"app/svc.py":      svc,
		"app/routes.py": `from sqlalchemy.ext.asyncio import AsyncSession

from app.svc import get_user


async def perfil(db: AsyncSession, uid: int):
    return await get_user(db, uid)
`,
	})
	const version = "1.2.3-test" // newTestServer's default
	opts := &project.CacheOptions{Build: cache.BuildID(version), Rules: rules.ID()}
	p, err := project.Load(context.Background(), root, []string{root}, project.Options{Cache: opts})
	if err != nil {
		t.Fatal(err)
	}
	p.SaveCache(p.Check(context.Background(), rules.All))
	if _, err := os.Stat(filepath.Join(root, cache.DirName)); err != nil {
		t.Fatal("the CLI run left no cache")
	}

	hold := make(chan struct{})
	defer close(hold)
	c := startDocs(t, Options{beforeFullIndex: func() { <-hold }}, initParams(root, editorCaps(), nil))
	uri := fileURI(filepath.Join(root, "app/svc.py"))
	c.Open(uri, 1, svc)
	// The full index is held back: AM101 can only come from the flow the
	// cache recorded (routes.py passes an AsyncSession to get_user).
	c.WaitDiagnosticsSince(0, uri, 10*time.Second, func(p *lsptest.Published) bool {
		for _, code := range p.Codes() {
			if code == "AM101" {
				return true
			}
		}
		return false
	})
}
