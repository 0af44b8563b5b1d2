# AM402 missing-import for selectinload/joinedload (sqlalchemy.orm),
# AsyncSession (sqlalchemy.ext.asyncio), timezone (datetime) and asyncio:
# each fix joins the module's existing import from the same package —
# `from sqlalchemy.orm import Session  # 🐢 legacy` (its trailing comment must
# survive), `from sqlalchemy.ext.asyncio import async_sessionmaker`,
# `from datetime import datetime` — and `import asyncio` goes into the
# import block. Look-alikes: names that are imported or are attributes.
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session  # 🐢 legacy

from app.models import Membership, Trainer, User

engine = create_async_engine("postgresql+asyncpg://gym@db/gym")
AsyncSessionLocal = async_sessionmaker(engine, expire_on_commit=False)  # ok: AM402


async def socios_con_rutinas(db: AsyncSession) -> list[User]:  # want: AM402 "AsyncSession"
    stmt = select(User).options(selectinload(User.workouts))  # want: AM402 "selectinload"
    return list((await db.scalars(stmt)).all())


async def entrenadores_con_clientes() -> list[Trainer]:
    async with AsyncSessionLocal() as s:
        stmt = select(Trainer).options(joinedload(Trainer.clientes))  # want: AM402 "joinedload"
        return list((await s.scalars(stmt)).unique().all())


async def membresias_vencidas() -> list[Membership]:
    ahora = datetime.now(timezone.utc)  # want: AM402 "timezone"
    async with AsyncSessionLocal() as s:
        return list((await s.scalars(select(Membership).where(Membership.fin < ahora))).all())


async def panel() -> dict:
    socios, vencidas = await asyncio.gather(socios_sin_sesion(), membresias_vencidas())  # want: AM402 "asyncio"
    return {"socios": socios, "vencidas": len(vencidas)}


async def socios_sin_sesion() -> int:
    return 0


def socios_legacy(db: Session) -> list[User]:  # ok: AM402
    return list(db.scalars(select(User)))
