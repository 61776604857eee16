"""Phone sync: the change feed per caller, in server order."""

import uuid

from sqlalchemy import or_, select
from sqlmodel import Session

from inspect_service.auth.actor import Actor
from inspect_service.enterprises import service as enterprise_service
from inspect_service.errors import DomainError
from inspect_service.hazards import service as hazard_service
from inspect_service.hazards.schemas import HazardSchema
from inspect_service.inspections import service as inspection_service
from inspect_service.inspections.schemas import (
    InspectionSchema,
)
from inspect_service.sync.batch import dump as _dump
from inspect_service.sync.models import ChangeEntry, FeedCounter


class FeedGone(DomainError):
    """The cursor points before what the feed still keeps."""

    status, slug, title = 410, "cursor-expired", "Cursor expired"


def _entry_data(session: Session, actor: Actor, entry: ChangeEntry):
    try:
        if entry.entity == "hazard":
            hazard = hazard_service.get(session=session, actor=actor, hazard_id=entry.entity_id)
            return _dump(HazardSchema, hazard_service.view_now(session, hazard))
        if entry.entity == "inspection":
            inspection = inspection_service.get(session=session, actor=actor, inspection_id=entry.entity_id)
            return _dump(InspectionSchema, inspection)
    except DomainError:
        return None
    return None


def changes(*, session: Session, actor: Actor, cursor: int, limit: int) -> dict:
    """The caller's feed after `cursor`: upserts with current data, deletions, scope removals."""
    counter = session.get(FeedCounter, 1)
    if counter is not None and cursor < counter.purged_through:
        raise FeedGone("This cursor is older than the feed keeps; resynchronise from the start.")
    scoped = enterprise_service.scope(
        select(ChangeEntry.id), actor, park_col=ChangeEntry.park_id, enterprise_col=ChangeEntry.enterprise_id
    ).where(ChangeEntry.user_id.is_(None))
    query = (
        select(ChangeEntry)
        .where(ChangeEntry.seq > cursor, ChangeEntry.seq.is_not(None))
        .where(or_(ChangeEntry.id.in_(scoped), ChangeEntry.user_id == actor.user_id))
        .order_by(ChangeEntry.seq)
        .limit(limit + 1)
    )
    entries = list(session.execute(query).scalars())
    has_more = len(entries) > limit
    entries = entries[:limit]
    items = []
    for entry in entries:
        data = _entry_data(session, actor, entry) if entry.op == "upsert" else None
        op = entry.op if entry.op != "upsert" or data is not None else "remove"
        items.append({"seq": entry.seq, "entity": entry.entity, "id": entry.entity_id, "op": op, "data": data})
    return {"items": items, "next_cursor": entries[-1].seq if entries else cursor, "has_more": has_more}


def record_scope_removal(
    session: Session, *, user_id: uuid.UUID, park_id: uuid.UUID, enterprise_ids: list[uuid.UUID]
) -> None:
    """Tell one user's feed that these enterprises (and everything of theirs) left their scope."""
    from inspect_service.sync import feed

    for enterprise_id in enterprise_ids:
        feed.record(
            session,
            entity="enterprise",
            entity_id=enterprise_id,
            park_id=park_id,
            enterprise_id=enterprise_id,
            op="remove",
            user_id=user_id,
        )
