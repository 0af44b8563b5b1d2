# AM502 naive-utcfromtimestamp and `# noqa`: `# noqa: AM502` and
# `# noqa: F401, AM502` silence the line; `# noqa: AM501` (the sibling rule)
# and `# noqa: E501` do not.
from datetime import datetime


def a(ts: int) -> datetime:
    return datetime.utcfromtimestamp(ts)  # noqa: AM502  # ok: AM502


def b(ts: int) -> datetime:
    return datetime.utcfromtimestamp(ts)  # noqa: F401, AM502  # ok: AM502


def c(ts: int) -> datetime:
    return datetime.utcfromtimestamp(ts)  # noqa: AM501  # want: AM502


def d(ts: int) -> datetime:
    return datetime.utcfromtimestamp(ts)  # noqa: E501  # want: AM502
