# AM502 naive-utcfromtimestamp under `import datetime as dt` and under
# `from datetime import datetime as DateTime`: each fix writes through the
# module's own alias (`dt.timezone.utc`; `DateTime.fromtimestamp(...)` plus
# `timezone` added to the aliased import line).
import datetime as dt
from datetime import datetime as DateTime


def inicio_de_sesion(evento: dict) -> dt.datetime:
    return dt.datetime.utcfromtimestamp(evento["ts"])  # want: AM502


def fin_de_sesion(evento: dict) -> DateTime:
    # 🏁 Fin de la sesión de entrenamiento
    return DateTime.utcfromtimestamp(evento["ts_fin"])  # want: AM502


def inicio_de_sesion_v2(evento: dict) -> dt.datetime:
    return dt.datetime.fromtimestamp(evento["ts"], tz=dt.timezone.utc)  # ok: AM502


def fin_local(evento: dict) -> DateTime:
    return DateTime.fromtimestamp(evento["ts_fin"])  # ok: AM502
