# AM102 async-session-call-not-awaited and `# noqa` (ruff's convention):
# `# noqa`, `# noqa: AM102`, `# noqa:AM102` and `# NOQA: F401,AM102` silence
# the line; `# noqa: E501` (another tool's code), `# noqa: AM103` (another
# asyncmig rule) and a noqa on the line above do not.
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import get_async_db
from app.models import User

router = APIRouter(prefix="/noqa", tags=["noqa 🔇"])


@router.post("/a")
async def silenciado_todo(db: AsyncSession = Depends(get_async_db)):
    db.commit()  # noqa  # ok: AM102
    return {}


@router.post("/b")
async def silenciado_codigo(db: AsyncSession = Depends(get_async_db)):
    db.commit()  # noqa: AM102  # ok: AM102
    return {}


@router.post("/c")
async def silenciado_sin_espacio(db: AsyncSession = Depends(get_async_db)):
    db.execute(select(User))  # noqa:AM102  # ok: AM102
    return {}


@router.post("/d")
async def silenciado_varios(db: AsyncSession = Depends(get_async_db)):
    db.flush()  # NOQA: F401,AM102  # ok: AM102
    return {}


@router.post("/e")
async def otra_herramienta(db: AsyncSession = Depends(get_async_db)):
    db.commit()  # noqa: E501  # want: AM102
    return {}


@router.post("/f")
async def otra_regla(db: AsyncSession = Depends(get_async_db)):
    db.commit()  # noqa: AM103  # want: AM102
    return {}


@router.post("/g")
async def linea_anterior(db: AsyncSession = Depends(get_async_db)):
    # noqa: AM102
    db.commit()  # want: AM102
    return {}
