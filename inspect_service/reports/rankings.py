"""Rankings (DOMAIN.md §6.3): enterprises (worst first) and liaison officers (best first), weights per park."""

import uuid

from sqlalchemy import String, and_, case, cast, func, not_, or_, select
from sqlmodel import Session

from inspect_service.campaigns.models import InspectionTask
from inspect_service.enterprises.models import Enterprise
from inspect_service.hazards.device_time import happened_at
from inspect_service.hazards.models import Hazard, HazardEvent
from inspect_service.inspections.models import Inspection
from inspect_service.parks.models import Park
from inspect_service.reports.figures import DEFAULT_WEIGHTS, EnterpriseRank, LiaisonRank, Window
from inspect_service.reports.metrics import (
    enterprise_scope,
    event_filters,
    hazard_filters,
    inspection_filters,
    overdue_clause,
    rectified_clause,
)
from inspect_service.users.models import PortfolioEntry, User


def weights(park: Park) -> dict[str, float]:
    """The park's ranking weights (`ranking_weights` in its settings) over the defaults."""
    own = (park.settings or {}).get("ranking_weights") or {}
    return {key: float(own.get(key, value)) for key, value in DEFAULT_WEIGHTS.items()}


def _n(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _events_by_enterprise(w: Window, action: str, *extra):
    return (
        select(HazardEvent.enterprise_id.label("enterprise_id"), func.count().label("n"))
        .join(Hazard, Hazard.id == HazardEvent.hazard_id)
        .where(*event_filters(w, action), *extra)
        .group_by(HazardEvent.enterprise_id)
        .subquery()
    )


def enterprises(session: Session, w: Window, wt: dict) -> tuple[EnterpriseRank, ...]:
    """Enterprises with anything to rank, worst first (then by name)."""
    rectified = rectified_clause(w)
    hazards = (
        select(
            Hazard.enterprise_id.label("enterprise_id"),
            _n(overdue_clause(w)).label("overdue"),
            _n(Hazard.false_closure).label("false_closures"),
            _n(and_(Hazard.level == "major", not_(rectified))).label("open_majors"),
        )
        .where(*hazard_filters(w))
        .group_by(Hazard.enterprise_id)
        .subquery()
    )
    late_completion = HazardEvent.payload["completed_on"].as_string() > cast(Hazard.deadline, String)
    late = _events_by_enterprise(w, "submit_reply", late_completion)
    refusals = _events_by_enterprise(w, "record_refusal")
    columns = (
        func.coalesce(hazards.c.overdue, 0),
        func.coalesce(hazards.c.false_closures, 0),
        func.coalesce(hazards.c.open_majors, 0),
        func.coalesce(late.c.n, 0),
        func.coalesce(refusals.c.n, 0),
    )
    rows = session.exec(
        select(Enterprise.id, Enterprise.name, *columns)
        .outerjoin(hazards, hazards.c.enterprise_id == Enterprise.id)
        .outerjoin(late, late.c.enterprise_id == Enterprise.id)
        .outerjoin(refusals, refusals.c.enterprise_id == Enterprise.id)
        .where(*enterprise_scope(w))
    ).all()
    keys = ("overdue", "false_closure", "open_major", "late_reply", "refusal")
    ranked = []
    for enterprise_id, name, *counts in rows:
        counts = [int(c) for c in counts]
        if any(counts):
            score = sum(wt[key] * count for key, count in zip(keys, counts, strict=True))
            ranked.append(EnterpriseRank(enterprise_id, name, *counts, score=score))
    return tuple(sorted(ranked, key=lambda r: (-r.score, r.enterprise)))


def _days_between(session: Session, later, earlier):
    """Days from `earlier` to `later` in SQL (SQLite stores text timestamps, PostgreSQL intervals)."""
    if session.get_bind().dialect.name == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return func.extract("epoch", later - earlier) / 86400.0


def _recheck_days(session: Session, w: Window):
    """Per enterprise: rechecks in the window and the total days each waited since its reply (when they happened)."""
    reply = HazardEvent.__table__.alias("reply")
    rechecked_at = happened_at()
    replied_at = (
        select(func.max(happened_at(reply.c)))
        .where(reply.c.hazard_id == HazardEvent.hazard_id, reply.c.action == "submit_reply")
        .where(happened_at(reply.c) <= rechecked_at)
        .scalar_subquery()
    )
    rechecks = [
        and_(*event_filters(w, "recheck_pass")).self_group(),
        and_(*event_filters(w, "recheck_fail")).self_group(),
    ]
    days = _days_between(session, rechecked_at, replied_at)
    return (
        select(
            HazardEvent.enterprise_id.label("enterprise_id"),
            func.count(days).label("rechecks"),
            func.coalesce(func.sum(days), 0).label("days"),
        )
        .join(Hazard, Hazard.id == HazardEvent.hazard_id)
        .where(or_(*rechecks))
        .group_by(HazardEvent.enterprise_id)
        .subquery()
    )


def liaison_officers(session: Session, w: Window, wt: dict) -> tuple[LiaisonRank, ...]:
    """The park's liaison officers by their portfolio's coverage, overdue items and recheck speed, best first."""
    inspected = select(Inspection.enterprise_id).where(*inspection_filters(w)).distinct()
    overdue = (
        select(Hazard.enterprise_id.label("enterprise_id"), func.count().label("n"))
        .where(*hazard_filters(w), overdue_clause(w))
        .group_by(Hazard.enterprise_id)
        .subquery()
    )
    rechecks = _recheck_days(session, w)
    portfolio = [PortfolioEntry.park_id == w.park_id]
    if w.enterprise_ids:
        portfolio.append(PortfolioEntry.enterprise_id.in_(w.enterprise_ids))
    rows = session.exec(
        select(
            User.id,
            User.display_name,
            func.count(PortfolioEntry.enterprise_id),
            _n(PortfolioEntry.enterprise_id.in_(inspected)),
            func.coalesce(func.sum(overdue.c.n), 0),
            func.coalesce(func.sum(rechecks.c.rechecks), 0),
            func.coalesce(func.sum(rechecks.c.days), 0),
        )
        .join(PortfolioEntry, and_(PortfolioEntry.user_id == User.id, *portfolio))
        .outerjoin(overdue, overdue.c.enterprise_id == PortfolioEntry.enterprise_id)
        .outerjoin(rechecks, rechecks.c.enterprise_id == PortfolioEntry.enterprise_id)
        .where(User.park_id == w.park_id, User.inspector_kind == "liaison_officer", User.disabled.is_(False))
        .group_by(User.id, User.display_name)
    ).all()
    tasks = _tasks_by_assignee(session, w)
    ranked = []
    for user_id, name, size, seen, late, checks, days in rows:
        avg = float(days) / int(checks) if checks else None
        coverage = int(seen) / int(size) if size else 0.0
        score = wt["liaison_coverage"] * coverage - wt["liaison_overdue"] * int(late)
        score -= wt["liaison_recheck_day"] * (avg or 0.0)
        assigned, done = tasks.get(user_id, (0, 0))
        ranked.append(
            LiaisonRank(user_id, name, int(size), int(seen), int(late), int(checks), avg, assigned, done, score)
        )
    return tuple(sorted(ranked, key=lambda r: (-r.score, r.officer)))


def _tasks_by_assignee(session: Session, w: Window) -> dict[uuid.UUID, tuple[int, int]]:
    query = select(InspectionTask.assignee_id, func.count(), _n(InspectionTask.status == "done")).where(
        InspectionTask.park_id == w.park_id, InspectionTask.assignee_id.is_not(None)
    )
    if w.phase_id:
        query = query.where(InspectionTask.phase_id == w.phase_id)
    elif w.campaign_id:
        query = query.where(InspectionTask.campaign_id == w.campaign_id)
    else:
        query = query.where(InspectionTask.due_date >= w.start, InspectionTask.due_date <= w.end)
    return {row[0]: (int(row[1]), int(row[2])) for row in session.exec(query.group_by(InspectionTask.assignee_id))}
