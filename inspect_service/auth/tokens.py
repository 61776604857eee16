"""Signed access and refresh tokens (JWT, HS256)."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt
from flask import current_app

from inspect_service.errors import Unauthorized

ISSUER = "inspect_service"
ACCESS = "access"
REFRESH = "refresh"


@dataclass(frozen=True)
class Claims:
    """What a verified token says."""

    user_id: uuid.UUID
    session_id: uuid.UUID
    token_id: uuid.UUID
    kind: str


def encode(
    *, kind: str, user_id: uuid.UUID, session_id: uuid.UUID, token_id: uuid.UUID, now: datetime, ttl: timedelta
) -> str:
    """Sign a token of `kind` valid for `ttl` from `now`."""
    payload = {
        "iss": ISSUER,
        "typ": kind,
        "sub": str(user_id),
        "sid": str(session_id),
        "jti": str(token_id),
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    return jwt.encode(payload, current_app.config["SECRET_KEY"], algorithm="HS256")


def decode(token: str, *, kind: str) -> Claims:
    """Verify signature, issuer, expiry and kind; any failure is a 401."""
    if len(token) > 2048:
        raise Unauthorized("Invalid token.")
    try:
        payload = jwt.decode(
            token,
            current_app.config["SECRET_KEY"],
            algorithms=["HS256"],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "sid", "jti", "typ"]},
        )
        if payload["typ"] != kind:
            raise Unauthorized("Wrong kind of token.")
        return Claims(
            user_id=uuid.UUID(payload["sub"]),
            session_id=uuid.UUID(payload["sid"]),
            token_id=uuid.UUID(payload["jti"]),
            kind=kind,
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("Token expired.") from exc
    except (jwt.InvalidTokenError, ValueError, TypeError) as exc:
        raise Unauthorized("Invalid token.") from exc
