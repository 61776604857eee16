"""Time helpers: aware UTC now, and local dates in a park's zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def local_date(moment: datetime, tz_name: str) -> date:
    """Return the calendar date of `moment` in the time zone `tz_name`."""
    return moment.astimezone(ZoneInfo(tz_name)).date()
