"""Rutas de socios ⚡ — migradas a async, con restos del servicio síncrono."""
import asyncio
from datetime import datetime, timezone

import jwt
from fastapi import APIRouter, Depends, HTTPException
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.core.redis import get_redis
from app.db.session import get_async_db, get_db
from app.models import Membership, User
from app.services.async_user import async_user_service  # ok: AM401, AM404
from app.services.user import user_service  # want: AM401 "user_service"

router = APIRouter(prefix="/users", tags=["socios 🏋️"])


@router.get("/{user_id}")
async def read_user(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # Obtener el socio 🔍 — ¡con el servicio síncrono y un await!
    user = await user_service.get_user(db, user_id)  # want: AM302 "get_user"  # ok: AM105, AM303
    if user is None:
        raise HTTPException(status_code=404, detail="Socio no encontrado 😕")
    return user


@router.get("/by-auth0/{auth0_id}")
async def read_user_by_auth0(auth0_id: str, db: AsyncSession = Depends(get_async_db)):
    # El método *_async nunca se escribió en UserService
    return await user_service.get_user_by_auth0_id_async(db, auth0_id)  # want: AM405 "get_user_by_auth0_id_async"  # ok: AM302


@router.get("/{user_id}/avatar")
async def avatar(user_id: int):
    # Método async del módulo "síncrono": el await es correcto ✅
    return {"url": await user_service.refresh_avatar(user_id)}  # ok: AM302


@router.post("/")
async def create_user(email: str, name: str, db: AsyncSession = Depends(get_async_db)):
    return await async_user_service.create_user(db, email, name)  # ok: AM301


@router.post("/{user_id}/login")
async def login(user_id: int, db: AsyncSession = Depends(get_async_db)):
    user = await async_user_service.get_user(db, user_id)  # ok: AM301, AM302
    if user is None:
        raise HTTPException(status_code=404, detail="Socio no encontrado 😕")
    async_user_service.touch_last_login(db, user)  # want: AM301 "touch_last_login"
    return {"cache_key": async_user_service.cache_key(user.id)}  # ok: AM301


@router.get("/{user_id}/dashboard")
async def dashboard(user_id: int, cache: Redis = Depends(get_redis)):
    # Dos lecturas concurrentes a Redis 🚀
    streak, visits = await asyncio.gather(cache.get(f"racha:{user_id}"), cache.get(f"visitas:{user_id}"))  # ok: AM301
    return {"racha": int(streak or 0), "visitas": int(visits or 0)}


@router.post("/{user_id}/memberships/{plan_id}")
async def add_membership(user_id: int, plan_id: int, db: AsyncSession = Depends(get_async_db)):
    # 💳 Alta de membresía
    membership = Membership(user_id=user_id, plan_id=plan_id, starts_at=datetime.utcnow())  # want: AM501 "utcnow"
    await db.add(membership)  # want: AM103 "db\.add"
    db.commit()  # want: AM102 "db\.commit"
    return {"ok": True}


@router.delete("/{user_id}")  # ok: AM402
async def delete_user(user_id: int, db: AsyncSession = Depends(get_async_db)):
    user = await db.get(User, user_id)  # ok: AM102
    await db.delete(user)  # ok: AM102, AM103
    await db.commit()  # ok: AM102, AM103
    return {"borrado": user_id}


@router.post("/maintenance/deactivate-inactive")
async def deactivate_inactive(db: AsyncSession = Depends(get_async_db)):
    return {"desactivados": await async_user_service.deactivate_inactive(db)}  # ok: AM106


@router.get("/me/token-expiry")
async def token_expiry(token: str):
    # 🔐 Solo leemos el claim `exp` (la firma la valida el gateway)
    claims = jwt.decode(token, options={"verify_signature": False})
    return {
        "emitido": datetime.fromtimestamp(claims["iat"], tz=timezone.utc).isoformat(),  # ok: AM502
        "expira": datetime.utcfromtimestamp(claims["exp"]).isoformat(),  # want: AM502 "utcfromtimestamp"
    }


@router.get("/legacy/by-auth0/{auth0_id}")
def read_user_by_auth0_legacy(auth0_id: str, db: Session = Depends(get_db)):
    # El método que sí existe, desde un endpoint síncrono ✅
    return user_service.get_user_by_auth0_id(db, auth0_id)  # ok: AM105, AM405


@router.get("/legacy/")
def list_users_legacy(db: Session = Depends(get_db)):
    # Endpoint `def`: FastAPI lo ejecuta en un threadpool, el servicio síncrono es correcto ✅
    return user_service.list_users(db)  # ok: AM105, AM302, AM303
