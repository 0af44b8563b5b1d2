# AM402 missing-import in a module with a docstring and `from __future__`
# as its only import: `import asyncio` must go after both.
"""Arranque concurrente de las cachés ⚡."""
from __future__ import annotations


async def calentar_caches(*cargadores) -> list:
    return await asyncio.gather(*(cargar() for cargar in cargadores))  # want: AM402 "asyncio"
