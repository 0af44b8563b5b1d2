# AM101 query-on-async-session: one case per terminal of a legacy Query chain
# (.all/.first/.one/.one_or_none/.scalar/.count/.get) on an AsyncSession, with
# `select` already imported and `func` missing (the fix adds it once). The sync
# look-alikes are the very same chains on a sync Session inside plain `def`.
from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

engine = create_async_engine("postgresql+asyncpg://gym:gym@localhost/gym")
AsyncSessionLocal = async_sessionmaker(engine, expire_on_commit=False)
SessionLocal = sessionmaker()

router = APIRouter(prefix="/usuarios", tags=["usuarios 🏋️"])


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    nombre: Mapped[str] = mapped_column(String(120))
    activo: Mapped[bool] = mapped_column(default=True)
    creado_en: Mapped[datetime]


class Workout(Base):
    __tablename__ = "workouts"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    peso_kg: Mapped[float]


async def get_async_db():
    # Sesión asíncrona por petición ⚡
    async with AsyncSessionLocal() as session:
        yield session


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


@router.get("/")
async def listar_usuarios(db: AsyncSession = Depends(get_async_db)):
    # Todos los usuarios 📋
    return db.query(User).all()  # want: AM101 "db\.query"


@router.get("/por-email")
async def usuario_por_email(email: str, db: AsyncSession = Depends(get_async_db)):
    usuario = db.query(User).filter(User.email == email).first()  # want: AM101 "db\.query"
    if usuario is None:
        raise HTTPException(status_code=404, detail="Usuario no encontrado 😕")
    return usuario


@router.get("/{user_id}/exacto")
async def usuario_exacto(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # .one() lanza NoResultFound si no existe
    return db.query(User).filter(User.id == user_id).one()  # want: AM101


@router.get("/{user_id}/opcional")
async def usuario_opcional(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return db.query(User).filter(User.id == user_id).one_or_none()  # want: AM101


@router.get("/{user_id}/record")
async def record_personal(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # 💪 Peso máximo levantado: Query.scalar() → scalar_one_or_none()
    return db.query(Workout.peso_kg).filter(Workout.user_id == user_id).order_by(Workout.peso_kg.desc()).limit(1).scalar()  # want: AM101


@router.get("/activos/total")
async def total_activos(db: AsyncSession = Depends(get_async_db)):
    # Cuenta sobre una subconsulta, como hacía Query.count()
    return {"total": db.query(User).filter(User.activo.is_(True)).count()}  # want: AM101 "db\.query"


@router.get("/{user_id}")
async def leer_usuario(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # Query.get(id) → await db.get(User, id) 🔑
    usuario = db.query(User).get(user_id)  # want: AM101
    return usuario


# ---- Look-alikes correctos ✅ ----


@router.get("/legacy/")
def listar_usuarios_legacy(db: Session = Depends(get_db)):
    # Endpoint síncrono: FastAPI lo ejecuta en un threadpool, Query es válido aquí
    return db.query(User).all()  # ok: AM101


@router.get("/legacy/por-email")
def usuario_por_email_legacy(email: str, db: Session = Depends(get_db)):
    return db.query(User).filter(User.email == email).first()  # ok: AM101


@router.get("/legacy/{user_id}/exacto")
def usuario_exacto_legacy(user_id: int, db: Session = Depends(get_db)):
    return db.query(User).filter(User.id == user_id).one()  # ok: AM101


@router.get("/legacy/{user_id}/opcional")
def usuario_opcional_legacy(user_id: int, db: Session = Depends(get_db)):
    return db.query(User).filter(User.id == user_id).one_or_none()  # ok: AM101


@router.get("/legacy/activos/total")
def total_activos_legacy(db: Session = Depends(get_db)):
    return {"total": db.query(User).filter(User.activo.is_(True)).count()}  # ok: AM101


@router.get("/legacy/{user_id}")
def leer_usuario_legacy(user_id: int, db: Session = Depends(get_db)):
    return db.query(User).get(user_id)  # ok: AM101


@router.get("/v2/{user_id}")
async def leer_usuario_v2(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # Ya migrado a 2.0: nada que decir 🎉
    resultado = await db.execute(select(User).where(User.id == user_id))  # ok: AM101
    return resultado.scalar_one_or_none()
