# AM402 missing-import look-alike: a CRUD module that defines its own helpers
# named `update` and `delete` and calls them. A name defined in the module is
# not missing, whatever it is called.
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


async def update(db: AsyncSession, socio: User, cambios: dict[str, Any]) -> User:
    for campo, valor in cambios.items():
        setattr(socio, campo, valor)
    await db.commit()
    return socio


async def delete(db: AsyncSession, socio: User) -> None:
    await db.delete(socio)
    await db.commit()


async def dar_de_baja(db: AsyncSession, user_id: int) -> None:
    socio = await db.get(User, user_id)
    socio = await update(db, socio, {"activo": False, "motivo": "baja voluntaria 👋"})  # ok: AM402
    await delete(db, socio)  # ok: AM402
