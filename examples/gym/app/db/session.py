"""Sesiones de base de datos 🗄️: la síncrona (legacy) y la asíncrona."""
import os
from collections.abc import AsyncIterator, Iterator

from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

DATABASE_URL = os.getenv("DATABASE_URL", "postgresql+psycopg://gym:gym@localhost/gym")
ASYNC_DATABASE_URL = os.getenv("ASYNC_DATABASE_URL", "postgresql+asyncpg://gym:gym@localhost/gym")

engine = create_engine(DATABASE_URL, pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine, autoflush=False)

async_engine = create_async_engine(ASYNC_DATABASE_URL, pool_pre_ping=True)
AsyncSessionLocal = async_sessionmaker(async_engine, expire_on_commit=False)


def get_db() -> Iterator[Session]:
    # 🐢 Dependencia síncrona: solo para endpoints `def`
    db = SessionLocal()  # ok: AM104
    try:
        yield db
    finally:
        db.close()  # ok: AM102


async def get_async_db() -> AsyncIterator[AsyncSession]:
    # ⚡ Una AsyncSession por petición
    async with AsyncSessionLocal() as session:  # ok: AM104
        yield session
