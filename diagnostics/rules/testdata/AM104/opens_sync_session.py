# AM104 sync-session-in-async: an `async def` that opens a sync Session —
# `SessionLocal()` assigned or in `with`, `with Session(engine)`, in
# functions and async methods. Look-alikes: the same code where the innermost
# enclosing function is a plain `def` (nested def handed to asyncio.to_thread,
# a lambda for run_in_executor, a method of a class defined inside the async
# def and run in a thread), `async with AsyncSessionLocal()`, and the factory
# passed around without being called.
import asyncio
import threading

from sqlalchemy import create_engine, select, text, update
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from app.models import Membership, User

engine = create_engine("postgresql+psycopg://gym@db/gym")
SessionLocal = sessionmaker(bind=engine)
AsyncSessionLocal = async_sessionmaker(create_async_engine("postgresql+asyncpg://gym@db/gym"))


async def enviar_recordatorios() -> int:
    # ⏰ Tarea programada que todavía usa la sesión síncrona
    with SessionLocal() as db:  # want: AM104 "SessionLocal"
        vencidas = db.execute(select(Membership).where(Membership.activa.is_(False))).scalars().all()
    return len(vencidas)


async def desactivar_morosos() -> None:
    db = SessionLocal()  # want: AM104 "SessionLocal"
    try:
        db.execute(update(User).where(User.deuda > 0).values(activo=False))
        db.commit()
    finally:
        db.close()


async def comprobar_base_de_datos() -> bool:
    with Session(engine) as s:  # want: AM104 "Session"
        return s.execute(text("SELECT 1")).scalar() == 1


class InformeMensual:
    async def generar(self) -> dict:
        with SessionLocal() as db:  # want: AM104
            total = db.scalar(select(User.id).limit(1))
        return {"total": total}


# ---- Look-alikes correctos ✅ ----


def enviar_recordatorios_legacy() -> int:
    with SessionLocal() as db:  # ok: AM104
        return len(db.execute(select(Membership)).scalars().all())


async def exportar_socios() -> int:
    def _exportar() -> int:
        # Función anidada síncrona: corre en otro hilo vía to_thread 🧵
        with SessionLocal() as db:  # ok: AM104
            return len(db.execute(select(User)).scalars().all())

    return await asyncio.to_thread(_exportar)


async def ping_legacy() -> int:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, lambda: Session(engine).execute(text("SELECT 1")).scalar())  # ok: AM104


async def arrancar_informes() -> None:
    class HiloDeInformes(threading.Thread):
        def run(self) -> None:
            # Método de una clase definida dentro del async def: contexto síncrono
            with SessionLocal() as db:  # ok: AM104
                db.execute(text("REFRESH MATERIALIZED VIEW informe_mensual"))
                db.commit()

    HiloDeInformes(daemon=True).start()


async def enviar_recordatorios_v2() -> int:
    async with AsyncSessionLocal() as db:  # ok: AM104
        vencidas = (await db.execute(select(Membership).where(Membership.activa.is_(False)))).scalars().all()
    return len(vencidas)


def _contar_con(fabrica: sessionmaker) -> int:
    with fabrica() as db:
        return len(db.execute(select(User)).scalars().all())


async def contar_socios() -> int:
    # La fábrica se pasa sin llamarla; se abre en el hilo
    return await asyncio.to_thread(_contar_con, SessionLocal)  # ok: AM104


def _cascada(socio: User) -> list:
    # Sesión sin motor: solo calcula en memoria qué objetos añadiría la cascada
    sesion = Session()
    sesion.add(socio)
    nuevos = list(sesion.new)
    sesion.expunge_all()
    return nuevos


async def guardar_en_memoria(socio: User) -> int:
    sesion = Session()  # ok: AM104
    sesion.add(socio)
    return len(_cascada(socio))  # ok: AM303


async def comprobar_con_bind() -> bool:
    with Session(bind=engine) as s:  # want: AM104 "Session"
        return s.execute(text("SELECT 1")).scalar() == 1
