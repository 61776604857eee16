"""Campaign rules: phases in order, opened and closed by the park's clock, changed only with a reason."""

import uuid
from datetime import date, datetime

from sqlalchemy import and_, update
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.campaigns import task_work, tasks
from inspect_service.campaigns.models import Campaign, CampaignEvent, Milestone, Phase
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.common.time import local_date, utcnow
from inspect_service.errors import Conflict, NotFound, Unprocessable
from inspect_service.parks.models import Park


def grand_inspection_plan(year: int) -> tuple[list[dict], list[dict]]:
    """The park plan of DOMAIN.md §2.2: three phases, report milestones and monthly self-check reports."""
    phases = [
        {"kind": "self_check", "name": "企业自查自纠", "start_date": date(year, 6, 20), "end_date": date(year, 7, 10),
         "deliverables": "隐患清单、整改台账、整改方案、五落实、自查报告（主要负责人签字并内部公示）"},
        {"kind": "focused_rectification", "name": "集中整治和重点抽查", "start_date": date(year, 7, 11),
         "end_date": date(year, 8, 31), "deliverables": "蹲点干部和行业部门指导检查、互查，书面报告安委办"},
        {"kind": "park_supervision", "name": "园区安委办组织督查", "start_date": date(year, 9, 1),
         "end_date": date(year, 9, 20), "deliverables": "危化、消防重点、特种设备、建筑工地四个督查组；全园通报"},
    ]  # fmt: skip
    milestones = [
        {"kind": "report", "name": f"督查情况报告（{m}月{d}日）", "due_date": date(year, m, d)}
        for m, d in ((7, 20), (8, 20), (9, 10))
    ]
    milestones += [
        {"kind": "self_check_report", "name": f"企业自查自纠情况月报（{m}月10日前）", "due_date": date(year, m, 10)}
        for m in (7, 8, 9)
    ]
    return phases, milestones


def visible(query, actor: Actor):
    """Restrict a Campaign query to the actor's park (admins: all)."""
    return query if actor.is_admin else query.where(Campaign.park_id == actor.park_id)


def _event(session: Session, campaign_id, action: str, *, phase_id=None, actor_id=None, payload=None) -> None:
    session.add(
        CampaignEvent(
            campaign_id=campaign_id, phase_id=phase_id, action=action, actor_id=actor_id, payload=payload or {}
        )
    )


def _check_phases(phases: list[dict]) -> None:
    if not phases:
        raise Unprocessable("A campaign has phases.", errors={"phases": ["Give phases or a template."]})
    for i, phase in enumerate(phases):
        if phase["end_date"] < phase["start_date"]:
            raise Unprocessable("A phase ends after it starts.", errors={"phases": {str(i): ["end before start"]}})
        if i and phase["start_date"] <= phases[i - 1]["end_date"]:
            raise Unprocessable("Phases follow each other.", errors={"phases": {str(i): ["overlaps the previous"]}})


