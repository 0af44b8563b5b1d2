# AM502 naive-utcfromtimestamp under `import datetime`: the fixes spell
# `datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc)` and add no
# import.
import datetime


def ultima_sincronizacion(ts: int) -> datetime.datetime:
    # ⌚ Sincronización del reloj deportivo
    return datetime.datetime.utcfromtimestamp(ts)  # want: AM502


def ultima_sincronizacion_v2(ts: int) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc)  # ok: AM502


def fecha_de_alta(ts: int) -> datetime.date:
    return datetime.date.fromtimestamp(ts)  # ok: AM502
