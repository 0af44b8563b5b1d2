# AM501 naive-utcnow under `import datetime`: `datetime.datetime.utcnow()`
# becomes `datetime.datetime.now(datetime.timezone.utc)` (plus
# `.replace(tzinfo=None)` for the safe fix), with no import added.
# Look-alikes: other members of the module.
import datetime

from app.models import Workout


def marcar_completada(rutina: Workout) -> None:
    rutina.completada_en = datetime.datetime.utcnow()  # want: AM501 "utcnow"


def dias_desde(rutina: Workout) -> int:
    return (datetime.datetime.utcnow() - rutina.completada_en).days  # want: AM501


def marcar_completada_v2(rutina: Workout) -> None:
    rutina.completada_en = datetime.datetime.now(datetime.timezone.utc)  # ok: AM501


def hoy() -> datetime.date:
    return datetime.date.today()  # ok: AM501


def inicio_de_semana() -> datetime.datetime:
    # 📅 Lunes a las 00:00 (hora local del gimnasio)
    hoy_ = datetime.date.today()
    return datetime.datetime.combine(hoy_ - datetime.timedelta(days=hoy_.weekday()), datetime.time.min)  # ok: AM501
