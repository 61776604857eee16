"""Enterprise rules: park managers keep the register; reads are scoped by role."""

import uuid

from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.common.concurrency import check_version
from inspect_service.common.db import flush_or_conflict
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.common.time import utcnow
from inspect_service.enterprises.models import Enterprise
from inspect_service.errors import Forbidden, NotFound
from inspect_service.sync import feed
from inspect_service.users.models import PortfolioEntry


def scope(query, actor: Actor, *, park_col, enterprise_col):
    """Restrict any query of enterprise-owned rows (given their park and enterprise columns) to `actor`.

    Admins see every park; park roles their park; enterprise users their enterprise; liaison officers and
    experts their portfolio (liaison officers the whole park where the park allows it).
    """
    if actor.is_admin:
        return query
    query = query.where(park_col == actor.park_id)
    if actor.is_enterprise_user:
        return query.where(enterprise_col == actor.enterprise_id)
    if actor.has_portfolio and not actor.park_wide_read:
        portfolio = select(PortfolioEntry.enterprise_id).where(PortfolioEntry.user_id == actor.user_id)
        return query.where(enterprise_col.in_(portfolio))
    return query


def visible(query, actor: Actor):
    """Restrict an Enterprise query to what `actor` may see."""
    return scope(query, actor, park_col=Enterprise.park_id, enterprise_col=Enterprise.id)


def require_writable(*, session: Session, actor: Actor, enterprise_id: uuid.UUID) -> None:
    """403 for an enterprise the actor sees only through the park's liaison_park_read: it widens reads, not writes."""
    if not actor.park_wide_read:
        return
    held = session.exec(
        select(PortfolioEntry.enterprise_id).where(
            PortfolioEntry.user_id == actor.user_id, PortfolioEntry.enterprise_id == enterprise_id
        )
    ).first()
    if held is None:
        raise Forbidden("This enterprise is not in your portfolio: park-wide reading does not extend to writes.")


def get(*, session: Session, actor: Actor, enterprise_id: uuid.UUID) -> Enterprise:
    """Return a visible enterprise or 404."""
    enterprise = session.exec(visible(select(Enterprise), actor).where(Enterprise.id == enterprise_id)).first()
    if enterprise is None:
        raise NotFound("No such enterprise.")
    return enterprise


def list_enterprises(
    *,
    session: Session,
    actor: Actor,
    limit: int,
    cursor: str | None = None,
    q: str | None = None,
    enterprise_class: int | None = None,
    risk_color: str | None = None,
    industry: str | None = None,
    park_id: uuid.UUID | None = None,
) -> Page:
    """Page through visible enterprises by name, filtered."""
    query = visible(select(Enterprise), actor)
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Enterprise.name.like(f"%{escaped}%", escape="\\"))
    for column, value in (
        (Enterprise.enterprise_class, enterprise_class),
        (Enterprise.risk_color, risk_color),
        (Enterprise.industry, industry),
        (Enterprise.park_id, park_id),
    ):
        if value is not None:
            query = query.where(column == value)
    return keyset_page(
        session, query, sort_col=Enterprise.name, id_col=Enterprise.id, sort_attr="name", limit=limit, cursor=cursor
    )


def create(*, session: Session, actor: Actor, enterprise_in: dict) -> Enterprise:
    """Register an enterprise in the park manager's park."""
    require_role(actor, "park_manager")
    enterprise = Enterprise(**enterprise_in, park_id=actor.park_id)
    session.add(enterprise)
    flush_or_conflict(session, "An enterprise with this credit code already exists in the park.")
    _record(session, enterprise)
    return enterprise


def _record(session: Session, enterprise: Enterprise) -> None:
    feed.record(
        session, entity="enterprise", entity_id=enterprise.id, park_id=enterprise.park_id, enterprise_id=enterprise.id
    )


def update(
    *, session: Session, actor: Actor, enterprise_id: uuid.UUID, version: int | None, changes: dict
) -> Enterprise:
    """Change an enterprise (park manager), guarded by its version."""
    enterprise = get(session=session, actor=actor, enterprise_id=enterprise_id)
    require_role(actor, "park_manager")
    check_version(enterprise.version, version)
    for key, value in changes.items():
        setattr(enterprise, key, value)
    enterprise.version += 1
    enterprise.updated_at = utcnow()
    session.add(enterprise)
    flush_or_conflict(session, "An enterprise with this credit code already exists in the park.")
    _record(session, enterprise)
    return enterprise
