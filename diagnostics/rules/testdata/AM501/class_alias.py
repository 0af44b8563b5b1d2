# AM501 naive-utcnow under `from datetime import datetime as DateTime`: the
# fixes call `DateTime.now(timezone.utc)` and add `timezone` to that import
# line (`from datetime import datetime as DateTime, timezone`).
from datetime import datetime as DateTime

from app.models import Reserva


def reservar(clase_id: int, user_id: int) -> Reserva:
    return Reserva(clase_id=clase_id, user_id=user_id, creada_en=DateTime.utcnow())  # want: AM501


def reserva_caducada(reserva: Reserva) -> bool:
    # ⏳ 15 minutos para confirmar la plaza
    return (DateTime.utcnow() - reserva.creada_en).total_seconds() > 15 * 60  # want: AM501


def desde_formulario(valor: str) -> DateTime:
    return DateTime.fromisoformat(valor)  # ok: AM501


def hora_local() -> DateTime:
    return DateTime.now()  # ok: AM501
