"""Inline SVG charts for the dashboard: geometry computed here, drawn by templates (nothing from a CDN)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func
from sqlmodel import Session, select

from inspect_service.hazards.models import Hazard
from inspect_service.reports import metrics

MAX_WEEKS = 60
WIDTH, HEIGHT, PAD = 640, 220, 28


@dataclass(frozen=True)
class Bar:
    """One bar (or pair of bars) with its label and values."""

    label: str
    x: float
    width: float
    values: tuple[int, ...]
    heights: tuple[float, ...]


def bars(items: list[tuple[str, tuple[int, ...]]], *, width: int = WIDTH, height: int = HEIGHT) -> dict:
    """Grouped bars of `items` ((label, values) pairs) scaled to the tallest value."""
    top = max([max(values) for _label, values in items if values] + [1])
    slot = (width - 2 * PAD) / max(len(items), 1)
    series = max((len(values) for _label, values in items), default=1)
    bar_width = max(slot * 0.8 / series, 2)
    plot = height - 2 * PAD
    drawn = [
        Bar(label, PAD + i * slot + slot * 0.1, bar_width, values, tuple(plot * v / top for v in values))
        for i, (label, values) in enumerate(items)
    ]
    return {"bars": drawn, "width": width, "height": height, "pad": PAD, "top": top, "base": height - PAD}


def _instant(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(zone))


def weekly_trend(session: Session, w: metrics.Window) -> list[tuple[str, tuple[int, int]]]:
    """Hazards found and rectified per week of the report window (the report's own counting rules)."""
    weeks = []
    start = w.start
    while start <= w.end:
        weeks.append(start)
        start += timedelta(days=7)
    weeks = weeks[-MAX_WEEKS:]
    if not weeks:
        return []
    found_at = func.coalesce(Hazard.found_at, Hazard.created_at)
    columns = []
    for first in weeks:
        after = min(first + timedelta(days=7), w.end + timedelta(days=1))
        lo, hi = _instant(first, w.timezone), _instant(after, w.timezone)
        columns.append(func.coalesce(func.sum(_one(and_(found_at >= lo, found_at < hi))), 0))
        closed = and_(metrics.rectified_clause(w), Hazard.closed_at >= lo, Hazard.closed_at < hi)
        columns.append(func.coalesce(func.sum(_one(closed)), 0))
    row = session.exec(select(*columns).where(*metrics.hazard_filters(w))).one()
    return [(f"{first:%m-%d}", (int(row[2 * i]), int(row[2 * i + 1]))) for i, first in enumerate(weeks)]


def _one(condition):
    return case((condition, 1), else_=0)


def timeline(phases: list, today: date, *, width: int = 1200) -> dict:
    """Phases laid along the campaign's span, with today's position (None when outside the span)."""
    if not phases:
        return {"phases": [], "today_x": None, "width": width}
    first, last = min(p.start_date for p in phases), max(p.end_date for p in phases)
    days = max((last - first).days + 1, 1)
    scale = (width - 2 * PAD) / days

    def x(day: date) -> float:
        return PAD + (day - first).days * scale

    laid = [
        {"phase": p, "x": x(p.start_date), "width": max(((p.end_date - p.start_date).days + 1) * scale, 2)}
        for p in phases
    ]
    today_x = x(today) + scale / 2 if first <= today <= last else None
    return {"phases": laid, "today_x": today_x, "width": width, "first": first, "last": last}
