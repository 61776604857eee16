"""Self-check report rules: the safety officer drafts and submits, the principal signs off or returns, every
change is an event; figures come from the hazard ledger; reads are scoped like the enterprise."""

import uuid
from datetime import date, datetime

from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.common.concurrency import check_version
from inspect_service.common.db import flush_or_conflict
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.common.time import local_date, utcnow
from inspect_service.enterprises import service as enterprise_service
from inspect_service.errors import Conflict, Forbidden, NotFound, Unprocessable
from inspect_service.parks.models import Park
from inspect_service.selfchecks import figures
from inspect_service.selfchecks.models import SelfCheckReport, SelfCheckReportEvent
from inspect_service.sync import feed

OFFICER, PRINCIPAL = "enterprise_safety_officer", "enterprise_principal"
EDITABLE = ("draft", "returned")
NARRATIVE = ("checks_summary", "rectification_summary", "open_hazards_measures", "remarks", "published_internally_on")
# action -> (states it applies in, the one role that takes it, the state it leads to)
ACTIONS = {
    "submit": (EDITABLE, OFFICER, "submitted"),
    "sign_off": (("submitted",), PRINCIPAL, "signed_off"),
    "return": (("submitted",), PRINCIPAL, "returned"),
}


def visible(query, actor: Actor):
    """Restrict a SelfCheckReport query to what `actor` may see (the enterprise's scope)."""
    return enterprise_service.scope(
        query, actor, park_col=SelfCheckReport.park_id, enterprise_col=SelfCheckReport.enterprise_id
    )


def timeliness(first_submitted_at: datetime | None, late: bool | None, due: date, today: date) -> str:
    """`on_time` or `late` once submitted (judged by the first submission); before that `missing` after the due
    date and `not_due` until it passes."""
    if first_submitted_at is not None:
        return "late" if late else "on_time"
    return "missing" if today > due else "not_due"


def _park(session: Session, park_id: uuid.UUID) -> Park:
    return session.get(Park, park_id)


def view(session: Session, report: SelfCheckReport, *, events: bool = False) -> dict:
    """The report as returned, with its timeliness today (and its history when asked)."""
    today = local_date(utcnow(), _park(session, report.park_id).timezone)
    result = {
        **report.model_dump(),
        "timeliness": timeliness(report.first_submitted_at, report.late, report.due_date, today),
    }
    if events:
        result["events"] = session.exec(
            select(SelfCheckReportEvent)
            .where(SelfCheckReportEvent.report_id == report.id)
            .order_by(SelfCheckReportEvent.at, SelfCheckReportEvent.id)
        ).all()
    return result


def get(*, session: Session, actor: Actor, report_id: uuid.UUID, lock: bool = False) -> SelfCheckReport:
    """A visible report or 404 (optionally locking its row)."""
    query = visible(select(SelfCheckReport), actor).where(SelfCheckReport.id == report_id)
    report = session.exec(query.with_for_update() if lock else query).first()
    if report is None:
        raise NotFound("No such self-check report.")
    return report


def get_view(*, session: Session, actor: Actor, report_id: uuid.UUID) -> dict:
    """A visible report with its full history."""
    return view(session, get(session=session, actor=actor, report_id=report_id), events=True)


def list_reports(
    *,
    session: Session,
    actor: Actor,
    limit: int,
    cursor: str | None = None,
    period: date | None = None,
    enterprise_id: uuid.UUID | None = None,
    status: str | None = None,
) -> Page:
    """Visible reports by creation time, filtered."""
    query = visible(select(SelfCheckReport), actor)
    for column, value in (
        (SelfCheckReport.period, period),
        (SelfCheckReport.enterprise_id, enterprise_id),
        (SelfCheckReport.status, status),
    ):
        if value is not None:
            query = query.where(column == value)
    page = keyset_page(
        session, query, sort_col=SelfCheckReport.created_at, id_col=SelfCheckReport.id, sort_attr="created_at",
        limit=limit, cursor=cursor, parse=datetime.fromisoformat,
    )  # fmt: skip
    return Page(items=[view(session, report) for report in page.items], next_cursor=page.next_cursor)


def _event(session: Session, report: SelfCheckReport, actor: Actor, action: str, from_status, payload=None) -> None:
    session.add(
        SelfCheckReportEvent(
            report_id=report.id,
            park_id=report.park_id,
            enterprise_id=report.enterprise_id,
            action=action,
            from_status=from_status,
            to_status=report.status,
            actor_id=actor.user_id,
            payload=payload or {},
        )
    )
    feed.record(
        session,
        entity="self_check_report",
        entity_id=report.id,
        park_id=report.park_id,
        enterprise_id=report.enterprise_id,
    )


