package workspace

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// indexSources indexes in-memory modules by dotted name.
func indexSources(t *testing.T, files map[string]string) *Workspace {
	t.Helper()
	w := New(t.TempDir(), pymodel.Options{}, Twins{})
	for name, src := range files {
		tree, err := pysyntax.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		w.Put(pymodel.Build(tree, name, "/ws/"+name+".py", false))
	}
	w.Refresh()
	return w
}

// ResolveCall must say which project function a call runs and where it is
// defined, whatever the route: a plain function, a method through an
// instance, a class or static method, a constructor with an inherited
// __init__, and nothing for library calls.
func TestResolveCall(t *testing.T) {
	w := indexSources(t, map[string]string{
		"app.services.base": `# Base de servicios 🧱
class Base:
    def __init__(self, db, año: int = 2024) -> None:
        self.db = db
`,
		"app.services.user": `# Usuarios — ñandú 🐢
from app.services.base import Base


class UserService(Base):
    def get_user(self, db, user_id):
        return None

    @classmethod
    def build(cls, db):
        return cls(db)

    @staticmethod
    def normaliza(email):
        return email.lower()


class Plain:
    pass


def helper(db):
    return db


user_service = UserService(None)
`,
		"app.api.routes": `# Rutas 🚀
import json

from app.services import user
from app.services.user import Plain, UserService, helper, user_service


async def endpoint(db):
    helper(db)
    user_service.get_user(db, 1)
    UserService.build(db)
    UserService.normaliza("Ana@Gimnasio.es")
    UserService(db)
    Plain()
    user.helper(db)
    json.dumps({"ñ": 1})
`,
	})
	routes := w.Module("app.api.routes")
	if routes == nil {
		t.Fatal("routes not indexed")
	}
	var fn = routes.Functions[0]
	ev := w.Evaluator()
	type want struct {
		fn, mod, class string
		skip, ok       bool
	}
	wants := []want{
		{fn: "helper", mod: "app.services.user", ok: true},
		{fn: "UserService.get_user", mod: "app.services.user", skip: true, ok: true},
		{fn: "UserService.build", mod: "app.services.user", skip: true, ok: true},
		{fn: "UserService.normaliza", mod: "app.services.user", ok: true},
		{fn: "Base.__init__", mod: "app.services.base", class: "UserService", skip: true, ok: true},
		{class: "Plain", skip: true, ok: true},
		{fn: "helper", mod: "app.services.user", ok: true},
		{},
	}
	if len(fn.Calls) != len(wants) {
		t.Fatalf("%d calls, want %d", len(fn.Calls), len(wants))
	}
	for i, cs := range fn.Calls {
		tg, ok := ResolveCall(ev, routes, cs.Scope, cs.Call)
		var got want
		got.ok, got.skip = ok, tg.SkipSelf
		if tg.Func != nil {
			got.fn = tg.Func.Qual
		}
		if tg.Mod != nil {
			got.mod = tg.Mod.Name
		}
		if tg.Class != nil {
			got.class = tg.Class.Name
			if tg.ClassMod == nil || tg.ClassMod.Name != "app.services.user" {
				t.Errorf("call %d: class module %v", i, tg.ClassMod)
			}
		}
		if got != wants[i] {
			t.Errorf("call %d: got %+v, want %+v", i, got, wants[i])
		}
		// Callee keeps its contract on top of ResolveCall.
		cfn, cskip := Callee(ev, routes, cs.Scope, cs.Call)
		if cfn != tg.Func || (cfn != nil && cskip != tg.SkipSelf) {
			t.Errorf("call %d: Callee disagrees with ResolveCall", i)
		}
	}
}

// Flows are keyed by function identity, not by the Function object: a
// module rebuilt after an edit elsewhere in the file keeps the session
// kinds its callers pass, without a Refresh (the editor rebuilds the open
// module on every change).
func TestFlowsSurviveRebuild(t *testing.T) {
	w := New("/ws", pymodel.Options{}, Twins{})
	svc := `from sqlalchemy.orm import Session


def get_user(db: Session, uid: int):
    return db.query(User).get(uid)
`
	route := `from sqlalchemy.ext.asyncio import AsyncSession

from app.svc import get_user


async def perfil(db: AsyncSession):
    return get_user(db, 1)
`
	put := func(name, src string) *pymodel.Module {
		tree, err := pysyntax.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		m := pymodel.Build(tree, name, "/ws/"+strings.ReplaceAll(name, ".", "/")+".py", false)
		w.Put(m)
		return m
	}
	put("app.svc", svc)
	put("app.routes", route)
	w.Refresh()
	// An edit above the function (a comment with non-ASCII text) rebuilds the module.
	rebuilt := put("app.svc", "# Servicio de usuarios — ¡sin cambios de forma! 🚀\n"+svc)
	var fn *pymodel.Function
	for _, f := range rebuilt.Functions {
		if f.Name == "get_user" {
			fn = f
		}
	}
	flows := w.ParamFlows(fn)
	if len(flows) == 0 || len(flows[0]) != 1 || flows[0][0].Kind != pymodel.AsyncSession || flows[0][0].CallerFunc != "perfil" {
		t.Fatalf("flows lost on rebuild: %+v", flows)
	}
}
