"""Patrol cadences (DOMAIN.md §2.5): recurring inspection tasks from RRULE recurrences in the park's zone.

A cadence names who patrols (`self_patrol`: the enterprise; `park_patrol`: its liaison officer;
`supervision_bulletin`: one park task, no enterprise), which enterprises (risk colours, classes — so frequency can
depend on risk colour: one cadence per colour), the recurrence (RFC 5545 RRULE, e.g. `FREQ=WEEKLY;BYDAY=MO`) and
how many days ahead its occurrences become tasks. Generation is a sweep: each occurrence is one task per
enterprise with a unique occurrence key, inserted with ON CONFLICT DO NOTHING, so a second run creates nothing.
"""

import calendar
import uuid
from datetime import date, datetime, timedelta

from dateutil.rrule import rrulestr
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.campaigns.models import InspectionTask, PatrolCadence
from inspect_service.campaigns.tasks import _liaisons
from inspect_service.common.concurrency import check_version
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.common.time import local_date, utcnow
from inspect_service.enterprises.models import Enterprise
from inspect_service.errors import NotFound, Unprocessable
from inspect_service.parks.models import Park
from inspect_service.sync import feed
from inspect_service.users.models import User

CADENCE_KINDS = ("self_patrol", "park_patrol", "supervision_bulletin")
PARK_LEVEL = ("supervision_bulletin",)
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
ALLOWED_KEYS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST"}
RRULE_MAX = 200
LEAD_DAYS_MAX = 60
MAX_OCCURRENCES_PER_RUN = 400  # a daily rule 60 days ahead is 61; a bound against pathological rules


def _check_month_days(parts: dict) -> None:
    """Refuse BYMONTH/BYMONTHDAY pairs no calendar has (30 February): such a rule would be searched to year 9999."""
    if "BYMONTHDAY" not in parts or "BYMONTH" not in parts:
        return
    try:
        days = [int(d) for d in parts["BYMONTHDAY"].split(",")]
        months = [int(m) for m in parts["BYMONTH"].split(",")]
    except ValueError as exc:
        raise ValueError(f"Not a valid RRULE: {exc}") from exc
    for month in months:
        for day in days:
            if day < 0 or (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2024, month)[1]):
                return  # a leap year has every month's days; negative days count from the end
    raise ValueError("No BYMONTH has such a BYMONTHDAY: the rule never occurs.")


def parse_rrule(value: str, starts_on: date):
    """The recurrence of an RRULE string anchored at `starts_on`, or ValueError with the reason."""
    text = value.strip().removeprefix("RRULE:")
    parts = dict(part.split("=", 1) for part in text.upper().split(";") if "=" in part)
    if not text or any(c.isspace() or c == ":" for c in text) or any("=" not in part for part in text.split(";")):
        raise ValueError("Write the rule as KEY=VALUE pairs separated by ';', e.g. FREQ=WEEKLY;BYDAY=MO.")
    if parts.get("FREQ") not in FREQUENCIES:
        raise ValueError(f"FREQ must be one of {', '.join(FREQUENCIES)}.")
    unknown = sorted(set(parts) - ALLOWED_KEYS)
    if unknown:
        raise ValueError(f"The rule is in whole days from starts_on; not allowed: {', '.join(unknown)}.")
    _check_month_days(parts)
    try:
        return rrulestr(text, dtstart=datetime.combine(starts_on, datetime.min.time()))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"Not a valid RRULE: {exc}") from exc


def occurrences(cadence: PatrolCadence, first: date, last: date) -> list[date]:
    """The cadence's occurrence dates from `first` to `last` inclusive (within starts_on … ends_on)."""
    first = max(first, cadence.starts_on)
    if cadence.ends_on is not None:
        last = min(last, cadence.ends_on)
    if last < first:
        return []
    rule = parse_rrule(cadence.rrule, cadence.starts_on)
    found = []
    for moment in rule.xafter(datetime.combine(first, datetime.min.time()), count=MAX_OCCURRENCES_PER_RUN, inc=True):
        if moment.date() > last:
            break
        found.append(moment.date())
    return found


def _check(session: Session, actor: Actor, data: dict) -> None:
    try:
        parse_rrule(data["rrule"], data["starts_on"])
    except ValueError as exc:
        raise Unprocessable.field("rrule", str(exc)) from exc
    if data.get("ends_on") is not None and data["ends_on"] < data["starts_on"]:
        raise Unprocessable.field("ends_on", "Ends after it starts.")
    assignee_id = data.get("assignee_id")
    if assignee_id is not None:
        user = session.get(User, assignee_id)
        if user is None or user.park_id != actor.park_id or user.role not in ("park_manager", "inspector"):
            raise Unprocessable.field("assignee_id", "Name a park manager or inspector of your park.")


def create(*, session: Session, actor: Actor, cadence_in: dict) -> PatrolCadence:
    """A new cadence in the park manager's park."""
    require_role(actor, "park_manager")
    _check(session, actor, cadence_in)
    cadence = PatrolCadence(
        **{**cadence_in, "enterprise_classes": [int(c) for c in cadence_in.get("enterprise_classes", [])]},
        park_id=actor.park_id,
        created_by=actor.user_id,
    )
    session.add(cadence)
    session.flush()
    return cadence


