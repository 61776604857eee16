"""Campaign factories."""

from datetime import timedelta

from inspect_service.campaigns.models import Campaign, InspectionTask, PatrolCadence, Phase, SamplingDraw
from inspect_service.common.time import local_date, utcnow


def make_campaign(session, park, creator, days: int = 30) -> tuple[Campaign, Phase]:
    """Insert a campaign of `park` and its one phase, open from today (the park's date) for `days` days."""
    now = utcnow()
    today = local_date(now, park.timezone)
    campaign = Campaign(
        park_id=park.id, name="测试专项行动", year=today.year, kind="special_action", created_by=creator.id,
        created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(campaign)
    session.flush()
    phase = Phase(
        campaign_id=campaign.id, park_id=park.id, kind="other", name="集中整治", position=1, start_date=today,
        end_date=today + timedelta(days=days), status="open", opened_at=now,
    )  # fmt: skip
    session.add(phase)
    session.flush()
    return campaign, phase


def make_draw(session, phase, selected=()) -> SamplingDraw:
    """Insert a recorded sampling draw for `phase`."""
    row = SamplingDraw(phase_id=phase.id, seed=42, rules={"1": {"mode": "all"}}, selected_enterprise_ids=list(selected))
    session.add(row)
    session.flush()
    return row


def make_cadence(session, park, creator, **fields) -> PatrolCadence:
    """Insert an active patrol cadence of `park` (weekly park patrol from today unless told otherwise)."""
    today = local_date(utcnow(), park.timezone)
    cadence = PatrolCadence(
        **{"name": "园区每周巡查", "kind": "park_patrol", "rrule": "FREQ=WEEKLY", "starts_on": today, **fields},
        park_id=park.id,
        created_by=creator.id,
    )
    session.add(cadence)
    session.flush()
    return cadence


def make_task(session, park, enterprise, *, kind: str = "self_patrol", due_in: int = 5, **fields) -> InspectionTask:
    """Insert an open task of `enterprise` (None: a park-level task) due `due_in` days from today."""
    due = local_date(utcnow(), park.timezone) + timedelta(days=due_in)
    task = InspectionTask(
        park_id=park.id,
        enterprise_id=enterprise.id if enterprise is not None else None,
        kind=kind,
        due_date=due,
        **fields,
    )
    session.add(task)
    session.flush()
    return task
