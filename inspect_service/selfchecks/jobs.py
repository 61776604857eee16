"""Scheduled sweep over monthly self-check reports: reminders before the due date to the safety officer and the
principal, then the escalation ladder while the report is missing.

Only the months whose due date falls in today's reminder or escalation window are looked at (at most two or three),
and for each one set-based query finds the park's enterprises without a submitted report (an anti-join on the
report's (enterprise, month) key), so the cost grows with what is due, not with enterprises × months. The shared
ladder engine writes each notification at most once per (recipient, reason, report, due date): a second run, a
concurrent one or a run after an outage sends nothing twice. The notifications name the report's id even before the
report exists (it is derived from the enterprise and the month).
"""

from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from inspect_service.common.time import local_date, utcnow
from inspect_service.enterprises.models import Enterprise
from inspect_service.notifications import ladder
from inspect_service.notifications.ladder import Deadline
from inspect_service.parks.models import Park
from inspect_service.selfchecks import figures
from inspect_service.selfchecks.models import SelfCheckReport

OBJECT_TYPE = "self_check_report"
REMINDER_KEY = "self_check_report_reminder_days"  # park settings; default 3 and 1 days
LADDER_KEY = "self_check_report_escalation_ladder"  # default: day 0 enterprise, 3 liaison, 7 park manager


def _settings(park: Park) -> tuple[tuple[int, ...], tuple[tuple[int, str], ...]]:
    """The park's reminder offsets and escalation ladder for monthly reports."""
    return ladder.reminder_days(park.settings, key=REMINDER_KEY), ladder.ladder(park.settings, key=LADDER_KEY)


def _periods(park: Park, first: date, last: date) -> list[tuple[date, date]]:
    """(month, due date) of the months whose report falls due between `first` and `last`."""
    found, period = [], figures.add_months(figures.period_of(first), -1)
    while period <= figures.add_months(figures.period_of(last), -1):
        due = figures.due_date(period, park.settings)
        if first <= due <= last:
            found.append((period, due))
        period = figures.add_months(period, 1)
    return found


def _missing(session: Session, park: Park, period: date, due: date) -> list[Deadline]:
    """The park's enterprises with no submitted report for `period`, as deadlines."""
    submitted = select(SelfCheckReport.id).where(
        SelfCheckReport.enterprise_id == Enterprise.id,
        SelfCheckReport.period == period,
        SelfCheckReport.first_submitted_at.is_not(None),
    )
    rows = session.exec(
        select(Enterprise.id, Enterprise.name)
        .where(Enterprise.park_id == park.id, ~submitted.exists())
        .order_by(Enterprise.id)
    ).all()
    month = figures.format_period(period)
    return [
        Deadline(
            object_type=OBJECT_TYPE,
            object_id=figures.report_id(enterprise_id, period),
            park_id=park.id,
            enterprise_id=enterprise_id,
            due_date=due,
            payload={"period": month, "enterprise_id": str(enterprise_id), "due_date": due.isoformat()},
            text=name,
        )
        for enterprise_id, name in rows
    ]


def _in_window(session: Session, park: Park, first: date, last: date) -> list[Deadline]:
    return [d for period, due in _periods(park, first, last) for d in _missing(session, park, period, due)]


def _month_words(deadline: Deadline) -> tuple[str, str]:
    year, month = deadline.payload["period"].split("-")
    return deadline.text[:60], f"{int(year)}年{int(month)}月"


def _reminder_words(deadline: Deadline, _reason: str, days: int) -> tuple[str, str]:
    name, month = _month_words(deadline)
    return (
        f"自查自纠月报报送提醒：{name}（{month}）",
        f"{name}{month}企业自查自纠情况月报须于{deadline.due_date.isoformat()}前报送（剩余{days}天）。",
    )


def _escalation_words(deadline: Deadline, reason: str, days: int, manager_days: set[int]) -> tuple[str, str]:
    name, month = _month_words(deadline)
    body = f"{name}{month}企业自查自纠情况月报报送期限{deadline.due_date.isoformat()}已过，逾期第{days + 1}天仍未报送。"
    if int(reason.removeprefix("overdue_d")) in manager_days:
        body += "建议通报或约谈企业主要负责人。"
    return f"自查自纠月报逾期未报：{name}（{month}）", body


def sweep(*, session: Session, now: datetime | None = None) -> str:
    """Remind before each month's due date and walk the ladder while reports are missing (each step once)."""
    now, reminded, escalated = now or utcnow(), 0, 0
    for park in session.exec(select(Park)).all():
        today = local_date(now, park.timezone)
        reminders, steps = _settings(park)
        due = _in_window(session, park, today, today + timedelta(days=max(reminders, default=0)))
        reminded += ladder.notify(
            session, ladder.reminder_steps(due, today, lambda _d, r=reminders: r), _reminder_words
        )
        manager_days = {day for day, audience in steps if audience == "park_manager"}
        overdue = _in_window(session, park, *ladder.escalation_window(today, steps))
        escalated += ladder.notify(
            session,
            ladder.escalation_steps(overdue, today, lambda _d, s=steps: s),
            lambda d, reason, days, m=manager_days: _escalation_words(d, reason, days, m),
        )
    return f"sent {reminded} reminders, {escalated} escalations"
