"""Scheduled work of the sync domain."""

from datetime import timedelta

from sqlalchemy import delete, func, select, update
from sqlmodel import Session

from inspect_service.common.time import utcnow
from inspect_service.sync.models import ChangeEntry, FeedCounter

RETENTION = timedelta(days=30)


def purge_feed(*, session: Session, retention: timedelta = RETENTION) -> str:
    """Drop feed entries older than the retention; cursors before them then answer 410."""
    cutoff = utcnow() - retention
    last = session.execute(select(func.max(ChangeEntry.seq)).where(ChangeEntry.at < cutoff)).scalar()
    if last is None:
        return "purged 0 feed entries"
    result = session.execute(delete(ChangeEntry).where(ChangeEntry.seq <= last))
    session.execute(
        update(FeedCounter).where(FeedCounter.id == 1, FeedCounter.purged_through < last).values(purged_through=last)
    )
    return f"purged {result.rowcount or 0} feed entries through {last}"
