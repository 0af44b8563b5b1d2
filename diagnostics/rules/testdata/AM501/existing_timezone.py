# AM501 naive-utcnow in a module that already has
# `from datetime import datetime, timezone`: the fixes reuse it and add
# nothing. Look-alikes: the already-aware calls beside the naive ones.
from datetime import datetime, timedelta, timezone

from app.models import Token


def token_expirado(token: Token) -> bool:
    return token.expira_en <= datetime.utcnow()  # want: AM501


def emitir_token(user_id: int) -> Token:
    # 🔐 Válido durante una hora
    return Token(user_id=user_id, expira_en=datetime.utcnow() + timedelta(hours=1))  # want: AM501


def token_expirado_v2(token: Token) -> bool:
    return token.expira_en <= datetime.now(timezone.utc)  # ok: AM501


def emitir_token_v2(user_id: int) -> Token:
    return Token(user_id=user_id, expira_en=datetime.now(timezone.utc) + timedelta(hours=1))  # ok: AM501


def marca_naive_explicita() -> datetime:
    # Ya migrado con la forma segura que propone la regla ✅
    return datetime.now(timezone.utc).replace(tzinfo=None)  # ok: AM501
