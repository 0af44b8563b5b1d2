"""Rutas de rutinas 💪 — a medio migrar."""
import asyncio

import requests
from fastapi import APIRouter, Depends
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.db.session import get_async_db, get_db
from app.models import User, Workout
from app.services.workout import workout_service  # ok: AM401

router = APIRouter(prefix="/workouts", tags=["rutinas 💪"])

WATCH_WEBHOOK_URL = "https://hooks.gym.example/reloj"


@router.get("/users/{user_id}/week")
async def weekly_summary(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return await workout_service.weekly_summary(db, user_id)  # want: AM105 "weekly_summary"  # ok: AM302


@router.get("/users/{user_id}/count")
async def count_workouts(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # Query heredada de la versión síncrona 🦖
    total = db.query(Workout).filter(Workout.user_id == user_id).count()  # want: AM101 "db\.query"
    return {"total": total}


@router.get("/users/{user_id}/full")
async def user_with_workouts(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # selectinload se usa, pero nadie lo importó
    stmt = select(User).options(selectinload(User.workouts)).where(User.id == user_id)  # want: AM402 "selectinload"
    return (await db.scalars(stmt)).one_or_none()  # ok: AM102


@router.get("/ranking")
async def ranking(db: Session = Depends(get_db)):  # want: AM104
    stmt = select(Workout.user_id, func.sum(Workout.volume_kg)).group_by(Workout.user_id)
    rows = db.execute(stmt).all()  # ok: AM102, AM303
    return [{"socio": user_id, "kg": kg} for user_id, kg in rows]


@router.post("/{workout_id}/complete")
async def complete_workout(workout_id: int, db: AsyncSession = Depends(get_async_db)):
    workout = await db.get(Workout, workout_id)
    workout.completed = True
    await db.commit()  # ok: AM102
    # ⌚ Avisar al reloj del socio... bloqueando el event loop
    requests.post(WATCH_WEBHOOK_URL, json={"workout": workout_id}, timeout=5)  # want: AM303 "requests\.post"
    return {"ok": True}


@router.post("/{workout_id}/notify")
async def notify_watch(workout_id: int):
    # La misma llamada, pero en un hilo: correcto ✅
    await asyncio.to_thread(requests.post, WATCH_WEBHOOK_URL, json={"workout": workout_id}, timeout=5)  # ok: AM303
    return {"ok": True}


@router.get("/users/{user_id}/history")
def workout_history(user_id: int, db: Session = Depends(get_db)):
    # Endpoint `def` con sesión síncrona: correcto ✅
    return workout_service.history(db, user_id)  # ok: AM105, AM303


@router.get("/users/{user_id}/history/v2")
async def workout_history_v2(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # La ruta nueva se escribió antes que el servicio gemelo 🚧
    from app.services.async_workout import async_workout_service  # want: AM404 "async_workout"

    return await async_workout_service.history(db, user_id)
