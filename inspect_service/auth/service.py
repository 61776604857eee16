"""Sign-in, token rotation, sign-out and password change."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, update
from sqlmodel import Session, select

from inspect_service.auth import passwords, throttle, tokens
from inspect_service.auth.actor import Actor
from inspect_service.auth.models import AuthSession, RefreshToken
from inspect_service.common.time import utcnow
from inspect_service.errors import Forbidden, TooManyRequests, Unauthorized, Unprocessable
from inspect_service.users.models import User

BAD_CREDENTIALS = "Unknown user or wrong password."


class RefreshReused(Unauthorized):
    """A used refresh token came back: its whole family is revoked (and that is kept)."""

    persist = True


@dataclass(frozen=True)
class TokenPair:
    """What a successful sign-in or refresh returns."""

    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - the OAuth token type, not a secret


def _issue(
    session: Session, *, user_id: uuid.UUID, auth_session: AuthSession, token_id: uuid.UUID | None = None
) -> TokenPair:
    now = utcnow()
    row = RefreshToken(
        id=token_id or uuid.uuid4(),
        session_id=auth_session.id,
        issued_at=now,
        expires_at=min(now + current_app.config["REFRESH_TOKEN_TTL"], auth_session.expires_at),
        access_jti=uuid.uuid4(),
        access_expires_at=now + current_app.config["ACCESS_TOKEN_TTL"],
    )
    session.add(row)
    session.flush()
    return _mint(user_id=user_id, row=row)


def _mint(*, user_id: uuid.UUID, row: RefreshToken, now: datetime | None = None) -> TokenPair:
    """The pair of a refresh-token row: the same row always gives byte-identical tokens (same claims, iat, exp);
    `expires_in` and `refresh_expires_in` count the seconds left at `now` (a replay gets what is left, not more)."""
    issued = row.issued_at
    access_ttl, refresh_ttl = row.access_expires_at - issued, row.expires_at - issued
    elapsed = max((now or issued) - issued, timedelta(0))
    return TokenPair(
        access_token=tokens.encode(
            kind=tokens.ACCESS,
            user_id=user_id,
            session_id=row.session_id,
            token_id=row.access_jti,
            now=issued,
            ttl=access_ttl,
        ),
        refresh_token=tokens.encode(
            kind=tokens.REFRESH,
            user_id=user_id,
            session_id=row.session_id,
            token_id=row.id,
            now=issued,
            ttl=refresh_ttl,
        ),
        expires_in=max(int((access_ttl - elapsed).total_seconds()), 0),
        refresh_expires_in=max(int((refresh_ttl - elapsed).total_seconds()), 0),
    )


def login(*, session: Session, username: str, password: str, address: str) -> TokenPair:
    """Check credentials (throttled per account and address) and open a session."""
    user = authenticate(session=session, username=username, password=password, address=address)
    return open_session(session=session, user=user)


def authenticate(*, session: Session, username: str, password: str, address: str) -> User:
    """Check credentials (throttled per account and address) and return the active user."""
    wait = throttle.retry_after(username, address)
    if wait:
        raise TooManyRequests("Too many failed sign-ins; try again later.", retry_after=wait)
    user = session.exec(select(User).where(User.username == username.strip().lower())).first()
    if not passwords.verify_password(user.password_hash if user else None, password):
        throttle.record_failure(username, address)
        raise Unauthorized(BAD_CREDENTIALS)
    throttle.record_success(username, address)
    if user.disabled:
        raise Forbidden("This account is disabled.")
    return user


def start_session(*, session: Session, user: User) -> AuthSession:
    """Record a sign-in session for `user` (API token families and console cookies alike)."""
    now = utcnow()
    auth_session = AuthSession(
        user_id=user.id, created_at=now, expires_at=now + current_app.config["REFRESH_TOKEN_TTL"] * 4
    )
    session.add(auth_session)
    session.flush()
    return auth_session


def open_session(*, session: Session, user: User) -> TokenPair:
    """Start a sign-in session for `user` and issue its first token pair."""
    return _issue(session, user_id=user.id, auth_session=start_session(session=session, user=user))


def refresh(*, session: Session, refresh_token: str) -> TokenPair:
    """Rotate a refresh token. The same token again within the grace window of its first use gets the same new
    pair (its response was lost); any other reuse revokes the whole family."""
    claims = tokens.decode(refresh_token, kind=tokens.REFRESH)
    row = session.exec(
        select(RefreshToken, AuthSession, User)
        .join(AuthSession, AuthSession.id == RefreshToken.session_id)
        .join(User, User.id == AuthSession.user_id)
        .where(RefreshToken.id == claims.token_id, AuthSession.id == claims.session_id)
    ).first()
    if row is None:
        raise Unauthorized("Invalid token.")
    token_row, auth_session, user = row
    now = utcnow()
    if auth_session.revoked_at is not None or user.disabled or token_row.expires_at <= now:
        raise Unauthorized("Session revoked or expired.")
    successor_id = uuid.uuid4()
    claimed = session.exec(
        update(RefreshToken)
        .where(RefreshToken.id == token_row.id, RefreshToken.used_at.is_(None))
        .values(used_at=now, successor_id=successor_id)
    )
    if claimed.rowcount == 1:
        return _issue(session, user_id=user.id, auth_session=auth_session, token_id=successor_id)
    successor = _successor_in_grace(session, token_id=token_row.id, now=now)
    if successor is None:
        revoke_session(session=session, session_id=auth_session.id, reason="refresh_reuse")
        raise RefreshReused("Refresh token already used; the session is revoked.")
    return _mint(user_id=user.id, row=successor, now=now)


def _successor_in_grace(session: Session, *, token_id: uuid.UUID, now: datetime) -> RefreshToken | None:
    """The pair a used token was exchanged for, while a replay of it is still a lost response: within the grace
    window of its first use, and before that pair was itself used (then two holders have it: a theft)."""
    grace = timedelta(seconds=current_app.config["REFRESH_GRACE_SECONDS"])
    used = session.exec(
        select(RefreshToken).where(RefreshToken.id == token_id).execution_options(populate_existing=True)
    ).one()  # read again: a concurrent twin may have used it since this request first read it
    if not grace or used.successor_id is None or used.used_at is None or now - used.used_at > grace:
        return None
    successor = session.get(RefreshToken, used.successor_id)
    if successor is None or successor.used_at is not None or successor.access_jti is None:
        return None
    return successor if successor.expires_at > now else None


def revoke_session(*, session: Session, session_id: uuid.UUID, reason: str) -> None:
    """Revoke one sign-in session (every token of the family stops working)."""
    session.exec(
        update(AuthSession)
        .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )


def revoke_user_sessions(*, session: Session, user_id: uuid.UUID, reason: str) -> None:
    """Revoke every session of a user."""
    session.exec(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_reason=reason)
    )


def logout(*, session: Session, actor: Actor) -> None:
    """End the caller's current session."""
    revoke_session(session=session, session_id=actor.session_id, reason="logout")


def change_password(*, session: Session, actor: Actor, current_password: str, new_password: str) -> None:
    """Replace the caller's password and revoke all their sessions."""
    user = session.get(User, actor.user_id)
    if not passwords.verify_password(user.password_hash, current_password):
        raise Unprocessable("Current password is wrong.", errors={"current_password": ["Wrong password."]})
    if current_password == new_password:
        raise Unprocessable("Choose a new password.", errors={"new_password": ["Same as the current one."]})
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = utcnow()
    user.version += 1
    session.add(user)
    revoke_user_sessions(session=session, user_id=user.id, reason="password_change")
    session.flush()


def purge_expired(*, session: Session) -> int:
    """Delete sessions past their absolute expiry (and their tokens); return how many."""
    now = utcnow()
    expired = select(AuthSession.id).where(AuthSession.expires_at < now)
    session.exec(delete(RefreshToken).where(RefreshToken.session_id.in_(expired)))
    result = session.exec(delete(AuthSession).where(AuthSession.expires_at < now))
    return result.rowcount or 0
