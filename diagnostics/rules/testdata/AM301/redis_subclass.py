# AM301 on commands of a project class that extends the asyncio Redis
# client: `self.set(...)` inside it, and the command on an instance, are
# coroutines like on the client itself. Negatives: the command awaited, a
# pipeline (not a coroutine), and a method the subclass overrides with a
# plain def.
from redis.asyncio import Redis


class Marcador(Redis):
    async def apuntar(self, socio_id: int, puntos: int) -> None:
        self.zincrby("marcador", puntos, socio_id)  # want: AM301 "zincrby"
        await self.expire("marcador", 86400)  # ok: AM301
        tuberia = self.pipeline()  # ok: AM301
        tuberia.incr("visitas")

    def publish(self, canal: str, mensaje: str) -> int:
        # publicación local para las pruebas 🧪
        return len(mensaje)

    async def anunciar(self, texto: str) -> None:
        self.publish("avisos", texto)  # ok: AM301


async def reiniciar(url: str) -> None:
    marcador = Marcador.from_url(url)
    directo = Marcador(host="localhost")
    directo.delete("marcador")  # want: AM301 "delete"
    await directo.delete("marcador")  # ok: AM301
