"""A seeded campaign for report tests: hazards, events, inspections, tasks and portfolios, all in plain rows."""

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from inspect_service.campaigns.models import Campaign, InspectionTask, Milestone, Phase
from inspect_service.hazards.models import Hazard, HazardEvent
from inspect_service.hazards.schemas import SOURCES
from inspect_service.reports.figures import ESCALATION_TYPES, NOTICE_KINDS
from tests.enterprises.factories import make_enterprise
from tests.inspections.factories import make_inspection
from tests.parks.factories import make_park
from tests.users.factories import make_user

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 8, 25)
NOW = datetime(2026, 8, 25, 10, 0, tzinfo=SHANGHAI)  # time-machine's "now" for these tests
DOMAINS = ("fire", "hazchem", "electrical", "special_equipment", "confined_space")
STATUSES = (
    "registered", "notice_issued", "rectifying", "extension_requested", "reply_submitted", "escalated",
    "closed", "closed", "closed", "voided",
)  # fmt: skip


def local(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """An aware UTC instant at `hour:minute` of `day` in Shanghai."""
    return datetime.combine(day, time(hour, minute), SHANGHAI).astimezone(UTC)


@dataclass
class Seed:
    """What was inserted, for computing the expected figures independently."""

    park: object
    foreign_park: object
    campaign: object
    phases: list
    enterprises: list
    liaisons: list
    manager: object
    inspector: object
    hazards: list = field(default_factory=list)
    events: list = field(default_factory=list)
    inspections: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    document_hazards: dict = field(default_factory=dict)
    self_check_reports: list = field(default_factory=list)


def _campaign(session, park, manager) -> tuple[Campaign, list, list]:
    now = NOW.astimezone(UTC)
    campaign = Campaign(
        park_id=park.id, name="2026年安全生产大检查", year=2026, kind="grand_inspection", created_by=manager.id,
        created_at=now, updated_at=now,
    )  # fmt: skip
    session.add(campaign)
    session.flush()
    spans = (("self_check", date(2026, 6, 20), date(2026, 7, 10)),
             ("focused_rectification", date(2026, 7, 11), date(2026, 8, 31)),
             ("park_supervision", date(2026, 9, 1), date(2026, 9, 20)))  # fmt: skip
    phases = []
    for position, (kind, start, end) in enumerate(spans, start=1):
        phases.append(Phase(campaign_id=campaign.id, park_id=park.id, kind=kind, name=f"第{position}阶段",
                            position=position, start_date=start, end_date=end))  # fmt: skip
    milestones = [
        Milestone(campaign_id=campaign.id, park_id=park.id, kind="report", name=f"督查情况报告（{m}月{d}日）",
                  due_date=date(2026, m, d))
        for m, d in ((7, 20), (8, 20), (9, 10))
    ]  # fmt: skip
    milestones.append(Milestone(campaign_id=campaign.id, park_id=park.id, kind="self_check_report",
                                name="月报", due_date=date(2026, 8, 10)))  # fmt: skip
    session.add_all(phases + milestones)
    session.flush()
    return campaign, phases, milestones


def _event(seed: Seed, hazard: Hazard, action: str, at: datetime, payload: dict, actor) -> None:
    at = min(at, NOW.astimezone(UTC))
    seed.events.append(
        HazardEvent(park_id=hazard.park_id, enterprise_id=hazard.enterprise_id, hazard_id=hazard.id, action=action,
                    to_status=hazard.status, actor_id=actor.id, at=at, payload=payload)
    )  # fmt: skip


def _hazard(seed: Seed, rng: random.Random, n: int, enterprise, found_day: date, found_hour: int) -> Hazard:
    level = "major" if rng.random() < 0.2 else "general"
    mode = "immediate" if rng.random() < 0.2 else "deadline"
    deadline = found_day if mode == "immediate" else found_day + timedelta(days=rng.choice((3, 7, 30, 60)))
    if level == "major" and rng.random() < 0.3:
        deadline = None
    status = rng.choice(STATUSES)
    found = local(found_day, found_hour)
    hazard = Hazard(
        park_id=enterprise.park_id, enterprise_id=enterprise.id, hazard_no=f"YH-2026-{n:06d}",
        domain=rng.choice(DOMAINS), nature="object", level=level, source=rng.choice(SOURCES),
        description=f"隐患描述{n}：安全出口堵塞", rectify_mode=mode, deadline=deadline, status=status,
        found_by=seed.inspector.id,
        found_at=found if rng.random() < 0.7 else None, created_at=found, updated_at=found, payload_hash="x",
        is_listed=level == "major" and rng.random() < 0.5, false_closure=rng.random() < 0.08,
        major_criterion_ref="GB 35181" if level == "major" else None,
    )  # fmt: skip
    if status == "closed":
        hazard.closed_at = min(found + timedelta(days=rng.randint(0, 25)), NOW.astimezone(UTC))
        choices = ["on_site", "recheck_pass"] + (["written_off"] if level == "major" else [])
        hazard.closure_type = "delisted" if hazard.is_listed and rng.random() < 0.5 else rng.choice(choices)
    hazard.stop_order_active = status == "escalated" and rng.random() < 0.5
    return hazard


def _events_for(seed: Seed, rng: random.Random, hazard: Hazard) -> None:
    found = hazard.found_at or hazard.created_at
    if hazard.status not in ("registered", "voided") and rng.random() < 0.7:
        _event(seed, hazard, "issue_notice", found + timedelta(days=1), {"issuer_kind": rng.choice(NOTICE_KINDS)},
               seed.inspector)  # fmt: skip
    if hazard.status == "escalated":
        _event(seed, hazard, "escalate", found + timedelta(days=rng.randint(1, 20)),
               {"escalation_type": rng.choice(ESCALATION_TYPES), "target": "区应急管理局"}, seed.manager)  # fmt: skip
    if hazard.status in ("reply_submitted", "closed") and hazard.deadline and rng.random() < 0.8:
        completed = hazard.deadline + timedelta(days=rng.choice((-2, 0, 3)))
        replied = found + timedelta(days=rng.randint(1, 6))
        _event(seed, hazard, "submit_reply", replied, {"completed_on": completed.isoformat()}, seed.manager)
        if hazard.closure_type == "recheck_pass" or (hazard.status == "closed" and rng.random() < 0.3):
            _event(seed, hazard, "recheck_pass", replied + timedelta(hours=rng.randint(5, 200)), {}, seed.inspector)
    if hazard.status == "rectifying" and rng.random() < 0.3:
        _event(seed, hazard, "record_refusal", found + timedelta(hours=30), {}, seed.inspector)


def seed_campaign(session, *, denominator: str = "all", hazards: int = 90) -> Seed:
    """A park with a three-phase campaign and `hazards` hazards around it (some outside the window or park)."""
    rng = random.Random(20260825)
    park = make_park(session, settings={"rectification_rate_denominator": denominator})
    foreign_park = make_park(session)
    manager = make_user(session, role="park_manager", park=park, display_name="王主任")
    inspector = make_user(session, role="inspector", park=park, inspector_kind="park_staff", display_name="李检查")
    enterprises = [make_enterprise(session, park, enterprise_class=1 + i % 3) for i in range(7)]
    liaisons = [
        make_user(session, role="inspector", park=park, inspector_kind="liaison_officer", display_name=name,
                  portfolio=enterprises[i * 3:i * 3 + 3])
        for i, name in enumerate(("刘蹲点", "黄蹲点"))
    ]  # fmt: skip
    campaign, phases, milestones = _campaign(session, park, manager)
    seed = Seed(park, foreign_park, campaign, phases, enterprises, liaisons, manager, inspector, milestones=milestones)
    foreign = make_enterprise(session, foreign_park)
    for n in range(hazards):
        enterprise = foreign if n % 23 == 5 else rng.choice(enterprises[:6])
        day = date(2026, 6, 10) + timedelta(days=rng.randint(0, 76))
        hour = rng.choice((0, 9, 9, 14, 23))  # local midnight and late evening probe the zone's day edges
        seed.hazards.append(_hazard(seed, rng, n, enterprise, day, hour))
    session.add_all(seed.hazards)
    session.flush()
    for hazard in seed.hazards:
        _events_for(seed, rng, hazard)
    session.add_all(seed.events)
    plans = [(0, "park_inspection", date(2026, 6, 25)), (1, "park_inspection", date(2026, 7, 15)),
             (1, "enforcement", date(2026, 8, 1)), (3, "park_inspection", date(2026, 8, 20)),
             (4, "self_check", date(2026, 7, 1)), (5, "park_inspection", date(2026, 6, 1)),
             (2, "covert_supervision", date(2026, 8, 25))]  # fmt: skip
    for index, source, day in plans:
        seed.inspections.append(make_inspection(session, enterprises[index], inspector, source=source,
                                                started_at=local(day, 10)))  # fmt: skip
    for index, status in ((0, "done"), (1, "open"), (3, "done"), (4, "open")):
        task = InspectionTask(park_id=park.id, enterprise_id=enterprises[index].id, campaign_id=campaign.id,
                              phase_id=phases[1].id, kind="spot_check", assignee_id=liaisons[index // 3].id,
                              due_date=date(2026, 8, 31), status=status)  # fmt: skip
        seed.tasks.append(task)
    session.add_all(seed.tasks)
    _paperwork(session, seed, rng)
    session.commit()
    return seed


def _paperwork(session, seed: Seed, rng: random.Random) -> None:
    """Documents issued around the window (some naming hazards) and monthly self-check reports, some late."""
    from inspect_service.documents.models import Document, DocumentHazard
    from inspect_service.selfchecks.models import SelfCheckReport

    kinds = (("notice", "park"), ("notice", "enforcement"), ("recheck_opinion", ""), ("inspection_record", ""))
    for seq in range(1, 25):
        kind, variant = rng.choice(kinds)
        enterprise = rng.choice(seed.enterprises)
        issued = local(date(2026, 6, 10) + timedelta(days=rng.randint(0, 76)), rng.choice((0, 10, 23)))
        document = Document(park_id=seed.park.id, enterprise_id=enterprise.id, doc_type=kind, variant=variant,
                            counter_kind=kind, number=f"（测）安整〔2026〕{seq:04d}号", year=2026, seq=seq,
                            view_model={}, content_sha256="0" * 64, sha256="0" * 64, storage_key="0" * 64,
                            size_bytes=1, issued_by=seed.inspector.id, issued_at=issued)  # fmt: skip
        seed.documents.append(document)
    session.add_all(seed.documents)
    session.flush()
    for document in seed.documents:
        own = [h for h in seed.hazards if h.enterprise_id == document.enterprise_id]
        named = rng.sample(own, min(len(own), rng.randint(0, 2)))
        seed.document_hazards[document.id] = named
        for position, hazard in enumerate(named, start=1):
            session.add(DocumentHazard(document_id=document.id, hazard_id=hazard.id, position=position))
    for enterprise in seed.enterprises:
        for month in (6, 7, 8):
            due = date(2026, month, 10)
            late = local(due + timedelta(days=1), 0)
            submitted = rng.choice((None, local(due, 9), late, local(due, 23)))
            now = local(due)
            seed.self_check_reports.append(
                SelfCheckReport(park_id=seed.park.id, enterprise_id=enterprise.id, period=date(2026, month - 1, 1),
                                due_date=due, figures={}, figures_at=now, first_submitted_at=submitted,
                                submitted_at=submitted, late=bool(submitted and submitted >= late),
                                status="submitted" if submitted else "draft", created_by=seed.manager.id,
                                created_at=now, updated_at=now)
            )  # fmt: skip
    session.add_all(seed.self_check_reports)


def new_report(world, _session, _target) -> dict:
    """A bulletin of the world's own campaign, queued as a job."""
    return {"kind": "supervision_bulletin", "campaign_id": str(world.campaigns.own.id), "background": True}


def matrix_targets(session, storage, world):
    """A finished report job (with its stored file) of the world's park and one of the foreign park."""
    from types import SimpleNamespace

    from inspect_service.common.storage import content_key
    from inspect_service.reports.models import ReportJob

    data = b"%PDF-1.4\n% a stored report\n"
    key = content_key(data)
    storage.put(key, data, "application/pdf")
    jobs = {}
    for name, park, requester in (("own", world.park, "park_manager"), ("foreign", world.foreign_park, None)):
        finished = datetime.now(UTC)
        jobs[name] = ReportJob(
            park_id=park.id, requested_by=world.user(requester).id if requester else None, kind="supervision_bulletin",
            format="pdf", parameters={}, status="done", progress=100, result_key=key, result_sha256=key,
            result_size=len(data), finished_at=finished,
        )  # fmt: skip
    session.add_all(jobs.values())
    session.flush()
    return SimpleNamespace(**jobs)
