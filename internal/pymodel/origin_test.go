package pymodel

import (
	"strings"
	"testing"

	"github.com/asyncmig/asyncmig/internal/pysyntax"
)

// originIndex is an in-memory workspace for the Origin and dynamic
// attribute tests.
type originIndex map[string]*Module

func (ix originIndex) Module(name string) *Module       { return ix[name] }
func (ix originIndex) ParamFlows(fn *Function) [][]Flow { return nil }

func originWorkspace(t *testing.T, files map[string]string) (originIndex, *Evaluator) {
	t.Helper()
	ix := originIndex{}
	for name, src := range files {
		tree, err := pysyntax.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		isPkg := strings.HasSuffix(name, ".__init__")
		mod := strings.TrimSuffix(name, ".__init__")
		ix[mod] = Build(tree, mod, "/ws/"+strings.ReplaceAll(name, ".", "/")+".py", isPkg)
	}
	return ix, NewEvaluator(ix, Options{})
}

func TestOriginFollowsReExports(t *testing.T) {
	ix, ev := originWorkspace(t, map[string]string{
		"app.services.__init__":   "# Paquete 📦\nfrom .user import user_service as servicio, UserService\nfrom app.services.hub import *\n",
		"app.services.user":       "# Usuarios — ñandú 🐢\nclass UserService:\n    pass\n\n\nuser_service = UserService()\n\ntry:\n    from fastapi import Depends\nexcept ImportError:\n    Depends = None\n",
		"app.services.hub":        "from app.services.async_user import *\n",
		"app.services.async_user": "async def get_user():\n    return 'ñ'\n\n\ndef _private():\n    pass\n",
		// A cycle of re-exports never resolves.
		"app.a": "from app.b import x\n",
		"app.b": "from app.a import x\n",
	})
	cases := []struct {
		mod, name      string
		wantMod, wantN string
	}{
		{"app.services", "servicio", "app.services.user", "user_service"},
		{"app.services", "UserService", "app.services.user", "UserService"},
		{"app.services", "get_user", "app.services.async_user", "get_user"}, // two star hops
		{"app.services.user", "user_service", "app.services.user", "user_service"},
		{"app.services", "_private", "", ""},     // import * skips private names
		{"app.services.user", "Depends", "", ""}, // bound by an import and an assignment
		{"app.services", "missing", "", ""},
		{"app.a", "x", "", ""},
	}
	for _, c := range cases {
		m, n, ok := ev.Origin(ix[c.mod], c.name)
		got := ""
		if ok {
			got = m.Name + ":" + n
		}
		want := ""
		if c.wantMod != "" {
			want = c.wantMod + ":" + c.wantN
		}
		if got != want {
			t.Errorf("Origin(%s, %s) = %q, want %q", c.mod, c.name, got, want)
		}
	}
}

func TestDynamicSelfAttributes(t *testing.T) {
	ix, _ := originWorkspace(t, map[string]string{
		"m": `# Clases con atributos dinámicos 🪄
class Handlers:
    def __init__(self, handlers: dict) -> None:
        self.__dict__.update(handlers)


class Indexed:
    def set(self, clave: str, valor: object) -> None:
        self.__dict__[clave] = valor


class Vars:
    def load(self, datos: dict) -> None:
        vars(self).update(datos)


class Reads:
    def describe(self, otro) -> str:
        # Leer el __dict__ de otro objeto no cambia esta clase 🙂
        return str(otro.__dict__) + str(vars(otro))


class Plain:
    def __init__(self) -> None:
        self.nombre = "Begoña"
`,
	})
	want := map[string]bool{"Handlers": true, "Indexed": true, "Vars": true, "Reads": false, "Plain": false}
	for _, c := range ix["m"].Classes {
		if c.Dynamic != want[c.Name] {
			t.Errorf("%s: Dynamic = %v, want %v", c.Name, c.Dynamic, want[c.Name])
		}
	}
}

func TestAssignedAttrs(t *testing.T) {
	ix, _ := originWorkspace(t, map[string]string{
		"m": `# Parches desde fuera de la clase 🩹
from app.services import user_service, UserService

user_service.handler = print
UserService.extra: object = None
user_service.contador += 1
setattr(user_service, "añadido", 1)
setattr(user_service, nombre_dinámico, 2)
datos["clave"] = 3


class K:
    def __init__(self) -> None:
        self.propio = "ñ"
`,
	})
	got := ix["m"].AssignedAttrs
	for _, name := range []string{"handler", "extra", "contador", "añadido", "propio"} {
		if !got[name] {
			t.Errorf("%s not recorded", name)
		}
	}
	if len(got) != 5 {
		t.Errorf("recorded %v", got)
	}
}

// Odd setattr calls must not trip the builder.
func TestAssignedAttrsOddSetattr(t *testing.T) {
	ix, _ := originWorkspace(t, map[string]string{
		"m": "setattr()\nsetattr(x)\nsetattr(x, # comentario\n  'ñ', 1)\nsetattr(*args)\n",
	})
	if got := ix["m"].AssignedAttrs; len(got) != 1 || !got["ñ"] {
		t.Errorf("recorded %v", got)
	}
}
