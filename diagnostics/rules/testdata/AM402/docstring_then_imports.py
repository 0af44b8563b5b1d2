# AM402 missing-import in a module that starts with a docstring followed by an
# import block without any sqlalchemy import: `from sqlalchemy import select`
# goes into that block, not above the docstring.
"""Rutas de clases dirigidas 🧘‍♀️ (yoga, spinning, HIIT)."""

import logging

from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import get_async_db
from app.models import GroupClass

logger = logging.getLogger(__name__)
router = APIRouter(prefix="/clases", tags=["clases"])


@router.get("/")
async def listar_clases(db: AsyncSession = Depends(get_async_db)):  # ok: AM402
    logger.info("Listando clases 📋")
    return (await db.scalars(select(GroupClass).order_by(GroupClass.hora))).all()  # want: AM402 "select"
