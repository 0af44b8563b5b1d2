"""Servicio de socios síncrono 🐢 (legacy: su gemelo es async_user.py)."""  # want: AM403 "app\.api\.routes\.users"
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import User


class UserService:
    def get_user(self, db: Session, user_id: int) -> User | None:
        # Buscar el socio por id 🔍 — la ruta async le pasa su AsyncSession
        return db.query(User).filter(User.id == user_id).first()  # want: AM101 "db\.query"

    def get_user_by_auth0_id(self, db: Session, auth0_id: str) -> User | None:
        return db.execute(select(User).where(User.auth0_id == auth0_id)).scalar_one_or_none()  # ok: AM102

    def list_users(self, db: Session, limit: int = 50) -> list[User]:
        # Solo lo llaman endpoints síncronos: aquí Query es correcto ✅
        return db.query(User).order_by(User.id).limit(limit).all()  # ok: AM101

    async def refresh_avatar(self, user_id: int) -> str:
        # Un método async en el módulo "síncrono": el nombre no decide nada 🙃
        return f"https://cdn.gym.example/avatars/{user_id}.webp"


user_service = UserService()
