package rules

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/diagnostics/ruletest"
)

func TestAM401(t *testing.T) { ruletest.Run(t, AM401, All) }

const am401Services = `# Servicio legacy 🐢
class UserService:
    def get_user(self, user_id: int) -> dict:
        return {"id": user_id, "nombre": "Iñaki"}


user_service = UserService()
`

const am401AsyncServices = `# Gemelo async 🚀
class AsyncUserService:
    async def get_user(self, user_id: int) -> dict:
        return {"id": user_id, "nombre": "Iñaki"}


async_user_service = AsyncUserService()
`

func am401Project(api string) map[string]string {
	return map[string]string{
		"app/__init__.py":            "",
		"app/services/__init__.py":   "",
		"app/services/user.py":       am401Services,
		"app/services/async_user.py": am401AsyncServices,
		"app/services/email.py":      "def render(nombre: str) -> str:\n    return f'Hola {nombre} 👋'\n",
		"app/api.py":                 api,
	}
}

// A sync use left in a lambda keeps the old import; the twin is imported
// beside it and only the async use is rewritten.
func TestAM401FixKeepsSyncUses(t *testing.T) {
	srcs, diags := projectDiagnostics(t, "AM401", am401Project(`# Endpoints 👤
from app.services.user import user_service


async def leer(user_id: int) -> dict:
    diferido = lambda: user_service.get_user(user_id)  # se ejecuta en un hilo 🧵
    return {"u": user_service.get_user(user_id), "d": diferido}
`))
	got := diags["app/api.py"]
	if len(got) != 1 {
		t.Fatalf("want one AM401, got %d", len(got))
	}
	want := `# Endpoints 👤
from app.services.async_user import async_user_service
from app.services.user import user_service


async def leer(user_id: int) -> dict:
    diferido = lambda: user_service.get_user(user_id)  # se ejecuta en un hilo 🧵
    return {"u": await async_user_service.get_user(user_id), "d": diferido}
`
	if out := fixed(t, srcs["app/api.py"], got[0]); out != want {
		t.Errorf("fixed:\n%s\nwant:\n%s", out, want)
	}
}

// Reported without a fix: `import a.b.c` spells the path at each use, a
// rebound name, and an await the fix could not write (inside a generator
// expression). Uses of another submodule through the same `import app…`
// do not count.
func TestAM401NoFix(t *testing.T) {
	_, diags := projectDiagnostics(t, "AM401", am401Project(`# Endpoints 👤
import app.services.email
import app.services.user
from app.services.user import UserService
from app.services.user import user_service

if app.services.email.render("x"):
    UserService = None


async def leer(ids: list[int]) -> dict:
    primero = app.services.user.user_service.get_user(ids[0])
    otros = list(user_service.get_user(i) for i in ids)
    clase = UserService().get_user(1)
    return {"p": primero, "o": otros, "c": clase, "e": app.services.email.render("Ana")}
`))
	got := diags["app/api.py"]
	if len(got) != 3 {
		var msgs []string
		for _, d := range got {
			msgs = append(msgs, d.Message)
		}
		t.Fatalf("want three AM401, got %q", msgs)
	}
	for _, d := range got {
		if len(d.Fixes) != 0 {
			t.Errorf("%s: want no fix, got %q", d.Message, d.Fixes[0].Title)
		}
	}
}

// Async code that only uses the email helpers through `import app.services.email`
// does not make `import app.services.user` a use of the sync user module.
func TestAM401DottedImportChain(t *testing.T) {
	_, diags := projectDiagnostics(t, "AM401", am401Project(`# Endpoints ✉️
import app.services.email
import app.services.user


async def saludar(nombre: str) -> str:
    return app.services.email.render(nombre)


def legacy(user_id: int) -> dict:
    return app.services.user.user_service.get_user(user_id)
`))
	if got := diags["app/api.py"]; len(got) != 0 {
		t.Errorf("want nothing, got %q", got[0].Message)
	}
}

// A twin method that takes other arguments would break the call: no fix.
func TestAM401FixNeedsSameSignature(t *testing.T) {
	files := am401Project(`# Endpoints 👤
from app.services.user import user_service


async def leer(user_id: int) -> dict:
    return user_service.get_user(user_id)
`)
	files["app/services/async_user.py"] = strings.Replace(am401AsyncServices, "get_user(self, user_id: int)", "get_user(self, db, user_id: int)", 1)
	_, diags := projectDiagnostics(t, "AM401", files)
	got := diags["app/api.py"]
	if len(got) != 1 || len(got[0].Fixes) != 0 {
		t.Fatalf("want one AM401 without a fix, got %v", got)
	}
}

// Sync work handed to a thread from async code is not an async use.
func TestAM401OffloadedToThread(t *testing.T) {
	_, diags := projectDiagnostics(t, "AM401", am401Project(`# Endpoints con hilos 🧵
import asyncio

from fastapi.concurrency import run_in_threadpool

from app.services.user import UserService, user_service


async def leer(user_id: int) -> dict:
    a = await asyncio.to_thread(user_service.get_user, user_id)
    b = await run_in_threadpool(UserService().get_user, user_id)
    c = await asyncio.get_running_loop().run_in_executor(None, user_service.get_user, user_id)
    return {"a": a, "b": b, "c": c}
`))
	if got := diags["app/api.py"]; len(got) != 0 {
		t.Errorf("offloaded uses reported: %s", got[0].Message)
	}
	// Calling it inside the argument runs it on the event loop.
	_, diags = projectDiagnostics(t, "AM401", am401Project(`# Hilo mal usado 🧵
import asyncio

from app.services.user import user_service


async def leer(user_id: int) -> dict:
    return await asyncio.to_thread(print, user_service.get_user(user_id))
`))
	if got := diags["app/api.py"]; len(got) != 1 {
		t.Errorf("a call made on the loop must be reported, got %d", len(got))
	}
}
