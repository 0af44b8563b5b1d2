# AM303 blocking-call-in-async in a module that does not import asyncio yet:
# the fixes (asyncio.sleep, asyncio.to_thread) must add `import asyncio` once,
# in the import block after the docstring. The sync endpoint stays silent.
"""Torno de acceso del gimnasio 🚪 (integración con el hardware)."""
import time

import requests
from fastapi import APIRouter

router = APIRouter(prefix="/torno", tags=["acceso"])


@router.post("/{socio_id}")
async def open_turnstile(socio_id: int):
    # Abrir el torno y esperar a que gire 🔄
    requests.post("http://torno.local/abrir", json={"socio": socio_id}, timeout=2)  # want: AM303 "requests\.post"
    time.sleep(0.3)  # want: AM303 "time\.sleep"
    return {"abierto": True, "hora": time.strftime("%H:%M")}  # ok: AM303


@router.get("/estado")
def turnstile_status():
    time.sleep(0.1)  # ok: AM303
    return requests.get("http://torno.local/estado", timeout=2).json()  # ok: AM303
