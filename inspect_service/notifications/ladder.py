"""Deadlines chased by the clock: reminders before them, the escalation ladder after them (DOMAIN.md §3.7).

One engine for every kind of deadline (hazards, inspection tasks, self-check reports). A sweep hands it the
deadlines due in its window; recipients are resolved with one query per audience and the notifications are
written with one set-based insert (`enqueue_many`), so a sweep's cost grows with what is due, and the
(recipient, reason, object, due date) key makes every step at most once — after an outage, after a concurrent
run, after a restart.
"""

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_
from sqlmodel import Session, select

from inspect_service.notifications.bulk import enqueue_many
from inspect_service.users.models import ENTERPRISE_ROLES, PortfolioEntry, User

REMINDER_DAYS = (3, 1)
LADDER = ((0, "enterprise"), (3, "liaison"), (7, "park_manager"))
AUDIENCES = ("enterprise", "liaison", "park_manager")
CATCH_UP_DAYS = 30  # after an outage, ladder steps missed within this window are still sent
IN_CHUNK = 900


@dataclass(frozen=True)
class Deadline:
    """Something due on a local date: what it is, whose it is and who answers for it."""

    object_type: str
    object_id: uuid.UUID
    park_id: uuid.UUID
    enterprise_id: uuid.UUID | None
    due_date: date
    assignee_id: uuid.UUID | None = None  # the responsible officer when it is a person, not the enterprise
    payload: dict = field(default_factory=dict)  # carried into each notification
    text: str = ""  # for the words only
    level: str | None = None  # picks per-level reminder offsets


Words = Callable[[Deadline, str, int], tuple[str, str]]  # (deadline, reason, days) -> (title, body)


def reminder_days(settings: dict | None, key: str = "reminder_days", level: str | None = None) -> tuple[int, ...]:
    """Days before a deadline to remind, largest first: the park's per-level setting, its general one, or 3 and 1."""
    settings = settings or {}
    by_level = settings.get(f"{key}_by_level") or {}
    days = by_level.get(level) if level is not None else None
    if days is None:
        days = settings.get(key, REMINDER_DAYS)
    return tuple(sorted({int(d) for d in days}, reverse=True))


def ladder(settings: dict | None, key: str = "escalation_ladder") -> tuple[tuple[int, str], ...]:
    """The escalation steps (day after the deadline, audience), from the park's setting or the default."""
    steps = (settings or {}).get(key, LADDER)
    parsed = []
    for step in steps:
        day, audience = (step["day"], step["audience"]) if isinstance(step, dict) else step
        parsed.append((int(day), str(audience)))
    return tuple(sorted(parsed))


def reminder_offset(days_left: int, reminders: Sequence[int]) -> int | None:
    """The reminder to send with `days_left` to go: the nearest offset not yet passed (one only, after an outage)."""
    return min((d for d in reminders if d >= days_left), default=None)


def escalation_window(today: date, steps: Sequence[tuple[int, str]]) -> tuple[date, date]:
    """The deadlines (first, last) whose ladder may still have a step to send today."""
    deepest = max((day for day, _ in steps), default=0)
    return today - timedelta(days=deepest + CATCH_UP_DAYS), today - timedelta(days=1)


def days_late(today: date, due: date) -> int:
    """Day 0 is the first day after the deadline."""
    return (today - due).days - 1


