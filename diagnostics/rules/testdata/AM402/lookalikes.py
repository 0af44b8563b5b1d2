# AM402 missing-import look-alikes: the listed names bound without the
# expected import — a parameter (`update: SocioUpdate`, a decorator's `func`),
# a local (`timezone` from a header), a function-local `import asyncio`, the
# PostgreSQL `insert`, `select` from sqlalchemy.future, an import under
# TYPE_CHECKING for a string annotation, and attribute access through
# `import sqlalchemy as sa`. None of them is missing.
import functools
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.future import select

from app.db.session import get_async_db
from app.models import Membership, User

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

router = APIRouter(prefix="/perfil", tags=["perfil 🙋"])


class SocioUpdate(BaseModel):
    nombre: str | None = None
    telefono: str | None = None


def reintentar(func):
    # Decorador: `func` es el parámetro, no sqlalchemy.func
    @functools.wraps(func)
    async def envoltorio(*args, **kwargs):
        try:
            return await func(*args, **kwargs)  # ok: AM402
        except ConnectionError:
            return await func(*args, **kwargs)  # ok: AM402

    return envoltorio


@router.patch("/{user_id}")
@reintentar
async def actualizar_perfil(user_id: int, update: SocioUpdate, db: "AsyncSession" = Depends(get_async_db)):  # ok: AM402
    socio = await db.get(User, user_id)
    for campo, valor in update.model_dump(exclude_unset=True).items():  # ok: AM402
        setattr(socio, campo, valor)
    await db.commit()
    return socio


@router.get("/hora-local")
async def hora_local(request: Request):
    timezone = request.headers.get("X-Timezone", "Europe/Madrid")  # ok: AM402
    return {"zona": str(ZoneInfo(timezone))}  # ok: AM402


@router.post("/membresias/importar")
async def importar_membresias(filas: list[dict], db: "AsyncSession" = Depends(get_async_db)):
    # insert de PostgreSQL (upsert) 🐘
    stmt = insert(Membership).values(filas).on_conflict_do_nothing()  # ok: AM402
    await db.execute(stmt)
    await db.commit()


@router.get("/activos")
async def activos(db: "AsyncSession" = Depends(get_async_db)):
    return (await db.scalars(select(User).where(User.activo.is_(True)))).all()  # ok: AM402


@router.get("/total")
async def total(db: "AsyncSession" = Depends(get_async_db)):
    return {"total": await db.scalar(sa.select(sa.func.count(User.id)))}  # ok: AM402


def recalcular_en_script() -> None:
    import asyncio

    asyncio.run(recalcular())  # ok: AM402


async def recalcular() -> None:
    return None
