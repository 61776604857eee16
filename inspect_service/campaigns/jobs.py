"""Scheduled sweeps of campaigns' and cadences' tasks: generate patrol tasks ahead, remind, escalate overdue ones.

The task sweeps use the same ladder engine as hazards (`notifications.ladder`): one indexed window query on
(status, due_date) per park, recipients resolved per audience, notifications inserted set-based and at most once
per (recipient, reason, task, due date).
"""

from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from inspect_service.campaigns import cadences
from inspect_service.campaigns.models import InspectionTask, PatrolCadence
from inspect_service.campaigns.task_work import ENTERPRISE_KINDS
from inspect_service.common.time import local_date, utcnow
from inspect_service.notifications import ladder
from inspect_service.notifications.ladder import Deadline
from inspect_service.parks.models import Park

KIND_NAMES = {
    "self_check": "企业自查",
    "spot_check": "重点抽查",
    "supervision": "督查",
    "self_patrol": "企业日常巡查",
    "park_patrol": "园区巡查",
    "supervision_bulletin": "督查通报",
}


def generate_patrol_tasks(*, session: Session, now: datetime | None = None) -> str:
    """Create the patrol tasks due within each cadence's lead time (unique per occurrence)."""
    return cadences.generate(session=session, now=now)


def _due(session: Session, park: Park, first: date, last: date) -> list[tuple[Deadline, list | None, bool]]:
    rows = session.exec(
        select(
            InspectionTask.id,
            InspectionTask.enterprise_id,
            InspectionTask.kind,
            InspectionTask.assignee_id,
            InspectionTask.due_date,
            PatrolCadence.id,
            PatrolCadence.reminder_days,
            PatrolCadence.escalate,
        )
        .outerjoin(PatrolCadence, PatrolCadence.id == InspectionTask.cadence_id)
        .where(
            InspectionTask.park_id == park.id,
            InspectionTask.status == "open",
            InspectionTask.due_date >= first,
            InspectionTask.due_date <= last,
        )
        .order_by(InspectionTask.due_date, InspectionTask.id)
    ).all()
    found = []
    for task_id, enterprise_id, kind, assignee_id, due, cadence_id, reminder_days, escalate in rows:
        deadline = Deadline(
            object_type="task",
            object_id=task_id,
            park_id=park.id,
            enterprise_id=enterprise_id,
            due_date=due,
            assignee_id=None if kind in ENTERPRISE_KINDS else assignee_id,
            payload={"task_kind": kind, "due_date": due.isoformat()},
            text=KIND_NAMES.get(kind, kind),
        )
        found.append((deadline, None if cadence_id is None else reminder_days, escalate if cadence_id else True))
    return found


def _park_level(deadline: Deadline) -> bool:
    return deadline.enterprise_id is None and deadline.assignee_id is None


def _audience(deadline: Deadline, audience: str) -> str:
    """A park task nobody is assigned to answers to the park managers from the first step."""
    return "park_manager" if _park_level(deadline) and audience in ("enterprise", "liaison") else audience


def _words(deadline: Deadline, reason: str, days: int) -> tuple[str, str]:
    name, due = deadline.text, deadline.due_date.isoformat()
    if reason.startswith("reminder"):
        return f"检查任务到期提醒：{name}", f"{name}任务须于{due}前完成（剩余{days}天）。"
    return f"检查任务逾期：{name}", f"{name}任务期限{due}已过，逾期第{days + 1}天，请尽快完成。"


def send_task_reminders(*, session: Session, now: datetime | None = None) -> str:
    """Remind whoever does each open task before it is due (park setting `task_reminder_days`, cadence's own)."""
    now, sent = now or utcnow(), 0
    for park in session.exec(select(Park)).all():
        today = local_date(now, park.timezone)
        park_days = ladder.reminder_days(park.settings, key="task_reminder_days")
        due = _due(session, park, today, today + timedelta(days=cadences.LEAD_DAYS_MAX))
        offsets = {d.object_id: park_days if own is None else tuple(sorted(own, reverse=True)) for d, own, _ in due}
        steps = ladder.reminder_steps([d for d, _, _ in due], today, lambda d, o=offsets: o[d.object_id])
        steps = [(d, _audience(d, audience), reason, days) for d, audience, reason, days in steps]
        sent += ladder.notify(session, steps, _words)
    return f"sent {sent} task reminders"


def escalate_overdue_tasks(*, session: Session, now: datetime | None = None) -> str:
    """Walk the escalation ladder (park setting `task_escalation_ladder`) for overdue open tasks, once per step."""
    now, sent = now or utcnow(), 0
    for park in session.exec(select(Park)).all():
        today = local_date(now, park.timezone)
        park_ladder = ladder.ladder(park.settings, key="task_escalation_ladder")
        due = _due(session, park, *ladder.escalation_window(today, park_ladder))
        chased = [d for d, _, escalate in due if escalate]
        steps = ladder.escalation_steps(chased, today, lambda _d, steps=park_ladder: steps)
        steps = [(d, _audience(d, audience), reason, days) for d, audience, reason, days in steps]
        sent += ladder.notify(session, steps, _words)
    return f"sent {sent} task escalations"
