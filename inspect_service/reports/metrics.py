"""Report metrics (DOMAIN.md §6.2–6.3) of a park over a campaign, a phase or a date range, by set-based SQL.

Public entry point: `compute(session, park, *, campaign_id=None, phase_id=None, start=None, end=None,
domain=None, today=None) -> ReportMetrics`. Everything returned is a frozen dataclass of reports.figures, ready
for the renderers (`documents/pdf/bulletin.py`, `reports/workbook.py`) and the web console's dashboard.
"""

import uuid
from datetime import date

from sqlalchemy import and_, case, func, not_, or_
from sqlmodel import Session, select

from inspect_service.campaigns.models import Campaign, InspectionTask, Phase
from inspect_service.common.time import local_date, utcnow
from inspect_service.enterprises.models import Enterprise
from inspect_service.errors import NotFound, Unprocessable
from inspect_service.hazards import lifecycle
from inspect_service.hazards.device_time import happened_at
from inspect_service.hazards.models import Hazard, HazardEvent
from inspect_service.hazards.schemas import DOMAINS, LEVELS, SOURCES
from inspect_service.inspections.models import Inspection
from inspect_service.parks.models import Park
from inspect_service.reports import paperwork
from inspect_service.reports.figures import (
    ESCALATION_TYPES,
    NOTICE_KINDS,
    Coverage,
    MajorItem,
    MajorSummary,
    OverdueItem,
    ReportMetrics,
    Tally,
    Window,
    enterprise_formula,
    liaison_formula,
)
from inspect_service.users.models import PortfolioEntry, User

DENOMINATORS = ("all", "due")
MAX_DAYS = 3 * 366  # the longest window a report covers


def _clamp_today(park: Park, today: date | None) -> date:
    return today or local_date(utcnow(), park.timezone)


def _campaign_window(session: Session, park: Park, campaign_id, phase_id) -> dict:
    """Dates and scope of a campaign (its phases' span) or one of its phases; 404 for another park's."""
    if phase_id is not None:
        phase = session.get(Phase, phase_id)
        if phase is None or phase.park_id != park.id or (campaign_id and phase.campaign_id != campaign_id):
            raise NotFound("No such phase.")
        campaign_id = phase.campaign_id
    campaign = session.get(Campaign, campaign_id)
    if campaign is None or campaign.park_id != park.id:
        raise NotFound("No such campaign.")
    if phase_id is not None:
        start, end = phase.start_date, phase.end_date
    else:
        start, end = session.exec(
            select(func.min(Phase.start_date), func.max(Phase.end_date)).where(Phase.campaign_id == campaign.id)
        ).one()
        start, end = start or date(campaign.year, 1, 1), end or date(campaign.year, 12, 31)
    return {
        "campaign_id": campaign.id,
        "campaign_name": campaign.name,
        "phase_id": phase_id,
        "phase_name": phase.name if phase_id is not None else None,
        "start": start,
        "end": end,
        "domains": tuple(campaign.scope_domains or ()),
        "enterprise_ids": tuple(uuid.UUID(str(i)) for i in campaign.scope_enterprise_ids or ()),
    }


def window(
    session: Session, park: Park, *, campaign_id=None, phase_id=None, start=None, end=None, domain=None, today=None
) -> Window:
    """Resolve what a report covers; explicit dates narrow a campaign's, the end never passes today."""
    found: dict = {"domains": (), "enterprise_ids": ()}
    if campaign_id is not None or phase_id is not None:
        found = _campaign_window(session, park, campaign_id, phase_id)
        start = max(start, found["start"]) if start else found["start"]
        end = min(end, found["end"]) if end else found["end"]
    elif start is None or end is None:
        raise Unprocessable.field("start", "Give a campaign, a phase, or both start and end.")
    end = min(end, _clamp_today(park, today))
    if end < start:
        raise Unprocessable.field("end", "The report ends before it starts (or starts after today).")
    if (end - start).days > MAX_DAYS:
        raise Unprocessable.field("end", f"A report covers at most {MAX_DAYS} days.")
    domains = found["domains"]
    if domain is not None:
        domains = (domain,)
    denominator = (park.settings or {}).get("rectification_rate_denominator", "all")
    return Window(
        park_id=park.id,
        park_name=park.name,
        park_short_name=park.short_name,
        timezone=park.timezone,
        start=start,
        end=end,
        denominator=denominator if denominator in DENOMINATORS else "all",
        domain=domain,
        **{k: v for k, v in found.items() if k not in ("start", "end", "domains")},
        domains=domains,
    )


def hazard_filters(w: Window) -> list:
    """The hazards a report counts: found in the window (device time, else server time), not voided."""
    found_at = func.coalesce(Hazard.found_at, Hazard.created_at)
    conditions = [Hazard.park_id == w.park_id, Hazard.status != "voided", found_at >= w.start_utc]
    conditions.append(found_at < w.end_utc)
    if w.domains:
        conditions.append(Hazard.domain.in_(w.domains))
    if w.enterprise_ids:
        conditions.append(Hazard.enterprise_id.in_(w.enterprise_ids))
    return conditions


