"""Servicio de rutinas 💪 — "síncrono", pero ya con algún método async (sin gemelo todavía)."""  # ok: AM403
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.models import Workout


class WorkoutService:
    async def weekly_summary(self, db: Session, user_id: int) -> list[Workout]:  # ok: AM104
        # La anotación dice Session, pero la ruta async le pasa una AsyncSession 🤥
        since = date.today() - timedelta(days=7)
        return db.query(Workout).filter(Workout.user_id == user_id, Workout.performed_on >= since).all()  # want: AM101 "db\.query"

    def history(self, db: Session, user_id: int) -> list[Workout]:
        # Solo desde endpoints síncronos ✅
        return db.query(Workout).filter(Workout.user_id == user_id).order_by(Workout.performed_on.desc()).all()  # ok: AM101


workout_service = WorkoutService()
