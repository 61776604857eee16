"""Scheduled sweeps over hazards: reminders before the deadline, the escalation ladder after it.

Each sweep asks the database for the hazards due in its window (an indexed range on status and deadline, only
the columns the words need), so its cost grows with what is due, not with all hazards; the shared ladder engine
writes the notifications set-based and at most once per (recipient, reason, object, due date), so a second run —
or a run after an outage — sends nothing twice.
"""

from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from inspect_service.common.time import local_date, utcnow
from inspect_service.hazards import lifecycle
from inspect_service.hazards.models import Hazard
from inspect_service.notifications import ladder
from inspect_service.notifications.ladder import Deadline
from inspect_service.parks.models import Park


def _due(session: Session, park: Park, first: date, last: date) -> list[Deadline]:
    rows = session.exec(
        select(Hazard.id, Hazard.enterprise_id, Hazard.hazard_no, Hazard.description, Hazard.deadline, Hazard.level)
        .where(
            Hazard.park_id == park.id,
            Hazard.status.in_(lifecycle.CLOCK_RUNNING),
            Hazard.deadline >= first,
            Hazard.deadline <= last,
        )
        .order_by(Hazard.deadline, Hazard.id)
    ).all()
    return [
        Deadline(
            object_type="hazard",
            object_id=hazard_id,
            park_id=park.id,
            enterprise_id=enterprise_id,
            due_date=deadline,
            payload={"hazard_no": hazard_no, "deadline": deadline.isoformat()},
            text=description,
            level=level,
        )
        for hazard_id, enterprise_id, hazard_no, description, deadline, level in rows
    ]


def _reminder_words(deadline: Deadline, _reason: str, days: int) -> tuple[str, str]:
    number, text, due = deadline.payload["hazard_no"], deadline.text[:60], deadline.due_date.isoformat()
    return f"隐患整改期限提醒：{number}", f"隐患“{text}”须于{due}前整改完毕（剩余{days}天）。"


def send_reminders(*, session: Session, now: datetime | None = None) -> str:
    """Remind the enterprise before each deadline (the nearest reminder only, after an outage; per-level offsets)."""
    now, sent = now or utcnow(), 0
    for park in session.exec(select(Park)).all():
        today = local_date(now, park.timezone)
        offsets = {level: ladder.reminder_days(park.settings, level=level) for level in ("general", "major")}
        widest = max((max(days, default=0) for days in offsets.values()), default=0)
        due = _due(session, park, today, today + timedelta(days=widest))
        steps = ladder.reminder_steps(due, today, lambda d, o=offsets: o.get(d.level, o["general"]))
        sent += ladder.notify(session, steps, _reminder_words)
    return f"sent {sent} reminders"


def escalate_overdue(*, session: Session, now: datetime | None = None) -> str:
    """Walk the escalation ladder for overdue hazards: every step reached is sent once."""
    now, sent = now or utcnow(), 0
    for park in session.exec(select(Park)).all():
        today = local_date(now, park.timezone)
        steps = ladder.ladder(park.settings)
        due = _due(session, park, *ladder.escalation_window(today, steps))
        manager_days = {day for day, audience in steps if audience == "park_manager"}
        sent += ladder.notify(
            session,
            ladder.escalation_steps(due, today, lambda _d, s=steps: s),
            lambda d, reason, days, m=manager_days: _escalation_words(d, reason, days, m),
        )
    return f"sent {sent} escalations"


def _escalation_words(deadline: Deadline, reason: str, days: int, manager_days: set[int]) -> tuple[str, str]:
    number, text, due = deadline.payload["hazard_no"], deadline.text[:60], deadline.due_date.isoformat()
    body = f"隐患“{text}”整改期限{due}已过，逾期第{days + 1}天。"
    if int(reason.removeprefix("overdue_d")) in manager_days:
        body += "建议挂牌督办或约谈企业主要负责人。"
    return f"隐患逾期未整改：{number}", body
