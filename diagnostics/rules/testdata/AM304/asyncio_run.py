# AM304 event-loop-reentry: `asyncio.run(...)` in async context raises
# "asyncio.run() cannot be called from a running event loop". The fix awaits
# the coroutine directly (a call or a coroutine held in a variable), in
# functions, methods and nested blocks, under `import asyncio as aio` and
# `from asyncio import run` too. Look-alikes: module level, plain `def` (CLI,
# Celery), and the places where a nested plain `def`, a lambda or a class
# body inside `async def` resets the async context (work run in a thread).
import asyncio
import asyncio as aio
import threading
from asyncio import run

from celery import Celery
from fastapi import APIRouter, BackgroundTasks

from app.services.async_stats import calcular_estadisticas, refrescar_rankings
from app.services.notifications import enviar_email, sincronizar_wearables

router = APIRouter(prefix="/tareas", tags=["tareas ⚙️"])
celery = Celery("gym", broker="redis://colas:6379/1")


@router.post("/rankings")
async def recalcular_rankings():
    asyncio.run(refrescar_rankings())  # want: AM304 "asyncio\.run"
    return {"ok": True}


@router.get("/estadisticas/{user_id}")
async def estadisticas(user_id: int):
    resultado = asyncio.run(calcular_estadisticas(user_id))  # want: AM304
    return resultado


@router.post("/bienvenida/{user_id}")
async def bienvenida(user_id: int):
    envio = enviar_email(user_id, plantilla="bienvenida 👋")
    try:
        aio.run(envio)  # want: AM304 "run"
    except RuntimeError:
        return {"ok": False, "detalle": "No se pudo enviar el email 📭"}
    return {"ok": True}


@router.post("/wearables")
async def wearables():
    run(sincronizar_wearables())  # want: AM304
    return {"ok": True}


class PanelDeControl:
    def __init__(self) -> None:
        self.activo = True

    async def refrescar(self) -> None:
        if self.activo:
            asyncio.run(refrescar_rankings())  # want: AM304


# ---- Look-alikes correctos ✅ ----


def sembrar_datos() -> None:
    # Comando de CLI: no hay loop en marcha 🌱
    asyncio.run(refrescar_rankings())  # ok: AM304


@celery.task
def enviar_email_task(user_id: int) -> None:
    asyncio.run(enviar_email(user_id, plantilla="recordatorio ⏰"))  # ok: AM304


@router.post("/estadisticas/{user_id}/en-hilo")
async def estadisticas_en_hilo(user_id: int):
    def _en_hilo():
        # Función anidada síncrona ejecutada en otro hilo: su propio loop
        return asyncio.run(calcular_estadisticas(user_id))  # ok: AM304

    return await asyncio.to_thread(_en_hilo)


@router.post("/wearables/executor")
async def wearables_en_executor():
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, lambda: asyncio.run(sincronizar_wearables()))  # ok: AM304
    return {"ok": True}


@router.post("/rankings/hilo")
async def rankings_en_hilo():
    class HiloDeRankings(threading.Thread):
        def run(self) -> None:
            asyncio.run(refrescar_rankings())  # ok: AM304

    HiloDeRankings(daemon=True).start()
    return {"ok": True}


@router.post("/rankings/fondo")
async def rankings_en_segundo_plano(tareas: BackgroundTasks):
    tareas.add_task(refrescar_rankings)  # ok: AM304
    await asyncio.wait_for(calcular_estadisticas(0), timeout=5)  # ok: AM304
    return {"ok": True}


if __name__ == "__main__":
    asyncio.run(refrescar_rankings())  # ok: AM304
