"""Account rules: admins manage everyone, park managers their park's non-admin accounts."""

import uuid

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from inspect_service.auth import passwords
from inspect_service.auth import service as auth_service
from inspect_service.auth.actor import Actor, require_role
from inspect_service.common.concurrency import check_version
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.common.time import utcnow
from inspect_service.enterprises.models import Enterprise
from inspect_service.errors import Conflict, Forbidden, NotFound, Unprocessable
from inspect_service.parks.models import Park
from inspect_service.sync import changes as sync_changes
from inspect_service.users.models import ENTERPRISE_ROLES, PORTFOLIO_KINDS, PortfolioEntry, User

MANAGER_CREATABLE = ("inspector", "enterprise_safety_officer", "enterprise_principal")


def visible(query, actor: Actor):
    """Restrict a User query to what `actor` may see (others than managers: only themselves)."""
    if actor.is_admin:
        return query
    if actor.role == "park_manager":
        return query.where(User.park_id == actor.park_id)
    return query.where(User.id == actor.user_id)


def get(*, session: Session, actor: Actor, user_id: uuid.UUID) -> User:
    """Return a visible user or 404."""
    user = session.exec(visible(select(User), actor).where(User.id == user_id)).first()
    if user is None:
        raise NotFound("No such user.")
    return user


def list_users(
    *,
    session: Session,
    actor: Actor,
    limit: int,
    cursor: str | None = None,
    role: str | None = None,
    enterprise_id: uuid.UUID | None = None,
) -> Page:
    """Page through visible users by username."""
    require_role(actor, "admin", "park_manager")
    query = visible(select(User), actor)
    if role:
        query = query.where(User.role == role)
    if enterprise_id:
        query = query.where(User.enterprise_id == enterprise_id)
    return keyset_page(
        session, query, sort_col=User.username, id_col=User.id, sort_attr="username", limit=limit, cursor=cursor
    )


_invalid = Unprocessable.field


def _check_tenancy(session: Session, actor: Actor, user_in: dict) -> None:
    """Decide park and enterprise of a new account from the caller and the role."""
    role = user_in["role"]
    if actor.role == "park_manager":
        if role not in MANAGER_CREATABLE:
            raise _invalid("role", "Park managers create inspectors and enterprise accounts only.")
        if user_in.get("park_id") not in (None, actor.park_id):
            raise _invalid("park_id", "You can only create accounts in your park.")
        user_in["park_id"] = actor.park_id
    if role == "admin":
        if user_in.get("park_id") or user_in.get("enterprise_id"):
            raise _invalid("park_id", "Administrators belong to no park.")
        return
    if user_in.get("park_id") is None or session.get(Park, user_in["park_id"]) is None:
        raise _invalid("park_id", "An existing park is required for this role.")
    if role in ENTERPRISE_ROLES:
        enterprise = session.get(Enterprise, user_in.get("enterprise_id")) if user_in.get("enterprise_id") else None
        if enterprise is None or enterprise.park_id != user_in["park_id"]:
            raise _invalid("enterprise_id", "An enterprise of the park is required for this role.")
    elif user_in.get("enterprise_id"):
        raise _invalid("enterprise_id", "Only enterprise roles belong to an enterprise.")


def _check_inspector(user_in: dict) -> None:
    if user_in["role"] != "inspector":
        if user_in.get("inspector_kind"):
            raise _invalid("inspector_kind", "Only inspectors have a kind.")
        return
    if not user_in.get("inspector_kind"):
        raise _invalid("inspector_kind", "Inspectors need a kind.")
    if user_in["inspector_kind"] == "enforcement_officer" and not user_in.get("cert_no"):
        raise _invalid("cert_no", "Enforcement officers need a certificate number.")