def _chunks(values: list, size: int = IN_CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _responsible(session: Session, deadlines: list[Deadline]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Enterprise users (officer and principal) by enterprise, or the assignee where a person answers for it."""
    enterprise_ids = sorted({d.enterprise_id for d in deadlines if d.assignee_id is None and d.enterprise_id})
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    for chunk in _chunks(enterprise_ids):
        rows = session.exec(
            select(User.enterprise_id, User.id).where(
                User.enterprise_id.in_(chunk), User.role.in_(ENTERPRISE_ROLES), User.disabled.is_(False)
            )
        ).all()
        for enterprise_id, user_id in rows:
            found.setdefault(enterprise_id, []).append(user_id)
    assignees = sorted({d.assignee_id for d in deadlines if d.assignee_id is not None})
    active = set()
    for chunk in _chunks(assignees):
        active.update(session.exec(select(User.id).where(User.id.in_(chunk), User.disabled.is_(False))).all())
    return {
        d.object_id: ([d.assignee_id] if d.assignee_id in active else [])
        if d.assignee_id is not None
        else found.get(d.enterprise_id, [])
        for d in deadlines
    }


def _liaisons(session: Session, deadlines: list[Deadline]) -> dict[uuid.UUID, list[uuid.UUID]]:
    pairs = sorted({(d.park_id, d.enterprise_id) for d in deadlines if d.enterprise_id})
    found: dict[tuple, list[uuid.UUID]] = {}
    for chunk in _chunks([enterprise_id for _, enterprise_id in pairs]):
        rows = session.exec(
            select(User.park_id, PortfolioEntry.enterprise_id, User.id)
            .join(User, User.id == PortfolioEntry.user_id)
            .where(
                PortfolioEntry.enterprise_id.in_(chunk),
                User.inspector_kind == "liaison_officer",
                User.disabled.is_(False),
            )
        ).all()
        for park_id, enterprise_id, user_id in rows:
            found.setdefault((park_id, enterprise_id), []).append(user_id)
    return {d.object_id: found.get((d.park_id, d.enterprise_id), []) for d in deadlines}


def _managers(session: Session, deadlines: list[Deadline]) -> dict[uuid.UUID, list[uuid.UUID]]:
    park_ids = sorted({d.park_id for d in deadlines})
    found: dict[uuid.UUID, list[uuid.UUID]] = {}
    for chunk in _chunks(park_ids):
        rows = session.exec(
            select(User.park_id, User.id).where(
                and_(User.park_id.in_(chunk), User.role == "park_manager", User.disabled.is_(False))
            )
        ).all()
        for park_id, user_id in rows:
            found.setdefault(park_id, []).append(user_id)
    return {d.object_id: found.get(d.park_id, []) for d in deadlines}


RESOLVERS = {"enterprise": _responsible, "liaison": _liaisons, "park_manager": _managers}


def notify(session: Session, steps: list[tuple[Deadline, str, str, int]], words: Words) -> int:
    """Send each (deadline, audience, reason, days) step to its audience; returns how many were new."""
    by_audience: dict[str, list[Deadline]] = {}
    for deadline, audience, _, _ in steps:
        by_audience.setdefault(audience, []).append(deadline)
    recipients = {
        audience: RESOLVERS[audience](session, deadlines)
        for audience, deadlines in by_audience.items()
        if audience in RESOLVERS
    }
    items = []
    for deadline, audience, reason, days in steps:
        title, body = words(deadline, reason, days)
        for recipient_id in recipients.get(audience, {}).get(deadline.object_id, []):
            items.append(
                {
                    "park_id": deadline.park_id,
                    "enterprise_id": deadline.enterprise_id,
                    "recipient_id": recipient_id,
                    "reason": reason,
                    "object_type": deadline.object_type,
                    "object_id": deadline.object_id,
                    "due_date": deadline.due_date,
                    "title": title,
                    "body": body,
                    "payload": deadline.payload,
                }
            )
    return enqueue_many(session=session, items=items)


def reminder_steps(
    deadlines: Iterable[Deadline], today: date, reminders_for: Callable[[Deadline], Sequence[int]]
) -> list[tuple[Deadline, str, str, int]]:
    """The reminder due today for each deadline (the nearest offset only), to the responsible audience."""
    steps = []
    for deadline in deadlines:
        days_left = (deadline.due_date - today).days
        offset = reminder_offset(days_left, reminders_for(deadline))
        if offset is not None and days_left >= 0:
            steps.append((deadline, "enterprise", f"reminder_t{offset}", days_left))
    return steps


def escalation_steps(
    deadlines: Iterable[Deadline], today: date, steps_for: Callable[[Deadline], Sequence[tuple[int, str]]]
) -> list[tuple[Deadline, str, str, int]]:
    """Every ladder step reached by each overdue deadline (sent once each, even after an outage)."""
    steps = []
    for deadline in deadlines:
        late = days_late(today, deadline.due_date)
        if late < 0:
            continue
        for day, audience in steps_for(deadline):
            if late >= day:
                steps.append((deadline, audience, f"overdue_d{day}", late))
    return steps
