"""Servicio de entrenadores 🧑‍🏫 (síncrono, sin gemelo async todavía)."""
from sqlalchemy.orm import Session

from app.models import Trainer, User


class TrainerService:
    def count_active_clients(self, db: Session, trainer_id: int) -> int:
        # Recibe la AsyncSession de una ruta async: Query no existe ahí 💥
        return db.query(User).filter(User.trainer_id == trainer_id, User.is_active.is_(True)).count()  # want: AM101 "db\.query"


class TrainerSetupService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def assign_default_plan(self, trainer_id: int) -> None:
        trainer = self.db.get(Trainer, trainer_id)  # ok: AM102
        trainer.default_plan = "básico 🥉"
        self.db.commit()  # ok: AM102


trainer_service = TrainerService()
