"""Scheduled work of the auth domain."""

from sqlmodel import Session

from inspect_service.auth import service


def purge_expired_sessions(*, session: Session) -> str:
    """Delete sign-in sessions past their absolute expiry."""
    return f"purged {service.purge_expired(session=session)} expired sessions"
