# AM101 query-on-async-session: eager loading. The models live in this file,
# so the rule can tell collections from many-to-one relationships: a
# joinedload of a collection (at any hop) needs `.unique()` after the rewrite
# (2.0 raises without it), a joinedload of a many-to-one or a selectinload
# does not. Look-alikes: the same chains on a sync Session and already
# migrated code.
from typing import List, Optional

from fastapi import APIRouter, Depends
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, joinedload, mapped_column, relationship, selectinload

from app.db.session import get_async_db, get_db

router = APIRouter(prefix="/socios", tags=["socios 🧑‍🤝‍🧑"])


class Base(DeclarativeBase):
    pass


class Trainer(Base):
    __tablename__ = "trainers"
    id: Mapped[int] = mapped_column(primary_key=True)
    nombre: Mapped[str] = mapped_column(String(120))


class Plan(Base):
    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    nombre: Mapped[str] = mapped_column(String(60))  # "Básico", "Premium 💎"


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255))
    activo: Mapped[bool] = mapped_column(default=True)
    workouts: Mapped[list["Workout"]] = relationship(back_populates="user")
    memberships: Mapped[List["Membership"]] = relationship(back_populates="user")


class Workout(Base):
    __tablename__ = "workouts"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    trainer_id: Mapped[int] = mapped_column(ForeignKey("trainers.id"))
    user: Mapped["User"] = relationship(back_populates="workouts")
    trainer: Mapped["Trainer"] = relationship()


class Membership(Base):
    __tablename__ = "memberships"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    plan_id: Mapped[Optional[int]] = mapped_column(ForeignKey("plans.id"))
    user: Mapped["User"] = relationship(back_populates="memberships")
    plan: Mapped[Optional["Plan"]] = relationship()


@router.get("/con-rutinas")
async def socios_con_rutinas(db: AsyncSession = Depends(get_async_db)):
    # joinedload de una colección → .scalars().unique().all() 🧩
    return db.query(User).options(joinedload(User.workouts)).filter(User.activo.is_(True)).all()  # want: AM101


@router.get("/{user_id}/con-rutinas")
async def socio_con_rutinas(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return db.query(User).options(joinedload(User.workouts)).filter(User.id == user_id).first()  # want: AM101


@router.get("/con-planes")
async def socios_con_planes(db: AsyncSession = Depends(get_async_db)):
    # Colección en el primer salto, muchos-a-uno en el segundo
    return db.query(User).options(joinedload(User.memberships).joinedload(Membership.plan)).all()  # want: AM101


@router.get("/rutinas-con-entrenador")
async def rutinas_con_entrenador(db: AsyncSession = Depends(get_async_db)):
    # joinedload muchos-a-uno: sin .unique()
    return db.query(Workout).options(joinedload(Workout.trainer)).all()  # want: AM101


@router.get("/rutinas-con-historial")
async def rutinas_con_historial(db: AsyncSession = Depends(get_async_db)):
    # Muchos-a-uno y luego una colección: la colección obliga a .unique()
    return db.query(Workout).options(joinedload(Workout.user).joinedload(User.workouts)).all()  # want: AM101


@router.get("/con-membresias")
async def socios_con_membresias(db: AsyncSession = Depends(get_async_db)):
    # selectinload de una colección: sin .unique() ✅
    return db.query(User).options(selectinload(User.memberships)).all()  # want: AM101


# ---- Look-alikes correctos ✅ ----


@router.get("/legacy/con-rutinas")
def socios_con_rutinas_legacy(db: Session = Depends(get_db)):
    return db.query(User).options(joinedload(User.workouts)).all()  # ok: AM101


@router.get("/legacy/con-planes")
def socios_con_planes_legacy(db: Session = Depends(get_db)):
    return db.query(User).options(joinedload(User.memberships).joinedload(Membership.plan)).all()  # ok: AM101


@router.get("/legacy/rutinas-con-entrenador")
def rutinas_con_entrenador_legacy(db: Session = Depends(get_db)):
    return db.query(Workout).options(joinedload(Workout.trainer)).all()  # ok: AM101


@router.get("/v2/con-rutinas")
async def socios_con_rutinas_v2(db: AsyncSession = Depends(get_async_db)):
    # Ya migrado a mano 🎉
    result = await db.execute(select(User).options(joinedload(User.workouts)))  # ok: AM101
    return result.unique().scalars().all()


@router.get("/v2/con-membresias")
async def socios_con_membresias_v2(db: AsyncSession = Depends(get_async_db)):
    return (await db.scalars(select(User).options(selectinload(User.memberships)))).all()  # ok: AM101


@router.get("/v2/rutinas-con-entrenador")
async def rutinas_con_entrenador_v2(db: AsyncSession = Depends(get_async_db)):
    def _legacy(sync_db: Session):
        # Dentro de run_sync la sesión es síncrona: Query funciona 🔄
        return sync_db.query(Workout).options(joinedload(Workout.trainer)).all()  # ok: AM101

    return await db.run_sync(_legacy)
