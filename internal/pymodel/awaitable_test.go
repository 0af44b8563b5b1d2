package pymodel

import "testing"

// A plain def can still hand back something awaitable; only its return
// statements tell, and a session that merely arrives from callers does not
// make a `db: Session` function one that returns coroutines.
func TestMayReturnAwaitable(t *testing.T) {
	ix, files := build(t, map[string]string{
		"app.billing": `
import asyncio
from typing import Callable, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.deco import to_async


async def charge(importe):
    await asyncio.sleep(0)


def charge_later(importe):
    # devuelve la corrutina sin anotación 💶
    return charge(importe)


def charge_via_helper(importe):
    return charge_later(importe)


def schedule(importe):
    return asyncio.create_task(charge(importe))


def run_query(db: AsyncSession, q):
    return db.execute(q)


def get_user(db: Session, uid):
    return db.get(User, uid)


@to_async
def exportar(path):
    return 1


def export_later(path):
    return exportar(path)


class Ticket:
    def __await__(self):
        yield


def ticket():
    return Ticket()


def total(precio: float) -> float:
    return precio * 1.21


def etiqueta(n):
    if n:
        return f"{n} pts ⭐"
    return etiqueta(n + 1)


def nada():
    pass


def recorre():
    yield charge(1)


def con_reintentos(fn, *args):
    # envoltorio: devuelve lo que devuelva fn, una corrutina incluida 🔁
    return fn(*args)


def identidad(x):
    return x


def llamar(fn: Callable):
    return fn()


def contar(fn: Callable[[], int]):
    return fn()


def doble(n: int):
    return n


def cuenta(db: Session):
    return db.scalar(select(1))


R = TypeVar("R")


def generico(fn: Callable[..., R]) -> R:
    return fn()


def pinta(plantilla):
    # quién sabe qué devuelve: quizá una corrutina (jinja async) 🎨
    return plantilla.render_async()


def pinta_texto(plantilla) -> str:
    return plantilla.render()


def mayusculas(texto):
    return "{} ✅".format(texto).upper()
`,
		"app.deco": `
def to_async(fn):
    async def wrapper(*a):
        return fn(*a)
    return wrapper
`,
	})
	f := files["app.billing"]
	get := f.Module.Scope.Names["get_user"][0].Func
	ix.flows[get] = [][]Flow{{{Kind: AsyncSession, Caller: f.Module, CallerFunc: "read_user"}}}
	for name, want := range map[string]bool{
		"charge_later": true, "charge_via_helper": true, "schedule": true, "run_query": true, "export_later": true,
		"ticket": true, "charge": true, "con_reintentos": true, "identidad": true, "llamar": true, "generico": true, "pinta": true,
		"pinta_texto": false, "mayusculas": false,
		"get_user": false, "cuenta": false, "doble": false, "contar": false, "total": false, "etiqueta": false, "nada": false, "recorre": false,
	} {
		fn := f.Module.Scope.Names[name][0].Func
		v := Value{Kind: FunctionRef, Func: fn, Mod: f.Module}
		if got := f.Eval.MayReturnAwaitable(v); got != want {
			t.Errorf("MayReturnAwaitable(%s) = %v, want %v", name, got, want)
		}
	}
}
