package server

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/internal/textpos"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// A half-migrated project: a sync route using a sync service that has an
// async twin, another route that calls a helper of the first file.
var migrateFiles = map[string]string{
	"pyproject.toml":           "[project]\nname = \"gimnasio\"\n",
	"app/__init__.py":          "",
	"app/services/__init__.py": "",
	"app/db.py": `from collections.abc import AsyncIterator, Iterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, sessionmaker

SessionLocal = sessionmaker()
AsyncSessionLocal = async_sessionmaker()


def get_db() -> Iterator[Session]:
    with SessionLocal() as db:
        yield db


async def get_async_db() -> AsyncIterator[AsyncSession]:
    async with AsyncSessionLocal() as db:
        yield db
`,
	"app/services/user.py": `from sqlalchemy.orm import Session


class UserService:
    def get_user(self, db: Session, user_id: int) -> dict:
        return db.get(dict, user_id)


user_service = UserService()
`,
	"app/services/async_user.py": `from sqlalchemy.ext.asyncio import AsyncSession


class AsyncUserService:
    async def get_user(self, db: AsyncSession, user_id: int) -> dict:
        return await db.get(dict, user_id)


async_user_service = AsyncUserService()
`,
	"app/routes.py": migrateRoutes,
	"app/panel.py": `from app.routes import nombre_del_socio


def panel(db, user_id: int) -> str:
    return "📋 " + nombre_del_socio(db, user_id)
`,
}

const migrateRoutes = `"""Rutas de socios 🏋️ — ¡a migrar!"""
from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.db import get_db
from app.services.user import user_service

router = APIRouter()


def nombre_del_socio(db: Session, user_id: int) -> str:
    return user_service.get_user(db, user_id)["nombre"]


@router.get("/socios/{user_id}")
def ver_socio(user_id: int, db: Session = Depends(get_db)):
    # Año 2026: última ruta síncrona 🐢
    return {"nombre": nombre_del_socio(db, user_id)}


@router.get("/salud")
async def salud():
    return {"ok": "💚"}
`

func openMigrateProject(t *testing.T, encodings ...string) (*lsptest.Client, string) {
	t.Helper()
	root := t.TempDir()
	writeFiles(t, root, migrateFiles)
	c := startDocs(t, Options{}, initParams(root, editorCaps(encodings...), nil))
	waitIndexed(t, c)
	routesURI := fileURI(filepath.Join(root, "app", "routes.py"))
	c.Open(routesURI, 1, migrateRoutes)
	c.WaitDiagnostics(routesURI, 1)
	return c, routesURI
}

// cursorAt is an empty range at the first occurrence of needle.
func cursorAt(text, needle string, enc textpos.Encoding) protocol.Range {
	li := textpos.NewLineIndex([]byte(text))
	p := li.OffsetPosition(strings.Index(text, needle), enc)
	pos := protocol.Position{Line: p.Line, Character: p.Character}
	return protocol.Range{Start: pos, End: pos}
}

func migrateAction(t *testing.T, actions []protocol.CodeAction) *protocol.CodeAction {
	t.Helper()
	var found *protocol.CodeAction
	for i := range actions {
		if actions[i].Kind == codeActionKindMigrate {
			if found != nil {
				t.Fatalf("two migrate actions: %q", titles(actions))
			}
			found = &actions[i]
		}
	}
	return found
}

