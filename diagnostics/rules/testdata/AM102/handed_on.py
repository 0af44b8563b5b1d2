# AM102 async-session-call-not-awaited: a coroutine that is handed on is not a
# missing await — asyncio.gather / wait_for / shield / create_task /
# TaskGroup.create_task, or stored in a variable and awaited later in the same
# function. (Two different sessions in gather: one AsyncSession must not run
# two statements concurrently.) Positive: an awaited asyncio.sleep next to a
# commit that is still not awaited.
import asyncio

from fastapi import APIRouter, Depends
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.session import AsyncSessionLocal, get_async_db
from app.models import Membership, User, Workout

router = APIRouter(prefix="/tablero", tags=["tablero 🧮"])


@router.get("/contadores")
async def contadores():
    # Una sesión por consulta concurrente ✅
    async with AsyncSessionLocal() as s1, AsyncSessionLocal() as s2:
        socios, rutinas = await asyncio.gather(
            s1.scalar(select(func.count(User.id))),  # ok: AM102
            s2.scalar(select(func.count(Workout.id))),  # ok: AM102
        )
    return {"socios": socios, "rutinas": rutinas}


@router.get("/lento")
async def consulta_con_timeout(db: AsyncSession = Depends(get_async_db)):
    try:
        resultado = await asyncio.wait_for(db.execute(select(Workout).limit(500)), timeout=2.5)  # ok: AM102
    except TimeoutError:
        return {"error": "La base de datos tarda demasiado ⏳"}
    return resultado.scalars().all()


@router.post("/{user_id}/renovar")
async def renovar(user_id: int, db: AsyncSession = Depends(get_async_db)):
    membresia = await db.scalar(select(Membership).where(Membership.user_id == user_id))
    membresia.activa = True
    # Que una desconexión del cliente no cancele el commit 🛡️
    await asyncio.shield(db.commit())  # ok: AM102
    return {"ok": True}


@router.get("/{user_id}/ficha")
async def ficha(user_id: int, db: AsyncSession = Depends(get_async_db)):
    # Guardada y esperada después, en la misma función
    consulta = db.get(User, user_id)  # ok: AM102
    cabecera = {"generado_por": "asyncmig 🤖"}
    socio = await consulta
    return {**cabecera, "email": socio.email}


@router.post("/cierre-del-dia")
async def cierre_del_dia():
    async with AsyncSessionLocal() as informes:
        tarea = asyncio.create_task(informes.execute(select(func.sum(Workout.volumen_kg))))  # ok: AM102
        await asyncio.sleep(0)
        total = (await tarea).scalar_one()
    return {"volumen_total": total}


@router.post("/recalculo")
async def recalculo():
    async with AsyncSessionLocal() as a, AsyncSessionLocal() as b:
        async with asyncio.TaskGroup() as tg:
            t_socios = tg.create_task(a.scalar(select(func.count(User.id))))  # ok: AM102
            t_rutinas = tg.create_task(b.scalar(select(func.count(Workout.id))))  # ok: AM102
    return {"socios": t_socios.result(), "rutinas": t_rutinas.result()}


@router.post("/vaciar")
async def vaciar(db: AsyncSession = Depends(get_async_db)):
    # asyncio.sleep es otra cosa: el commit queda sin esperar
    await asyncio.sleep(0.1)
    db.commit()  # want: AM102
    return {"ok": True}
