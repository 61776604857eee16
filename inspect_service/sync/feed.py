"""Recording changes and numbering them at commit time."""

import uuid
from collections.abc import Iterable

from sqlalchemy import event, insert, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from inspect_service.common.time import utcnow
from inspect_service.sync.models import ChangeEntry, FeedCounter

_PENDING = "feed_pending"


def record(
    session: Session,
    *,
    entity: str,
    entity_id: uuid.UUID,
    park_id: uuid.UUID,
    enterprise_id: uuid.UUID | None,
    op: str = "upsert",
    user_id: uuid.UUID | None = None,
) -> None:
    """Note a change in the caller's transaction; its sequence number is assigned at commit."""
    ordinal = session.info.get(_PENDING, 0) + 1
    session.info[_PENDING] = ordinal
    session.add(
        ChangeEntry(
            entity=entity,
            entity_id=entity_id,
            park_id=park_id,
            enterprise_id=enterprise_id,
            op=op,
            user_id=user_id,
            local_ord=ordinal,
        )
    )


def record_many(session: Session, entries: Iterable[dict]) -> None:
    """Note many changes at once (one INSERT); each dict holds `record`'s keyword arguments."""
    ordinal, now, rows = session.info.get(_PENDING, 0), utcnow(), []
    for entry in entries:
        ordinal += 1
        rows.append(
            {"op": "upsert", "user_id": None, **entry, "id": uuid.uuid4(), "local_ord": ordinal, "seq": None, "at": now}
        )
    if rows:
        session.info[_PENDING] = ordinal
        session.execute(insert(ChangeEntry.__table__), rows)


def _reserve(session: Session, count: int) -> int:
    """Advance the counter by `count` (locking its row until commit) and return the new last value."""
    for _ in range(3):
        row = session.execute(
            update(FeedCounter)
            .where(FeedCounter.id == 1)
            .values(value=FeedCounter.value + count)
            .returning(FeedCounter.value)
        ).first()
        if row is not None:
            return row[0]
        try:
            with session.begin_nested():
                session.add(FeedCounter(id=1, value=count))
            return count
        except IntegrityError:
            continue
    raise RuntimeError("could not reserve feed numbers")


@event.listens_for(Session, "before_commit")
def _number_pending_changes(session: Session) -> None:
    """Number this transaction's entries by their order of recording, last thing before commit.

    Ordinals are unique within the transaction (some may be missing where a savepoint rolled back), so one
    UPDATE numbers them all from a block of `last ordinal` reserved numbers; gaps in the feed are harmless.
    """
    if session.in_nested_transaction():
        return  # a savepoint's release is not the commit
    count = session.info.pop(_PENDING, 0)
    if not count:
        return
    session.flush()
    last = _reserve(session, count)
    session.execute(
        update(ChangeEntry)
        .where(ChangeEntry.seq.is_(None))
        .values(seq=ChangeEntry.local_ord + (last - count))
        .execution_options(synchronize_session=False)
    )
