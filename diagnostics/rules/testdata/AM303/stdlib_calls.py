# AM303 blocking-call-in-async: stdlib and HTTP calls that block the event loop
# inside `async def` — time.sleep (plain, aliased, from-imported), requests.*,
# urllib.request.urlopen, sync httpx (module functions and a sync Client),
# subprocess.run/call/check_output — next to their non-blocking look-alikes:
# awaited async twins, work handed to to_thread/run_in_executor, a nested
# plain def, a lambda, a sync endpoint, and names that only look blocking.
import asyncio
import subprocess
import time
import time as reloj
import urllib.parse
import urllib.request
from time import sleep
from urllib.request import urlopen

import httpx
import requests
from fastapi import APIRouter
from requests import get as http_get

router = APIRouter(prefix="/integraciones", tags=["integraciones"])

WEBHOOK = "https://hooks.gimnasio.es/v1/eventos"


@router.post("/reintentar")
async def retry_webhook(evento: dict):
    # Reintento con espera 😴
    time.sleep(1)  # want: AM303 "time\.sleep"
    reloj.sleep(0.5)  # want: AM303 "reloj\.sleep"
    sleep(2)  # want: AM303 "sleep"
    await asyncio.sleep(1)  # ok: AM303
    inicio = time.monotonic()  # ok: AM303
    marca = reloj.time()  # ok: AM303
    requests.post(WEBHOOK, json=evento, timeout=5)  # want: AM303 "requests\.post"
    estado = requests.get(WEBHOOK, timeout=5).json()  # want: AM303 "requests\.get"
    crudo = http_get(WEBHOOK, timeout=5)  # want: AM303 "http_get"
    return {"estado": estado, "crudo": crudo.status_code, "t": [inicio, marca]}


@router.get("/clima")
async def weather(ciudad: str):
    # Consultar el clima para las clases al aire libre ☀️
    query = urllib.parse.urlencode({"q": ciudad, "lang": "es"})  # ok: AM303
    with urllib.request.urlopen(f"https://clima.example/api?{query}") as resp:  # want: AM303 "urlopen"
        datos = resp.read()
    otra = urlopen("https://clima.example/api/ahora")  # want: AM303 "urlopen"
    return {"datos": datos.decode("utf-8"), "ahora": otra.status}


@router.get("/httpx")
async def call_partner(socio_id: int):
    respuesta = httpx.get(f"https://socios.example/{socio_id}")  # want: AM303 "httpx\.get"
    with httpx.Client(timeout=5) as client:  # ok: AM303
        client.post("https://socios.example/visitas", json={"id": socio_id})  # want: AM303 "client\.post"
    async with httpx.AsyncClient(timeout=5) as aclient:
        ok = await aclient.get(f"https://socios.example/{socio_id}")  # ok: AM303
    return {"sync": respuesta.status_code, "async": ok.status_code}


@router.post("/backup")
async def backup():
    # Copia de seguridad nocturna 💾
    subprocess.run(["pg_dump", "-Fc", "gimnasio"], check=True)  # want: AM303 "subprocess\.run"
    codigo = subprocess.call(["gzip", "-f", "/tmp/gimnasio.dump"])  # want: AM303 "subprocess\.call"
    salida = subprocess.check_output(["du", "-sh", "/tmp"], text=True)  # want: AM303 "check_output"
    proc = await asyncio.create_subprocess_exec("ls", "-la", stdout=asyncio.subprocess.PIPE)  # ok: AM303
    await proc.wait()  # ok: AM303
    return {"codigo": codigo, "salida": salida}


@router.post("/descargado")
async def offloaded(evento: dict):
    loop = asyncio.get_running_loop()
    await asyncio.to_thread(time.sleep, 1)  # ok: AM303
    await asyncio.to_thread(requests.post, WEBHOOK, json=evento, timeout=5)  # ok: AM303
    await loop.run_in_executor(None, subprocess.run, ["sync"])  # ok: AM303
    await asyncio.to_thread(lambda: requests.get(WEBHOOK, timeout=5))  # ok: AM303

    def enviar() -> int:
        # def anidado: corre en un hilo, bloquear aquí es correcto
        time.sleep(0.1)  # ok: AM303
        return requests.post(WEBHOOK, json=evento, timeout=5).status_code  # ok: AM303

    return {"status": await asyncio.to_thread(enviar)}


@router.post("/lotes")
async def batch(requests: list[dict]):
    # Aquí "requests" es el cuerpo de la petición, no la librería 📦
    primero = requests.pop(0)  # ok: AM303
    requests.append(primero)  # ok: AM303
    return {"total": len(requests)}


@router.post("/legacy/reintentar")
def retry_webhook_sync(evento: dict):
    # Endpoint sync: FastAPI lo ejecuta en el threadpool, bloquear es correcto 🐢
    time.sleep(1)  # ok: AM303
    return requests.post(WEBHOOK, json=evento, timeout=5).json()  # ok: AM303


@router.post("/esperar")
async def esperar_mal():
    # Alguien ya puso `await` delante del sleep síncrono: el arreglo no añade otro ⏳
    await time.sleep(0.5)  # want: AM303 "time\.sleep"
    await asyncio.sleep(0.5)  # ok: AM303
