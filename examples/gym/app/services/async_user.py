"""Servicio de socios asíncrono ⚡ (gemelo de user.py)."""  # ok: AM403
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User


class AsyncUserService:
    async def get_user(self, db: AsyncSession, user_id: int) -> User | None:
        return await db.get(User, user_id)  # ok: AM102

    async def get_user_by_auth0_id(self, db: AsyncSession, auth0_id: str) -> User | None:
        result = await db.execute(select(User).where(User.auth0_id == auth0_id))
        return result.scalar_one_or_none()

    async def list_users(self, db: AsyncSession, limit: int = 50) -> list[User]:
        return list((await db.scalars(select(User).order_by(User.id).limit(limit))).all())

    async def create_user(self, db: AsyncSession, email: str, name: str) -> User:
        user = User(email=email, name=name)
        db.add(user)  # ok: AM102
        await db.commit()
        db.refresh(user)  # want: AM102 "db\.refresh"
        return user

    async def touch_last_login(self, db: AsyncSession, user: User) -> None:
        user.last_login_at = datetime.now(timezone.utc)  # ok: AM501
        db.add(user)  # ok: AM102, AM103
        await db.commit()  # ok: AM102, AM103

    async def deactivate_inactive(self, db: AsyncSession, days: int = 365) -> int:
        # 🧹 Desactiva a quien no entra desde hace un año
        limit = datetime.now(timezone.utc) - timedelta(days=days)
        result = await db.execute(update(User).where(User.last_login_at < limit).values(is_active=False))
        await db.commit()
        return result.rowcount

    def cache_key(self, user_id: int) -> str:
        # Un `def` normal dentro del servicio async
        return f"socio:{user_id}"


async_user_service = AsyncUserService()
