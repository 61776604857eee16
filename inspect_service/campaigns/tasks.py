"""Inspection tasks generated when a phase opens (DOMAIN.md §2.2–2.4).

- `self_check`: every enterprise in the campaign's scope gets a self-check task.
- `focused_rectification`: a sampling plan per enterprise class picks who is visited (spot-check tasks); the draw
  is recorded with its seed and rules, and `draw()` recomputes the same selection from them.
- `park_supervision`: enterprises of the four supervision groups get a supervision task (group recorded).

Generation is idempotent: one task per (phase, enterprise, kind), one draw per phase.
"""

import math
import random
import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor
from inspect_service.campaigns.models import Campaign, InspectionTask, Phase, SamplingDraw
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.enterprises import service as enterprise_service
from inspect_service.enterprises.models import Enterprise
from inspect_service.errors import Forbidden, NotFound
from inspect_service.parks.models import Park
from inspect_service.sync import feed
from inspect_service.users.models import PortfolioEntry, User

DEFAULT_SAMPLING = {"1": {"mode": "all"}, "2": {"mode": "ratio", "ratio": 0.5}, "3": {"mode": "ratio", "ratio": 0.1}}
MUST_INCLUDE_COLORS = ("red", "orange")
# DOMAIN.md §2.2: the park's four supervision groups, in order (an enterprise in several goes to the first).
SUPERVISION_GROUPS = (
    ("hazchem", ("危化",)),
    ("fire", ("消防重点", "纺织", "制鞋")),
    ("special_equipment", ("特种设备",)),
    ("construction", ("建筑施工",)),
)
TASK_KINDS = {"self_check": "self_check", "focused_rectification": "spot_check", "park_supervision": "supervision"}


def sampling_rules(park_settings: dict | None) -> dict:
    """The default rules, with the park's `sampling` setting overriding them class by class."""
    custom = (park_settings or {}).get("sampling") or {}
    return {**DEFAULT_SAMPLING, **{str(k): v for k, v in custom.items() if isinstance(v, dict)}}


def _class_quota(rule: dict | None, n: int) -> int:
    mode = (rule or {}).get("mode", "none")
    if mode == "all":
        return n
    if mode == "ratio":
        ratio = min(max(float(rule.get("ratio", 0)), 0.0), 1.0)
        return math.ceil(ratio * n)
    return 0


def draw(enterprises: Iterable, rules: dict, seed: int) -> list[str]:
    """The enterprises to visit (ids as sorted strings), a pure function of the enterprises, rules and seed.

    Per class (in class order): red and orange enterprises are always in; the rest of the class's quota
    (`all`, or `ceil(ratio * n)`) is drawn by `random.Random(seed)` from the others, sorted by id.
    """
    rng = random.Random(seed)  # noqa: S311 - a reproducible audit draw, not a secret (the seed is recorded)
    by_class: dict[int, list] = {}
    for enterprise in sorted(enterprises, key=lambda e: e.id):
        by_class.setdefault(int(enterprise.enterprise_class), []).append(enterprise)
    selected: set[str] = set()
    for cls in sorted(by_class):
        members = by_class[cls]
        forced = [e for e in members if e.risk_color in MUST_INCLUDE_COLORS]
        rest = [e for e in members if e.risk_color not in MUST_INCLUDE_COLORS]
        k = min(max(_class_quota(rules.get(str(cls)), len(members)) - len(forced), 0), len(rest))
        selected.update(str(e.id) for e in forced)
        selected.update(str(e.id) for e in rng.sample(rest, k))
    return sorted(selected)


def supervision_group(enterprise) -> str | None:
    """The supervision group of an enterprise by its tags (or industry), None when it is in none."""
    labels = {str(tag) for tag in (enterprise.tags or [])}
    for group, markers in SUPERVISION_GROUPS:
        if any(marker in labels or (enterprise.industry and marker in enterprise.industry) for marker in markers):
            return group
    return None


def _in_scope(session: Session, campaign: Campaign) -> list[Enterprise]:
    query = select(Enterprise).where(Enterprise.park_id == campaign.park_id)
    if campaign.scope_enterprise_ids:
        query = query.where(Enterprise.id.in_([uuid.UUID(str(i)) for i in campaign.scope_enterprise_ids]))
    return sorted(session.exec(query).all(), key=lambda e: e.id)


