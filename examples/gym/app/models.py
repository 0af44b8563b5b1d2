"""Modelos del gimnasio 🏋️ (SQLAlchemy 2.0, tipados con Mapped)."""
from datetime import date, datetime

from sqlalchemy import DateTime, ForeignKey, String, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Trainer(Base):
    __tablename__ = "trainers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    default_plan: Mapped[str | None] = mapped_column(String(40))
    clients: Mapped[list["User"]] = relationship(back_populates="trainer")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    auth0_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    is_active: Mapped[bool] = mapped_column(default=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("trainers.id"))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    trainer: Mapped["Trainer | None"] = relationship(back_populates="clients")
    workouts: Mapped[list["Workout"]] = relationship(back_populates="user")
    memberships: Mapped[list["Membership"]] = relationship(back_populates="user")


class Workout(Base):
    __tablename__ = "workouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    performed_on: Mapped[date]
    volume_kg: Mapped[float] = mapped_column(default=0.0)
    completed: Mapped[bool] = mapped_column(default=False)

    user: Mapped["User"] = relationship(back_populates="workouts")


class Membership(Base):
    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    plan_id: Mapped[int]
    # TIMESTAMP WITHOUT TIME ZONE heredado: guarda UTC "naive" ⚠️
    starts_at: Mapped[datetime] = mapped_column(DateTime)

    user: Mapped["User"] = relationship(back_populates="memberships")
