"""Clientes de Redis 🧰: el asíncrono y el síncrono que aún usa el panel legacy."""
import os

import redis
import redis.asyncio
from redis.asyncio import Redis

REDIS_URL = os.getenv("REDIS_URL", "redis://localhost:6379/0")

redis_client = redis.asyncio.from_url(REDIS_URL, decode_responses=True)
sync_redis = redis.Redis.from_url(REDIS_URL, decode_responses=True)


def get_redis() -> Redis:
    # Dependencia de FastAPI: el cliente asíncrono compartido ⚡
    return redis_client