def create(*, session: Session, actor: Actor, campaign_in: dict) -> Campaign:
    """Plan a campaign in the park manager's park."""
    require_role(actor, "park_manager")
    data = dict(campaign_in)
    phases, milestones = data.pop("phases"), data.pop("milestones")
    if data.pop("template", None):
        phases, milestones = grand_inspection_plan(data["year"])
    _check_phases(phases)
    now = utcnow()
    campaign = Campaign(
        **{**data, "scope_enterprise_ids": [str(i) for i in data["scope_enterprise_ids"]]},
        park_id=actor.park_id,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(campaign)
    session.flush()
    for position, phase in enumerate(phases, start=1):
        session.add(Phase(**phase, campaign_id=campaign.id, park_id=campaign.park_id, position=position))
    for milestone in milestones:
        session.add(Milestone(**milestone, campaign_id=campaign.id, park_id=campaign.park_id))
    _event(session, campaign.id, "create", actor_id=actor.user_id)
    session.flush()
    return campaign


def get(*, session: Session, actor: Actor, campaign_id: uuid.UUID) -> Campaign:
    """A visible campaign or 404."""
    campaign = session.exec(visible(select(Campaign), actor).where(Campaign.id == campaign_id)).first()
    if campaign is None:
        raise NotFound("No such campaign.")
    return campaign


def detail(*, session: Session, actor: Actor, campaign_id: uuid.UUID) -> dict:
    """A campaign with its phases, milestones and history."""
    campaign = get(session=session, actor=actor, campaign_id=campaign_id)
    phases = session.exec(select(Phase).where(Phase.campaign_id == campaign.id).order_by(Phase.position)).all()
    milestones = session.exec(
        select(Milestone).where(Milestone.campaign_id == campaign.id).order_by(Milestone.due_date, Milestone.name)
    ).all()
    events = session.exec(
        select(CampaignEvent)
        .where(CampaignEvent.campaign_id == campaign.id)
        .order_by(CampaignEvent.at, CampaignEvent.id)
    ).all()
    return {**campaign.model_dump(), "phases": phases, "milestones": milestones, "events": events}


def list_campaigns(
    *,
    session: Session,
    actor: Actor,
    limit: int,
    cursor: str | None = None,
    year: int | None = None,
    newest_first: bool = False,
) -> Page:
    """Visible campaigns by creation time."""
    query = visible(select(Campaign), actor)
    if year is not None:
        query = query.where(Campaign.year == year)
    return keyset_page(
        session,
        query,
        sort_col=Campaign.created_at,
        id_col=Campaign.id,
        sort_attr="created_at",
        limit=limit,
        cursor=cursor,
        parse=datetime.fromisoformat,
        newest_first=newest_first,
    )


def change_phase(
    *,
    session: Session,
    actor: Actor,
    campaign_id: uuid.UUID,
    phase_id: uuid.UUID,
    action: str,
    reason: str,
    end_date: date | None = None,
) -> Phase:
    """Close a phase early or extend it (park manager), with an event."""
    campaign = get(session=session, actor=actor, campaign_id=campaign_id)
    require_role(actor, "park_manager")
    phase = session.exec(
        select(Phase).where(Phase.id == phase_id, Phase.campaign_id == campaign.id).with_for_update()
    ).first()
    if phase is None:
        raise NotFound("No such phase.")
    today = local_date(utcnow(), session.get(Park, campaign.park_id).timezone)
    if phase.status == "closed":
        raise Conflict("The phase is closed.", extra={"allowed_actions": []})
    old_end = phase.end_date
    if action == "close":
        phase.status, phase.closed_at = "closed", utcnow()
        phase.end_date = min(phase.end_date, today)
    else:
        if end_date is None or end_date <= phase.end_date or end_date < today:
            raise Unprocessable("Extend to a later end date.", errors={"end_date": ["Later than the current end."]})
        following = session.exec(
            select(Phase).where(Phase.campaign_id == campaign.id, Phase.position == phase.position + 1)
        ).first()
        if following is not None and end_date >= following.start_date:
            raise Unprocessable("The next phase starts before that.", errors={"end_date": ["Overlaps the next phase."]})
        phase.end_date = end_date
    phase.version += 1
    session.add(phase)
    moved = task_work.move_due_dates(session=session, phase_id=phase.id, old_end=old_end, new_end=phase.end_date)
    _event(
        session,
        campaign.id,
        f"phase_{action}",
        phase_id=phase.id,
        actor_id=actor.user_id,
        payload={
            "reason": reason,
            "old_end_date": old_end.isoformat(),
            "end_date": phase.end_date.isoformat(),
            "tasks_moved": moved,
        },
    )
    session.flush()
    return phase


def advance_phases(*, session: Session, now: datetime | None = None) -> str:
    """Open and close phases whose local date has come (conditional updates: a second run changes nothing)."""
    now = now or utcnow()
    opened = closed = 0
    zones: dict[str, list] = {}
    for park_id, tz in session.exec(select(Park.id, Park.timezone)).all():
        zones.setdefault(tz, []).append(park_id)
    for tz, park_ids in zones.items():
        today = local_date(now, tz)
        in_parks = Phase.park_id.in_(park_ids)
        to_close = select(Phase.id, Phase.campaign_id).where(in_parks, Phase.status != "closed", Phase.end_date < today)
        for phase_id, campaign_id in session.exec(to_close).all():
            result = session.exec(
                update(Phase)
                .where(Phase.id == phase_id, Phase.status != "closed")
                .values(status="closed", closed_at=now)
            )
            if result.rowcount:
                closed += 1
                _event(session, campaign_id, "phase_closed", phase_id=phase_id, payload={"date": today.isoformat()})
        due = and_(in_parks, Phase.status == "planned", Phase.start_date <= today, Phase.end_date >= today)
        for phase_id, campaign_id in session.exec(select(Phase.id, Phase.campaign_id).where(due)).all():
            result = session.exec(
                update(Phase)
                .where(Phase.id == phase_id, Phase.status == "planned")
                .values(status="open", opened_at=now)
            )
            if result.rowcount:
                opened += 1
                _event(session, campaign_id, "phase_opened", phase_id=phase_id, payload={"date": today.isoformat()})
                tasks.generate_tasks(session=session, phase=session.get(Phase, phase_id))
    session.flush()
    return f"opened {opened}, closed {closed} phases"
