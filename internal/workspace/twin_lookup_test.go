package workspace

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/internal/pymodel"
	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

func newTestWorkspace(t *testing.T, twins Twins, files map[string]string) *Workspace {
	t.Helper()
	w := New("/ws", pymodel.Options{}, twins)
	for name, src := range files {
		tree, err := pysyntax.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		w.Put(pymodel.Build(tree, name, "/ws/"+strings.ReplaceAll(name, ".", "/")+".py", false))
	}
	w.Refresh()
	return w
}

const legacyUser = `
class UserService:
    def get_user(self, db, uid):
        return db.get(User, uid)


def get_profile(db, uid):
    return {"id": uid}


def weekly_stats(db, uid):
    return 0


async def async_weekly_stats(db, uid):
    return 0


def cache_key(uid):
    return f"usuario:{uid} 🔑"


user_service = UserService()
`

const asyncUser = `
class AsyncUserService:
    async def get_user(self, db, uid):
        return await db.get(User, uid)


async def get_profile(db, uid):
    return {"id": uid}


def async_cache_key(uid):
    # un def normal con nombre async: no es un gemelo
    return f"usuario:{uid} 🔑"


async_user_service = AsyncUserService()
`

func TestTwinLookup(t *testing.T) {
	w := newTestWorkspace(t, Twins{}, map[string]string{
		"app.services.user":       legacyUser,
		"app.services.async_user": asyncUser,
	})
	ev := w.Evaluator()
	user := w.Module("app.services.user")
	fn := func(name string) *pymodel.Function { return user.Scope.Names[name][0].Func }

	for name, want := range map[string]string{
		"get_profile":  "app.services.async_user.get_profile",  // same name in the twin module
		"weekly_stats": "app.services.user.async_weekly_stats", // name pattern beside it
		"cache_key":    "",                                     // async_cache_key is a plain def
	} {
		tw, ok := w.FunctionTwin(ev, user, fn(name))
		got := ""
		if ok {
			got = tw.Module.Name + "." + tw.Name
		}
		if got != want {
			t.Errorf("FunctionTwin(%s) = %q, want %q", name, got, want)
		}
	}

	cls := user.Scope.Names["UserService"][0].Class
	if tw, ok := w.ClassTwin(ev, user, cls); !ok || tw.Name != "AsyncUserService" || tw.Module.Name != "app.services.async_user" {
		t.Errorf("ClassTwin(UserService) = %+v, %v", tw, ok)
	}
	if tw, ok := w.InstanceTwin(ev, user, cls); !ok || tw.Name != "async_user_service" || tw.Value.Class.Name != "AsyncUserService" {
		t.Errorf("InstanceTwin(user_service) = %+v, %v", tw, ok)
	}
}

// Twin patterns come from configuration; the other direction's names are
// not twins then.
func TestTwinLookupCustomPatterns(t *testing.T) {
	w := newTestWorkspace(t, Twins{Module: "{module}_async", Class: "{Class}Async", Name: "{name}_async"}, map[string]string{
		"app.services.user": legacyUser,
		"app.services.user_async": `
class UserServiceAsync:
    async def get_user(self, db, uid):
        return None


async def weekly_stats_async(db, uid):
    return 0


servicio = UserServiceAsync()
`,
		"app.services.async_user": asyncUser,
	})
	ev := w.Evaluator()
	user := w.Module("app.services.user")
	if tw, ok := w.FunctionTwin(ev, user, user.Scope.Names["weekly_stats"][0].Func); !ok || tw.Module.Name != "app.services.user_async" || tw.Name != "weekly_stats_async" {
		t.Errorf("FunctionTwin(weekly_stats) = %+v, %v", tw, ok)
	}
	if _, ok := w.FunctionTwin(ev, user, user.Scope.Names["get_profile"][0].Func); ok {
		t.Error("async_user is not get_profile's twin under {module}_async")
	}
	// No name-pattern twin of user_service: the only instance of the twin class.
	cls := user.Scope.Names["UserService"][0].Class
	if tw, ok := w.InstanceTwin(ev, user, cls); !ok || tw.Name != "servicio" {
		t.Errorf("InstanceTwin(user_service) = %+v, %v", tw, ok)
	}
}

func TestOverrides(t *testing.T) {
	w := newTestWorkspace(t, Twins{}, map[string]string{
		"app.repo": `
class BaseRepo:
    def fetch(self, uid):
        raise NotImplementedError

    def name(self):
        return "repo"
`,
		"app.async_repo": `
from app.repo import BaseRepo


class AsyncRepo(BaseRepo):
    async def fetch(self, uid):
        return uid


class CachedRepo(AsyncRepo):
    async def fetch(self, uid):
        return uid


class Other:
    async def fetch(self, uid):
        return uid
`,
	})
	base := w.Module("app.repo").Scope.Names["BaseRepo"][0].Class
	got := w.Overrides(base, "fetch")
	if len(got) != 2 {
		t.Fatalf("Overrides(BaseRepo.fetch) = %d methods, want AsyncRepo's and CachedRepo's", len(got))
	}
	for _, v := range got {
		if v.Func.Class.Name == "Other" {
			t.Error("Other does not derive from BaseRepo")
		}
	}
	if n := len(w.Overrides(base, "name")); n != 0 {
		t.Errorf("nothing overrides BaseRepo.name, got %d", n)
	}
}

func TestSubclassDefines(t *testing.T) {
	w := newTestWorkspace(t, Twins{}, map[string]string{
		"app.dialecto": `
class Dialecto:
    nombre = "genérico"

    def conectar(self):
        raise NotImplementedError
`,
		"app.dialectos.postgres": `
from app.dialecto import Dialecto


class DialectoPorDefecto(Dialecto):
    def __init__(self):
        self.cache_esquemas = {}  # ñ 🐘


class DialectoPG(DialectoPorDefecto):
    soporta_json = True

    def cargar_enums(self):
        return []


class Suelto:
    def cargar_dominios(self):
        return []
`,
	})
	base := w.Module("app.dialecto").Scope.Names["Dialecto"][0].Class
	for _, name := range []string{"cargar_enums", "soporta_json", "cache_esquemas"} {
		if !w.SubclassDefines(base, name) {
			t.Errorf("SubclassDefines(Dialecto, %q) = false: a subclass two levels down binds it", name)
		}
	}
	for _, name := range []string{"cargar_dominios", "conectar", "nombre"} {
		if w.SubclassDefines(base, name) {
			t.Errorf("SubclassDefines(Dialecto, %q) = true: no subclass binds it", name)
		}
	}
}
