# AM402 missing-import with a parenthesised, one-name-per-line import block
# `from sqlalchemy import (...)`: the fix adds `func` and `update` inside the
# parentheses, one per line with the trailing comma, keeping the block's style.
from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Membership(Base):
    __tablename__ = "memberships"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # ok: AM402
    activa: Mapped[bool] = mapped_column(Boolean, default=True)
    fin: Mapped[datetime] = mapped_column(DateTime(timezone=True))


async def caducar_membresias(db: AsyncSession) -> int:  # ok: AM402
    # 💳 Marca como inactivas las membresías vencidas
    ahora = datetime.now(timezone.utc)  # ok: AM402
    resultado = await db.execute(update(Membership).where(Membership.fin < ahora).values(activa=False))  # want: AM402 "update"
    await db.commit()
    return resultado.rowcount


async def contar_activas(db: AsyncSession) -> int:
    return await db.scalar(select(func.count(Membership.id)).where(Membership.activa.is_(True)))  # want: AM402 "func"
