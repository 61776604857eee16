"""Hazard rules: registration from phones, the lifecycle, the ledger, derived overdue."""

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, false, func, or_
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.common import counters, retry
from inspect_service.common.concurrency import check_version
from inspect_service.common.offline import fingerprint, replay_or_conflict
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.common.time import local_date, utcnow
from inspect_service.enterprises import service as enterprise_service
from inspect_service.errors import Conflict, Forbidden, NotFound, Unprocessable
from inspect_service.hazards import device_time, lifecycle, photo_refs
from inspect_service.hazards.models import Hazard, HazardEvent
from inspect_service.inspections.models import Inspection
from inspect_service.parks.models import Park
from inspect_service.sync import feed
from inspect_service.users.models import PortfolioEntry

REGISTER_ROLES = ("inspector", "enterprise_safety_officer", "park_manager")
FIVE_POINTS = ("responsible_person", "measures", "funds", "deadline", "contingency_plan")
DEFAULT_DEADLINE_DAYS = {"general": 7, "major": None}


def visible(query, actor: Actor):
    """Restrict a Hazard query to what `actor` may see."""
    return enterprise_service.scope(query, actor, park_col=Hazard.park_id, enterprise_col=Hazard.enterprise_id)


def today_in(park: Park, now: datetime | None = None) -> date:
    """The park's local date."""
    return local_date(now or utcnow(), park.timezone)


def is_overdue(hazard: Hazard, today: date) -> bool:
    """Open with the clock running, after the end of its deadline day (derived, never stored)."""
    return hazard.status in lifecycle.CLOCK_RUNNING and hazard.deadline is not None and today > hazard.deadline


def five_points_complete(hazard: Hazard) -> bool:
    """All five points (measures, responsibility, funds, time limit, plan) are filled in."""
    return all(getattr(hazard, name) not in (None, "") for name in FIVE_POINTS)


def view_now(session: Session, hazard: Hazard) -> dict:
    """The hazard as returned (with its photos), judged by its park's date today."""
    return views_now(session, [hazard])[0]


def views_now(session: Session, hazards) -> list[dict]:
    """Hazards as returned, each judged by its park's date today, with their photos: no query per hazard."""
    todays: dict[uuid.UUID, date] = {}
    items = []
    for hazard in hazards:
        if hazard.park_id not in todays:
            todays[hazard.park_id] = today_in(park_of(session, hazard.park_id))
        items.append(view(hazard, todays[hazard.park_id]))
    return photo_refs.attach(session, items)


def view(hazard: Hazard, today: date) -> dict:
    """The hazard as returned, with its derived flags."""
    return {
        **hazard.model_dump(),
        "is_overdue": is_overdue(hazard, today),
        "five_points_complete": five_points_complete(hazard),
    }


def park_of(session: Session, park_id: uuid.UUID) -> Park:
    """The park of a hazard."""
    return session.get(Park, park_id)


def get(*, session: Session, actor: Actor, hazard_id: uuid.UUID, lock: bool = False) -> Hazard:
    """Return a visible hazard or 404 (optionally locking its row for an update)."""
    query = visible(select(Hazard), actor).where(Hazard.id == hazard_id)
    if lock:  # FOR NO KEY UPDATE: rows that merely reference the hazard (events, documents) need not wait for it
        query = query.with_for_update(key_share=True, nowait=retry.lock_nowait(session))
    hazard = session.exec(query).first()
    if hazard is None:
        raise NotFound("No such hazard.")
    return hazard


def get_view(*, session: Session, actor: Actor, hazard_id: uuid.UUID) -> dict:
    """A visible hazard with derived flags and its full history."""
    hazard = get(session=session, actor=actor, hazard_id=hazard_id)
    events = session.exec(
        select(HazardEvent).where(HazardEvent.hazard_id == hazard.id).order_by(HazardEvent.at, HazardEvent.id)
    ).all()
    return {**view_now(session, hazard), "events": events}


def _overdue_clause(session: Session, actor: Actor):
    """SQL for 'overdue now', each park judged by its own local date."""
    from inspect_service.parks.service import today_by_park

    by_day = today_by_park(session, actor)
    if not by_day:
        return false()
    running = Hazard.status.in_(lifecycle.CLOCK_RUNNING)
    return and_(running, or_(*(and_(Hazard.park_id.in_(ids), Hazard.deadline < day) for day, ids in by_day.items())))


