# AM201 redis-keys on the sync client: `r.keys(...)` where `r` is
# `redis.Redis(...)`, `redis.from_url`, `Redis.from_url`, annotated
# `redis.Redis`, or bound from Depends of a same-file factory. The fix is
# `list(r.scan_iter(match=PATTERN, count=100))` (no async comprehension: it
# works in plain `def`). Look-alikes: os.environ, dicts (CONFIG GET returns
# one), HKEYS, scan_iter, a project class with its own `keys`.
import os

import redis
from fastapi import APIRouter, Depends
from redis import Redis

r = redis.Redis(host="cache", port=6379, decode_responses=True)
colas = redis.from_url(os.getenv("COLAS_URL", "redis://colas:6379/1"))
metricas = Redis.from_url("redis://metricas:6379/2")

router = APIRouter(prefix="/legacy/cache", tags=["caché 🐢"])


def get_sync_redis() -> Redis:
    return r


def limpiar_cache_de_rutinas(user_id: int) -> int:
    borradas = 0
    for clave in r.keys(f"rutinas:{user_id}:*"):  # want: AM201 "keys"
        borradas += r.delete(clave)
    return borradas


def trabajos_pendientes() -> list[bytes]:
    return colas.keys("rq:job:*")  # want: AM201


def series_de_metricas() -> int:
    return len(metricas.keys("metrica:*"))  # want: AM201


def invalidar_planes(cliente: redis.Redis) -> None:
    cliente.delete(*cliente.keys("plan:*"))  # want: AM201


@router.get("/tokens")
def tokens_activos(cache=Depends(get_sync_redis)):
    # Endpoint síncrono: el problema no es el event loop, es KEYS en el servidor
    return {"tokens": len(cache.keys("token:*"))}  # want: AM201


# ---- Look-alikes correctos ✅ ----


def variables_de_entorno() -> list[str]:
    return sorted(k for k in os.environ.keys() if k.startswith("GYM_"))  # ok: AM201


def limpiar_cache_de_rutinas_v2(user_id: int) -> int:
    return sum(r.delete(k) for k in r.scan_iter(match=f"rutinas:{user_id}:*", count=100))  # ok: AM201


def configuracion_de_redis() -> list[str]:
    # CONFIG GET devuelve un dict
    return list(r.config_get("maxmemory*").keys())  # ok: AM201


def campos_de_perfil(user_id: int) -> list[str]:
    return r.hkeys(f"perfil:{user_id}")  # ok: AM201


PLANES = {"basico": 29.9, "premium": 49.9, "anual 🎉": 299.0}


def nombres_de_planes() -> list[str]:
    return list(PLANES.keys())  # ok: AM201


class IndiceDeClaves:
    """Índice propio de claves, mantenido a mano con SADD/SREM 🗂️."""

    def __init__(self, cliente: Redis) -> None:
        self.cliente = cliente

    def keys(self, prefijo: str) -> set[str]:
        return {k for k in self.cliente.smembers(f"indice:{prefijo}")}


indice = IndiceDeClaves(r)


def claves_indexadas() -> set[str]:
    return indice.keys("rutinas")  # ok: AM201
