# AM103 await-on-sync-session-method: `await` on the plain (non-coroutine)
# methods of AsyncSession — add, add_all, expunge, expire, in_transaction and,
# by the same token, expire_all/expunge_all. `await None` raises TypeError at
# run time; the fix removes `await`. Look-alikes: the real coroutines
# (delete IS one, as are commit, refresh, flush, merge, execute, get, run_sync,
# close) and `await db.begin()`, whose transaction object is awaitable.
from fastapi import APIRouter, Depends
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from app.db.session import get_async_db
from app.models import Membership, User, Workout
from app.schemas import RutinaIn, SocioIn

router = APIRouter(prefix="/socios", tags=["socios 🏋️"])


@router.post("/")
async def alta_socio(datos: SocioIn, db: AsyncSession = Depends(get_async_db)):
    socio = User(**datos.model_dump())
    await db.add(socio)  # want: AM103 "db\.add"
    await db.commit()  # ok: AM103
    await db.refresh(socio)  # ok: AM103
    return socio


@router.post("/{user_id}/rutinas/lote")
async def alta_rutinas(user_id: int, rutinas: list[RutinaIn], db: AsyncSession = Depends(get_async_db)):
    await db.add_all([Workout(user_id=user_id, **r.model_dump()) for r in rutinas])  # want: AM103 "db\.add_all"
    await db.flush()  # ok: AM103
    await db.commit()
    return {"creadas": len(rutinas)}


@router.get("/{user_id}/copia")
async def copia_desconectada(user_id: int, db: AsyncSession = Depends(get_async_db)):
    socio = await db.get(User, user_id)  # ok: AM103
    await db.expunge(socio)  # want: AM103 "db\.expunge"
    return socio


@router.post("/{user_id}/refrescar")
async def refrescar(user_id: int, db: AsyncSession = Depends(get_async_db)):
    socio = await db.get(User, user_id)
    await db.expire(socio)  # want: AM103 "db\.expire"
    return {"email": (await db.scalar(select(User.email).where(User.id == user_id)))}  # ok: AM103


@router.post("/cerrar-caja")
async def cerrar_caja(db: AsyncSession = Depends(get_async_db)):
    if await db.in_transaction():  # want: AM103 "in_transaction"
        await db.commit()
    await db.expire_all()  # want: AM103 "expire_all"
    return {"ok": True}


@router.delete("/{user_id}")
async def baja_socio(user_id: int, db: AsyncSession = Depends(get_async_db)):
    socio = await db.get(User, user_id)
    # delete SÍ es una corrutina en AsyncSession 👀
    await db.delete(socio)  # ok: AM102, AM103
    await db.commit()  # ok: AM103
    return {"ok": True}


@router.put("/membresias")
async def importar_membresia(datos: dict, db: AsyncSession = Depends(get_async_db)):
    membresia = await db.merge(Membership(**datos))  # ok: AM103
    await db.commit()
    return membresia


@router.post("/traspaso")
async def traspaso(origen: int, destino: int, db: AsyncSession = Depends(get_async_db)):
    # AsyncSessionTransaction es awaitable: `await db.begin()` es válido
    await db.begin()  # ok: AM103
    socio = await db.get(User, origen)
    socio.trainer_id = destino
    await db.commit()
    return {"ok": True}


def _normalizar(sync_db: Session) -> int:
    return sync_db.query(User).filter(User.email.ilike("%@GMAIL.COM")).update({"email": User.email})


@router.post("/normalizar")
async def normalizar(db: AsyncSession = Depends(get_async_db)):
    cambiados = await db.run_sync(_normalizar)  # ok: AM103
    await db.commit()
    await db.close()  # ok: AM103
    return {"cambiados": cambiados}


@router.post("/{user_id}/nota")
async def nota(user_id: int, texto: str, db: AsyncSession = Depends(get_async_db)):
    socio = await db.get(User, user_id)
    socio.nota = texto  # 📝
    db.add(socio)  # ok: AM103
    await db.commit()
    return {"ok": True}
