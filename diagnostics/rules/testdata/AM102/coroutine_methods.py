# AM102 async-session-call-not-awaited: each AsyncSession coroutine method of
# SQLAlchemy 2.0 called without `await` — execute, scalar, scalars, get,
# get_one, refresh, flush, commit, rollback, close, delete (a coroutine on
# AsyncSession!), merge, stream, stream_scalars, run_sync, connection,
# invalidate, reset. Look-alikes: the plain methods of AsyncSession (add,
# add_all, expunge, expunge_all, expire, expire_all, in_transaction,
# is_modified, get_bind, begin/begin_nested as context managers) and the
# awaited calls.
from collections.abc import AsyncIterator

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session

from app.models import Membership, Plan, User, Workout
from app.schemas import PerfilIn, RutinaIn

engine = create_async_engine("postgresql+asyncpg://gym@db/gym")
AsyncSessionLocal = async_sessionmaker(engine, expire_on_commit=False)

router = APIRouter(prefix="/socios", tags=["socios 🏋️"])


async def get_async_db() -> AsyncIterator[AsyncSession]:
    session = AsyncSessionLocal()
    try:
        yield session
    finally:
        session.close()  # want: AM102 "session\.close"


@router.post("/{user_id}/desactivar")
async def desactivar(user_id: int, db: AsyncSession = Depends(get_async_db)):
    db.execute(update(User).where(User.id == user_id).values(activo=False))  # want: AM102 "db\.execute"
    await db.commit()  # ok: AM102
    return {"ok": True}


@router.get("/total")
async def total_socios(db: AsyncSession = Depends(get_async_db)):
    total = db.scalar(select(func.count(User.id)))  # want: AM102 "db\.scalar"
    return {"total": total}


@router.get("/activos")
async def socios_activos(db: AsyncSession = Depends(get_async_db)):
    resultado = db.scalars(select(User).where(User.activo.is_(True)))  # want: AM102 "db\.scalars"
    return resultado


@router.get("/{user_id}")
async def leer_socio(user_id: int, db: AsyncSession = Depends(get_async_db)):
    socio = db.get(User, user_id)  # want: AM102 "db\.get"
    if socio is None:
        raise HTTPException(404, "Socio no encontrado 😕")
    return socio


@router.get("/planes/{plan_id}")
async def leer_plan(plan_id: int, db: AsyncSession = Depends(get_async_db)):
    plan = db.get_one(Plan, plan_id)  # want: AM102 "db\.get_one"
    return plan


@router.put("/{user_id}/perfil")
async def actualizar_perfil(user_id: int, datos: PerfilIn, db: AsyncSession = Depends(get_async_db)):
    socio = await db.get(User, user_id)  # ok: AM102
    for campo, valor in datos.model_dump(exclude_unset=True).items():
        setattr(socio, campo, valor)
    db.add(socio)  # ok: AM102
    await db.commit()  # ok: AM102
    db.refresh(socio)  # want: AM102 "db\.refresh"
    return socio


@router.post("/{user_id}/rutinas")
async def crear_rutina(user_id: int, datos: RutinaIn, db: AsyncSession = Depends(get_async_db)):
    rutina = Workout(user_id=user_id, **datos.model_dump())
    db.add(rutina)  # ok: AM102
    db.flush()  # want: AM102 "db\.flush"
    db.commit()  # want: AM102 "db\.commit"
    return {"id": rutina.id}


@router.post("/{user_id}/membresia")
async def alta_membresia(user_id: int, plan_id: int, db: AsyncSession = Depends(get_async_db)):
    try:
        db.add(Membership(user_id=user_id, plan_id=plan_id))  # ok: AM102
        await db.commit()  # ok: AM102
    except IntegrityError:
        db.rollback()  # want: AM102 "db\.rollback"
        raise HTTPException(409, "Ya tiene una membresía activa 💳")
    return {"ok": True}


