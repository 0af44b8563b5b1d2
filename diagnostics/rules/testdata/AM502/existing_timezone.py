# AM502 naive-utcfromtimestamp with `timezone` already imported: the fixes
# reuse it and add no import. Look-alikes: the aware forms, positional and
# keyword.
from datetime import datetime, timezone


def expiracion(payload: dict) -> datetime:
    return datetime.utcfromtimestamp(payload["exp"])  # want: AM502


def expiracion_v2(payload: dict) -> datetime:
    return datetime.fromtimestamp(payload["exp"], tz=timezone.utc)  # ok: AM502


def expiracion_v3(payload: dict) -> datetime:
    return datetime.fromtimestamp(payload["exp"], timezone.utc)  # ok: AM502