def _filtered(session: Session, actor: Actor, filters: dict):
    query = visible(select(Hazard), actor)
    for name in ("enterprise_id", "status", "level", "domain", "source"):
        if filters.get(name) is not None:
            query = query.where(getattr(Hazard, name) == filters[name])
    if filters.get("deadline_from"):
        query = query.where(Hazard.deadline >= filters["deadline_from"])
    if filters.get("deadline_to"):
        query = query.where(Hazard.deadline <= filters["deadline_to"])
    if filters.get("phase_id"):
        query = query.where(
            Hazard.inspection_id.in_(select(Inspection.id).where(Inspection.phase_id == filters["phase_id"]))
        )
    if filters.get("liaison_officer_id"):
        query = query.where(
            Hazard.enterprise_id.in_(
                select(PortfolioEntry.enterprise_id).where(PortfolioEntry.user_id == filters["liaison_officer_id"])
            )
        )
    if filters.get("overdue") is not None:
        clause = _overdue_clause(session, actor)
        query = query.where(clause if filters["overdue"] else ~clause)
    return query


def list_hazards(*, session: Session, actor: Actor, limit: int, cursor: str | None = None, **filters) -> Page:
    """One page of the ledger, oldest first, with derived flags."""
    page = keyset_page(
        session,
        _filtered(session, actor, filters),
        sort_col=Hazard.created_at,
        id_col=Hazard.id,
        sort_attr="created_at",
        limit=limit,
        cursor=cursor,
        parse=datetime.fromisoformat,
    )
    return Page(items=views_now(session, page.items), next_cursor=page.next_cursor)


def iter_hazards(*, session: Session, actor: Actor, batch: int = 500, **filters):
    """Every matching hazard in ledger order, fetched a batch at a time (exports)."""
    cursor = None
    while True:
        page = list_hazards(session=session, actor=actor, limit=batch, cursor=cursor, **filters)
        yield from page.items
        if not page.next_cursor:
            return
        cursor = page.next_cursor


SORTS = ("created_at", "hazard_no", "deadline", "level", "status", "domain")


def list_sorted(
    *,
    session: Session,
    actor: Actor,
    sort: str = "created_at",
    descending: bool = False,
    offset: int = 0,
    limit: int = 50,
    **filters,
) -> tuple[list[dict], int]:
    """One screen of the ledger in a chosen order (offset paging, for the console) and the number matching."""
    if sort not in SORTS:
        raise Unprocessable.field("sort", f"Sort by one of {', '.join(SORTS)}.")
    query = _filtered(session, actor, filters)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    column = getattr(Hazard, sort)
    order = (column.desc() if descending else column.asc()).nulls_last()
    rows = session.exec(query.order_by(order, Hazard.id).offset(offset).limit(limit)).all()
    return views_now(session, rows), total


def counts_by_enterprise(*, session: Session, actor: Actor, enterprise_ids: list) -> dict[uuid.UUID, tuple[int, int]]:
    """(unresolved, overdue now) hazards of each of `enterprise_ids` that the actor sees (neither closed nor voided)."""
    if not enterprise_ids:
        return {}
    overdue = func.coalesce(func.sum(case((_overdue_clause(session, actor), 1), else_=0)), 0)
    query = visible(select(Hazard.enterprise_id, func.count(), overdue), actor).where(
        Hazard.enterprise_id.in_(enterprise_ids), Hazard.status.not_in(("closed", "voided"))
    )
    return {row[0]: (int(row[1]), int(row[2])) for row in session.exec(query.group_by(Hazard.enterprise_id))}


def _event(
    session: Session,
    hazard: Hazard,
    actor: Actor,
    action: str,
    from_status,
    payload: dict,
    occurred_at: datetime | None = None,
    at: datetime | None = None,
) -> None:
    session.add(
        HazardEvent(
            park_id=hazard.park_id,
            enterprise_id=hazard.enterprise_id,
            hazard_id=hazard.id,
            action=action,
            from_status=from_status,
            to_status=hazard.status,
            actor_id=actor.user_id,
            payload=payload,
            occurred_at=occurred_at,
            at=at or utcnow(),
        )
    )
    feed.record(
        session, entity="hazard", entity_id=hazard.id, park_id=hazard.park_id, enterprise_id=hazard.enterprise_id
    )


