# AM101 query-on-async-session: chains with no mechanical 2.0 equivalent get
# the diagnostic and NO fix — from_self(), join(..., aliased=True), string
# relationship names in join()/joinedload()/selectinload(), and a chain that
# continues into a lazy="dynamic" relationship (unsupported by AsyncSession).
# The golden file must equal the input. Look-alikes: the same chains on a
# sync Session inside plain `def`, where legacy code still runs.
from fastapi import APIRouter, Depends
from sqlalchemy import ForeignKey, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, DynamicMapped, Mapped, Session, joinedload, mapped_column, relationship, selectinload

from app.db.session import get_async_db, get_db

router = APIRouter(prefix="/entrenadores", tags=["entrenadores 🧑‍🏫"])


class Base(DeclarativeBase):
    pass


class Trainer(Base):
    __tablename__ = "trainers"
    id: Mapped[int] = mapped_column(primary_key=True)
    especialidad: Mapped[str] = mapped_column(String(60))
    # Relación dinámica heredada de la versión 1.3 🦖
    clientes: DynamicMapped["User"] = relationship(lazy="dynamic", back_populates="trainer")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    activo: Mapped[bool] = mapped_column(default=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("trainers.id"))
    trainer: Mapped["Trainer"] = relationship(back_populates="clientes")
    workouts: Mapped[list["Workout"]] = relationship(back_populates="user")
    memberships: Mapped[list["Membership"]] = relationship(back_populates="user")


class Workout(Base):
    __tablename__ = "workouts"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    user: Mapped["User"] = relationship(back_populates="workouts")


class Membership(Base):
    __tablename__ = "memberships"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    activa: Mapped[bool] = mapped_column(default=True)
    user: Mapped["User"] = relationship(back_populates="memberships")


@router.get("/ultimas-rutinas/{user_id}")
async def ultimas_rutinas_en_orden(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # from_self() desapareció en 2.0: hay que reescribirlo con subquery() a mano
    return db.query(Workout).filter(Workout.user_id == user_id).order_by(Workout.id.desc()).limit(10).from_self().order_by(Workout.id).all()  # want: AM101


@router.get("/socios-de/{especialidad}")
async def socios_por_especialidad(especialidad: str, db: AsyncSession = Depends(get_async_db)):
    # join(..., aliased=True) no tiene equivalente directo en Select
    return db.query(User).join(User.trainer, aliased=True).filter(Trainer.especialidad == especialidad).all()  # want: AM101


@router.get("/con-membresia-activa")
async def socios_con_membresia_activa(db: AsyncSession = Depends(get_async_db)):
    # Nombre de relación como cadena (estilo 1.3)
    return db.query(User).join("memberships").filter(Membership.activa.is_(True)).all()  # want: AM101


@router.get("/con-rutinas")
async def socios_con_rutinas(db: AsyncSession = Depends(get_async_db)):
    return db.query(User).options(joinedload("workouts")).all()  # want: AM101


@router.get("/con-membresias")
async def socios_con_membresias(db: AsyncSession = Depends(get_async_db)):
    return db.query(User).options(selectinload("memberships")).filter(User.activo.is_(True)).all()  # want: AM101


@router.get("/{trainer_id}/clientes-activos")
async def clientes_activos(trainer_id: int, db: AsyncSession = Depends(get_async_db)):
    # La cadena sigue por una relación lazy="dynamic": AsyncSession no la soporta 🚫
    return db.query(Trainer).get(trainer_id).clientes.filter(User.activo.is_(True)).all()  # want: AM101


# ---- Look-alikes correctos ✅ (sesión síncrona en `def`) ----


@router.get("/legacy/ultimas-rutinas/{user_id}")
def ultimas_rutinas_en_orden_legacy(user_id: int, db: Session = Depends(get_db)):
    return db.query(Workout).filter(Workout.user_id == user_id).limit(10).from_self().order_by(Workout.id).all()  # ok: AM101


@router.get("/legacy/socios-de/{especialidad}")
def socios_por_especialidad_legacy(especialidad: str, db: Session = Depends(get_db)):
    return db.query(User).join(User.trainer, aliased=True).filter(Trainer.especialidad == especialidad).all()  # ok: AM101


@router.get("/legacy/con-membresia-activa")
def socios_con_membresia_activa_legacy(db: Session = Depends(get_db)):
    return db.query(User).join("memberships").filter(Membership.activa.is_(True)).all()  # ok: AM101


@router.get("/legacy/con-rutinas")
def socios_con_rutinas_legacy(db: Session = Depends(get_db)):
    return db.query(User).options(joinedload("workouts")).all()  # ok: AM101


@router.get("/legacy/{trainer_id}/clientes-activos")
def clientes_activos_legacy(trainer_id: int, db: Session = Depends(get_db)):
    return db.query(Trainer).get(trainer_id).clientes.filter(User.activo.is_(True)).all()  # ok: AM101


@router.get("/legacy/{trainer_id}/clientes")
def clientes_legacy(trainer_id: int, db: Session = Depends(get_db)):
    entrenador = db.get(Trainer, trainer_id)
    # AppenderQuery de la relación dinámica: no es `s.query(...)` 🙂
    return entrenador.clientes.filter(User.activo.is_(True)).all()  # ok: AM101
