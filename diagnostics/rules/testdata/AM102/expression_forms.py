# AM102 async-session-call-not-awaited in every expression position, not only
# bare statements: as the base of an attribute or call chain (the fix must
# parenthesise: `(await db.execute(q)).scalars()`), as an argument, in `if`,
# in boolean/arithmetic operators, inside an f-string, returned from an
# `async def`, assigned to `_` and never awaited, and two faults on one line.
# Look-alikes: the same expressions already awaited.
from fastapi import APIRouter, Depends
from fastapi.responses import PlainTextResponse
from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import get_async_db
from app.models import Membership, User, Workout

router = APIRouter(prefix="/panel", tags=["panel 📊"])


@router.get("/socios")
async def listar_socios(db: AsyncSession = Depends(get_async_db)):
    return db.execute(select(User).order_by(User.id)).scalars().all()  # want: AM102 "db\.execute"


@router.get("/socios/{user_id}/email")
async def email_de_socio(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return {"email": db.get(User, user_id).email}  # want: AM102 "db\.get"


@router.get("/socios/cuantos")
async def cuantos_socios(db: AsyncSession = Depends(get_async_db)):
    return {"total": len(db.scalars(select(User.id)).all())}  # want: AM102


@router.get("/socios/{user_id}/tiene-membresia")
async def tiene_membresia(user_id: int, db: AsyncSession = Depends(get_async_db)):
    if db.scalar(select(exists().where(Membership.user_id == user_id))):  # want: AM102
        return {"membresia": True}
    return {"membresia": False}


@router.get("/socios/{user_id}/minutos")
async def minutos(user_id: int, db: AsyncSession = Depends(get_async_db)):
    total = db.scalar(select(func.sum(Workout.duracion_min)).where(Workout.user_id == user_id)) or 0  # want: AM102
    return {"horas": total / 60}


@router.get("/socios/{user_id}/siguiente-nivel")
async def siguiente_nivel(user_id: int, db: AsyncSession = Depends(get_async_db)):
    nivel = db.scalar(select(User.nivel).where(User.id == user_id)) + 1  # want: AM102
    return {"nivel": nivel}


@router.get("/saludo/{user_id}", response_class=PlainTextResponse)
async def saludo(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return f"¡Hola, {db.scalar(select(User.nombre).where(User.id == user_id))}! 👋"  # want: AM102


@router.get("/socios/{user_id}/perfil")
async def perfil(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # Devolver la corrutina sin await: quien llama recibe una corrutina, no un User
    return db.get(User, user_id)  # want: AM102


@router.post("/socios/{user_id}/baja")
async def baja(user_id: int, db: AsyncSession = Depends(get_async_db)):
    socio = await db.get(User, user_id)
    socio.activo = False
    _ = db.commit()  # want: AM102 "db\.commit"
    return {"ok": True}


@router.get("/resumen")
async def resumen(db: AsyncSession = Depends(get_async_db)):
    return {"socios": db.scalar(select(func.count(User.id))), "rutinas": db.scalar(select(func.count(Workout.id)))}  # want: AM102 "db\.scalar", AM102 "db\.scalar"


# ---- Look-alikes correctos ✅ ----


@router.get("/v2/socios")
async def listar_socios_v2(db: AsyncSession = Depends(get_async_db)):
    return (await db.execute(select(User).order_by(User.id))).scalars().all()  # ok: AM102


@router.get("/v2/socios/{user_id}/email")
async def email_de_socio_v2(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return {"email": (await db.get(User, user_id)).email}  # ok: AM102


@router.get("/v2/socios/{user_id}/tiene-membresia")
async def tiene_membresia_v2(user_id: int, db: AsyncSession = Depends(get_async_db)):
    if await db.scalar(select(exists().where(Membership.user_id == user_id))):  # ok: AM102
        return {"membresia": True}
    return {"membresia": False}


@router.get("/v2/socios/{user_id}/minutos")
async def minutos_v2(user_id: int, db: AsyncSession = Depends(get_async_db)):
    total = await db.scalar(select(func.sum(Workout.duracion_min)).where(Workout.user_id == user_id)) or 0  # ok: AM102
    return {"horas": total / 60}


@router.get("/v2/saludo/{user_id}", response_class=PlainTextResponse)
async def saludo_v2(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return f"¡Hola, {await db.scalar(select(User.nombre).where(User.id == user_id))}! 👋"  # ok: AM102


@router.get("/v2/socios/{user_id}/perfil")
async def perfil_v2(user_id: int, db: AsyncSession = Depends(get_async_db)):
    return await db.get(User, user_id)  # ok: AM102


@router.get("/v2/resumen")
async def resumen_v2(db: AsyncSession = Depends(get_async_db)):
    return {"socios": await db.scalar(select(func.count(User.id))), "rutinas": await db.scalar(select(func.count(Workout.id)))}  # ok: AM102