def _liaisons(session: Session, enterprise_ids: list[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """Each enterprise's liaison officer (the first by user id)."""
    rows = session.exec(
        select(PortfolioEntry.enterprise_id, PortfolioEntry.user_id)
        .join(User, User.id == PortfolioEntry.user_id)
        .where(
            PortfolioEntry.enterprise_id.in_(enterprise_ids),
            User.inspector_kind == "liaison_officer",
            User.disabled.is_(False),
        )
    ).all()
    found: dict[uuid.UUID, uuid.UUID] = {}
    for enterprise_id, user_id in rows:
        if enterprise_id not in found or user_id < found[enterprise_id]:
            found[enterprise_id] = user_id
    return found


def _record_draw(session: Session, phase: Phase, enterprises: list[Enterprise], rules: dict) -> SamplingDraw:
    existing = session.exec(select(SamplingDraw).where(SamplingDraw.phase_id == phase.id)).first()
    if existing is not None:
        return existing
    seed = secrets.randbelow(2**31)
    row = SamplingDraw(
        phase_id=phase.id, seed=seed, rules=rules, selected_enterprise_ids=draw(enterprises, rules, seed)
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # drawn concurrently: keep the recorded one
        return session.exec(select(SamplingDraw).where(SamplingDraw.phase_id == phase.id)).one()
    return row


def generate_tasks(*, session: Session, phase: Phase) -> int:
    """Create the tasks of a phase that has just opened; returns how many were created (0 on a second call)."""
    kind = TASK_KINDS.get(phase.kind)
    if kind is None:
        return 0
    campaign = session.get(Campaign, phase.campaign_id)
    enterprises = _in_scope(session, campaign)
    groups: dict[uuid.UUID, str | None] = {e.id: None for e in enterprises}
    if kind == "spot_check":
        rules = sampling_rules(session.get(Park, phase.park_id).settings)
        chosen = set(_record_draw(session, phase, enterprises, rules).selected_enterprise_ids)
        groups = {e.id: None for e in enterprises if str(e.id) in chosen}
    elif kind == "supervision":
        groups = {e.id: g for e in enterprises if (g := supervision_group(e)) is not None}
    existing = set(
        session.exec(
            select(InspectionTask.enterprise_id).where(InspectionTask.phase_id == phase.id, InspectionTask.kind == kind)
        ).all()
    )
    todo = [enterprise_id for enterprise_id in groups if enterprise_id not in existing]
    assignees = _liaisons(session, todo) if todo else {}
    created = 0
    for enterprise_id in todo:
        task = InspectionTask(
            park_id=phase.park_id,
            enterprise_id=enterprise_id,
            campaign_id=phase.campaign_id,
            phase_id=phase.id,
            kind=kind,
            group=groups[enterprise_id],
            assignee_id=assignees.get(enterprise_id),
            due_date=phase.end_date,
        )
        try:
            with session.begin_nested():
                session.add(task)
        except IntegrityError:  # created concurrently
            continue
        feed.record(session, entity="task", entity_id=task.id, park_id=task.park_id, enterprise_id=task.enterprise_id)
        created += 1
    return created


def list_tasks(
    *,
    session: Session,
    actor: Actor,
    campaign: Campaign,
    limit: int,
    cursor: str | None = None,
    phase_id: uuid.UUID | None = None,
    kind: str | None = None,
    status: str | None = None,
) -> Page:
    """The campaign's tasks the actor may see, by creation time."""
    query = enterprise_service.scope(
        select(InspectionTask).where(InspectionTask.campaign_id == campaign.id),
        actor,
        park_col=InspectionTask.park_id,
        enterprise_col=InspectionTask.enterprise_id,
    )
    for column, value in (
        (InspectionTask.phase_id, phase_id),
        (InspectionTask.kind, kind),
        (InspectionTask.status, status),
    ):
        if value is not None:
            query = query.where(column == value)
    return keyset_page(
        session,
        query,
        sort_col=InspectionTask.created_at,
        id_col=InspectionTask.id,
        sort_attr="created_at",
        limit=limit,
        cursor=cursor,
        parse=datetime.fromisoformat,
    )


def get_draw(*, session: Session, actor: Actor, campaign: Campaign, phase_id: uuid.UUID) -> SamplingDraw:
    """The phase's recorded draw (admins and the park's staff; not portfolio holders nor enterprise users)."""
    if actor.is_enterprise_user or actor.has_portfolio:
        raise Forbidden("Only the park's staff see sampling draws.")
    row = session.exec(
        select(SamplingDraw)
        .join(Phase, Phase.id == SamplingDraw.phase_id)
        .where(Phase.id == phase_id, Phase.campaign_id == campaign.id)
    ).first()
    if row is None:
        raise NotFound("No draw for this phase.")
    return row
