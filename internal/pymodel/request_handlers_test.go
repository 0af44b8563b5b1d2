package pymodel

import "testing"

// A request handler is what a FastAPI route decorator registers, whatever
// the router is called or how it was imported; decorators that merely
// look like routes (a dict's .get, a router-shaped project class, a cache)
// and plain functions are not.
func TestIsRequestHandler(t *testing.T) {
	_, files := build(t, map[string]string{
		"app.routers": `# Rutas del gimnasio 🏋️
import functools
from fastapi import APIRouter, FastAPI
from fastapi import routing as rt

router = APIRouter(prefix="/socios")
app = FastAPI(title="Gimnasio ñ")
legacy = rt.APIRouter()
hooks = {}


class FakeRouter:
    def get(self, path):
        return lambda f: f


fake = FakeRouter()


@router.get("/{id}")
async def leer_socio(id: int): ...


@app.post("/pagos")
def pagar(): ...


@legacy.api_route("/viejo", methods=["GET", "POST"])
async def viejo(): ...


@router.websocket("/ws")
async def canal(ws): ...


@hooks.get("x")
async def no_es_ruta(): ...


@fake.get("/falso")
async def tampoco(): ...


@functools.lru_cache(maxsize=1)
def cacheada(): ...


async def sin_decorador(): ...
`,
	})
	f := files["app.routers"]
	want := map[string]bool{
		"leer_socio": true, "pagar": true, "viejo": true, "canal": true,
		"no_es_ruta": false, "tampoco": false, "cacheada": false, "sin_decorador": false, "get": false,
	}
	seen := 0
	for _, fn := range f.Module.Functions {
		w, ok := want[fn.Name]
		if !ok {
			continue
		}
		seen++
		if got := f.Eval.IsRequestHandler(f.Module, fn); got != w {
			t.Errorf("IsRequestHandler(%s) = %v, want %v", fn.Name, got, w)
		}
	}
	if seen != len(want) {
		t.Errorf("checked %d functions, want %d", seen, len(want))
	}
	if f.Eval.IsRequestHandler(nil, nil) {
		t.Error("nil function is a handler")
	}
}
