# AM501 naive-utcnow under `from datetime import datetime` with no timezone
# import: both fixes (unsafe `datetime.now(timezone.utc)`, safe
# `...replace(tzinfo=None)`) must add `timezone` to that import line once.
# Shapes: comparison, assignment, attribute base, f-string, keyword argument,
# module level, a model default lambda. Look-alikes: `default=datetime.utcnow`
# passed uncalled, aware or local `now()`, other libraries' `utcnow`.
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import arrow
import pandas as pd
from sqlalchemy import DateTime, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ARRANQUE = datetime.utcnow()  # want: AM501 "utcnow"


class Base(DeclarativeBase):
    pass


class Membership(Base):
    __tablename__ = "memberships"
    id: Mapped[int] = mapped_column(primary_key=True)
    inicio: Mapped[datetime] = mapped_column(DateTime, default=lambda: datetime.utcnow())  # want: AM501
    # Referencia sin llamar: la rellena SQLAlchemy en cada INSERT (no es `utcnow()`)
    creado_en: Mapped[datetime] = mapped_column(DateTime, default=datetime.utcnow)  # ok: AM501
    actualizado_en: Mapped[datetime] = mapped_column(DateTime, server_default=func.now())  # ok: AM501
    fin: Mapped[datetime] = mapped_column(DateTime)


def esta_vencida(membresia: Membership) -> bool:
    # ⚠️ Columna TIMESTAMP WITHOUT TIME ZONE: comparar con un valor naive
    return membresia.fin < datetime.utcnow()  # want: AM501


def renovar(membresia: Membership, dias: int = 30) -> None:
    ahora = datetime.utcnow()  # want: AM501 "datetime\.utcnow"
    membresia.fin = ahora + timedelta(days=dias)


def sello_de_tiempo() -> str:
    return datetime.utcnow().isoformat(timespec="seconds") + "Z"  # want: AM501


def nombre_de_copia() -> str:
    return f"copia_gym_{datetime.utcnow():%Y%m%d_%H%M}.sql.gz"  # want: AM501


def registrar_acceso(socio_id: int) -> dict:
    return dict(socio=socio_id, cuando=datetime.utcnow(), puerta="principal 🚪")  # want: AM501


# ---- Look-alikes correctos ✅ ----


def hora_en_madrid() -> datetime:
    return datetime.now(ZoneInfo("Europe/Madrid"))  # ok: AM501


def hora_local_del_servidor() -> datetime:
    return datetime.now()  # ok: AM501


def con_arrow() -> str:
    return arrow.utcnow().isoformat()  # ok: AM501


def con_pandas() -> pd.Timestamp:
    return pd.Timestamp.utcnow()  # ok: AM501


def desde_texto(valor: str) -> datetime:
    return datetime.fromisoformat(valor)  # ok: AM501


def desfase(momento: datetime) -> timedelta | None:
    return momento.utcoffset()  # ok: AM501
