"""The park staff's view of one month: every visible enterprise with its report's status, including the
enterprises that have no report at all (missing once the due date has passed)."""

import uuid
from datetime import date

from sqlalchemy import and_, false
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.common.time import local_date, utcnow
from inspect_service.enterprises import service as enterprise_service
from inspect_service.enterprises.models import Enterprise
from inspect_service.parks.models import Park
from inspect_service.selfchecks import figures
from inspect_service.selfchecks.models import STATUSES, SelfCheckReport
from inspect_service.selfchecks.service import timeliness

STAFF = ("admin", "park_manager", "inspector")
TIMELINESS = ("missing", "late", "on_time", "not_due")
FILTERS = ("none", *STATUSES, *TIMELINESS)
DEFAULT_TZ = "Asia/Shanghai"
R = SelfCheckReport


def default_period(session: Session, actor: Actor) -> date:
    """The last month whose report has fallen due or is falling due now: the previous month in the park's zone."""
    park = session.get(Park, actor.park_id) if actor.park_id else None
    return figures.add_months(figures.period_of(local_date(utcnow(), park.timezone if park else DEFAULT_TZ)), -1)


def _dues(session: Session, actor: Actor, period: date) -> dict[uuid.UUID, tuple[date, date]]:
    """(due date, today) of `period` per visible park, each in its own zone and with its own due day."""
    query = select(Park) if actor.is_admin else select(Park).where(Park.id == actor.park_id)
    now = utcnow()
    return {
        park.id: (figures.due_date(period, park.settings), local_date(now, park.timezone))
        for park in session.exec(query)
    }


def _status_clause(status: str, dues: dict[uuid.UUID, tuple[date, date]]):
    if status == "none":
        return R.id.is_(None)
    if status in STATUSES:
        return R.status == status
    if status == "late":
        return and_(R.first_submitted_at.is_not(None), R.late.is_(True))
    if status == "on_time":
        return and_(R.first_submitted_at.is_not(None), R.late.is_(False))
    passed = [park_id for park_id, (due, today) in dues.items() if today > due]
    parks = passed if status == "missing" else [park_id for park_id in dues if park_id not in passed]
    return and_(R.first_submitted_at.is_(None), Enterprise.park_id.in_(parks)) if parks else false()


def list_status(
    *,
    session: Session,
    actor: Actor,
    limit: int,
    cursor: str | None = None,
    period: date | None = None,
    status: str | None = None,
) -> Page:
    """One page of (enterprise, report status) for a month, by enterprise name; park staff only."""
    require_role(actor, *STAFF)
    period = period or default_period(session, actor)
    dues = _dues(session, actor, period)
    query = select(
        Enterprise.id, Enterprise.name, Enterprise.park_id, R.id.label("report_id"), R.status,
        R.first_submitted_at, R.submitted_at, R.signed_off_at, R.late,
    ).outerjoin(R, and_(R.enterprise_id == Enterprise.id, R.period == period))  # fmt: skip
    query = enterprise_service.visible(query, actor)
    if status is not None:
        query = query.where(_status_clause(status, dues))
    page = keyset_page(
        session, query, sort_col=Enterprise.name, id_col=Enterprise.id, sort_attr="name", limit=limit, cursor=cursor
    )
    return Page(items=[_row(row, period, dues) for row in page.items], next_cursor=page.next_cursor)


def _row(row, period: date, dues: dict) -> dict:
    due, today = dues[row.park_id]
    return {
        "enterprise_id": row.id,
        "enterprise_name": row.name,
        "park_id": row.park_id,
        "period": period,
        "due_date": due,
        "report_id": row.report_id,
        "status": row.status or "none",
        "timeliness": timeliness(row.first_submitted_at, row.late, due, today),
        "first_submitted_at": row.first_submitted_at,
        "submitted_at": row.submitted_at,
        "signed_off_at": row.signed_off_at,
    }
