# AM103 await-on-sync-session-method: any `await` on a method of a sync
# Session (from an annotation, Depends of a sync provider, SessionLocal(),
# `with Session(...)`) — those methods return plain values, so `await` raises
# TypeError. The fix removes `await`. Look-alikes: the same calls without
# `await`, and the same awaits on an AsyncSession.
from collections.abc import Iterator

from fastapi import APIRouter, Depends
from sqlalchemy import create_engine, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, sessionmaker

from app.db.session import get_async_db
from app.models import User, Workout

engine = create_engine("postgresql+psycopg://gym@db/gym")
SessionLocal = sessionmaker(bind=engine)

router = APIRouter(prefix="/legacy", tags=["legacy 🐢"])


def get_db() -> Iterator[Session]:
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


@router.post("/{user_id}/activar")
async def activar(user_id: int, db: Session = Depends(get_db)):
    # Alguien añadió `await` sin cambiar la sesión 🙈
    await db.execute(update(User).where(User.id == user_id).values(activo=True))  # want: AM103 "db\.execute"
    await db.commit()  # want: AM103 "db\.commit"
    return {"ok": True}


@router.get("/{user_id}")
async def leer(user_id: int, db=Depends(get_db)):
    return await db.get(User, user_id)  # want: AM103 "db\.get"


async def recalcular_volumen(user_id: int) -> None:
    with SessionLocal() as s:
        rutinas = (await s.scalars(select(Workout).where(Workout.user_id == user_id))).all()  # want: AM103 "s\.scalars"
        for rutina in rutinas:
            rutina.volumen_kg = rutina.series * rutina.peso_kg
        await s.commit()  # want: AM103


async def limpiar_borradores() -> None:
    s = Session(engine)
    try:
        borrador = await s.get(Workout, 0)  # want: AM103 "s\.get"
        await s.delete(borrador)  # want: AM103 "s\.delete"
    finally:
        s.close()  # ok: AM103


# ---- Look-alikes correctos ✅ ----


@router.post("/v1/{user_id}/activar")
def activar_v1(user_id: int, db: Session = Depends(get_db)):
    db.execute(update(User).where(User.id == user_id).values(activo=True))  # ok: AM103
    db.commit()  # ok: AM103
    return {"ok": True}


@router.get("/v1/{user_id}")
def leer_v1(user_id: int, db=Depends(get_db)):
    return db.get(User, user_id)  # ok: AM103


@router.post("/v2/{user_id}/activar")
async def activar_v2(user_id: int, db: AsyncSession = Depends(get_async_db)):
    await db.execute(update(User).where(User.id == user_id).values(activo=True))  # ok: AM103
    await db.commit()  # ok: AM103
    return {"ok": True}


@router.get("/v2/{user_id}")
async def leer_v2(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return await db.get(User, user_id)  # ok: AM103


def recalcular_volumen_v1(user_id: int) -> None:
    with SessionLocal() as s:
        for rutina in s.scalars(select(Workout).where(Workout.user_id == user_id)):  # ok: AM103
            rutina.volumen_kg = rutina.series * rutina.peso_kg
        s.commit()  # ok: AM103
