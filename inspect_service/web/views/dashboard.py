"""The campaign dashboard: phases on a timeline, the report's figures and rankings, the milestones due next."""

import uuid

from flask import render_template, request

from inspect_service.campaigns import service as campaign_service
from inspect_service.common.time import local_date, utcnow
from inspect_service.errors import NotFound
from inspect_service.extensions import db
from inspect_service.hazards import service as hazard_service
from inspect_service.parks.models import Park
from inspect_service.reports import metrics
from inspect_service.reports import service as report_service
from inspect_service.web import charts
from inspect_service.web.blueprint import bp
from inspect_service.web.labels import DOMAINS, SOURCES
from inspect_service.web.session import signed_in
from inspect_service.web.views import choices

NEXT_MILESTONES = 6


def _campaign_id(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError as exc:
        raise NotFound("No such campaign.") from exc


@bp.get("/dashboard")
@signed_in
def dashboard(actor):
    """The dashboard of one campaign (the newest by default)."""
    campaigns = choices.campaigns(actor)
    wanted = _campaign_id(request.args.get("campaign_id", "")[:64])
    if wanted is None and not campaigns:
        return render_template("console/dashboard.html", campaigns=[], campaign=None, own=_own_figures(actor))
    detail = campaign_service.detail(session=db.session, actor=actor, campaign_id=wanted or campaigns[0].id)
    park = db.session.get(Park, detail["park_id"])
    today = local_date(utcnow(), park.timezone)
    # The park-wide figures name every enterprise: whoever may request the bulletin sees them (and admins).
    may_see = actor.is_admin or report_service.may_report(actor)
    figures = _park_figures(park, detail, today) if may_see else None
    return render_template(
        "console/dashboard.html",
        campaigns=campaigns,
        campaign=detail,
        today=today,
        timeline=charts.timeline(detail["phases"], today),
        milestones=[m for m in detail["milestones"] if m.due_date >= today][:NEXT_MILESTONES],
        late_milestones=[m for m in detail["milestones"] if m.due_date < today][-3:],
        figures=figures,
        own=None if figures else _own_figures(actor),
    )


def _park_figures(park: Park, campaign: dict, today) -> dict | None:
    """The report metrics of the campaign so far, and the charts drawn from them (None before it starts)."""
    if today < min((p.start_date for p in campaign["phases"]), default=today):
        return None
    m = metrics.compute(db.session, park, campaign_id=campaign["id"], today=today)
    return {
        "m": m,
        "trend": charts.bars(charts.weekly_trend(db.session, m.window)),
        "by_domain": charts.bars([(DOMAINS.get(t.key, t.key), (t.found, t.rectified)) for t in m.by_domain]),
        "by_source": charts.bars([(SOURCES.get(t.key, t.key), (t.found, t.rectified)) for t in m.by_source]),
    }


def _own_figures(actor) -> dict:
    """What the caller sees of the ledger (their enterprise or portfolio), through the hazard service."""
    figures = {}
    for key, filters in (("open_overdue", {"overdue": True}), ("major", {"level": "major"}), ("all", {})):
        _rows, figures[key] = hazard_service.list_sorted(session=db.session, actor=actor, limit=1, **filters)
    return figures
