# AM104 sync-session-in-async: an `async def` whose parameter is a sync
# Session — by annotation (plain, Optional, string) or by `Depends` of a sync
# provider (annotated or not), endpoints and service methods alike. This
# module defines both `get_db` and its async twin `get_async_db`, so the fix
# can switch annotation and dependency (and add the AsyncSession import).
# Look-alikes: plain `def` endpoints with the sync session (FastAPI runs them
# in a threadpool), async endpoints already on AsyncSession, names that lie.
from collections.abc import Iterator
from typing import Optional

from fastapi import APIRouter, Depends, Request
from sqlalchemy import create_engine, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from app.models import AuditLog, User, Workout

engine = create_engine("postgresql+psycopg://gym@db/gym")
SessionLocal = sessionmaker(bind=engine, autoflush=False)
async_engine = create_async_engine("postgresql+asyncpg://gym@db/gym")
AsyncSessionLocal = async_sessionmaker(async_engine, expire_on_commit=False)

router = APIRouter(prefix="/socios", tags=["socios 🏋️"])


def get_db() -> Iterator[Session]:
    db = SessionLocal()  # ok: AM104
    try:
        yield db
    finally:
        db.close()


async def get_async_db():  # ok: AM104
    async with AsyncSessionLocal() as session:  # ok: AM104
        yield session


@router.get("/")
async def listar_socios(db: Session = Depends(get_db)):  # want: AM104 "db"
    # Sesión síncrona dentro del event loop: bloquea a todos los demás 🧊
    return db.execute(select(User).limit(50)).scalars().all()


@router.get("/{user_id}")
async def leer_socio(user_id: int, db=Depends(get_db)):  # want: AM104
    return db.get(User, user_id)


async def recalcular_volumen(db: Session, user_id: int) -> float:  # want: AM104
    rutinas = db.execute(select(Workout).where(Workout.user_id == user_id)).scalars().all()
    return sum(r.volumen_kg for r in rutinas)


async def auditar(evento: str, db: Optional[Session] = None) -> None:  # want: AM104
    if db is not None:
        db.add(AuditLog(evento=evento))  # 📝


async def ultimo_acceso(user_id: int, db: "Session") -> None:  # want: AM104
    socio = db.get(User, user_id)
    print(f"Último acceso de {socio.email} ⏱️")


class RankingService:
    async def recalcular(self, db: Session) -> None:  # want: AM104
        db.execute(select(User.id))


# ---- Look-alikes correctos ✅ ----


@router.get("/legacy/")
def listar_socios_legacy(db: Session = Depends(get_db)):  # ok: AM104
    # `def` normal: FastAPI lo ejecuta en un threadpool, la sesión síncrona es correcta
    return db.execute(select(User).limit(50)).scalars().all()


@router.get("/legacy/{user_id}")
def leer_socio_legacy(user_id: int, db=Depends(get_db)):  # ok: AM104
    return db.get(User, user_id)


def recalcular_volumen_async(db: Session, user_id: int) -> float:  # ok: AM104
    # El nombre dice "async" pero es un `def`: lo que cuenta es la definición
    rutinas = db.execute(select(Workout).where(Workout.user_id == user_id)).scalars().all()
    return sum(r.volumen_kg for r in rutinas)


@router.post("/logout")
async def cerrar_sesion(request: Request, session_id: str):  # ok: AM104
    # "session" aquí es la cookie de Starlette, no una Session de SQLAlchemy 🍪
    request.session.pop(session_id, None)
    return {"ok": True}


class RankingLegacyService:
    def recalcular(self, db: Session) -> None:  # ok: AM104
        db.execute(select(User.id))
