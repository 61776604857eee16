"""Device time of hazard actions (`occurred_at`): its bounds, and when an event happened for the reports."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func

from inspect_service.errors import Unprocessable
from inspect_service.hazards.models import Hazard, HazardEvent

CLOCK_SKEW = timedelta(minutes=5)  # a phone's clock may run this far ahead of (or behind) the server's


def _invalid(message: str) -> Unprocessable:
    return Unprocessable.field("occurred_at", message)


def _parse(value) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) <= 64:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise _invalid("Not a valid ISO 8601 date-time.")


def checked(hazard: Hazard, occurred_at, *, received_at: datetime) -> datetime | None:
    """The device time of an action on `hazard` in UTC; 422 when naive, in the future or before the hazard existed."""
    if occurred_at is None:
        return None
    moment = _parse(occurred_at)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _invalid("Give the device time with its UTC offset.")
    if moment > received_at + CLOCK_SKEW:
        raise _invalid("The device time is later than the server received the action.")
    existed = min(t for t in (hazard.found_at, hazard.created_at) if t is not None)
    if moment < existed - CLOCK_SKEW:  # the phone's clock may run behind the clock that dated the hazard
        raise _invalid("The device time is before the hazard was found.")
    return moment.astimezone(UTC)


def happened_at(event=HazardEvent):
    """SQL for when an event happened: the device time where the phone gave one, else the server's receipt.

    `event` is the HazardEvent model or the `.c` of an alias of its table. Reports count by this; ordering,
    the history and the feed stay in server order (`at`, then the sequence).
    """
    return func.coalesce(event.occurred_at, event.at)
