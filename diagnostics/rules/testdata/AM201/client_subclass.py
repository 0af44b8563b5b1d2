# AM201 on a project class that extends the Redis client: a job queue
# built on `redis.asyncio.Redis` runs KEYS through `self` and through its
# instances. Negatives: a subclass that defines its own `keys` (an override
# decides), a sync subclass's method that is not KEYS, and a class with an
# unrelated library base.
from typing import TYPE_CHECKING

import redis
from redis.asyncio import Redis

if TYPE_CHECKING:
    BaseRedis = Redis[bytes]
else:
    BaseRedis = Redis


class ColaRedis(BaseRedis):
    async def resultados(self) -> list[bytes]:
        claves = await self.keys("cola:resultado:*")  # want: AM201 "self\.keys"
        return sorted(claves)

    async def pendientes(self) -> int:
        return len(await self.zrange("cola:pendientes", 0, -1))  # ok: AM201


class ColaConIndice(ColaRedis):
    async def keys(self, patron: str = "*") -> list[bytes]:
        # índice propio en un SET: nada de KEYS 🗂️
        return sorted(await self.smembers("cola:indice"))

    async def todo(self) -> list[bytes]:
        return await self.keys()  # ok: AM201


class CacheSync(redis.Redis):
    def limpiar(self) -> int:
        return self.delete(*self.keys("cache:*"))  # want: AM201 "self\.keys"


class Diccionario(dict):
    def claves(self):
        return list(self.keys())  # ok: AM201


async def inspeccionar(url: str) -> list[bytes]:
    cola = ColaRedis.from_url(url)
    conectada = ColaRedis(host="localhost")
    return await conectada.keys("cola:*")  # want: AM201 "conectada\.keys"
