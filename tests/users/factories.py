"""User factories and token helpers."""

import uuid
from datetime import timedelta

from inspect_service.auth import passwords, tokens
from inspect_service.auth import service as auth_service
from inspect_service.common.time import utcnow
from inspect_service.users.models import PortfolioEntry, User

PASSWORD = "correct-horse-battery"


def make_user(session, *, role, park=None, enterprise=None, password=PASSWORD, portfolio=(), **fields) -> User:
    """Insert a user; `portfolio` is a list of enterprises for liaison officers and experts."""
    user = User(
        **{
            "username": f"u{uuid.uuid4().hex[:10]}",
            "display_name": "测试用户",
            "role": role,
            "park_id": park.id if park else None,
            "enterprise_id": enterprise.id if enterprise else None,
            "password_hash": passwords.hash_password(password),
            "password_changed_at": utcnow(),
            **fields,
        }
    )
    session.add(user)
    session.flush()
    for enterprise_row in portfolio:
        session.add(PortfolioEntry(user_id=user.id, enterprise_id=enterprise_row.id, park_id=enterprise_row.park_id))
    session.flush()
    return user


def login_tokens(session, user) -> auth_service.TokenPair:
    """Open a session for `user` without the password check."""
    pair = auth_service.open_session(session=session, user=user)
    session.commit()
    return pair


def bearer(token: str) -> dict:
    """The Authorization header for `token`."""
    return {"Authorization": f"Bearer {token}"}


def expired_access_token(session, user) -> str:
    """An access token for a live session that expired a minute ago."""
    pair = login_tokens(session, user)
    claims = tokens.decode(pair.access_token, kind=tokens.ACCESS)
    return tokens.encode(
        kind=tokens.ACCESS,
        user_id=user.id,
        session_id=claims.session_id,
        token_id=uuid.uuid4(),
        now=utcnow() - timedelta(hours=1),
        ttl=timedelta(minutes=59),
    )
