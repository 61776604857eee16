"""The authenticated caller of a request."""

import uuid
from dataclasses import dataclass

from flask import Flask, current_app, request
from sqlmodel import select

from inspect_service.auth import tokens
from inspect_service.auth.models import AuthSession
from inspect_service.common.time import utcnow
from inspect_service.errors import Unauthorized
from inspect_service.extensions import db
from inspect_service.parks.models import Park
from inspect_service.users.models import User

_ACTOR_KEY = "inspect_service.actor"


@dataclass(frozen=True)
class Actor:
    """Who is acting, with what role and tenancy."""

    user_id: uuid.UUID
    role: str
    park_id: uuid.UUID | None
    enterprise_id: uuid.UUID | None
    inspector_kind: str | None
    session_id: uuid.UUID | None
    park_wide_read: bool = False

    @property
    def is_admin(self) -> bool:
        """True for system administrators."""
        return self.role == "admin"

    @property
    def is_enterprise_user(self) -> bool:
        """True for the enterprise's own staff."""
        return self.role in ("enterprise_safety_officer", "enterprise_principal")

    @property
    def has_portfolio(self) -> bool:
        """True for inspectors limited to assigned enterprises."""
        return self.role == "inspector" and self.inspector_kind in ("liaison_officer", "third_party_expert")


def actor_for(user: User, park: Park | None, session_id: uuid.UUID | None) -> Actor:
    """Build the actor of `user` (park settings decide portfolio-wide reads)."""
    park_wide = bool(park and (park.settings or {}).get("liaison_park_read", False))
    return Actor(
        user_id=user.id,
        role=user.role,
        park_id=user.park_id,
        enterprise_id=user.enterprise_id,
        inspector_kind=user.inspector_kind,
        session_id=session_id,
        park_wide_read=park_wide and user.inspector_kind == "liaison_officer",
    )


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send Authorization: Bearer <access token>.")
    return token.strip()


def current_actor() -> Actor:
    """Authenticate the request's bearer token once and return its actor; 401 otherwise."""
    cached = request.environ.get(_ACTOR_KEY)
    if cached is not None:
        return cached
    claims = tokens.decode(_bearer(), kind=tokens.ACCESS)
    actor = load_actor(user_id=claims.user_id, session_id=claims.session_id)
    request.environ[_ACTOR_KEY] = actor
    return actor


def load_actor(*, user_id: uuid.UUID, session_id: uuid.UUID) -> Actor:
    """The actor of a live sign-in session (API token or console cookie); 401 when revoked, expired or disabled."""
    row = db.session.exec(
        select(User, AuthSession, Park)
        .join(AuthSession, AuthSession.user_id == User.id)
        .outerjoin(Park, Park.id == User.park_id)
        .where(User.id == user_id, AuthSession.id == session_id)
    ).first()
    if row is None:
        raise Unauthorized("Invalid token.")
    user, auth_session, park = row
    if user.disabled or auth_session.revoked_at is not None or auth_session.expires_at <= utcnow():
        raise Unauthorized("Session revoked or expired.")
    return actor_for(user, park, auth_session.id)


def _documented_as_secured(view) -> bool:
    """True for API views the OpenAPI document does not mark `security: []` (read from flask-smorest's doc)."""
    doc = getattr(view, "_apidoc", None)
    return doc is not None and doc.get("manual_doc", {}).get("security") != []


BODY_METHODS = ("POST", "PUT", "PATCH")


def authenticate_secured_operations() -> None:
    """Check the bearer token before flask-smorest parses the request, so 401 comes before 422."""
    if request.method == "OPTIONS" or request.endpoint is None:
        return
    if _documented_as_secured(current_app.view_functions.get(request.endpoint)):
        current_actor()
        if request.method in BODY_METHODS and db.session.get_bind().dialect.name == "sqlite":
            # SQLite takes its write lock at BEGIN: end the token check's transaction so the lock is not held
            # while a phone on a slow network uploads the body (a photo takes seconds on 3G).
            db.session.commit()


def init_app(app: Flask) -> None:
    """Authenticate every secured API operation first."""
    app.before_request(authenticate_secured_operations)


def require_role(actor: Actor, *roles: str) -> None:
    """Raise 403 unless the actor has one of `roles`."""
    from inspect_service.errors import Forbidden

    if actor.role not in roles:
        raise Forbidden("Your role may not do this.")
