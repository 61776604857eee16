"""A self-check report's months and figures: the park's due day, a month's bounds in the park's zone, and the
hazard-ledger counts for one enterprise and one month (computed here, never taken from a client)."""

import uuid
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, select

from inspect_service.hazards.models import Hazard
from inspect_service.hazards.service import FIVE_POINTS
from inspect_service.inspections.models import Inspection

DUE_DAY_KEY = "self_check_report_due_day"
DUE_DAY_DEFAULT = 10  # DOMAIN.md §2.2: the monthly status report is due before the 10th
LEVELS = ("general", "major")
REPORT_ID_NAMESPACE = uuid.UUID("6b1f3c52-4f0e-4c1e-9a55-2f7d8c0e5a10")


def add_months(period: date, months: int) -> date:
    """The first day of the month `months` after (or before) `period`'s month."""
    index = period.year * 12 + period.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_of(day: date) -> date:
    """The period (first day of the month) that `day` falls in."""
    return day.replace(day=1)


def format_period(period: date) -> str:
    """`2027-03` for March 2027."""
    return f"{period.year:04d}-{period.month:02d}"


def due_day(settings: dict | None) -> int:
    """The park's day of the following month by which a report is due (inclusive; 1–28, default the 10th)."""
    value = (settings or {}).get(DUE_DAY_KEY, DUE_DAY_DEFAULT)
    return min(max(int(value), 1), 28)


def due_date(period: date, settings: dict | None) -> date:
    """The last local day on which the report for `period` is on time."""
    return add_months(period, 1).replace(day=due_day(settings))


def bounds(period: date, tz_name: str) -> tuple[datetime, datetime]:
    """The month as a half-open UTC interval [start, end), its days counted in the park's zone."""
    zone = ZoneInfo(tz_name)
    start = datetime.combine(period, time(), zone).astimezone(UTC)
    end = datetime.combine(add_months(period, 1), time(), zone).astimezone(UTC)
    return start, end


def report_id(enterprise_id: uuid.UUID, period: date) -> uuid.UUID:
    """The id of an enterprise's report for a month, known before the report exists (reminders name it)."""
    return uuid.uuid5(REPORT_ID_NAMESPACE, f"{enterprise_id}/{format_period(period)}")


def _missing(name: str):
    column = getattr(Hazard, name)
    if isinstance(getattr(column.type, "impl", column.type), sa.String):  # text is blank when empty, others NULL
        return or_(column.is_(None), column == "")
    return column.is_(None)


def _hazard_counts(session: Session, enterprise_id: uuid.UUID, start: datetime, end: datetime) -> list:
    """Per level: found in the month, rectified (closed) in it, open at its end, and the open ones' five points.

    Found and closed count when they happened: `found_at` and `closed_at` carry the device time where given.
    """
    found_at = func.coalesce(Hazard.found_at, Hazard.created_at)
    open_at_end = or_(Hazard.closed_at.is_(None), Hazard.closed_at >= end)
    missing = {name: _missing(name) for name in FIVE_POINTS}

    def total(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    columns = [
        Hazard.level,
        total(found_at >= start).label("found"),
        total(and_(Hazard.closed_at >= start, Hazard.closed_at < end)).label("rectified"),
        total(open_at_end).label("open"),
        total(and_(open_at_end, *(~condition for condition in missing.values()))).label("complete"),
        *(total(and_(open_at_end, condition)).label(name) for name, condition in missing.items()),
    ]
    query = (
        select(*columns)
        .where(
            Hazard.enterprise_id == enterprise_id,
            Hazard.status != "voided",
            found_at < end,
            or_(Hazard.closed_at.is_(None), Hazard.closed_at >= start),
        )
        .group_by(Hazard.level)
    )
    return list(session.exec(query).all())


def _inspection_counts(session: Session, enterprise_id: uuid.UUID, start: datetime, end: datetime) -> dict:
    total, own = session.exec(
        select(func.count(), func.coalesce(func.sum(case((Inspection.source == "self_check", 1), else_=0)), 0)).where(
            Inspection.enterprise_id == enterprise_id, Inspection.started_at >= start, Inspection.started_at < end
        )
    ).one()
    return {"total": int(total), "self_check": int(own)}


def compute(*, session: Session, enterprise_id: uuid.UUID, period: date, tz_name: str) -> dict:
    """The report's figures from the hazard ledger: found, rectified and open by level, the open hazards' five
    points (五落实), and the month's inspections. Voided hazards are not counted."""
    start, end = bounds(period, tz_name)
    rows = _hazard_counts(session, enterprise_id, start, end)
    figures: dict = {kind: dict.fromkeys(LEVELS, 0) for kind in ("found", "rectified", "open")}
    five_points = {"open": 0, "complete": 0, "missing": dict.fromkeys(FIVE_POINTS, 0)}
    for row in rows:
        for kind in ("found", "rectified", "open"):
            figures[kind][row.level] = figures[kind].get(row.level, 0) + int(getattr(row, kind))
        five_points["open"] += int(row.open)
        five_points["complete"] += int(row.complete)
        for name in FIVE_POINTS:
            five_points["missing"][name] += int(getattr(row, name))
    for kind in ("found", "rectified", "open"):
        figures[kind]["total"] = sum(figures[kind].values())
    five_points["incomplete"] = five_points["open"] - five_points["complete"]
    return {
        "period": format_period(period),
        **figures,
        "five_points": five_points,
        "inspections": _inspection_counts(session, enterprise_id, start, end),
    }
