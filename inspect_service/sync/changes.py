"""Phone sync: the change feed per caller, in server order, behind an opaque cursor."""

import uuid

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from inspect_service.auth.actor import Actor
from inspect_service.common.pagination import decode_cursor
from inspect_service.common.pagination import encode_cursor as _encode_values
from inspect_service.enterprises import service as enterprise_service
from inspect_service.errors import DomainError, Unprocessable
from inspect_service.sync.models import ChangeEntry, FeedCounter

START = ("", "0")  # cursors that mean "from the start of the feed"
MAX_SEQ = 2**62


class FeedGone(DomainError):
    """The cursor points before what the feed still keeps."""

    status, slug, title = 410, "cursor-expired", "Cursor expired"


def encode_cursor(seq: int) -> str:
    """The opaque cursor of a feed position (the last sequence number read)."""
    return _encode_values([seq])


def decode_feed_cursor(cursor: str | None) -> int:
    """The feed position of an opaque cursor; absent, empty or "0" is the start; anything else malformed is 422."""
    if cursor is None or cursor in START:
        return 0
    (text,) = decode_cursor(cursor, 1)
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_SEQ:
        raise Unprocessable("Malformed cursor.", errors={"cursor": ["Malformed cursor."]})
    return int(text)


def head(session: Session) -> int:
    """The last committed sequence number: everything committed later is numbered after it."""
    counter = session.get(FeedCounter, 1, populate_existing=True)
    return counter.value if counter is not None else 0


def _scoped(actor: Actor):
    """Feed entries the actor may read: their own, their park's park-wide ones, and their enterprise scope's."""
    from inspect_service.sync.entities import PARK_WIDE

    park_wide = select(ChangeEntry.id).where(ChangeEntry.user_id.is_(None), ChangeEntry.entity.in_(PARK_WIDE))
    if not actor.is_admin:
        park_wide = park_wide.where(ChangeEntry.park_id == actor.park_id)
    owned = enterprise_service.scope(
        select(ChangeEntry.id), actor, park_col=ChangeEntry.park_id, enterprise_col=ChangeEntry.enterprise_id
    ).where(ChangeEntry.user_id.is_(None), ChangeEntry.entity.not_in(PARK_WIDE))
    return or_(ChangeEntry.user_id == actor.user_id, ChangeEntry.id.in_(park_wide), ChangeEntry.id.in_(owned))


def _current(session: Session, actor: Actor, entries: list[ChangeEntry]) -> dict[tuple[str, uuid.UUID], dict]:
    """The current data of the upserted objects the actor still sees: one scoped query per entity kind."""
    from inspect_service.sync.entities import KINDS, load_visible

    wanted: dict[str, set[uuid.UUID]] = {}
    for entry in entries:
        if entry.op == "upsert" and entry.entity in KINDS:
            wanted.setdefault(entry.entity, set()).add(entry.entity_id)
    found = {}
    for entity, ids in wanted.items():
        found.update({(entity, i): data for i, data in load_visible(session, actor, entity, sorted(ids)).items()})
    return found


def changes(*, session: Session, actor: Actor, cursor: str | None, limit: int) -> dict:
    """The caller's feed after `cursor`: upserts with current data, deletions, and `remove` for what left scope."""
    after = decode_feed_cursor(cursor)
    counter = session.get(FeedCounter, 1)
    if counter is not None and after < counter.purged_through:
        raise FeedGone("This cursor is older than the feed keeps; bootstrap again.")
    query = (
        select(ChangeEntry)
        .where(and_(ChangeEntry.seq > after, ChangeEntry.seq.is_not(None)), _scoped(actor))
        .order_by(ChangeEntry.seq)
        .limit(limit + 1)
    )
    entries = list(session.execute(query).scalars())
    has_more = len(entries) > limit
    entries = entries[:limit]
    current = _current(session, actor, entries)
    items = []
    for entry in entries:
        data = current.get((entry.entity, entry.entity_id)) if entry.op == "upsert" else None
        op = entry.op if entry.op != "upsert" or data is not None else "remove"
        items.append({"seq": entry.seq, "entity": entry.entity, "id": entry.entity_id, "op": op, "data": data})
    next_cursor = encode_cursor(entries[-1].seq if entries else after)
    return {"items": items, "next_cursor": next_cursor, "has_more": has_more}


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


def record_scope_growth(session: Session, *, user_id: uuid.UUID, park_id: uuid.UUID) -> None:
    """Tell one user's feed that their scope grew: their phones bootstrap again (the feed carries no history)."""
    from inspect_service.sync import feed

    feed.record(session, entity="scope", entity_id=user_id, park_id=park_id, enterprise_id=None, op="resync",
                user_id=user_id)  # fmt: skip
