# AM402 missing-import stays silent when a `from x import *` could provide the
# name and the rule cannot see inside it (here sqlalchemy itself and a hub
# outside the workspace): it cannot prove the name is missing.
from sqlalchemy import *  # noqa: F403
from gym_shared.db_helpers import *  # noqa: F403

from app.models import User


async def contar_socios(db: AsyncSession) -> int:  # ok: AM402
    return await db.scalar(select(func.count(User.id)))  # ok: AM402


async def desactivar(db, user_id: int) -> None:
    await db.execute(update(User).where(and_(User.id == user_id, User.activo.is_(True))).values(activo=False))  # ok: AM402
