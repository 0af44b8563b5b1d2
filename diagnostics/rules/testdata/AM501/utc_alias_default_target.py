# AM501 naive-utcnow in a module that already imports `datetime.UTC` but
# without a configured target (the default is py39, where `datetime.UTC` does
# not exist): the fixes use `timezone.utc` and add `timezone` to the import.
from datetime import UTC, datetime


def ultimo_pago() -> datetime:
    return datetime.now(UTC)  # ok: AM501


def proximo_cobro() -> datetime:
    # 💶 Cobro mensual
    return datetime.utcnow()  # want: AM501
