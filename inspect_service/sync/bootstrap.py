"""A phone's first copy of its scope, in pages, and the feed cursor to continue from.

The feed cursor is taken before the first page is read and travels inside the signed page token, so every page
of one bootstrap names the same cursor; whatever changes while the phone pages is in the feed after it.
Entities come in a fixed order, each by id (a key that never changes), through its domain's scoping function.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor
from inspect_service.campaigns.models import InspectionTask
from inspect_service.common.time import utcnow
from inspect_service.documents.models import Document
from inspect_service.errors import Unprocessable
from inspect_service.hazards import service as hazard_service
from inspect_service.hazards.models import Hazard
from inspect_service.inspections.models import Inspection
from inspect_service.notifications.models import Notification
from inspect_service.photos.models import Photo
from inspect_service.selfchecks.models import SelfCheckReport
from inspect_service.sync import changes, entities

TASK_DAYS, HAZARD_DAYS, DOCUMENT_DAYS, INSPECTION_DAYS = 7, 30, 180, 30
NOTIFICATIONS = 100
TERMINAL = ("closed", "voided")
_SALT = "inspect_service.sync.bootstrap"


@dataclass
class Position:
    """Where a bootstrap stands: its feed cursor, start time, entity and the last id given of it."""

    cursor: int
    started: datetime
    stage: int = 0
    after: uuid.UUID | None = None


def _tasks(query, actor: Actor, since: datetime):
    return query.where(
        or_(InspectionTask.status == "open", InspectionTask.completed_at >= since - timedelta(days=TASK_DAYS))
    )


def _hazards(query, actor: Actor, since: datetime):
    return query.where(or_(Hazard.status.not_in(TERMINAL), Hazard.updated_at >= since - timedelta(days=HAZARD_DAYS)))


def _documents(query, actor: Actor, since: datetime):
    return query.where(Document.issued_at >= since - timedelta(days=DOCUMENT_DAYS))


def _notifications(query, actor: Actor, since: datetime):
    latest = (
        select(Notification.id)
        .where(Notification.recipient_id == actor.user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(NOTIFICATIONS)
    )
    return query.where(Notification.id.in_(latest))


def _reports(query, actor: Actor, since: datetime):
    if not actor.is_enterprise_user:
        return None  # park staff read reports in the console, not on the phone
    first = date(since.year - 1, since.month, 1)
    return query.where(SelfCheckReport.period >= first)


def _inspections(query, actor: Actor, since: datetime):
    mine = or_(
        Inspection.created_by == actor.user_id,
        sa.cast(Inspection.inspector_ids, sa.String).contains(str(actor.user_id)),  # a JSON list of id strings
    )
    return query.where(mine, Inspection.started_at >= since - timedelta(days=INSPECTION_DAYS))


def _everything(query, actor: Actor, since: datetime):
    return query


# The fixed order of a bootstrap; `photo` is read through the hazards (the photos they reference).
STAGES: tuple[tuple[str, Callable], ...] = (
    ("enterprise", _everything),
    ("check_item", _everything),
    ("checklist_template", _everything),
    ("task", _tasks),
    ("inspection", _inspections),
    ("hazard", _hazards),
    ("photo", _hazards),
    ("document", _documents),
    ("self_check_report", _reports),
    ("notification", _notifications),
)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _encode(actor: Actor, position: Position) -> str:
    after = str(position.after) if position.after else None
    started = position.started.timestamp()
    return _serializer().dumps(
        {"u": str(actor.user_id), "c": position.cursor, "t": started, "s": position.stage, "a": after}
    )


def _malformed() -> Unprocessable:
    return Unprocessable("Malformed page token: start the bootstrap again.", errors={"page": ["Malformed token."]})


def _decode(actor: Actor, token: str) -> Position:
    try:
        data = _serializer().loads(token)
        if data["u"] != str(actor.user_id) or not 0 <= data["s"] < len(STAGES) or data["c"] < 0:
            raise ValueError
        started = datetime.fromtimestamp(float(data["t"]), tz=UTC)
        after = uuid.UUID(data["a"]) if data["a"] is not None else None
        return Position(cursor=int(data["c"]), started=started, stage=int(data["s"]), after=after)
    except (BadSignature, KeyError, TypeError, ValueError, OverflowError) as exc:
        raise _malformed() from exc


def _rows(session: Session, actor: Actor, position: Position, room: int) -> tuple[str, list, bool] | None:
    """Up to `room` rows of the position's entity after its last id (None: the entity gives nothing here)."""
    entity, window = STAGES[position.stage]
    kind = entities.KINDS["hazard" if entity == "photo" else entity]
    query = window(kind.visible(select(kind.model), actor), actor, position.started)
    if query is None:
        return None
    if position.after is not None:
        query = query.where(kind.model.id > position.after)
    rows = list(session.exec(query.order_by(kind.model.id).limit(room + 1)))
    return entity, rows[:room], len(rows) > room


def _photos(session: Session, actor: Actor, hazards: list, room: int) -> tuple[list, list]:
    """The hazards whose photos fit in `room` (at least one hazard) and those photos, visible to the actor."""
    taken, wanted = [], []
    entities.preload_parks(session, hazards)
    for view in hazard_service.views_now(session, hazards):
        ids = [p["id"] for p in view.get("photos", []) if p["id"] not in wanted]
        if taken and len(wanted) + len(ids) > room:
            break
        taken.append(view["id"])
        wanted.extend(ids)
    if not wanted:
        return taken, []
    query = entities.KINDS["photo"].visible(select(Photo), actor)
    photos = session.exec(query.where(Photo.id.in_([uuid.UUID(str(i)) for i in wanted])))
    return taken, sorted(photos, key=lambda photo: photo.id)


def _step(session: Session, actor: Actor, position: Position, room: int) -> list[dict]:
    """Read the next items of the position's entity, moving the position on (to the next entity when done)."""
    found = _rows(session, actor, position, room)
    if found is None:
        position.stage, position.after = position.stage + 1, None
        return []
    entity, rows, more = found
    if entity == "photo" and rows:
        taken, photos = _photos(session, actor, rows, room)
        more = more or len(taken) < len(rows)
        position.after, rows = uuid.UUID(str(taken[-1])), photos
    elif rows:
        position.after = rows[-1].id
    if not more:
        position.stage, position.after = position.stage + 1, None
    return [{"entity": entity, "id": data["id"], "data": data} for data in entities.dump_rows(session, entity, rows)]


def bootstrap(*, session: Session, actor: Actor, page: str | None, limit: int) -> dict:
    """One page of everything the caller may see, in a fixed order, and the feed cursor to follow it with."""
    position = _decode(actor, page) if page else Position(cursor=changes.head(session), started=utcnow())
    items: list[dict] = []
    while position.stage < len(STAGES) and len(items) < limit:
        items += _step(session, actor, position, limit - len(items))
    has_more = position.stage < len(STAGES)
    return {
        "items": items,
        "next_page": _encode(actor, position) if has_more else None,
        "has_more": has_more,
        "cursor": changes.encode_cursor(position.cursor),
    }
