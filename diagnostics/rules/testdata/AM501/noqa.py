# AM501 naive-utcnow and `# noqa` (ruff's convention, codes case-insensitive,
# comma/space separated, foreign codes left alone): `# noqa`, `# noqa: AM501`,
# `# noqa:AM501`, `# NOQA:AM501,F401`, `# noqa: E501, AM501` and a noqa
# after another comment silence the line; `# noqa: E501` (a line-length code that merely looks similar),
# `# noqa: AM502` (the sibling rule) and a noqa on the previous line do not.
from datetime import datetime


def a() -> datetime:
    return datetime.utcnow()  # noqa  # ok: AM501


def b() -> datetime:
    return datetime.utcnow()  # noqa: AM501  # ok: AM501


def c() -> datetime:
    return datetime.utcnow()  # noqa:AM501  # ok: AM501


def d() -> datetime:
    return datetime.utcnow()  # NOQA:AM501,F401  # ok: AM501


def e() -> datetime:
    return datetime.utcnow()  # noqa: E501, AM501  # ok: AM501


def f() -> datetime:
    return datetime.utcnow()  # noqa: E501  # want: AM501


def g() -> datetime:
    return datetime.utcnow()  # noqa: AM502  # want: AM501


def h() -> datetime:
    # noqa: AM501
    return datetime.utcnow()  # want: AM501


def i() -> datetime:
    # El noqa puede ir detrás de otro comentario con texto no ASCII 🕒
    return datetime.utcnow()  # comprobado en revisión ✅  # noqa: AM501  # ok: AM501
