# AM101 query-on-async-session: every way RULES.md says a name becomes an
# AsyncSession — annotation (import alias, module alias, Optional, `| None`,
# string, Annotated), Depends of an annotated provider, Depends of an
# unannotated async generator yielding from AsyncSessionLocal or from any
# async_sessionmaker, assignment from the factory call, `async with`, and
# `self.db` set in `__init__`. Each source has a sync look-alike (Session,
# sessionmaker, SessionLocal, get_db), and names never decide the kind.
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Optional

import sqlalchemy.ext.asyncio as sa_asyncio
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.asyncio import AsyncSession as AsyncDB
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from app.models import Membership, Trainer, User, Workout

async_engine = create_async_engine("postgresql+asyncpg://gym@db/gym", pool_size=10)
AsyncSessionLocal = async_sessionmaker(async_engine, expire_on_commit=False)
# Fábrica con otro nombre: lo que cuenta es async_sessionmaker, no el nombre
fabrica_informes = async_sessionmaker(async_engine, expire_on_commit=False)
SessionLocal = sessionmaker(autoflush=False)

router = APIRouter(prefix="/fuentes", tags=["sesiones 🔌"])


async def get_async_db() -> AsyncIterator[AsyncSession]:
    async with AsyncSessionLocal() as session:
        yield session


async def get_session():
    # Sin anotación: se deduce del `async with AsyncSessionLocal()` ⚡
    async with AsyncSessionLocal() as session:
        yield session


async def get_informes_db():
    session = fabrica_informes()
    try:
        yield session
    finally:
        await session.close()


def get_db() -> Iterator[Session]:
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


def get_async_looking_db():
    # Se llama "async" pero entrega una Session síncrona 🙃
    with SessionLocal() as db:
        yield db


async def socios_activos(db: AsyncDB):
    return db.query(User).filter(User.activo.is_(True)).all()  # want: AM101


async def entrenadores(db: sa_asyncio.AsyncSession):
    return db.query(Trainer).order_by(Trainer.nombre).all()  # want: AM101


async def membresia(membership_id: int, db: Optional[AsyncSession] = None):
    if db is None:
        return None
    return db.query(Membership).get(membership_id)  # want: AM101


async def rutinas(user_id: int, db: AsyncSession | None = None):
    if db is None:
        return []
    return db.query(Workout).filter(Workout.user_id == user_id).all()  # want: AM101


async def socio_por_email(email: str, db: "AsyncSession"):
    return db.query(User).filter(User.email == email).first()  # want: AM101


@router.get("/anotado")
async def con_annotated(db: Annotated[AsyncSession, Depends(get_async_db)]):
    return db.query(User).count()  # want: AM101


@router.get("/depends-anotado")
async def con_depends_anotado(db=Depends(get_async_db)):
    # Sin anotación en el parámetro: la dependencia devuelve AsyncSession
    return db.query(Trainer).all()  # want: AM101


@router.get("/depends-generador")
async def con_depends_generador(db=Depends(get_session)):
    return db.query(Workout).limit(5).all()  # want: AM101


@router.get("/depends-fabrica")
async def con_depends_fabrica(informes=Depends(get_informes_db)):
    return informes.query(Membership).filter(Membership.activa.is_(True)).count()  # want: AM101


async def job_recordatorios():
    # Tarea programada: abre su propia sesión asíncrona ⏰
    session = AsyncSessionLocal()
    try:
        return session.query(Membership).filter(Membership.activa.is_(False)).all()  # want: AM101
    finally:
        await session.close()


async def job_limpieza():
    async with AsyncSessionLocal() as s:
        inactivos = s.query(User).filter(User.activo.is_(False)).all()  # want: AM101
        for usuario in inactivos:
            await s.delete(usuario)
        await s.commit()


class AsyncMembershipRepository:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def vencidas(self):
        # self.db viene de __init__ 🧱
        return self.db.query(Membership).filter(Membership.activa.is_(False)).all()  # want: AM101


# ---- Look-alikes correctos ✅ ----


def socios_activos_legacy(db: Session):
    return db.query(User).filter(User.activo.is_(True)).all()  # ok: AM101


def membresia_legacy(membership_id: int, db: Optional[Session] = None):
    if db is None:
        return None
    return db.query(Membership).get(membership_id)  # ok: AM101


def rutinas_legacy(user_id: int, db: Session | None = None):
    if db is None:
        return []
    return db.query(Workout).filter(Workout.user_id == user_id).all()  # ok: AM101


def socio_por_email_legacy(email: str, db: "Session"):
    return db.query(User).filter(User.email == email).first()  # ok: AM101


@router.get("/legacy/depends")
def con_depends_legacy(db=Depends(get_db)):
    return db.query(Trainer).all()  # ok: AM101


@router.get("/legacy/nombre-engañoso")
def con_nombre_enganoso(db=Depends(get_async_looking_db)):
    return db.query(Workout).limit(5).all()  # ok: AM101


def job_recordatorios_legacy():
    async_session = SessionLocal()  # el nombre miente: es síncrona
    try:
        return async_session.query(Membership).all()  # ok: AM101
    finally:
        async_session.close()


def job_limpieza_legacy():
    with SessionLocal() as s:
        return s.query(User).filter(User.activo.is_(False)).all()  # ok: AM101


class MembershipRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def vencidas(self):
        return self.db.query(Membership).filter(Membership.activa.is_(False)).all()  # ok: AM101


class AsyncLookingRepository:
    """Nombre asíncrono, sesión síncrona: el nombre no decide nada."""

    def __init__(self, db: Session) -> None:
        self.db = db

    async def vencidas(self):
        # Sesión síncrona en código async (asunto de AM104/AM303, no de AM101)
        return self.db.query(Membership).all()  # ok: AM101


async def ya_migrado(db: AsyncSession):
    return (await db.execute(select(User).where(User.activo.is_(True)))).scalars().all()  # ok: AM101
