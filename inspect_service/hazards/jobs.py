"""Scheduled sweeps over hazards: reminders before the deadline, the escalation ladder after it.

Each sweep asks the database for the hazards due today (an indexed window on status and deadline), so its cost
grows with what is due, not with all hazards; notifications are unique per (recipient, reason, object, due date),
so a second run — or a run after an outage — sends nothing twice.
"""

from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from inspect_service.common.time import local_date, utcnow
from inspect_service.hazards import lifecycle
from inspect_service.hazards.models import Hazard
from inspect_service.notifications import service as notification_service
from inspect_service.parks.models import Park
from inspect_service.users.models import ENTERPRISE_ROLES, PortfolioEntry, User

REMINDER_DAYS = (3, 1)
LADDER = ((0, "enterprise"), (3, "liaison"), (7, "park_manager"))
CATCH_UP_DAYS = 30  # after an outage, steps missed within this window are still sent


def _settings(park: Park) -> tuple[tuple[int, ...], tuple]:
    settings = park.settings or {}
    reminders = tuple(sorted(settings.get("reminder_days", REMINDER_DAYS), reverse=True))
    ladder = tuple(tuple(step) for step in settings.get("escalation_ladder", LADDER))
    return reminders, ladder


def _recipients(session: Session, hazard: Hazard, audience: str) -> list[User]:
    query = select(User).where(User.disabled.is_(False), User.park_id == hazard.park_id)
    if audience == "enterprise":
        query = query.where(User.enterprise_id == hazard.enterprise_id, User.role.in_(ENTERPRISE_ROLES))
    elif audience == "liaison":
        portfolio = select(PortfolioEntry.user_id).where(PortfolioEntry.enterprise_id == hazard.enterprise_id)
        query = query.where(User.id.in_(portfolio), User.inspector_kind == "liaison_officer")
    else:
        query = query.where(User.role == "park_manager")
    return list(session.exec(query))


def _notify(session: Session, hazard: Hazard, audience: str, reason: str, title: str, body: str) -> int:
    sent = 0
    for user in _recipients(session, hazard, audience):
        sent += notification_service.enqueue(
            session=session,
            park_id=hazard.park_id,
            enterprise_id=hazard.enterprise_id,
            recipient_id=user.id,
            reason=reason,
            object_type="hazard",
            object_id=hazard.id,
            due_date=hazard.deadline,
            title=title,
            body=body,
            payload={"hazard_no": hazard.hazard_no, "deadline": hazard.deadline.isoformat()},
        )
    return sent


def _due(session: Session, park: Park, first: date, last: date) -> list[Hazard]:
    return list(
        session.exec(
            select(Hazard)
            .where(
                Hazard.park_id == park.id,
                Hazard.status.in_(lifecycle.CLOCK_RUNNING),
                Hazard.deadline >= first,
                Hazard.deadline <= last,
            )
            .order_by(Hazard.deadline, Hazard.id)
        )
    )


def send_reminders(*, session: Session, now: datetime | None = None) -> str:
    """Remind the enterprise before each deadline (the nearest reminder only, after an outage)."""
    now, sent = now or utcnow(), 0
    for park in session.exec(select(Park)).all():
        reminders, _ = _settings(park)
        today = local_date(now, park.timezone)
        for hazard in _due(session, park, today, today + timedelta(days=max(reminders, default=0))):
            days_left = (hazard.deadline - today).days
            offset = min((d for d in reminders if d >= days_left), default=None)
            if offset is None:
                continue
            title = f"隐患整改期限提醒：{hazard.hazard_no}"
            body = f"隐患“{hazard.description[:60]}”须于{hazard.deadline.isoformat()}前整改完毕（剩余{days_left}天）。"
            sent += _notify(session, hazard, "enterprise", f"reminder_t{offset}", title, body)
    session.flush()
    return f"sent {sent} reminders"


def escalate_overdue(*, session: Session, now: datetime | None = None) -> str:
    """Walk the escalation ladder for overdue hazards: every step reached is sent once."""
    now, sent = now or utcnow(), 0
    for park in session.exec(select(Park)).all():
        _, ladder = _settings(park)
        today = local_date(now, park.timezone)
        deepest = max((day for day, _ in ladder), default=0)
        for hazard in _due(session, park, today - timedelta(days=deepest + CATCH_UP_DAYS), today - timedelta(days=1)):
            late = (today - hazard.deadline).days - 1  # day 0 is the first day after the deadline
            for day, audience in ladder:
                if late >= day:
                    title = f"隐患逾期未整改：{hazard.hazard_no}"
                    body = (
                        f"隐患“{hazard.description[:60]}”整改期限{hazard.deadline.isoformat()}已过，"
                        f"逾期第{late + 1}天。"
                    )
                    if audience == "park_manager":
                        body += "建议挂牌督办或约谈企业主要负责人。"
                    sent += _notify(session, hazard, audience, f"overdue_d{day}", title, body)
    session.flush()
    return f"sent {sent} escalations"
