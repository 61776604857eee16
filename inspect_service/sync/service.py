"""Phone sync: batches of queued operations, and the change feed per caller."""

import functools
import json
import uuid

from marshmallow import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from inspect_service.auth.actor import Actor
from inspect_service.common.idempotency import claim
from inspect_service.common.offline import fingerprint
from inspect_service.enterprises import service as enterprise_service
from inspect_service.errors import DomainError, Unprocessable
from inspect_service.hazards import lifecycle
from inspect_service.hazards import service as hazard_service
from inspect_service.hazards.schemas import HazardCreateSchema, HazardDetailSchema, HazardSchema
from inspect_service.inspections import service as inspection_service
from inspect_service.inspections.schemas import (
    InspectionCreateSchema,
    InspectionSchema,
    ResultCreateSchema,
    ResultWithHazardSchema,
)
from inspect_service.sync.models import ChangeEntry, FeedCounter


class FeedGone(DomainError):
    """The cursor points before what the feed still keeps."""

    status, slug, title = 410, "cursor-expired", "Cursor expired"


def _problem(error: DomainError) -> dict:
    body = {"type": f"/problems/{error.slug}", "title": error.title, "status": error.status, "detail": error.detail}
    if error.errors is not None:
        body["errors"] = error.errors
    return {**body, **error.extra}


@functools.cache
def _schema(schema_class):
    return schema_class()


def _load(schema, data: dict) -> dict:
    try:
        return _schema(schema).load(data)
    except ValidationError as exc:
        raise Unprocessable("Validation failed", errors=exc.messages) from exc


def _dump(schema, obj) -> dict:
    return json.loads(json.dumps(_schema(schema).dump(obj), default=str))


def _run(session: Session, actor: Actor, op: dict) -> tuple[int, dict]:
    kind = op["kind"]
    if kind == "create_inspection":
        inspection, created = inspection_service.create(
            session=session, actor=actor, inspection_in=_load(InspectionCreateSchema, op["data"])
        )
        return (201 if created else 200), _dump(InspectionSchema, inspection)
    if kind == "add_result":
        _require(op, "inspection_id")
        result = inspection_service.add_result(
            session=session,
            actor=actor,
            inspection_id=op["inspection_id"],
            result_in=_load(ResultCreateSchema, op["data"]),
        )
        return 201, _dump(ResultWithHazardSchema, result)
    if kind == "create_hazard":
        hazard, created = hazard_service.create(
            session=session, actor=actor, hazard_in=_load(HazardCreateSchema, op["data"])
        )
        return (201 if created else 200), _dump(HazardSchema, hazard_service.view_now(session, hazard))
    return _run_action(session, actor, op)


def _require(op: dict, *names: str) -> None:
    missing = [name for name in names if not op.get(name)]
    if missing:
        raise Unprocessable("Missing fields.", errors={name: ["Required for this kind."] for name in missing})


def _run_action(session: Session, actor: Actor, op: dict) -> tuple[int, dict]:
    _require(op, "hazard_id", "action", "idempotency_key")
    data = _load(lifecycle.ACTIONS[op["action"]].schema, op["data"])
    request_hash = fingerprint({"hazard_id": op["hazard_id"], "action": op["action"], "data": op["data"]})
    new, record = claim(session, actor.user_id, "sync:" + op["idempotency_key"], request_hash)
    if not new:
        return record.status_code, json.loads(record.body)
    hazard_service.perform(session=session, actor=actor, hazard_id=op["hazard_id"], action=op["action"], data=data)
    body = _dump(HazardDetailSchema, hazard_service.get_view(session=session, actor=actor, hazard_id=op["hazard_id"]))
    record.status_code, record.body, record.content_type = 200, json.dumps(body), "application/json"
    session.add(record)
    return 200, body


def apply_batch(*, session: Session, actor: Actor, operations: list[dict]) -> list[dict]:
    """Apply each operation in its own savepoint, in order; one failing does not undo the others."""
    results = []
    for op in operations:
        for attempt in (1, 2):
            try:
                with session.begin_nested():
                    status, body = _run(session, actor, op)
                results.append({"op_id": op["op_id"], "status": status, "body": body, "problem": None})
                break
            except DomainError as error:
                results.append({"op_id": op["op_id"], "status": error.status, "body": None, "problem": _problem(error)})
                break
            except IntegrityError:
                if attempt == 2:  # a concurrent twin won twice; the client's retry will replay
                    error = DomainError("A concurrent request changed this object; retry.")
                    error.status, error.slug, error.title = 409, "conflict", "Conflict"
                    results.append({"op_id": op["op_id"], "status": 409, "body": None, "problem": _problem(error)})
    return results


def _entry_data(session: Session, actor: Actor, entry: ChangeEntry):
    try:
        if entry.entity == "hazard":
            hazard = hazard_service.get(session=session, actor=actor, hazard_id=entry.entity_id)
            return _dump(HazardSchema, hazard_service.view_now(session, hazard))
        if entry.entity == "inspection":
            inspection = inspection_service.get(session=session, actor=actor, inspection_id=entry.entity_id)
            return _dump(InspectionSchema, inspection)
    except DomainError:
        return None
    return None


def changes(*, session: Session, actor: Actor, cursor: int, limit: int) -> dict:
    """The caller's feed after `cursor`: upserts with current data, deletions, scope removals."""
    counter = session.get(FeedCounter, 1)
    if counter is not None and cursor < counter.purged_through:
        raise FeedGone("This cursor is older than the feed keeps; resynchronise from the start.")
    scoped = enterprise_service.scope(
        select(ChangeEntry.id), actor, park_col=ChangeEntry.park_id, enterprise_col=ChangeEntry.enterprise_id
    ).where(ChangeEntry.user_id.is_(None))
    query = (
        select(ChangeEntry)
        .where(ChangeEntry.seq > cursor, ChangeEntry.seq.is_not(None))
        .where(or_(ChangeEntry.id.in_(scoped), ChangeEntry.user_id == actor.user_id))
        .order_by(ChangeEntry.seq)
        .limit(limit + 1)
    )
    entries = list(session.execute(query).scalars())
    has_more = len(entries) > limit
    entries = entries[:limit]
    items = []
    for entry in entries:
        data = _entry_data(session, actor, entry) if entry.op == "upsert" else None
        op = entry.op if entry.op != "upsert" or data is not None else "remove"
        items.append({"seq": entry.seq, "entity": entry.entity, "id": entry.entity_id, "op": op, "data": data})
    return {"items": items, "next_cursor": entries[-1].seq if entries else cursor, "has_more": has_more}


def record_scope_removal(
    session: Session, *, user_id: uuid.UUID, park_id: uuid.UUID, enterprise_ids: list[uuid.UUID]
) -> None:
    """Tell one user's feed that these enterprises (and everything of theirs) left their scope."""
    from inspect_service.sync import feed

    for enterprise_id in enterprise_ids:
        feed.record(
            session,
            entity="enterprise",
            entity_id=enterprise_id,
            park_id=park_id,
            enterprise_id=enterprise_id,
            op="remove",
            user_id=user_id,
        )