def _check_registration(session: Session, actor: Actor, hazard_in: dict, enterprise) -> None:
    if actor.is_enterprise_user and hazard_in["source"] != "self_check":
        raise Unprocessable("Enterprise staff register self-check hazards.", errors={"source": ["Use self_check."]})
    if hazard_in["level"] == "major" and not (
        hazard_in.get("major_criterion_ref") or hazard_in.get("major_determination")
    ):
        message = "A major hazard cites its criterion or a recorded determination."
        raise Unprocessable(message, errors={"major_criterion_ref": [message]})
    if hazard_in.get("inspection_id"):
        inspection = session.get(Inspection, hazard_in["inspection_id"])
        if inspection is None or inspection.enterprise_id != enterprise.id:
            raise Unprocessable(
                "Unknown inspection.", errors={"inspection_id": ["Not an inspection of this enterprise."]}
            )
    if hazard_in.get("repeat_of"):
        earlier = session.get(Hazard, hazard_in["repeat_of"])
        if earlier is None or earlier.enterprise_id != enterprise.id or earlier.status != "closed":
            raise Unprocessable("Unknown hazard.", errors={"repeat_of": ["Not a closed hazard of this enterprise."]})


def _default_deadline(hazard_in: dict, park: Park, today: date) -> date | None:
    if hazard_in["rectify_mode"] == "immediate":
        return today
    if hazard_in.get("deadline"):
        return hazard_in["deadline"]
    days = {**DEFAULT_DEADLINE_DAYS, **(park.settings or {}).get("deadline_days", {})}.get(hazard_in["level"])
    return today + timedelta(days=days) if days else None


def _number_unless_twin(
    session: Session, *, park_id: uuid.UUID, year: int, hazard_id: uuid.UUID | None
) -> tuple[int, Hazard | None]:
    """Take the park's next hazard number, last thing before the insert; (0, twin) when a concurrent create with the
    same client id committed while this one waited for the counter (its number is handed back: no gap)."""
    with session.begin_nested() as numbering:
        serial = counters.allocate(session, park_id=park_id, kind="hazard", year=year)
        # the counter lock serialises creators of the park: a concurrent twin has committed by now
        twin = session.exec(select(Hazard).where(Hazard.id == hazard_id)).first() if hazard_id else None
        if twin is None:
            return serial, None
        numbering.rollback()
    return 0, twin


def create(*, session: Session, actor: Actor, hazard_in: dict) -> tuple[Hazard, bool]:
    """Register a hazard (a retry with the same id returns it); True when newly created."""
    require_role(actor, *REGISTER_ROLES)
    payload_hash = fingerprint(hazard_in)
    existing = replay_or_conflict(session, Hazard, hazard_in.get("id"), payload_hash)
    if existing is not None:
        return get(session=session, actor=actor, hazard_id=existing.id), False
    enterprise = enterprise_service.get(session=session, actor=actor, enterprise_id=hazard_in["enterprise_id"])
    enterprise_service.require_writable(session=session, actor=actor, enterprise_id=enterprise.id)
    _check_registration(session, actor, hazard_in, enterprise)
    from inspect_service.hazards.evidence import require_photos

    require_photos(session, enterprise.id, hazard_in["photo_ids"])
    park = park_of(session, enterprise.park_id)
    now = utcnow()
    today = today_in(park, now)
    fields = {k: v for k, v in hazard_in.items() if k not in ("photo_ids", "major_determination", "deadline")}
    serial, twin = _number_unless_twin(session, park_id=park.id, year=today.year, hazard_id=hazard_in.get("id"))
    if twin is not None:
        replay_or_conflict(session, Hazard, twin.id, payload_hash)
        return get(session=session, actor=actor, hazard_id=twin.id), False
    hazard = Hazard(
        **fields,
        park_id=park.id,
        status="registered",
        hazard_no=f"YH-{today.year}-{serial:06d}",
        deadline=_default_deadline(hazard_in, park, today),
        found_by=actor.user_id,
        false_closure=bool(hazard_in.get("repeat_of")),
        created_at=now,
        updated_at=now,
        payload_hash=payload_hash,
        details={
            "photo_ids": [str(p) for p in hazard_in["photo_ids"]],
            "major_determination": hazard_in.get("major_determination"),
        },
    )
    session.add(hazard)
    session.flush()
    _event(session, hazard, actor, "register", None, {"hazard_no": hazard.hazard_no})
    session.flush()
    return hazard, True


