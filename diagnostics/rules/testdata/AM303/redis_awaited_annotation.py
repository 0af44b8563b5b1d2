# AM303 blocking-call-in-async and a Redis client whose sync annotation the
# code contradicts: `conn: redis.Redis` (the sync module) in an async def that
# awaits calls on it — `await conn.set(...)`, `await conn.ft(i).info()` — runs
# with an asyncio client, so none of its calls is a blocking sync command,
# awaited or not. Positives: the same annotation with nothing awaited on it,
# and a client from a sync factory whose kind does not rest on an annotation.
import hashlib

import redis


def cliente_legado() -> redis.Redis:
    return redis.Redis(host="localhost", port=6379, decode_responses=True)


async def crear_indice(conn: redis.Redis, indice: str, esquema: str) -> None:
    # Las anotaciones dicen sync, pero todo se espera: es el cliente asyncio 🚀
    try:
        await conn.ft(indice).info()  # ok: AM303
    except redis.ResponseError:
        await conn.execute_command(f"ft.create {indice} {esquema}")  # ok: AM303
        huella = hashlib.sha1(esquema.encode("utf-8")).hexdigest()
        await conn.set(f"{indice}:huella", huella)  # ok: AM303
    conn.expire(f"{indice}:huella", 3600)  # ok: AM303


async def leer_esquema(conn: redis.Redis, indice: str) -> str | None:
    # Nada se espera sobre conn: la anotación es la única evidencia, y dice sync 🐢
    return conn.get(f"{indice}:esquema")  # want: AM303 "conn\.get"


async def ultima_huella(indice: str) -> str | None:
    conn = cliente_legado()
    valor = conn.get(f"{indice}:huella")  # want: AM303 "conn\.get"
    return valor
