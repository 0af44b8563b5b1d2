# AM304 event-loop-reentry through an event loop object:
# `loop.run_until_complete(...)` in async context, with the loop from
# get_event_loop(), new_event_loop() or get_running_loop(), held in a variable
# or chained. The fix awaits the coroutine. Look-alikes: the same calls in
# plain `def` (a worker thread that owns its loop), and the loop methods that
# are fine inside async code (run_in_executor, create_task, call_later).
import asyncio

from app.services.async_stats import calcular_estadisticas, refrescar_rankings


async def refrescar_todo() -> None:
    loop = asyncio.get_event_loop()
    loop.run_until_complete(refrescar_rankings())  # want: AM304 "run_until_complete"


async def estadisticas_de(user_id: int) -> dict:
    return asyncio.get_event_loop().run_until_complete(calcular_estadisticas(user_id))  # want: AM304


async def estadisticas_aisladas(user_id: int) -> dict:
    # Un loop nuevo no ayuda: sigue habiendo uno en marcha en este hilo
    nuevo = asyncio.new_event_loop()
    try:
        return nuevo.run_until_complete(calcular_estadisticas(user_id))  # want: AM304
    finally:
        nuevo.close()


async def refrescar_con_loop_actual() -> None:
    asyncio.get_running_loop().run_until_complete(refrescar_rankings())  # want: AM304


# ---- Look-alikes correctos ✅ ----


def trabajador_en_hilo(user_id: int) -> dict:
    # Hilo propio con su propio loop 🧵
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(calcular_estadisticas(user_id))  # ok: AM304
    finally:
        loop.close()


def refrescar_desde_script() -> None:
    asyncio.get_event_loop().run_until_complete(refrescar_rankings())  # ok: AM304


async def programar_refresco() -> None:
    loop = asyncio.get_running_loop()
    loop.call_later(60, lambda: loop.create_task(refrescar_rankings()))  # ok: AM304
    await loop.run_in_executor(None, trabajador_en_hilo, 42)  # ok: AM304
    loop.create_task(refrescar_rankings())  # ok: AM304
