# AM402 missing-import when the module starts with a docstring and has no
# imports: `import asyncio` must go after the docstring (before it, the
# docstring would stop being the module's docstring).
"""Utilidades de arranque del gimnasio 🏁.

Esperan a que la base de datos acepte conexiones antes de servir tráfico.
"""


async def esperar_base_de_datos(comprobar, intentos: int = 10) -> bool:
    for _ in range(intentos):
        if await comprobar():
            return True
        await asyncio.sleep(1)  # want: AM402 "asyncio"
    return False
