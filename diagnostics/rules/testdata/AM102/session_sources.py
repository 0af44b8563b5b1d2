# AM102 async-session-call-not-awaited: the AsyncSession comes from each
# source RULES.md lists — import alias, Optional/`| None`/string annotations,
# Depends of an unannotated async generator over AsyncSessionLocal, the
# factory call, `async with`, and `self.db` from `__init__` in a service with
# a module-level singleton. Look-alikes: a sync Session from the same kinds of
# sources (commit/execute/delete are plain methods there), in plain `def`
# endpoints, nested plain `def`s inside `async def`, and names that lie.
from typing import Optional

from fastapi import APIRouter, Depends
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession as AsyncDB
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from app.models import Membership, User, Workout

async_engine = create_async_engine("postgresql+asyncpg://gym@db/gym")
AsyncSessionLocal = async_sessionmaker(async_engine, expire_on_commit=False)
SessionLocal = sessionmaker(autoflush=False)

router = APIRouter(prefix="/servicios", tags=["servicios 🧰"])


async def get_session():
    async with AsyncSessionLocal() as session:
        yield session


def get_db():
    with SessionLocal() as db:
        yield db


async def marcar_inactivo(db: AsyncDB, user_id: int) -> None:
    db.execute(update(User).where(User.id == user_id).values(activo=False))  # want: AM102


async def borrar_rutinas(user_id: int, db: Optional[AsyncDB] = None) -> None:
    if db is not None:
        db.execute(delete(Workout).where(Workout.user_id == user_id))  # want: AM102


async def renovar(membership_id: int, db: AsyncDB | None = None) -> None:
    if db:
        membresia = await db.get(Membership, membership_id)
        membresia.activa = True
        db.flush()  # want: AM102


async def refrescar(socio: User, db: "AsyncDB") -> User:
    db.refresh(socio)  # want: AM102
    return socio


@router.post("/{user_id}/reactivar")
async def reactivar(user_id: int, db=Depends(get_session)):
    socio = await db.get(User, user_id)
    socio.activo = True
    db.commit()  # want: AM102
    return {"ok": True}


async def job_nocturno() -> None:
    # 🌙 Limpieza nocturna con su propia sesión
    db = AsyncSessionLocal()
    db.execute(delete(Workout).where(Workout.volumen_kg == 0))  # want: AM102
    await db.commit()
    await db.close()


async def job_recordatorios() -> None:
    async with AsyncSessionLocal() as s:
        vencidas = s.scalars(select(Membership).where(Membership.activa.is_(False)))  # want: AM102
        print(f"⏰ Recordatorios: {vencidas}")


class AsyncUserService:
    def __init__(self, db: AsyncDB) -> None:
        self.db = db

    async def borrar(self, socio: User) -> None:
        self.db.delete(socio)  # want: AM102 "self\.db\.delete"
        await self.db.commit()


async def borrar_socio(user_id: int) -> None:
    async with AsyncSessionLocal() as s:
        servicio = AsyncUserService(s)
        await servicio.borrar(await s.get(User, user_id))


# ---- Look-alikes correctos ✅ ----


def marcar_inactivo_legacy(db: Session, user_id: int) -> None:
    db.execute(update(User).where(User.id == user_id).values(activo=False))  # ok: AM102
    db.commit()  # ok: AM102


def renovar_legacy(membership_id: int, db: Optional[Session] = None) -> None:
    if db:
        membresia = db.get(Membership, membership_id)  # ok: AM102
        membresia.activa = True
        db.flush()  # ok: AM102


@router.post("/legacy/{user_id}/reactivar")
def reactivar_legacy(user_id: int, db=Depends(get_db)):
    socio = db.get(User, user_id)  # ok: AM102
    socio.activo = True
    db.commit()  # ok: AM102
    return {"ok": True}


def job_nocturno_legacy() -> None:
    async_db = SessionLocal()  # el nombre miente: es una Session síncrona 🙃
    async_db.execute(delete(Workout).where(Workout.volumen_kg == 0))  # ok: AM102
    async_db.commit()  # ok: AM102
    async_db.close()  # ok: AM102


class UserService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def borrar(self, socio: User) -> None:
        self.db.delete(socio)  # ok: AM102
        self.db.commit()  # ok: AM102

    async def borrar_async(self, socio: User) -> None:
        # Método async en un servicio síncrono: la sesión sigue siendo síncrona
        self.db.delete(socio)  # ok: AM102


@router.post("/{user_id}/recalcular")
async def recalcular(user_id: int, db=Depends(get_session)):
    def _legacy(sync_db: Session) -> None:
        # Función anidada síncrona: la Session de run_sync no es una corrutina
        sync_db.execute(update(Workout).where(Workout.user_id == user_id).values(revisada=True))  # ok: AM102
        sync_db.commit()  # ok: AM102

    await db.run_sync(_legacy)  # ok: AM102
    await db.run_sync(lambda s: s.commit())  # ok: AM102
    return {"ok": True}
