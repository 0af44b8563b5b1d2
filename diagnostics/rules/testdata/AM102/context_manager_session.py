# AM102 on a session entered from a project context manager: the usual
# `get_session()` helper decorated with @asynccontextmanager yields an
# AsyncSession, so `async with sesion_async() as s` binds one and a
# forgotten `await` is found. Negatives: the same calls awaited, the sync
# twin (@contextmanager yielding a Session) used in a worker thread, and a
# context manager that yields something else.
import contextlib
from collections.abc import AsyncIterator, Iterator

from sqlalchemy import create_engine, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

SesionAsync = async_sessionmaker(create_async_engine("postgresql+asyncpg://gym@db/gym"))
SesionSync = sessionmaker(create_engine("postgresql+psycopg://gym@db/gym"))


@contextlib.asynccontextmanager
async def sesion_async() -> AsyncIterator[AsyncSession]:
    async with SesionAsync() as s:
        try:
            yield s
        except Exception:
            await s.rollback()
            raise


@contextlib.contextmanager
def sesion_sync() -> Iterator[Session]:
    with SesionSync() as s:
        yield s


@contextlib.asynccontextmanager
async def cronometro():
    yield {"inicio": 0}  # ⏱️ no es una sesión


async def salud() -> bool:
    async with sesion_async() as s:
        s.execute(text("SELECT 1"))  # want: AM102 "s\.execute"
        await s.execute(text("SELECT 1"))  # ok: AM102
    return True


async def contar_socios(tabla) -> int:
    async with sesion_async() as sesion:
        total = await sesion.scalar(select(tabla))  # ok: AM102
        sesion.commit()  # want: AM102 "sesion\.commit"
    return total


def contar_en_hilo(tabla) -> int:
    with sesion_sync() as s:
        return s.scalar(select(tabla))  # ok: AM102


async def medir() -> dict:
    async with cronometro() as c:
        c.get("inicio")  # ok: AM102
    return c