def rectified_clause(w: Window):
    """Closed (on site, after recheck, written off or delisted) by the end of the report date.

    `closed_at` is when the closing action happened: its device time where the phone gave one (`happened_at`).
    """
    return and_(Hazard.status == "closed", Hazard.closed_at < w.end_utc)


def due_clause(w: Window):
    """Counted in the `due` denominator: deadline on or before the report date, immediate, or already rectified."""
    return or_(rectified_clause(w), Hazard.rectify_mode == "immediate", Hazard.deadline <= w.end)


def overdue_clause(w: Window):
    """Not rectified on the report date, clock running (or closed later), past the end of its deadline day."""
    running = Hazard.status.in_((*lifecycle.CLOCK_RUNNING, "closed"))
    return and_(not_(rectified_clause(w)), running, Hazard.deadline < w.end)


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _tallies(session: Session, w: Window) -> dict[str, tuple[Tally, ...]]:
    """One GROUP BY over (level, source, domain, enterprise class), rolled up per dimension."""
    rows = session.exec(
        select(
            Hazard.level,
            Hazard.source,
            Hazard.domain,
            Enterprise.enterprise_class,
            func.count(),
            _count(rectified_clause(w)),
            _count(due_clause(w)),
        )
        .join(Enterprise, Enterprise.id == Hazard.enterprise_id)
        .where(*hazard_filters(w))
        .group_by(Hazard.level, Hazard.source, Hazard.domain, Enterprise.enterprise_class)
    ).all()
    denominator = 4 if w.denominator == "all" else 6  # the column of the rate's denominator

    def roll(index: int, order, always=()) -> tuple[Tally, ...]:
        """Sum the groups' counts per value of column `index` (a handful of rows, not hazards)."""
        sums: dict[str, list[int]] = {str(key): [0, 0, 0] for key in always}
        for row in rows:
            acc = sums.setdefault(str(row[index]), [0, 0, 0])
            for i, column in enumerate((4, 5, denominator)):
                acc[i] += int(row[column])
        keys = sorted(sums, key=lambda k: (order.index(k) if k in order else len(order), k))
        return tuple(Tally(k, *sums[k]) for k in keys)

    by_level = roll(0, LEVELS, LEVELS)
    return {
        "total": Tally("total", *(sum(getattr(t, f) for t in by_level) for f in ("found", "rectified", "denominator"))),
        "by_level": by_level,
        "by_source": roll(1, SOURCES),
        "by_domain": roll(2, DOMAINS),
        "by_class": roll(3, ("1", "2", "3")),
    }


def enterprise_scope(w: Window) -> list:
    """The enterprises a report covers: the campaign's scope, else the whole park."""
    conditions = [Enterprise.park_id == w.park_id]
    if w.enterprise_ids:
        conditions.append(Enterprise.id.in_(w.enterprise_ids))
    return conditions


def inspection_filters(w: Window) -> list:
    """Visits by the park (not the enterprise's own self-checks) started in the window, to enterprises in scope."""
    conditions = [
        Inspection.park_id == w.park_id,
        Inspection.source != "self_check",
        Inspection.started_at >= w.start_utc,
        Inspection.started_at < w.end_utc,
    ]
    if w.enterprise_ids:
        conditions.append(Inspection.enterprise_id.in_(w.enterprise_ids))
    return conditions


def _coverage(session: Session, w: Window) -> Coverage:
    enterprises = session.exec(select(func.count()).select_from(Enterprise).where(*enterprise_scope(w))).one()
    inspected, visits = session.exec(
        select(func.count(func.distinct(Inspection.enterprise_id)), func.count()).where(*inspection_filters(w))
    ).one()
    tasks = select(func.count(), _count(InspectionTask.status == "done")).where(InspectionTask.park_id == w.park_id)
    if w.phase_id:
        tasks = tasks.where(InspectionTask.phase_id == w.phase_id)
    elif w.campaign_id:
        tasks = tasks.where(InspectionTask.campaign_id == w.campaign_id)
    else:
        tasks = tasks.where(InspectionTask.due_date >= w.start, InspectionTask.due_date <= w.end)
    planned, done = session.exec(tasks).one()
    return Coverage(enterprises, inspected, visits, planned, int(done))


def liaison_names():
    """Each enterprise's liaison officer (the first by name), as a subquery (enterprise_id, name)."""
    return (
        select(PortfolioEntry.enterprise_id, func.min(User.display_name).label("name"))
        .join(User, User.id == PortfolioEntry.user_id)
        .where(User.inspector_kind == "liaison_officer")
        .group_by(PortfolioEntry.enterprise_id)
        .subquery()
    )


