"""Rutas de entrenadores 🧑‍🏫."""
from fastapi import APIRouter, Depends
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.core.redis import get_redis, sync_redis
from app.db.session import get_async_db, get_db
from app.services.trainer import TrainerSetupService, trainer_service
from app.services.user import user_service  # ok: AM401

router = APIRouter(prefix="/trainers", tags=["entrenadores 🧑‍🏫"])


@router.get("/{trainer_id}/clients/count")
async def count_clients(trainer_id: int, db: AsyncSession = Depends(get_async_db)):
    # Servicio síncrono con la AsyncSession 💥
    total = trainer_service.count_active_clients(db, trainer_id)  # want: AM105 "count_active_clients"  # ok: AM303
    return {"total": total}


@router.post("/{trainer_id}/setup")
def setup_trainer(trainer_id: int, db: Session = Depends(get_db)):
    # Endpoint síncrono con el servicio síncrono ✅
    TrainerSetupService(db).assign_default_plan(trainer_id)  # ok: AM105, AM303
    return {"ok": True}


@router.get("/clients/legacy")
def clients_legacy(db: Session = Depends(get_db)):
    return user_service.list_users(db, limit=20)  # ok: AM105, AM303


@router.get("/leaderboard")
async def leaderboard(cache: Redis = Depends(get_redis)):
    # 🏆 KEYS recorre todo Redis y lo bloquea
    keys = await cache.keys("ranking:trainer:*")  # want: AM201 "keys"
    values = await cache.mget(keys) if keys else []
    return dict(zip(keys, values))


@router.get("/leaderboard/v2")
async def leaderboard_v2(cache: Redis = Depends(get_redis)):
    keys = [k async for k in cache.scan_iter(match="ranking:trainer:*", count=100)]  # ok: AM201
    values = await cache.mget(keys) if keys else []  # ok: AM301
    return dict(zip(keys, values))


@router.get("/{trainer_id}/card")
def trainer_card(trainer_id: int):
    # Cliente Redis síncrono en un endpoint `def`: correcto ✅
    return {"tarjeta": sync_redis.get(f"trainer:{trainer_id}:card")}  # ok: AM303