def visible(query, actor: Actor):
    """Cadences of the actor's park (admins: all)."""
    return query if actor.is_admin else query.where(PatrolCadence.park_id == actor.park_id)


def get(*, session: Session, actor: Actor, cadence_id: uuid.UUID, lock: bool = False) -> PatrolCadence:
    """A cadence the actor may see (park staff) or 404; enterprise users never see the park's plan."""
    require_role(actor, "admin", "park_manager", "inspector")
    query = visible(select(PatrolCadence), actor).where(PatrolCadence.id == cadence_id)
    cadence = session.exec(query.with_for_update() if lock else query).first()
    if cadence is None:
        raise NotFound("No such patrol cadence.")
    return cadence


def list_cadences(*, session: Session, actor: Actor, limit: int, cursor: str | None = None) -> Page:
    """The park's cadences by creation time (park staff)."""
    require_role(actor, "admin", "park_manager", "inspector")
    return keyset_page(
        session,
        visible(select(PatrolCadence), actor),
        sort_col=PatrolCadence.created_at,
        id_col=PatrolCadence.id,
        sort_attr="created_at",
        limit=limit,
        cursor=cursor,
        parse=datetime.fromisoformat,
    )


def change(
    *, session: Session, actor: Actor, cadence_id: uuid.UUID, version: int | None, changes: dict
) -> PatrolCadence:
    """Change a cadence (park manager); tasks already generated keep their dates, later ones follow the change."""
    cadence = get(session=session, actor=actor, cadence_id=cadence_id, lock=True)
    require_role(actor, "park_manager")
    check_version(cadence.version, version)
    merged = {**cadence.model_dump(), **changes}
    _check(session, actor, merged)
    for key, value in changes.items():
        setattr(cadence, key, [int(c) for c in value] if key == "enterprise_classes" else value)
    cadence.version += 1
    cadence.updated_at = utcnow()
    session.add(cadence)
    session.flush()
    return cadence


def _targets(session: Session, cadence: PatrolCadence) -> list[uuid.UUID | None]:
    if cadence.kind in PARK_LEVEL:
        return [None]
    query = select(Enterprise.id).where(Enterprise.park_id == cadence.park_id)
    if cadence.risk_colors:
        query = query.where(Enterprise.risk_color.in_(cadence.risk_colors))
    if cadence.enterprise_classes:
        query = query.where(Enterprise.enterprise_class.in_([int(c) for c in cadence.enterprise_classes]))
    return sorted(session.exec(query).all())


def _insert_tasks(session: Session, rows: list[dict]) -> int:
    if not rows:
        return 0
    module = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = InspectionTask.__table__
    statement = (
        module.insert(table)
        .on_conflict_do_nothing(index_elements=["occurrence_key"])
        .returning(table.c.id, table.c.park_id, table.c.enterprise_id)
    )
    created = 0
    for start in range(0, len(rows), 500):
        inserted = session.execute(statement, rows[start : start + 500]).all()
        feed.record_many(
            session,
            ({"entity": "task", "entity_id": i, "park_id": p, "enterprise_id": e} for i, p, e in inserted),
        )
        created += len(inserted)
    return created


def generate(*, session: Session, now: datetime | None = None) -> str:
    """Create the tasks of every active cadence's occurrences from today to `lead_days` ahead (park's zone)."""
    now = now or utcnow()
    session.flush()
    created = 0
    cadences = session.exec(
        select(PatrolCadence, Park.timezone)
        .join(Park, Park.id == PatrolCadence.park_id)
        .where(PatrolCadence.active.is_(True))
        .order_by(PatrolCadence.id)
    ).all()
    for cadence, timezone in cadences:
        today = local_date(now, timezone)
        through = today + timedelta(days=cadence.lead_days)
        first = max(today, (cadence.generated_through or today - timedelta(days=1)) + timedelta(days=1))
        dates = occurrences(cadence, first, through)
        if dates:
            targets = _targets(session, cadence)
            enterprises = [t for t in targets if t is not None]
            liaisons = _liaisons(session, enterprises) if cadence.kind == "park_patrol" else {}
            rows = [
                {
                    "id": uuid.uuid4(),
                    "park_id": cadence.park_id,
                    "enterprise_id": enterprise_id,
                    "campaign_id": None,
                    "phase_id": None,
                    "cadence_id": cadence.id,
                    "occurrence_key": f"{cadence.id}:{enterprise_id or 'park'}:{day.isoformat()}",
                    "kind": cadence.kind,
                    "group": None,
                    "assignee_id": cadence.assignee_id or liaisons.get(enterprise_id),
                    "due_date": day,
                    "status": "open",
                    "inspection_id": None,
                    "note": "",
                    "completed_at": None,
                    "completed_by": None,
                    "created_at": now,
                    "version": 1,
                }
                for day in dates
                for enterprise_id in targets
            ]
            created += _insert_tasks(session, rows)
        session.exec(
            update(PatrolCadence)
            .where(PatrolCadence.id == cadence.id)
            .values(generated_through=through)
            .execution_options(synchronize_session=False)
        )
    return f"generated {created} patrol tasks"
