"""Tareas programadas del gimnasio ⏰ (las lanza el scheduler)."""
import asyncio
import json

from sqlalchemy import func, select

from app.core.redis import redis_client
from app.db.session import AsyncSessionLocal, SessionLocal
from app.models import Workout
from app.services.async_user import async_user_service


async def warm_rankings_cache() -> None:
    # 🏆 Ranking semanal precalculado en Redis
    async with AsyncSessionLocal() as db:  # ok: AM104
        stmt = select(Workout.user_id, func.sum(Workout.volume_kg)).group_by(Workout.user_id)
        rows = (await db.execute(stmt)).all()  # ok: AM102
    await redis_client.set("ranking:semanal", json.dumps([[u, float(kg)] for u, kg in rows]), ex=3600)  # ok: AM301


async def purge_inactive_members() -> int:
    # 🧹 Limpieza nocturna... todavía con la sesión síncrona
    with SessionLocal() as db:  # want: AM104 "SessionLocal"  # ok: AM303
        return await async_user_service.deactivate_inactive(db, days=365)  # want: AM106 "deactivate_inactive"


if __name__ == "__main__":
    # Ejecución manual: `python -m app.jobs` 🛠️
    asyncio.run(purge_inactive_members())  # ok: AM304
