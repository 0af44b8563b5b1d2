# Módulo legado (sync) — no tocar sin avisar 🙏
from sqlalchemy.orm import Session


def construir_reporte(db: Session):
    return db.query(Reporte).all()


async def recalcular(db: AsyncSession):
    db.commit()  # 💾 guardar cambios
