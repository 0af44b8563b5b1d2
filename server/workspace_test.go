package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/asyncmig/asyncmig/internal/textpos"
	"github.com/asyncmig/asyncmig/server/lsptest"
)

// A project where an endpoint calls a service that is still sync.
var gymFiles = map[string]string{
	"services/__init__.py": "",
	"services/user.py": `# Servicio de usuarios 👤 — todavía síncrono
def get_user(user_id: int) -> dict:
    return {"id": user_id, "nombre": "Año"}
`,
	"routes.py": `from services.user import get_user


async def ver_usuario(user_id: int):
    # Devuelve el usuario, ¡sin esperar! ⏳
    usuario = get_user(user_id)
    return usuario
`,
}

// waitIndexed waits for the end of the indexing progress.
func waitIndexed(t testing.TB, c *lsptest.Client) {
	t.Helper()
	c.WaitNotification("$/progress", func(params json.RawMessage) bool {
		return strings.Contains(string(params), `"kind":"end"`)
	}, lsptest.Timeout)
}

// crossFileDeadline is the bound between a change to a service
// and the new diagnostics of the open module that calls it.
const crossFileDeadline = 500 * time.Millisecond

func waitAM301(t *testing.T, c *lsptest.Client, mark int, routesURI string, sent time.Time) {
	t.Helper()
	p := c.WaitDiagnosticsSince(mark, routesURI, lsptest.Timeout, func(p *lsptest.Published) bool {
		return slices.Contains(p.Codes(), "AM301")
	})
	elapsed := time.Since(sent)
	t.Logf("routes.py re-checked %v after the change", elapsed)
	d := diagnosticOf(t, p, "AM301")
	if want := rangeOnLine(5, "    usuario = get_user(user_id)", "get_user(user_id)", textpos.UTF16); d.Range != want {
		t.Errorf("AM301 at %+v, want %+v", d.Range, want)
	}
	if elapsed > crossFileDeadline {
		t.Errorf("routes.py was re-checked %v after the change, want within %v", elapsed, crossFileDeadline)
	}
}

// Turning the open service's def into an async def re-checks the open
// module that calls it: its call now lacks an await.
func TestCrossFileChangeInAnOpenDocument(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, gymFiles)
	c := startDocs(t, Options{}, initParams(root, editorCaps(), nil))
	waitIndexed(t, c)
	routesURI := fileURI(filepath.Join(root, "routes.py"))
	userURI := fileURI(filepath.Join(root, "services", "user.py"))
	c.Open(routesURI, 1, gymFiles["routes.py"])
	if p := c.WaitDiagnostics(routesURI, 1); len(p.Diagnostics) != 0 {
		t.Fatalf("routes.py calls a sync function: no diagnostics expected, got %s", p.Raw)
	}
	c.Open(userURI, 1, gymFiles["services/user.py"])
	c.WaitDiagnostics(userURI, 1)

	mark := c.Mark()
	sent := time.Now()
	c.Change(userURI, 2, protocol.Range{Start: protocol.Position{Line: 1}, End: protocol.Position{Line: 1}}, "async ")
	waitAM301(t, c, mark, routesURI, sent)

	// And back: the await is no longer missing.
	mark = c.Mark()
	c.Change(userURI, 3, protocol.Range{Start: protocol.Position{Line: 1}, End: protocol.Position{Line: 1, Character: 6}}, "")
	p := c.WaitDiagnosticsSince(mark, routesURI, lsptest.Timeout, nil)
	if len(p.Diagnostics) != 0 {
		t.Errorf("after reverting, routes.py still has %s", p.Raw)
	}
	noNulls(t, c)
}

