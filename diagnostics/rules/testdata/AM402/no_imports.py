# AM402 missing-import in a module with no import statement at all: the fixes
# must create an import block for `select` and `asyncio`, each added once.
# Consultas reutilizables del panel de entrenadores 🏋️


def clientes_activos_stmt(modelo_socio, trainer_id: int):
    # El modelo llega como parámetro para evitar imports circulares
    return select(modelo_socio).where(modelo_socio.trainer_id == trainer_id, modelo_socio.activo.is_(True))  # want: AM402 "select"


async def reintentar(operacion, intentos: int = 3, espera: float = 0.5):
    for intento in range(intentos):
        try:
            return await operacion()
        except ConnectionError:
            # ⏳ Espera exponencial antes del siguiente intento
            await asyncio.sleep(espera * 2**intento)  # want: AM402 "asyncio"
    raise ConnectionError("La base de datos no responde 😵")
