# AM502 naive-utcfromtimestamp under `from datetime import datetime` without a
# timezone import: the fixes (unsafe `datetime.fromtimestamp(ts,
# tz=timezone.utc)`, safe `... .replace(tzinfo=None)`) keep the argument
# expression intact and add `timezone` to the import once. Look-alikes:
# local-time `fromtimestamp`, `date.fromtimestamp`, time.gmtime, pandas.
import time
from datetime import date, datetime

import pandas as pd

from app.models import Pago


def expiracion_del_token(payload: dict) -> datetime:
    # 🔐 Claim `exp` del JWT (segundos desde epoch)
    return datetime.utcfromtimestamp(int(payload["exp"]))  # want: AM502 "utcfromtimestamp"


def pago_desde_webhook(evento: dict) -> Pago:
    # 💳 Evento de la pasarela de pagos
    return Pago(referencia=evento["id"], cobrado_en=datetime.utcfromtimestamp(evento["created"]))  # want: AM502


def muestra_del_pulsometro(ms: int) -> str:
    # ❤️ Los relojes envían milisegundos
    return datetime.utcfromtimestamp(ms / 1000).strftime("%H:%M:%S")  # want: AM502


def hora_local(ts: float) -> datetime:
    return datetime.fromtimestamp(ts)  # ok: AM502


def dia_de_la_clase(ts: float) -> date:
    return date.fromtimestamp(ts)  # ok: AM502


def estructura_utc(ts: float) -> time.struct_time:
    return time.gmtime(ts)  # ok: AM502


def serie_de_pulsaciones(marcas: list[int]) -> pd.DatetimeIndex:
    return pd.to_datetime(marcas, unit="ms", utc=True)  # ok: AM502
