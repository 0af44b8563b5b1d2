# AM402 missing-import for the sqlalchemy core names the 2.0 style needs:
# update, delete, insert, func, and_, or_ — each used once, none imported,
# while `from sqlalchemy import select` exists: the fix extends that line.
# Look-alikes: the imported `select`, and attribute uses of the same names
# (router.delete, dict.update, list.insert, db.delete) that need no import.
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import get_async_db
from app.models import Membership, User, Workout

router = APIRouter(prefix="/socios", tags=["socios 🏋️"])


@router.get("/")
async def listar(db: AsyncSession = Depends(get_async_db)):
    return (await db.scalars(select(User).order_by(User.id))).all()  # ok: AM402


@router.patch("/{user_id}")
async def actualizar(user_id: int, cambios: dict, db: AsyncSession = Depends(get_async_db)):
    cambios.update({"actualizado_por": "api ✍️"})  # ok: AM402
    await db.execute(update(User).where(User.id == user_id).values(**cambios))  # want: AM402 "update"
    await db.commit()


@router.delete("/{user_id}/rutinas")  # ok: AM402
async def borrar_rutinas(user_id: int, db: AsyncSession = Depends(get_async_db)):
    await db.execute(delete(Workout).where(Workout.user_id == user_id))  # want: AM402 "delete"
    await db.commit()


@router.delete("/{user_id}")
async def borrar_socio(user_id: int, db: AsyncSession = Depends(get_async_db)):
    socio = await db.get(User, user_id)
    await db.delete(socio)  # ok: AM402
    await db.commit()


@router.post("/{user_id}/membresias")
async def alta_membresia(user_id: int, planes: list[int], db: AsyncSession = Depends(get_async_db)):
    planes.insert(0, 1)  # el plan básico siempre primero  # ok: AM402
    filas = [{"user_id": user_id, "plan_id": p} for p in planes]
    await db.execute(insert(Membership), filas)  # want: AM402 "insert"
    await db.commit()


@router.get("/total")
async def total(db: AsyncSession = Depends(get_async_db)):
    return {"total": await db.scalar(select(func.count(User.id)))}  # want: AM402 "func"


@router.get("/buscar")
async def buscar(texto: str, solo_activos: bool = True, db: AsyncSession = Depends(get_async_db)):
    filtro = or_(User.nombre.ilike(f"%{texto}%"), User.email.ilike(f"%{texto}%"))  # want: AM402 "or_"
    if solo_activos:
        filtro = and_(filtro, User.activo.is_(True))  # want: AM402 "and_"
    return (await db.scalars(select(User).where(filtro))).all()  # ok: AM402
