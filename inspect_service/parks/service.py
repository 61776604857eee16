"""Park rules: admins manage parks; everyone else sees only their own."""

import uuid
from datetime import date

from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.common.concurrency import check_version
from inspect_service.common.db import flush_or_conflict
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.common.time import local_date, utcnow
from inspect_service.errors import NotFound
from inspect_service.parks.models import Park


def visible(query, actor: Actor):
    """Restrict a Park query to what `actor` may see."""
    if actor.is_admin:
        return query
    return query.where(Park.id == actor.park_id)


def today_by_park(session: Session, actor: Actor) -> dict[date, list[uuid.UUID]]:
    """The parks the actor works in (admins: all), grouped by their local date now."""
    query = select(Park.id, Park.timezone)
    if not actor.is_admin:
        query = query.where(Park.id == actor.park_id)
    by_day: dict[date, list[uuid.UUID]] = {}
    now = utcnow()
    for park_id, zone in session.exec(query).all():
        by_day.setdefault(local_date(now, zone), []).append(park_id)
    return by_day


def get(*, session: Session, actor: Actor, park_id: uuid.UUID) -> Park:
    """Return a visible park or 404."""
    park = session.exec(visible(select(Park), actor).where(Park.id == park_id)).first()
    if park is None:
        raise NotFound("No such park.")
    return park


def list_parks(*, session: Session, actor: Actor, limit: int, cursor: str | None = None) -> Page:
    """Page through visible parks by name."""
    return keyset_page(
        session,
        visible(select(Park), actor),
        sort_col=Park.name,
        id_col=Park.id,
        sort_attr="name",
        limit=limit,
        cursor=cursor,
    )


def create(*, session: Session, actor: Actor, park_in: dict) -> Park:
    """Create a park (admin)."""
    require_role(actor, "admin")
    park = Park(**park_in)
    session.add(park)
    flush_or_conflict(session, "Another park already uses this short name.")
    return park


def update(*, session: Session, actor: Actor, park_id: uuid.UUID, version: int | None, changes: dict) -> Park:
    """Change a park (admin), guarded by its version."""
    park = get(session=session, actor=actor, park_id=park_id)
    require_role(actor, "admin")
    check_version(park.version, version)
    if "settings" in changes:
        changes["settings"] = {**park.settings, **changes["settings"]}
    for key, value in changes.items():
        setattr(park, key, value)
    park.version += 1
    park.updated_at = utcnow()
    session.add(park)
    flush_or_conflict(session, "Another park already uses this short name.")
    return park