def create(*, session: Session, actor: Actor, user_in: dict) -> User:
    """Create an account within the caller's reach."""
    require_role(actor, "admin", "park_manager")
    user_in = dict(user_in)
    _check_tenancy(session, actor, user_in)
    _check_inspector(user_in)
    password = user_in.pop("password")
    user_in["username"] = user_in["username"].lower()
    user = User(**user_in, password_hash=passwords.hash_password(password), password_changed_at=utcnow())
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict("This username is taken.") from exc
    return user


def update(*, session: Session, actor: Actor, user_id: uuid.UUID, version: int | None, changes: dict) -> User:
    """Change an account; disabling or resetting the password ends its sessions."""
    user = get(session=session, actor=actor, user_id=user_id)
    require_role(actor, "admin", "park_manager")
    if actor.role == "park_manager" and user.id != actor.user_id and user.role not in MANAGER_CREATABLE:
        raise Forbidden("Park managers change inspectors' and enterprise accounts only.")
    check_version(user.version, version)
    changes = dict(changes)
    password = changes.pop("password", None)
    if password is not None:
        user.password_hash = passwords.hash_password(password)
        user.password_changed_at = utcnow()
    for key, value in changes.items():
        setattr(user, key, value)
    if user.inspector_kind == "enforcement_officer" and not user.cert_no:
        raise _invalid("cert_no", "Enforcement officers need a certificate number.")
    if password is not None or changes.get("disabled"):
        auth_service.revoke_user_sessions(session=session, user_id=user.id, reason="account_change")
    user.version += 1
    user.updated_at = utcnow()
    session.add(user)
    session.flush()
    return user


def get_portfolio(*, session: Session, actor: Actor, user_id: uuid.UUID) -> list[uuid.UUID]:
    """The enterprise ids a visible user is responsible for."""
    user = get(session=session, actor=actor, user_id=user_id)
    rows = session.exec(select(PortfolioEntry.enterprise_id).where(PortfolioEntry.user_id == user.id))
    return sorted(rows, key=str)


def set_portfolio(
    *, session: Session, actor: Actor, user_id: uuid.UUID, enterprise_ids: list[uuid.UUID]
) -> list[uuid.UUID]:
    """Replace a liaison officer's or expert's portfolio with enterprises of their park."""
    user = get(session=session, actor=actor, user_id=user_id)
    require_role(actor, "admin", "park_manager")
    if user.role != "inspector" or user.inspector_kind not in PORTFOLIO_KINDS:
        raise _invalid("enterprise_ids", "Only liaison officers and experts have a portfolio.")
    wanted = set(enterprise_ids)
    found = (
        set(session.exec(select(Enterprise.id).where(Enterprise.id.in_(wanted), Enterprise.park_id == user.park_id)))
        if wanted
        else set()
    )
    if found != wanted:
        raise _invalid("enterprise_ids", "Every enterprise must belong to the user's park.")
    before = set(session.exec(select(PortfolioEntry.enterprise_id).where(PortfolioEntry.user_id == user.id)))
    sync_changes.record_scope_removal(
        session, user_id=user.id, park_id=user.park_id, enterprise_ids=sorted(before - wanted, key=str)
    )
    if wanted - before:
        sync_changes.record_scope_growth(session, user_id=user.id, park_id=user.park_id)
    session.exec(delete(PortfolioEntry).where(PortfolioEntry.user_id == user.id))
    for enterprise_id in sorted(wanted, key=str):
        session.add(PortfolioEntry(user_id=user.id, enterprise_id=enterprise_id, park_id=user.park_id))
    session.flush()
    return sorted(wanted, key=str)


def signing_inspectors(*, session: Session, actor: Actor) -> list[User]:
    """The active inspectors of an inspector's park, who may co-sign a notice with them (DOMAIN.md §5.1)."""
    require_role(actor, "inspector")
    query = select(User).where(User.park_id == actor.park_id, User.role == "inspector", User.disabled.is_(False))
    return list(session.exec(query.order_by(User.display_name, User.id).limit(500)))


def me(*, session: Session, actor: Actor) -> User:
    """The caller's own account."""
    return session.get(User, actor.user_id)