def _refresh_figures(session: Session, report: SelfCheckReport, park: Park, now: datetime) -> None:
    report.figures = figures.compute(
        session=session, enterprise_id=report.enterprise_id, period=report.period, tz_name=park.timezone
    )
    report.figures_at = now


def _narrative_payload(changes: dict) -> dict:
    return {key: (value.isoformat() if isinstance(value, date) else value) for key, value in changes.items()}


def _check_narrative(changes: dict, today: date) -> None:
    published = changes.get("published_internally_on")
    if published is not None and published > today:
        raise Unprocessable.field("published_internally_on", "The report cannot have been posted in the future.")


def create(*, session: Session, actor: Actor, report_in: dict) -> SelfCheckReport:
    """Draft the officer's enterprise's report for a month that has begun (one per month; 409 for a second)."""
    require_role(actor, OFFICER)
    park = _park(session, actor.park_id)
    now = utcnow()
    data = dict(report_in)
    period = data.pop("period")
    today = local_date(now, park.timezone)
    if period > figures.period_of(today):
        raise Unprocessable.field("period", "A report covers a month that has begun.")
    _check_narrative(data, today)
    report = SelfCheckReport(
        **data,
        id=figures.report_id(actor.enterprise_id, period),
        park_id=park.id,
        enterprise_id=actor.enterprise_id,
        period=period,
        due_date=figures.due_date(period, park.settings),
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
        figures_at=now,
    )
    if session.get(SelfCheckReport, report.id) is not None:
        raise Conflict("The report for this month already exists.")
    _refresh_figures(session, report, park, now)
    session.add(report)
    flush_or_conflict(session, "The report for this month already exists.")
    _event(
        session, report, actor, "create", None, {"period": figures.format_period(period), **_narrative_payload(data)}
    )
    session.flush()
    return report


def update(
    *, session: Session, actor: Actor, report_id: uuid.UUID, version: int | None, changes: dict,
    require_version: bool = True,
) -> SelfCheckReport:  # fmt: skip
    """Edit the narrative of a draft or returned report (the officer), guarded by its version (when required or
    given); figures refresh."""
    report = get(session=session, actor=actor, report_id=report_id, lock=True)
    require_role(actor, OFFICER)
    if require_version or version is not None:
        check_version(report.version, version)
    if report.status not in EDITABLE:
        raise Conflict(f"A {report.status} report is not edited.", extra={"allowed_actions": []})
    now = utcnow()
    park = _park(session, report.park_id)
    _check_narrative(changes, local_date(now, park.timezone))
    for key, value in changes.items():
        setattr(report, key, value)
    _refresh_figures(session, report, park, now)
    report.version += 1
    report.updated_at = now
    session.add(report)
    _event(session, report, actor, "update", report.status, _narrative_payload(changes))
    session.flush()
    return report


def allowed_actions(report: SelfCheckReport, actor: Actor) -> list[str]:
    """The actions `actor` may take on the report now."""
    return [name for name, (sources, role, _) in ACTIONS.items() if report.status in sources and actor.role == role]


def _submit(session: Session, report: SelfCheckReport, today: date, now: datetime, actor: Actor) -> dict:
    if today < figures.add_months(report.period, 1):
        raise Conflict("The month has not ended yet.", extra={"allowed_actions": []})
    if not report.checks_summary.strip():
        raise Unprocessable.field("checks_summary", "Describe the month's self-checks before submitting.")
    _refresh_figures(session, report, _park(session, report.park_id), now)
    if report.first_submitted_at is None:
        report.first_submitted_at, report.late = now, today > report.due_date
    report.submitted_at, report.submitted_by, report.return_reason = now, actor.user_id, None
    return {"late": report.late, "figures": report.figures}


def perform(
    *, session: Session, actor: Actor, report_id: uuid.UUID, action: str, data: dict, version: int | None = None
) -> SelfCheckReport:
    """Submit, sign off or return a report: 403 for a role that never may, 409 in the wrong state."""
    sources, role, target = ACTIONS[action]
    report = get(session=session, actor=actor, report_id=report_id, lock=True)
    if actor.role != role:
        raise Forbidden(f"Your role may not {action.replace('_', ' ')} this report.")
    if report.status not in sources:
        raise Conflict(
            f"'{action}' is not possible while the report is {report.status}.",
            extra={"allowed_actions": allowed_actions(report, actor)},
        )
    if version is not None:
        check_version(report.version, version)
    now = utcnow()
    today = local_date(now, _park(session, report.park_id).timezone)
    payload = dict(data)
    if action == "submit":
        payload.update(_submit(session, report, today, now, actor))
    elif action == "sign_off":
        report.signed_off_at, report.signed_off_by = now, actor.user_id
    else:
        report.return_reason = data["reason"]
    from_status, report.status = report.status, target
    report.version += 1
    report.updated_at = now
    session.add(report)
    _event(session, report, actor, action, from_status, payload)
    session.flush()
    return report
