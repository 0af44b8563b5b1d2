# AM201 redis-keys on the asyncio client: `await r.keys(...)` where `r` is a
# redis.asyncio client from `from_url`, a `Redis` annotation, a same-file
# factory (annotated, or constructing the client) bound with Depends. The fix
# becomes `[k async for k in r.scan_iter(match=PATTERN, count=100)]` and drops
# the `await` — also with a keyword pattern, no pattern, inside `*` unpacking
# and as a `for` iterable. Look-alikes: dict `.keys()` (including the dict an
# awaited HGETALL returns), HKEYS, SCAN already, and noqa.
import os

import redis.asyncio as aioredis
from fastapi import APIRouter, Depends, Request
from redis.asyncio import Redis

REDIS_URL = os.getenv("REDIS_URL", "redis://cache:6379/0")
redis_client = aioredis.from_url(REDIS_URL, decode_responses=True)

router = APIRouter(prefix="/cache", tags=["caché ⚡"])


def get_redis() -> Redis:
    return redis_client


def get_rankings_cache():
    # Sin anotación: construye el cliente asíncrono
    return aioredis.Redis(host="rankings", port=6379, decode_responses=True)


@router.get("/sesiones")
async def sesiones_abiertas():
    claves = await redis_client.keys("sesion:*")  # want: AM201 "keys"
    return {"sesiones": len(claves)}


async def rachas_del_socio(r: Redis, user_id: int) -> list[str]:
    # 🔥 Rachas de entrenamiento del socio
    return await r.keys(f"racha:{user_id}:*")  # want: AM201


@router.get("/bloqueos")
async def bloqueos(cache=Depends(get_redis)):
    activos = []
    for clave in await cache.keys("bloqueo:*"):  # want: AM201
        activos.append(clave.removeprefix("bloqueo:"))
    return activos


@router.get("/rankings")
async def rankings(c=Depends(get_rankings_cache)):
    return sorted(await c.keys(pattern="ranking:*"))  # want: AM201


@router.get("/todo")
async def volcado_completo(r: Redis = Depends(get_redis)):
    # Sin patrón: KEYS * sobre todo el servidor 😱
    return {"claves": await r.keys()}  # want: AM201


@router.delete("/socio/{user_id}")
async def invalidar_socio(user_id: int, r: Redis = Depends(get_redis)):
    await r.delete(*await r.keys(f"cache:socio:{user_id}:*"))  # want: AM201
    return {"ok": True}


@router.get("/silenciado")
async def silenciado(r: Redis = Depends(get_redis)):
    # Base de datos de pruebas con diez claves: aceptado en revisión
    return await r.keys("test:*")  # noqa: AM201  # ok: AM201


@router.get("/otro-codigo")
async def otro_codigo(r: Redis = Depends(get_redis)):
    return await r.keys("tmp:*")  # noqa: E501  # want: AM201


# ---- Look-alikes correctos ✅ ----


@router.get("/v2/sesiones")
async def sesiones_abiertas_v2():
    claves = [k async for k in redis_client.scan_iter(match="sesion:*", count=100)]  # ok: AM201
    return {"sesiones": len(claves)}


@router.get("/perfil/{user_id}")
async def perfil_cacheado(user_id: int, r: Redis = Depends(get_redis)):
    perfil = await r.hgetall(f"perfil:{user_id}")
    # dict de Python: .keys() no habla con Redis
    return {"campos": list(perfil.keys())}  # ok: AM201


@router.get("/perfil/{user_id}/campos")
async def campos_del_perfil(user_id: int, r: Redis = Depends(get_redis)):
    return await r.hkeys(f"perfil:{user_id}")  # ok: AM201


@router.post("/eco")
async def eco(payload: dict, request: Request):
    return {"campos": sorted(payload.keys()), "cabeceras": list(request.headers.keys())}  # ok: AM201


async def claves_de(cliente, patron: str) -> list[str]:
    # Parámetro sin anotación y sin llamadores: tipo desconocido, silencio
    return await cliente.keys(patron)  # ok: AM201


class CacheLocal:
    """Caché en memoria para tests 🧪: imita la API de Redis."""

    def __init__(self) -> None:
        self._datos: dict[str, str] = {}

    async def keys(self, patron: str = "*") -> list[str]:
        return [k for k in self._datos if patron == "*" or k.startswith(patron.rstrip("*"))]


cache_local = CacheLocal()


async def claves_locales() -> list[str]:
    return await cache_local.keys("sesion:*")  # ok: AM201