def _overdue(session: Session, w: Window) -> tuple[OverdueItem, ...]:
    liaison = liaison_names()
    rows = session.exec(
        select(Enterprise.name, Hazard.hazard_no, Hazard.description, Hazard.level, Hazard.deadline, liaison.c.name)
        .join(Enterprise, Enterprise.id == Hazard.enterprise_id)
        .outerjoin(liaison, liaison.c.enterprise_id == Hazard.enterprise_id)
        .where(*hazard_filters(w), overdue_clause(w))
        .order_by(Hazard.deadline, Enterprise.name, Hazard.hazard_no)
    ).all()
    return tuple(OverdueItem(r[0], r[1], r[2], r[3], r[4], (w.end - r[4]).days, r[5] or "") for r in rows)


def _majors(session: Session, w: Window) -> tuple[MajorSummary, tuple[MajorItem, ...]]:
    rectified = rectified_clause(w)
    major = [*hazard_filters(w), Hazard.level == "major"]
    found, done, listed, delisted = session.exec(
        select(
            func.count(),
            _count(rectified),
            _count(Hazard.is_listed),
            _count(and_(rectified, Hazard.closure_type == "delisted")),
        ).where(*major)
    ).one()
    rows = session.exec(
        select(
            Enterprise.name,
            Hazard.hazard_no,
            Hazard.description,
            Hazard.status,
            Hazard.deadline,
            case((rectified, True), else_=False),
            Hazard.is_listed,
            Hazard.stop_order_active,
        )
        .join(Enterprise, Enterprise.id == Hazard.enterprise_id)
        .where(*major)
        .order_by(Enterprise.name, Hazard.hazard_no)
    ).all()
    summary = MajorSummary(found, int(done), int(listed), int(delisted), found - int(done))
    return summary, tuple(MajorItem(*r[:5], bool(r[5]), bool(r[6]), bool(r[7])) for r in rows)


def event_filters(w: Window, action: str) -> list:
    """Events of one action that happened in the window (device time, else server time) on hazards of the
    window's domains and enterprises."""
    happened = happened_at()
    conditions = [
        HazardEvent.park_id == w.park_id,
        HazardEvent.action == action,
        happened >= w.start_utc,
        happened < w.end_utc,
    ]
    if w.domains:
        conditions.append(Hazard.domain.in_(w.domains))
    if w.enterprise_ids:
        conditions.append(HazardEvent.enterprise_id.in_(w.enterprise_ids))
    return conditions


def _by_payload(session: Session, w: Window, action: str, key: str, order: tuple[str, ...]) -> tuple:
    kind = HazardEvent.payload[key].as_string()
    rows = dict(
        session.exec(
            select(kind, func.count(func.distinct(HazardEvent.hazard_id)))
            .join(Hazard, Hazard.id == HazardEvent.hazard_id)
            .where(*event_filters(w, action))
            .group_by(kind)
        ).all()
    )
    return tuple((name, int(rows.get(name, 0))) for name in order)


def compute(
    session: Session,
    park: Park,
    *,
    campaign_id: uuid.UUID | None = None,
    phase_id: uuid.UUID | None = None,
    start: date | None = None,
    end: date | None = None,
    domain: str | None = None,
    today: date | None = None,
) -> ReportMetrics:
    """Every metric of DOMAIN.md §6.2 and the rankings of §6.3 for `park` over a campaign, a phase or dates.

    The window is the campaign's phases' span (or the phase's dates), narrowed by `start`/`end`, and never past
    `today` (the park's date): the report date is the window's end. Hazards count when found in the window and
    not voided; "rectified" means closed by the end of the report date; the rate's denominator follows the
    park's `rectification_rate_denominator` (`all` found, or `due`: deadline on or before the report date,
    immediate, or already rectified). `domain` limits everything to one domain. 404 for another park's campaign;
    422 for an empty or overlong window.
    """
    from inspect_service.reports import rankings

    w = window(
        session, park, campaign_id=campaign_id, phase_id=phase_id, start=start, end=end, domain=domain, today=today
    )
    tallies = _tallies(session, w)
    majors, major_list = _majors(session, w)
    weights = rankings.weights(park)
    return ReportMetrics(
        window=w,
        coverage=_coverage(session, w),
        **tallies,
        overdue=_overdue(session, w),
        majors=majors,
        major_list=major_list,
        escalations=_by_payload(session, w, "escalate", "escalation_type", ESCALATION_TYPES),
        notices=_by_payload(session, w, "issue_notice", "issuer_kind", NOTICE_KINDS),
        documents=paperwork.documents(session, w),
        self_checks=paperwork.self_checks(session, w),
        enterprise_ranking=rankings.enterprises(session, w, weights),
        liaison_ranking=rankings.liaison_officers(session, w, weights),
        enterprise_formula=enterprise_formula(weights),
        liaison_formula=liaison_formula(weights),
    )
