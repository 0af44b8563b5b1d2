# AM501 naive-utcnow does not depend on async context: it fires at module
# level, in `async def`, in a nested plain `def`, in a lambda and in a class
# body inside `async def` alike (each fault once).
import asyncio
from datetime import datetime, timezone

from app.models import Workout


async def cerrar_rutina(rutina: Workout) -> None:
    rutina.fin = datetime.utcnow()  # want: AM501

    def _duracion() -> float:
        return (datetime.utcnow() - rutina.inicio).total_seconds()  # want: AM501

    rutina.segundos = await asyncio.to_thread(_duracion)
    rutina.sello = (lambda: datetime.utcnow())()  # want: AM501

    class Auditoria:
        # Atributo de clase evaluado al ejecutar el async def 🕵️
        registrado_en = datetime.utcnow()  # want: AM501

    rutina.auditoria = Auditoria.registrado_en


async def cerrar_rutina_v2(rutina: Workout) -> None:
    rutina.fin = datetime.now(timezone.utc)  # ok: AM501

    def _duracion() -> float:
        return (datetime.now(timezone.utc) - rutina.inicio).total_seconds()  # ok: AM501

    rutina.segundos = await asyncio.to_thread(_duracion)
    rutina.sello = (lambda: datetime.now(timezone.utc))()  # ok: AM501

    class Auditoria:
        registrado_en = datetime.now(timezone.utc)  # ok: AM501

    rutina.auditoria = Auditoria.registrado_en
