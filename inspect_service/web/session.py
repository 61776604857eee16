"""Console sign-in: the API's credential check and throttle, an AuthSession row, and a signed session cookie.

The cookie holds only the user's and the AuthSession's ids; every request re-reads the session row, so a sign-out
(console or API), a disabled account or a password change ends console sessions as it ends token families.
"""

import functools
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, g, redirect, request, session, url_for

from inspect_service.auth import service as auth_service
from inspect_service.auth.actor import Actor, load_actor
from inspect_service.common.time import utcnow
from inspect_service.errors import Unauthorized
from inspect_service.extensions import db

MAX_AGE = timedelta(hours=12)  # a console cookie older than this signs in again, whatever the session row says
_KEYS = ("uid", "sid", "at")
_ACTOR_KEY = "inspect_service.console_actor"  # per request (an app context may outlive one request)


def sign_in(*, username: str, password: str) -> Actor:
    """Check the credentials like the API does, open a session row and start a fresh cookie session."""
    user = auth_service.authenticate(
        session=db.session, username=username, password=password, address=request.remote_addr or ""
    )
    auth_session = auth_service.start_session(session=db.session, user=user)
    db.session.commit()
    session.clear()  # a new CSRF token: nothing from before sign-in carries over
    g.pop(current_app.config["WTF_CSRF_FIELD_NAME"], None)
    session.update(uid=str(user.id), sid=str(auth_session.id), at=utcnow().isoformat())
    actor = load_actor(user_id=user.id, session_id=auth_session.id)
    request.environ[_ACTOR_KEY] = actor
    return actor


def sign_out() -> None:
    """Revoke the console session's row and forget the cookie."""
    actor = console_actor()
    if actor is not None:
        auth_service.logout(session=db.session, actor=actor)
        db.session.commit()
    session.clear()


def _cookie_ids() -> tuple[uuid.UUID, uuid.UUID] | None:
    if not all(isinstance(session.get(key), str) for key in _KEYS):
        return None
    try:
        started = datetime.fromisoformat(session["at"])
        ids = uuid.UUID(session["uid"]), uuid.UUID(session["sid"])
    except ValueError:
        return None
    if started.tzinfo is None or utcnow() - started > MAX_AGE:
        return None
    return ids


def console_actor() -> Actor | None:
    """The signed-in console user of this request, or None (a revoked or expired session clears the cookie)."""
    if _ACTOR_KEY in request.environ:
        return request.environ[_ACTOR_KEY]
    actor = None
    ids = _cookie_ids()
    if ids is not None:
        try:
            actor = load_actor(user_id=ids[0], session_id=ids[1])
        except Unauthorized:
            actor = None
    if actor is None and any(key in session for key in _KEYS):
        session.clear()
    request.environ[_ACTOR_KEY] = actor
    return actor


def safe_next(target: str | None) -> str:
    """A console path to return to after sign-in (never another site)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/console/") and "\\" not in target:
            return target
    return url_for("web.dashboard")


def signed_in(view):
    """Send signed-out visitors to the sign-in page (and back afterwards); the actor is passed as `actor`."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        actor = console_actor()
        if actor is None:
            if request.method == "GET":
                return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
            raise Unauthorized("Sign in first.")
        return view(*args, actor=actor, **kwargs)

    return wrapper
