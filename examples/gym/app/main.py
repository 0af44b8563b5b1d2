"""Punto de entrada de la API del gimnasio 🏋️‍♀️."""
import asyncio
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api.routes.trainers import router as trainers_router
from app.api.routes.users import router as users_router
from app.api.routes.workouts import router as workouts_router
from app.core.redis import redis_client
from app.jobs import warm_rankings_cache


@asynccontextmanager
async def lifespan(app: FastAPI):
    # 🔥 Calentar la caché de rankings antes de aceptar tráfico
    asyncio.run(warm_rankings_cache())  # want: AM304 "asyncio\.run"  # ok: AM301
    yield
    await redis_client.aclose()


app = FastAPI(title="Gym API 💪", lifespan=lifespan)
app.include_router(users_router)
app.include_router(workouts_router)
app.include_router(trainers_router)


@app.get("/health")
async def health():
    return {"estado": "ok ✅"}