def perform(
    *,
    session: Session,
    actor: Actor,
    hazard_id: uuid.UUID,
    action: str,
    data: dict,
    version: int | None = None,
    occurred_at: datetime | None = None,
) -> Hazard:
    """Take one lifecycle action: 403 for a role that never may, 409 (with what is allowed) otherwise.

    `occurred_at` is the device time of an action captured offline (also taken from `data`, where the REST body
    carries it); it is stored on the event beside the server's `at` and dates a closure (`closed_at`).
    """
    from inspect_service.hazards.evidence import require_inspectors, require_photos

    data = dict(data)
    in_body = data.pop("occurred_at", None)
    occurred_at = in_body if occurred_at is None else occurred_at

    spec = lifecycle.ACTIONS[action]
    hazard = get(session=session, actor=actor, hazard_id=hazard_id, lock=True)
    enterprise_service.require_writable(session=session, actor=actor, enterprise_id=hazard.enterprise_id)
    if not lifecycle.role_may(spec, hazard, actor):
        raise Forbidden(f"Your role may not {action} this hazard.")
    if not lifecycle.applies(spec, hazard):
        raise Conflict(
            f"'{action}' is not possible while the hazard is {hazard.status}.",
            extra={"allowed_actions": lifecycle.allowed_actions(hazard, actor)},
        )
    if version is not None:
        check_version(hazard.version, version)
    now = utcnow()
    occurred_at = device_time.checked(hazard, occurred_at, received_at=now)
    park = park_of(session, hazard.park_id)
    ctx = lifecycle.Context(
        hazard=hazard,
        data=data,
        actor=actor,
        today=today_in(park),
        settings=park.settings or {},
        require_photos=lambda ids: require_photos(session, hazard.enterprise_id, ids),
        require_inspectors=lambda ids, enforcement: require_inspectors(
            session, park_id=hazard.park_id, actor_id=actor.user_id, user_ids=ids, enforcement=enforcement
        ),
    )
    from_status = hazard.status
    hazard.status = spec.effect(ctx)
    hazard.version += 1
    hazard.updated_at = now
    if hazard.status == "closed":
        hazard.closed_at = occurred_at or now  # when the closing happened, as the reports count it
    session.add(hazard)
    _event(session, hazard, actor, action, from_status, lifecycle.jsonable(ctx.data), occurred_at, now)
    session.flush()
    return hazard


FINDINGS = ("location_text", "description", "legal_basis")


def _check_correction(actor: Actor, hazard: Hazard, changes: dict) -> None:
    """The enterprise corrects its own five points, not the findings; deadlines move by notice or extension."""
    if actor.is_enterprise_user and any(name in changes for name in FINDINGS):
        raise Forbidden("The findings are the inspector's; the enterprise corrects its five points.")
    if "deadline" in changes and changes["deadline"] != hazard.deadline and hazard.status != "registered":
        message = "After registration the deadline changes by notice, extension or recheck."
        raise Unprocessable(message, errors={"deadline": [message]})


def update(*, session: Session, actor: Actor, hazard_id: uuid.UUID, version: int | None, changes: dict) -> Hazard:
    """Correct the five points and description of an open hazard, guarded by its version."""
    hazard = get(session=session, actor=actor, hazard_id=hazard_id, lock=True)
    enterprise_service.require_writable(session=session, actor=actor, enterprise_id=hazard.enterprise_id)
    require_role(actor, *REGISTER_ROLES, "enterprise_principal")
    check_version(hazard.version, version)
    if hazard.status not in lifecycle.OPEN:
        raise Conflict(f"A {hazard.status} hazard is not edited.", extra={"allowed_actions": []})
    _check_correction(actor, hazard, changes)
    for key, value in changes.items():
        setattr(hazard, key, value)
    hazard.version += 1
    hazard.updated_at = utcnow()
    session.add(hazard)
    _event(session, hazard, actor, "update", hazard.status, lifecycle.jsonable(changes))
    session.flush()
    return hazard
