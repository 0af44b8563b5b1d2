# AM501 naive-utcnow under `import datetime as dt`: the fixes write
# `dt.datetime.now(dt.timezone.utc)` through the same alias.
import datetime as dt

from app.models import CheckIn


def registrar_entrada(user_id: int) -> CheckIn:
    # 🏋️ Entrada por el torno
    return CheckIn(user_id=user_id, hora=dt.datetime.utcnow())  # want: AM501


def minutos_dentro(entrada: CheckIn) -> float:
    return (dt.datetime.utcnow() - entrada.hora).total_seconds() / 60  # want: AM501


def registrar_entrada_v2(user_id: int) -> CheckIn:
    return CheckIn(user_id=user_id, hora=dt.datetime.now(dt.timezone.utc))  # ok: AM501


def minutos_dentro_v2(entrada: CheckIn) -> float:
    return (dt.datetime.now(dt.timezone.utc) - entrada.hora).total_seconds() / 60  # ok: AM501
