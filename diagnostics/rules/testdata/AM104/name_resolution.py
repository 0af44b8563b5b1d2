# AM104 sync-session-in-async resolves `Session` through the imports: the
# SQLAlchemy Session under a module alias (`orm.Session`) or an import alias
# (`OrmSession`) is flagged; an HTTP `requests.Session` or an aiohttp
# `ClientSession` with the same spelling is not.
import aiohttp
import sqlalchemy.orm as orm
from requests import Session
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from app.models import Trainer, User


async def notificar_webhook(http: Session, payload: dict) -> int:  # ok: AM104
    # requests.Session: bloqueante (asunto de AM303), pero no es una sesión de BD
    return http.post("https://hooks.example.com/gym 🏋️", json=payload).status_code


async def notificar_webhook_v2(http: aiohttp.ClientSession, payload: dict) -> int:  # ok: AM104
    async with http.post("https://hooks.example.com/gym", json=payload) as resp:
        return resp.status


async def entrenadores(db: orm.Session) -> list[Trainer]:  # want: AM104
    return list(db.execute(select(Trainer)).scalars())


async def socios(db: OrmSession) -> list[User]:  # want: AM104
    return list(db.execute(select(User)).scalars())


def socios_legacy(db: OrmSession) -> list[User]:  # ok: AM104
    return list(db.execute(select(User)).scalars())