@router.delete("/rutinas/{workout_id}")
async def borrar_rutina(workout_id: int, db: AsyncSession = Depends(get_async_db)):
    rutina = await db.get(Workout, workout_id)  # ok: AM102
    db.delete(rutina)  # want: AM102 "db\.delete"
    await db.commit()  # ok: AM102
    return {"borrada": workout_id}


@router.delete("/rutinas/{workout_id}/v2")
async def borrar_rutina_v2(workout_id: int, db: AsyncSession = Depends(get_async_db)):
    rutina = await db.get(Workout, workout_id)
    await db.delete(rutina)  # ok: AM102
    await db.commit()
    return {"borrada": workout_id}


@router.post("/importar")
async def importar_perfil(perfil: PerfilIn, db: AsyncSession = Depends(get_async_db)):
    socio = db.merge(User(**perfil.model_dump()))  # want: AM102 "db\.merge"
    await db.commit()
    return socio


@router.get("/exportar/rutinas")
async def exportar_rutinas(db: AsyncSession = Depends(get_async_db)):
    lineas = []
    async for fila in db.stream(select(Workout.id, Workout.fecha)):  # want: AM102 "db\.stream"
        lineas.append(f"{fila.id};{fila.fecha}")
    return "\n".join(lineas)


@router.get("/exportar/socios")
async def exportar_socios(db: AsyncSession = Depends(get_async_db)):
    emails = []
    async for socio in db.stream_scalars(select(User)):  # want: AM102 "db\.stream_scalars"
        emails.append(socio.email)
    return emails


def _recalcular_volumen(sync_session: Session) -> None:
    # Código legacy síncrono reutilizado vía run_sync 🔄
    for rutina in sync_session.query(Workout).all():
        rutina.volumen_kg = rutina.series * rutina.repeticiones * rutina.peso_kg
    sync_session.commit()  # ok: AM102


@router.post("/recalcular")
async def recalcular(db: AsyncSession = Depends(get_async_db)):
    db.run_sync(_recalcular_volumen)  # want: AM102 "db\.run_sync"
    return {"ok": True}


@router.get("/diagnostico")
async def diagnostico(db: AsyncSession = Depends(get_async_db)):
    conn = db.connection()  # want: AM102 "db\.connection"
    return {"conexion": str(conn)}


@router.post("/reconectar")
async def reconectar(db: AsyncSession = Depends(get_async_db)):
    try:
        await db.execute(select(1))  # ok: AM102
    except DBAPIError:
        db.invalidate()  # want: AM102 "db\.invalidate"
    return {"ok": True}


@router.post("/reiniciar-sesion")
async def reiniciar_sesion(db: AsyncSession = Depends(get_async_db)):
    db.reset()  # want: AM102 "db\.reset"
    return {"ok": True}


# ---- Métodos síncronos de AsyncSession: sin await es lo correcto ✅ ----


@router.post("/lote")
async def alta_en_lote(perfiles: list[PerfilIn], db: AsyncSession = Depends(get_async_db)):
    socios = [User(**p.model_dump()) for p in perfiles]
    db.add_all(socios)  # ok: AM102
    if db.in_transaction():  # ok: AM102
        await db.commit()
    return {"creados": len(socios)}


@router.post("/{user_id}/olvidar")
async def olvidar(user_id: int, db: AsyncSession = Depends(get_async_db)):
    socio = await db.get(User, user_id)
    if db.is_modified(socio):  # ok: AM102
        db.expire(socio)  # ok: AM102
    db.expunge(socio)  # ok: AM102
    db.expire_all()  # ok: AM102
    db.expunge_all()  # ok: AM102
    return {"motor": str(db.get_bind().url)}  # ok: AM102


@router.post("/{user_id}/traspaso")
async def traspaso(user_id: int, plan_id: int, db: AsyncSession = Depends(get_async_db)):
    async with db.begin():  # ok: AM102
        socio = await db.get(User, user_id)
        async with db.begin_nested():  # ok: AM102
            socio.plan_id = plan_id
    return {"ok": True}
