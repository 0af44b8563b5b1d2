import asyncio


async def principal():
    asyncio.run(tarea())