// The same change made on disk (a git checkout, another editor) arrives
// through didChangeWatchedFiles.
func TestCrossFileChangeOnDisk(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, gymFiles)
	c := startDocs(t, Options{}, initParams(root, editorCaps(), nil))
	waitIndexed(t, c)
	routesURI := fileURI(filepath.Join(root, "routes.py"))
	c.Open(routesURI, 1, gymFiles["routes.py"])
	c.WaitDiagnostics(routesURI, 1)

	userPath := filepath.Join(root, "services", "user.py")
	writeFiles(t, root, map[string]string{"services/user.py": strings.Replace(gymFiles["services/user.py"], "def get_user", "async def get_user", 1)})
	mark := c.Mark()
	sent := time.Now()
	c.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": fileURI(userPath), "type": 2}}})
	waitAM301(t, c, mark, routesURI, sent)

	// Deleting the service leaves the call unresolved: no more AM301.
	if err := os.Remove(userPath); err != nil {
		t.Fatal(err)
	}
	mark = c.Mark()
	c.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": fileURI(userPath), "type": 3}}})
	p := c.WaitDiagnosticsSince(mark, routesURI, lsptest.Timeout, nil)
	if slices.Contains(p.Codes(), "AM301") {
		t.Errorf("AM301 remains for a deleted service: %s", p.Raw)
	}
}

// Watchers are registered when the client allows it, for Python and
// config files.
func TestWatchersRegistered(t *testing.T) {
	c := startDocs(t, Options{}, initParams(t.TempDir(), editorCaps(), nil))
	m := c.WaitMessage("client/registerCapability", lsptest.Timeout, func(m *lsptest.Message) bool {
		return m.Method == "client/registerCapability"
	})
	var p protocol.RegistrationParams
	if err := json.Unmarshal(m.Params, &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Registrations) != 1 || p.Registrations[0].Method != "workspace/didChangeWatchedFiles" {
		t.Fatalf("registration %s", m.Raw)
	}
	for _, glob := range []string{`"**/*.py"`, `"**/pyproject.toml"`} {
		if !strings.Contains(string(m.Params), glob) {
			t.Errorf("no watcher for %s: %s", glob, m.Params)
		}
	}

	caps := editorCaps()
	delete(caps["workspace"].(map[string]any), "didChangeWatchedFiles")
	c2 := startDocs(t, Options{}, initParams(t.TempDir(), caps, nil))
	echo(t, c2)
	for _, m := range c2.Messages() {
		if m.Method == "client/registerCapability" {
			t.Errorf("registered with a client that cannot: %s", m.Raw)
		}
	}
}

func TestIndexingProgress(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, gymFiles)
	c := startDocs(t, Options{}, initParams(root, editorCaps(), nil))
	waitIndexed(t, c)
	var token string
	var kinds []string
	for _, m := range c.Messages() {
		switch m.Method {
		case "window/workDoneProgress/create":
			var p struct{ Token string }
			if err := json.Unmarshal(m.Params, &p); err != nil {
				t.Fatal(err)
			}
			token = p.Token
		case "$/progress":
			var p struct {
				Token string
				Value struct {
					Kind, Title, Message string
					Percentage           int
				}
			}
			if err := json.Unmarshal(m.Params, &p); err != nil {
				t.Fatal(err)
			}
			if p.Token != token || token == "" {
				t.Errorf("$/progress for token %q, created %q", p.Token, token)
			}
			kinds = append(kinds, p.Value.Kind)
			if p.Value.Kind == "end" && !strings.Contains(p.Value.Message, "3 modules") {
				t.Errorf("end message %q does not count the 3 modules", p.Value.Message)
			}
		}
	}
	if len(kinds) < 3 || kinds[0] != "begin" || kinds[len(kinds)-1] != "end" || !slices.Contains(kinds, "report") {
		t.Errorf("progress kinds %v, want begin, report…, end", kinds)
	}
}

