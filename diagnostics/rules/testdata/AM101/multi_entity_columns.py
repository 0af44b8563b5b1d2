# AM101 query-on-async-session: multi-entity and column queries. Their rewrite
# must read rows (`.all()`/`.first()`/`.one()` on the Result), never
# `.scalars()`, which would drop every column but the first. Also group_by
# with aggregates, and `.count()`/`.scalar()` over column queries. `func` is
# already imported, `select` is not: the fix adds it beside `func`.
from fastapi import APIRouter, Depends
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.db.session import get_async_db, get_db
from app.models import Membership, User, Workout

router = APIRouter(prefix="/informes", tags=["informes 📊"])


@router.get("/socios-con-membresia")
async def socios_con_membresia(db: AsyncSession = Depends(get_async_db)):
    # Pares (usuario, membresía) 💳
    return db.query(User, Membership).join(Membership, Membership.user_id == User.id).filter(Membership.activa.is_(True)).all()  # want: AM101


@router.get("/ultima-membresia/{user_id}")
async def ultima_membresia(user_id: int, db: AsyncSession = Depends(get_async_db)):
    fila = db.query(User, Membership).join(Membership, Membership.user_id == User.id).filter(User.id == user_id).order_by(Membership.inicio.desc()).first()  # want: AM101
    return fila


@router.get("/emails")
async def emails_de_socios(db: AsyncSession = Depends(get_async_db)):
    # Solo columnas: (id, email) por fila ✉️
    return db.query(User.id, User.email).filter(User.activo.is_(True)).all()  # want: AM101


@router.get("/volumen")
async def volumen_por_socio(db: AsyncSession = Depends(get_async_db)):
    # group_by con agregado: filas (user_id, total_kg)
    return db.query(Workout.user_id, func.sum(Workout.volumen_kg)).group_by(Workout.user_id).order_by(func.sum(Workout.volumen_kg).desc()).all()  # want: AM101


@router.get("/resumen/{user_id}")
async def resumen_de_socio(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # Una sola fila con dos agregados ⏱️
    sesiones, minutos = db.query(func.count(Workout.id), func.sum(Workout.duracion_min)).filter(Workout.user_id == user_id).one()  # want: AM101
    return {"sesiones": sesiones, "minutos": minutos}


@router.get("/contacto")
async def contacto(email: str, db: AsyncSession = Depends(get_async_db)):
    return db.query(User.id, User.nombre).filter(User.email == email).one_or_none()  # want: AM101


@router.get("/ultimo-entreno/{user_id}")
async def ultimo_entreno(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # Query.scalar() sobre un agregado → scalar_one_or_none()
    return db.query(func.max(Workout.fecha)).filter(Workout.user_id == user_id).scalar()  # want: AM101


@router.get("/socios-con-email")
async def socios_con_email(db: AsyncSession = Depends(get_async_db)):
    # count() de una consulta de columnas
    return db.query(User.id).filter(User.email.is_not(None)).count()  # want: AM101


# ---- Look-alikes correctos ✅ ----


@router.get("/legacy/socios-con-membresia")
def socios_con_membresia_legacy(db: Session = Depends(get_db)):
    return db.query(User, Membership).join(Membership, Membership.user_id == User.id).all()  # ok: AM101


@router.get("/legacy/emails")
def emails_de_socios_legacy(db: Session = Depends(get_db)):
    return db.query(User.id, User.email).filter(User.activo.is_(True)).all()  # ok: AM101


@router.get("/legacy/volumen")
def volumen_por_socio_legacy(db: Session = Depends(get_db)):
    return db.query(Workout.user_id, func.sum(Workout.volumen_kg)).group_by(Workout.user_id).all()  # ok: AM101


@router.get("/legacy/resumen/{user_id}")
def resumen_de_socio_legacy(user_id: int, db: Session = Depends(get_db)):
    return db.query(func.count(Workout.id)).filter(Workout.user_id == user_id).scalar()  # ok: AM101


@router.get("/legacy/socios-con-email")
def socios_con_email_legacy(db: Session = Depends(get_db)):
    return db.query(User.id).filter(User.email.is_not(None)).count()  # ok: AM101


@router.get("/v2/emails")
async def emails_via_run_sync(db: AsyncSession = Depends(get_async_db)):
    # Código legacy ejecutado con run_sync: ahí dentro la sesión SÍ es síncrona 🔄
    def _emails(sync_db: Session) -> list[tuple[int, str]]:
        return sync_db.query(User.id, User.email).all()  # ok: AM101

    return await db.run_sync(_emails)
