# AM101 query-on-async-session: the clause methods of a Query chain —
# filter → where, filter_by, order_by, limit, offset, join, options, distinct
# (group_by is in multi_entity_columns.py, beside its aggregates), one chain
# split over several lines. The module imports nothing from `sqlalchemy`
# itself, so the fixes must add `from sqlalchemy import select` once, in the
# import block. Look-alikes: the same chains on sync sessions, and objects that
# merely have a `.query` method.
from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, selectinload

from app.db.session import get_async_db, get_db
from app.models import Trainer, User, Workout

router = APIRouter(prefix="/rutinas", tags=["rutinas 💪"])


@router.get("/recientes")
async def rutinas_recientes(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # filter + order_by + limit: las 10 últimas sesiones del socio 🏃
    return db.query(Workout).filter(Workout.user_id == user_id, Workout.completada.is_(True)).order_by(Workout.fecha.desc()).limit(10).all()  # want: AM101 "db\.query"


@router.get("/por-tipo")
async def rutinas_por_tipo(tipo: str, user_id: int, db: AsyncSession = Depends(get_async_db)):
    # filter_by sigue existiendo en Select (2.0)
    return db.query(Workout).filter_by(user_id=user_id, tipo=tipo).all()  # want: AM101


@router.get("/pagina")
async def pagina_de_socios(skip: int = 0, limit: int = Query(20, le=100), db: AsyncSession = Depends(get_async_db)):
    # Paginación clásica: order_by + offset + limit 📄
    socios = (
        db.query(User)  # want: AM101
        .filter(User.activo.is_(True))
        .order_by(User.apellidos, User.nombre)
        .offset(skip)
        .limit(limit)
        .all()
    )
    return socios


@router.get("/con-entrenador")
async def rutinas_con_entrenador(especialidad: str, db: AsyncSession = Depends(get_async_db)):
    # join por una relación muchos-a-uno (no duplica filas)
    return db.query(Workout).join(Workout.trainer).filter(Trainer.especialidad == especialidad).all()  # want: AM101


@router.get("/socios-con-rutinas")
async def socios_con_rutinas(db: AsyncSession = Depends(get_async_db)):
    # selectinload de una colección: no necesita .unique() 👍
    return db.query(User).options(selectinload(User.workouts)).filter(User.activo.is_(True)).all()  # want: AM101


@router.get("/tipos")
async def tipos_de_rutina(db: AsyncSession = Depends(get_async_db)):
    # distinct sobre una columna: filas, no scalars
    return db.query(Workout.tipo).distinct().order_by(Workout.tipo).all()  # want: AM101


@router.get("/entrenadores-activos")
async def entrenadores_activos(db: AsyncSession = Depends(get_async_db)):
    # join a una colección + distinct: SQL ya elimina los duplicados
    return db.query(Trainer).join(Trainer.clientes).filter(User.activo.is_(True)).distinct().all()  # want: AM101


# ---- Look-alikes correctos ✅ ----


@router.get("/legacy/recientes")
def rutinas_recientes_legacy(user_id: int, db: Session = Depends(get_db)):
    return db.query(Workout).filter(Workout.user_id == user_id).order_by(Workout.fecha.desc()).limit(10).all()  # ok: AM101


@router.get("/legacy/por-tipo")
def rutinas_por_tipo_legacy(tipo: str, user_id: int, db: Session = Depends(get_db)):
    return db.query(Workout).filter_by(user_id=user_id, tipo=tipo).all()  # ok: AM101


@router.get("/legacy/pagina")
def pagina_de_socios_legacy(skip: int = 0, limit: int = 20, db: Session = Depends(get_db)):
    socios = (
        db.query(User)  # ok: AM101
        .order_by(User.apellidos)
        .offset(skip)
        .limit(limit)
        .all()
    )
    return socios


@router.get("/legacy/tipos")
def tipos_de_rutina_legacy(db: Session = Depends(get_db)):
    return db.query(Workout.tipo).distinct().all()  # ok: AM101


class BuscadorDeRutinas:
    """Cliente del motor de búsqueda 🔎: tiene `.query`, pero no es una sesión."""

    def __init__(self, indice: str) -> None:
        self.indice = indice

    def query(self, texto: str) -> list[dict]:
        return [{"indice": self.indice, "texto": texto}]


buscador = BuscadorDeRutinas("rutinas")


@router.get("/buscar")
async def buscar_rutinas(q: str):
    return buscador.query(q)  # ok: AM101


async def buscar_en(async_db, texto: str):
    # El nombre suena a sesión asíncrona, pero sin anotación ni Depends no se adivina 🤷
    return async_db.query(texto)  # ok: AM101
