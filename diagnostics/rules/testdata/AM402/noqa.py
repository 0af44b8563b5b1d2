# AM402 missing-import and `# noqa`: `# noqa: AM402` and a bare `# NOQA`
# silence the line; `# noqa: F821` (pyflakes' undefined name) does not
# silence AM402.
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


async def buscar(db: AsyncSession, texto: str):
    filtro = and_(User.activo.is_(True), User.nombre.ilike(f"%{texto}%"))  # noqa: AM402  # ok: AM402
    return (await db.scalars(select(User).where(filtro))).all()


async def buscar_email(db: AsyncSession, texto: str):
    filtro = or_(User.email == texto, User.email_alt == texto)  # noqa: F821  # want: AM402 "or_"
    return (await db.scalars(select(User).where(filtro))).all()


async def contar(db: AsyncSession) -> int:
    return await db.scalar(select(func.count(User.id)))  # NOQA  # ok: AM402
