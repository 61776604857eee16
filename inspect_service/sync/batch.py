"""Phone sync: batches of queued operations, each applied on its own in the client's order."""

import functools
import json

from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from inspect_service.auth.actor import Actor
from inspect_service.common.idempotency import claim
from inspect_service.common.offline import fingerprint
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


def dump(schema, obj) -> dict:
    """The schema's JSON-safe dump of `obj`."""
    return json.loads(json.dumps(_schema(schema).dump(obj), default=str))


def _run(session: Session, actor: Actor, op: dict) -> tuple[int, dict]:
    kind = op["kind"]
    if kind == "create_inspection":
        inspection, created = inspection_service.create(
            session=session, actor=actor, inspection_in=_load(InspectionCreateSchema, op["data"])
        )
        return (201 if created else 200), dump(InspectionSchema, inspection)
    if kind == "add_result":
        _require(op, "inspection_id")
        result = inspection_service.add_result(
            session=session,
            actor=actor,
            inspection_id=op["inspection_id"],
            result_in=_load(ResultCreateSchema, op["data"]),
        )
        return 201, dump(ResultWithHazardSchema, result)
    if kind == "create_hazard":
        hazard, created = hazard_service.create(
            session=session, actor=actor, hazard_in=_load(HazardCreateSchema, op["data"])
        )
        return (201 if created else 200), dump(HazardSchema, hazard_service.view_now(session, hazard))
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
    body = dump(HazardDetailSchema, hazard_service.get_view(session=session, actor=actor, hazard_id=op["hazard_id"]))
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
