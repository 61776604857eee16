"""Recording changes and numbering them at commit time."""

import uuid

from sqlalchemy import event, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

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
    """Give this transaction's entries consecutive numbers, last thing before commit."""
    if session.in_nested_transaction() or not session.info.pop(_PENDING, 0):
        return  # a savepoint's release is not the commit
    session.flush()
    pending = (
        session.execute(
            select(ChangeEntry.id).where(ChangeEntry.seq.is_(None)).order_by(ChangeEntry.local_ord, ChangeEntry.at)
        )
        .scalars()
        .all()
    )
    if not pending:
        return
    last = _reserve(session, len(pending))
    for offset, entry_id in enumerate(pending):
        session.execute(
            update(ChangeEntry).where(ChangeEntry.id == entry_id).values(seq=last - len(pending) + 1 + offset)
        )