func TestMigrateActionRewritesTheFunction(t *testing.T) {
	for _, enc := range []textpos.Encoding{textpos.UTF16, textpos.UTF8} {
		t.Run(enc.String(), func(t *testing.T) {
			var c *lsptest.Client
			var routesURI string
			if enc == textpos.UTF8 {
				c, routesURI = openMigrateProject(t, "utf-8")
			} else {
				c, routesURI = openMigrateProject(t)
			}
			// The cursor on the decorator, no kind filter: what a lightbulb asks.
			actions, err := c.CodeActions(codeActionRequest(routesURI, cursorAt(migrateRoutes, "@router.get(\"/socios", enc), nil))
			if err != nil {
				t.Fatal(err)
			}
			a := migrateAction(t, actions)
			if a == nil {
				t.Fatalf("no migrate action among %q", titles(actions))
			}
			if a.Title != "Migrate `ver_socio` to async (1 manual step)" || a.Disabled != nil {
				t.Errorf("title %q, disabled %+v", a.Title, a.Disabled)
			}
			got := applyWorkspaceEdit(t, migrateRoutes, routesURI, 1, a.Edit, enc)
			want := strings.NewReplacer(
				"from sqlalchemy.orm import Session\n", "from sqlalchemy.ext.asyncio import AsyncSession\nfrom sqlalchemy.orm import Session\n",
				"from app.db import get_db\n", "from app.db import get_async_db\n",
				"def ver_socio(user_id: int, db: Session = Depends(get_db)):", "async def ver_socio(user_id: int, db: AsyncSession = Depends(get_async_db)):",
				"    return {\"nombre\": nombre_del_socio(db, user_id)}", "    # TODO(asyncmig): AM105 `nombre_del_socio` expects a sync `Session` for `db` but gets the AsyncSession `db`; migrate it to AsyncSession\n    return {\"nombre\": nombre_del_socio(db, user_id)}",
			).Replace(migrateRoutes)
			if got != want {
				t.Errorf("migrated text:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestMigrateActionOnAServiceFunctionListsCallers(t *testing.T) {
	c, routesURI := openMigrateProject(t)
	actions, err := c.CodeActions(codeActionRequest(routesURI, cursorAt(migrateRoutes, "nombre_del_socio(db: Session", textpos.UTF16), nil, "refactor"))
	if err != nil {
		t.Fatal(err)
	}
	a := migrateAction(t, actions)
	if a == nil {
		t.Fatalf("no migrate action among %q", titles(actions))
	}
	if want := "Migrate `nombre_del_socio` to async (2 callers to update)"; a.Title != want {
		t.Errorf("title %q, want %q", a.Title, want)
	}
	got := applyWorkspaceEdit(t, migrateRoutes, routesURI, 1, a.Edit, textpos.UTF16)
	for _, part := range []string{
		"async def nombre_del_socio(db: AsyncSession, user_id: int) -> str:\n    return (await async_user_service.get_user(db, user_id))[\"nombre\"]\n",
		"def ver_socio(user_id: int, db: Session = Depends(get_db)):\n", // not this function: untouched
	} {
		if !strings.Contains(got, part) {
			t.Errorf("migrated text lacks %q:\n%s", part, got)
		}
	}
	var data migrateData
	raw, _ := json.Marshal(a.Data)
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatal(err)
	}
	if data.Migrate != "nombre_del_socio" || len(data.Callers) != 2 {
		t.Fatalf("data %s", raw)
	}
	// The caller in the migrated file is placed in the migrated text; the
	// one in panel.py in that file.
	sameFile, other := data.Callers[0], data.Callers[1]
	if !strings.HasSuffix(string(other.Location.URI), "/app/panel.py") {
		sameFile, other = other, sameFile
	}
	li := textpos.NewLineIndex([]byte(got))
	start, end, rerr := li.RangeOffsets(fromProtocolRange(sameFile.Location.Range), textpos.UTF16)
	if rerr != nil || got[start:end] != "nombre_del_socio(db, user_id)" || sameFile.Function != "ver_socio" || sameFile.Advice != "sync code: keep a sync version for it, or migrate it too" {
		t.Errorf("caller in routes.py: %+v (text %q)", sameFile, got[start:end])
	}
	if want := rangeOnLine(4, `    return "📋 " + nombre_del_socio(db, user_id)`, "nombre_del_socio(db, user_id)", textpos.UTF16); other.Location.Range != want || other.Function != "panel" {
		t.Errorf("caller in panel.py: %+v, want range %+v", other, want)
	}
}

func TestMigrateActionFilters(t *testing.T) {
	c, routesURI := openMigrateProject(t)
	ask := func(needle string, trigger int, only ...string) *protocol.CodeAction {
		t.Helper()
		req := codeActionRequest(routesURI, cursorAt(migrateRoutes, needle, textpos.UTF16), nil, only...)
		if trigger != 0 {
			req["context"].(map[string]any)["triggerKind"] = trigger
		}
		actions, err := c.CodeActions(req)
		if err != nil {
			t.Fatal(err)
		}
		return migrateAction(t, actions)
	}
	if a := ask("def ver_socio", 0, "quickfix"); a != nil {
		t.Errorf("offered under only=quickfix: %+v", a)
	}
	if a := ask("# Año 2026", 0); a != nil {
		t.Errorf("offered in a function body without an explicit refactor request: %q", a.Title)
	}
	if a := ask("# Año 2026", 0, "refactor.rewrite"); a == nil || a.Title != "Migrate `ver_socio` to async (1 manual step)" {
		t.Errorf("asked for refactor.rewrite in the body: %+v", a)
	}
	if a := ask("router = APIRouter()", 0, "refactor"); a != nil {
		t.Errorf("offered outside any function: %q", a.Title)
	}
	// An async def: a disabled action says why, unless the lightbulb asks.
	a := ask("async def salud", 1, "refactor")
	if a == nil || a.Disabled == nil || a.Disabled.Reason != "`salud` is already async" || a.Edit != nil {
		t.Errorf("on an async def: %+v", a)
	}
	if a := ask("async def salud", 2); a != nil {
		t.Errorf("automatic request got a disabled action: %+v", a)
	}
}