// Requests are answered while the index is being built, and open files
// are checked again once it is ready: routes.py only learns from the index
// that get_user is a coroutine function.
func TestOpenFilesRecheckedAfterIndexing(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{}
	for k, v := range gymFiles {
		files[k] = v
	}
	files["services/user.py"] = strings.Replace(files["services/user.py"], "def get_user", "async def get_user", 1)
	writeFiles(t, root, files)
	hold := make(chan struct{})
	c := lsptest.New(t, newTestServer(t, Options{beforeIndex: func() { <-hold }}, nil).Serve)
	t.Cleanup(func() {
		select {
		case <-hold:
		default:
			close(hold)
		}
	})
	routesURI := fileURI(filepath.Join(root, "routes.py"))
	c.Initialize(initParams(root, editorCaps(), nil))
	c.Open(routesURI, 1, files["routes.py"])
	if p := c.WaitDiagnostics(routesURI, 1); slices.Contains(p.Codes(), "AM301") {
		t.Fatalf("AM301 before the index knows get_user: %s", p.Raw)
	}
	hover := map[string]any{"textDocument": map[string]any{"uri": routesURI}, "position": map[string]any{"line": 5, "character": 16}}
	if err := c.Call("textDocument/hover", hover, nil); err != nil {
		t.Fatalf("hover while indexing: %v", err)
	}
	mark := c.Mark()
	close(hold)
	p := c.WaitDiagnosticsSince(mark, routesURI, lsptest.Timeout, nil)
	if !slices.Contains(p.Codes(), "AM301") {
		t.Errorf("after indexing, routes.py has %s; want AM301", p.Raw)
	}
}

// .gitignore'd and excluded directories stay out of the index.
func TestIndexHonoursGitignoreAndExcludes(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{}
	for k, v := range gymFiles {
		files[k] = v
	}
	files[".gitignore"] = "# generado ⚙️\n/generado/\n*.tmp\n"
	files["generado/x.py"] = "x = 1\n"
	files["node_modules/y.py"] = "y = 1\n"
	writeFiles(t, root, files)
	s := newTestServer(t, Options{}, nil)
	c := lsptest.New(t, s.Serve)
	c.Initialize(initParams(root, editorCaps(), nil))
	waitIndexed(t, c)
	ws := s.code.allFolders()[0].workspace()
	for _, m := range []string{"generado.x", "node_modules.y"} {
		if ws.Module(m) != nil {
			t.Errorf("%s was indexed", m)
		}
	}
	for _, m := range []string{"routes", "services.user"} {
		if ws.Module(m) == nil {
			t.Errorf("%s was not indexed", m)
		}
	}
}

// A service whose parameter is annotated Session but receives an
// AsyncSession from its callers (kinds flow along calls).
var flowFiles = map[string]string{
	"app/__init__.py": "",
	"app/db.py": `from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

AsyncSessionLocal = async_sessionmaker(create_async_engine("postgresql+asyncpg://gym@db/gym"))


async def get_async_db() -> AsyncIterator[AsyncSession]:
    async with AsyncSessionLocal() as session:
        yield session
`,
	"app/models.py":            "class Workout:\n    user_id: int\n",
	"app/services/__init__.py": "",
	"app/services/workout.py": `from sqlalchemy.orm import Session

from app.models import Workout


async def ultima(db: Session, user_id: int):
    # La anotación dice Session, pero llega una AsyncSession 🤥
    return db.query(Workout).filter(Workout.user_id == user_id).first()
`,
	"app/routes.py": `from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_async_db
from app.services.workout import ultima


async def ver(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return await ultima(db, user_id)
`,
}

// Typing in a module whose diagnostics depend on the session kinds its
// callers pass keeps those diagnostics: rebuilding the module must not
// lose the flows computed for its previous version.
func TestFlowsSurviveTyping(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, flowFiles)
	c := startDocs(t, Options{}, initParams(root, editorCaps(), nil))
	waitIndexed(t, c)
	docURI := fileURI(filepath.Join(root, "app", "services", "workout.py"))
	text := flowFiles["app/services/workout.py"]
	c.Open(docURI, 1, text)
	d := diagnosticOf(t, c.WaitDiagnostics(docURI, 1), "AM101")
	if len(d.RelatedInformation) == 0 || !strings.HasSuffix(string(d.RelatedInformation[0].Location.URI), "/app/routes.py") {
		t.Fatalf("AM101 should point at the caller in routes.py: %+v", d)
	}
	for v := int32(2); v <= 4; v++ {
		// Typing inside the comment: the module's shape does not change.
		c.Change(docURI, v, protocol.Range{Start: protocol.Position{Line: 6, Character: 10}, End: protocol.Position{Line: 6, Character: 10}}, "ñ")
		diagnosticOf(t, c.WaitDiagnostics(docURI, v), "AM101")
	}
}
