"""The kinds of operation a phone queues: each one's fields, data schema, REST twin and the one service it calls."""

import functools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import marshmallow as ma
from marshmallow import validate
from sqlmodel import Session

from inspect_service.auth.actor import Actor
from inspect_service.campaigns import task_work
from inspect_service.campaigns.models import InspectionTask
from inspect_service.campaigns.task_schemas import TaskCompleteSchema, TaskSchema
from inspect_service.common.idempotency import KEY_MAX, valid_key
from inspect_service.common.schemas import Moment, StrictSchema, text
from inspect_service.documents import notices
from inspect_service.documents import service as document_service
from inspect_service.documents.models import Document
from inspect_service.documents.schemas import AcknowledgeDocumentSchema, DocumentSchema
from inspect_service.errors import Unprocessable
from inspect_service.hazards import lifecycle
from inspect_service.hazards import service as hazard_service
from inspect_service.hazards.models import Hazard
from inspect_service.hazards.schemas import HazardCreateSchema, HazardDetailSchema
from inspect_service.inspections import service as inspection_service
from inspect_service.inspections.models import Inspection
from inspect_service.inspections.schemas import (
    InspectionCreateSchema,
    InspectionDetailSchema,
    InspectionUpdateSchema,
    ResultCreateSchema,
    ResultWithHazardSchema,
)
from inspect_service.notifications import service as notification_service
from inspect_service.notifications.schemas import NotificationSchema
from inspect_service.selfchecks import service as report_service
from inspect_service.selfchecks.models import SelfCheckReport
from inspect_service.selfchecks.schemas import (
    ReportCreateSchema,
    ReportDetailSchema,
    ReportUpdateSchema,
    ReturnSchema,
    SignOffSchema,
    SubmitSchema,
)

REPORT_ACTIONS = {"submit": SubmitSchema, "sign_off": SignOffSchema, "return": ReturnSchema}
ACTION_NAMES = frozenset(lifecycle.ACTIONS) | frozenset(REPORT_ACTIONS)
MODELS = {"inspection": Inspection, "hazard": Hazard, "task": InspectionTask, "self_check_report": SelfCheckReport}


@dataclass(frozen=True)
class Op:
    """One operation's fields, loaded by its kind's schema; `raw` is the operation as sent."""

    raw: dict
    target_id: uuid.UUID | None
    action: str | None
    key: str | None
    base_version: int | None
    occurred_at: datetime | None


@dataclass(frozen=True)
class Kind:
    """One kind of operation: how it is read, which object it acts on, and the one service call that applies it."""

    name: str
    schema: type  # the operation's fields, published as the component SyncOp_<name>
    run: Callable[[Session, Actor, Op, dict, int | None], tuple[int, dict]]  # (status, body like its REST twin)
    rest: Callable[[Op], tuple[str, str]]  # the REST twin's (method, path): one Idempotency-Key space for both
    data_schema: Callable[[Op], type]
    target: str | None = None  # the field naming the object acted on
    object_type: str | None = None
    versioned: bool = False  # base_version is checked against the object's version
    current: Callable[[Session, Actor, uuid.UUID], dict] | None = None  # the object as its REST GET shows it

    def load(self, op: dict) -> Op:
        """The operation's own fields (not its data); 422 when they are wrong."""
        fields = _load(_fields_schema(self.schema), {k: v for k, v in op.items() if k != "data"})
        return Op(
            raw=op,
            target_id=fields.get(self.target) if self.target else None,
            action=fields.get("action"),
            key=fields.get("idempotency_key"),
            base_version=fields.get("base_version"),
            occurred_at=fields.get("occurred_at"),
        )

    def load_data(self, op: Op) -> dict:
        """The operation's data, validated like the body of its REST twin."""
        data = op.raw.get("data")
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise Unprocessable("Validation failed", errors={"data": ["Not a valid mapping type."]})
        return _load(self.data_schema(op), data)

    def request_body(self, op: Op):
        """The body its REST twin would carry (the device time inside it, as the REST action takes it)."""
        body = op.raw.get("data")
        occurred = op.raw.get("occurred_at")
        if isinstance(body, dict) and occurred is not None and "occurred_at" not in body:
            body = {**body, "occurred_at": occurred}
        return body


def _printable_key(value) -> None:
    if not valid_key(value):
        raise ma.ValidationError("1-200 printable ASCII characters.")


def _key_field(required: bool) -> ma.fields.String:
    return text(
        KEY_MAX,
        min_length=1,
        required=required,
        allow_none=not required,
        validate_also=_printable_key,
        metadata={"description": "The action's Idempotency-Key (made at capture time); a retry replays its result"},
    )


class _Envelope(StrictSchema):
    """The fields every operation has."""

    op_id = text(64, min_length=1, required=True)
    occurred_at = Moment(allow_none=True, metadata={"description": "Device time of the action (ISO 8601 with offset)"})


def _op_schema(name: str, doc: str, data, *, target=None, actions=None, key=True, version=False) -> type:
    """The schema of one kind's operation; `version`: a base_version, when sent, is checked (never required)."""
    fields = {
        "__doc__": doc,
        "kind": ma.fields.String(required=True, validate=validate.Equal(name)),
        "idempotency_key": _key_field(key),
        "base_version": ma.fields.Integer(
            allow_none=True,
            validate=validate.Range(min=0, max=2**31),
            metadata={"description": "The object's version the phone last saw" if version else "Not checked"},
        ),
        "data": ma.fields.Nested(data) if isinstance(data, type) else ma.fields.Dict(metadata={"description": data}),
    }
    if target:
        fields[target] = ma.fields.UUID(required=True)
    if actions:
        fields["action"] = ma.fields.String(required=True, validate=validate.OneOf(actions))
    return type(f"SyncOp_{name}", (_Envelope,), fields)


@functools.cache
def _fields_schema(schema: type) -> ma.Schema:
    return schema(exclude=("data",))


@functools.cache
def _instance(schema: type) -> ma.Schema:
    return schema()


def _load(schema, data: dict) -> dict:
    try:
        return (schema if isinstance(schema, ma.Schema) else _instance(schema)).load(data)
    except ma.ValidationError as exc:
        raise Unprocessable("Validation failed", errors=exc.messages) from exc


def dump(schema: type, obj) -> dict:
    """The schema's JSON-safe dump of `obj`."""
    return json.loads(json.dumps(_instance(schema).dump(obj), default=str))


# The REST GET of each object an operation acts on: a conflict's `current`, and the body after an action.
def hazard_now(session: Session, actor: Actor, hazard_id: uuid.UUID) -> dict:
    """The hazard as GET /api/hazards/{id} shows it."""
    return dump(HazardDetailSchema, hazard_service.get_view(session=session, actor=actor, hazard_id=hazard_id))


def inspection_now(session: Session, actor: Actor, inspection_id: uuid.UUID) -> dict:
    """The inspection as GET /api/inspections/{id} shows it."""
    detail = inspection_service.get_detail(session=session, actor=actor, inspection_id=inspection_id)
    return dump(InspectionDetailSchema, detail)


def task_now(session: Session, actor: Actor, task_id: uuid.UUID) -> dict:
    """The task as GET /api/tasks/{id} shows it."""
    return dump(TaskSchema, task_work.view(session, task_work.get(session=session, actor=actor, task_id=task_id)))


def report_now(session: Session, actor: Actor, report_id: uuid.UUID) -> dict:
    """The self-check report as GET /api/self-check-reports/{id} shows it."""
    return dump(ReportDetailSchema, report_service.get_view(session=session, actor=actor, report_id=report_id))


# The runners: each calls one domain service function and answers like the REST twin.
def _create_inspection(session, actor, _op, data, _version):
    inspection, created = inspection_service.create(session=session, actor=actor, inspection_in=data)
    return (201 if created else 200), inspection_now(session, actor, inspection.id)


def _update_inspection(session, actor, op, data, version):
    inspection_service.update(
        session=session, actor=actor, inspection_id=op.target_id, version=version, changes=data, require_version=False
    )
    return 200, inspection_now(session, actor, op.target_id)


def _add_result(session, actor, op, data, _version):
    result = inspection_service.add_result(session=session, actor=actor, inspection_id=op.target_id, result_in=data)
    return 201, dump(ResultWithHazardSchema, result)


def _create_hazard(session, actor, _op, data, _version):
    hazard, created = hazard_service.create(session=session, actor=actor, hazard_in=data)
    return (201 if created else 200), hazard_now(session, actor, hazard.id)


def _hazard_action(session, actor, op, data, version):
    hazard_service.perform(
        session=session, actor=actor, hazard_id=op.target_id, action=op.action, data=data, version=version,
        occurred_at=op.occurred_at,
    )  # fmt: skip
    return 200, hazard_now(session, actor, op.target_id)


def _acknowledge_document(session, actor, op, data, _version):
    receipt = notices.acknowledge(
        session=session, actor=actor, document_id=op.target_id, body=data, occurred_at=op.occurred_at
    )
    return 201, dump(DocumentSchema, document_service.view(session, receipt))


def _complete_task(session, actor, op, data, version):
    task = task_work.complete(session=session, actor=actor, task_id=op.target_id, version=version, **data)
    return 200, dump(TaskSchema, task_work.view(session, task))


def _create_report(session, actor, _op, data, _version):
    report = report_service.create(session=session, actor=actor, report_in=data)
    return 201, report_now(session, actor, report.id)


def _update_report(session, actor, op, data, version):
    report_service.update(
        session=session, actor=actor, report_id=op.target_id, version=version, changes=data, require_version=False
    )
    return 200, report_now(session, actor, op.target_id)


def _report_action(session, actor, op, data, version):
    report_service.perform(
        session=session, actor=actor, report_id=op.target_id, action=op.action, data=data, version=version
    )
    return 200, report_now(session, actor, op.target_id)


def _read_notification(session, actor, op, _data, _version):
    notification = notification_service.mark_read(session=session, actor=actor, notification_id=op.target_id)
    return 200, dump(NotificationSchema, notification)


class NoDataSchema(StrictSchema):
    """No data."""


def _fixed(schema: type) -> Callable[[Op], type]:
    return lambda _op: schema


def _at(method: str, path: str) -> Callable[[Op], tuple[str, str]]:
    return lambda op: (method, path.format(id=op.target_id, action=op.action))


_HAZARD_DATA = "The body of POST /api/hazards/{hazard_id}/{action} (the action's own schema)"
_REPORT_DATA = "The body of POST /api/self-check-reports/{report_id}/{action}"
_KINDS = (
    Kind("create_inspection", _op_schema("create_inspection", "Record an inspection (client id).",
                                         InspectionCreateSchema, key=False),
         _create_inspection, _at("POST", "/api/inspections"), _fixed(InspectionCreateSchema)),
    Kind("update_inspection", _op_schema("update_inspection", "Complete an inspection.", InspectionUpdateSchema,
                                         target="inspection_id", version=True),
         _update_inspection, _at("PATCH", "/api/inspections/{id}"), _fixed(InspectionUpdateSchema),
         "inspection_id", "inspection", True, inspection_now),
    Kind("add_result", _op_schema("add_result", "Record one check item's result (client id).", ResultCreateSchema,
                                  target="inspection_id", key=False),
         _add_result, _at("POST", "/api/inspections/{id}/results"), _fixed(ResultCreateSchema),
         "inspection_id", "inspection"),
    Kind("create_hazard", _op_schema("create_hazard", "Register a hazard (client id).", HazardCreateSchema,
                                     key=False),
         _create_hazard, _at("POST", "/api/hazards"), _fixed(HazardCreateSchema)),
    Kind("hazard_action", _op_schema("hazard_action", "Take one lifecycle action on a hazard.", _HAZARD_DATA,
                                     target="hazard_id", actions=sorted(lifecycle.ACTIONS), version=True),
         _hazard_action, _at("POST", "/api/hazards/{id}/{action}"), lambda op: lifecycle.ACTIONS[op.action].schema,
         "hazard_id", "hazard", True, hazard_now),
    Kind("acknowledge_document", _op_schema("acknowledge_document", "签收 a notice.", AcknowledgeDocumentSchema,
                                            target="document_id"),
         _acknowledge_document, _at("POST", "/api/documents/{id}/acknowledge"), _fixed(AcknowledgeDocumentSchema),
         "document_id", "document"),
    Kind("complete_task", _op_schema("complete_task", "Complete a task.", TaskCompleteSchema, target="task_id",
                                     version=True),
         _complete_task, _at("POST", "/api/tasks/{id}/complete"), _fixed(TaskCompleteSchema),
         "task_id", "task", True, task_now),
    Kind("create_self_check_report", _op_schema("create_self_check_report", "Draft the month's self-check report.",
                                                ReportCreateSchema, key=False),
         _create_report, _at("POST", "/api/self-check-reports"), _fixed(ReportCreateSchema)),
    Kind("update_self_check_report", _op_schema("update_self_check_report", "Edit a self-check report's narrative.",
                                                ReportUpdateSchema, target="report_id", version=True),
         _update_report, _at("PATCH", "/api/self-check-reports/{id}"), _fixed(ReportUpdateSchema),
         "report_id", "self_check_report", True, report_now),
    Kind("self_check_report_action", _op_schema("self_check_report_action", "Submit, sign off or return a report.",
                                                _REPORT_DATA, target="report_id", actions=list(REPORT_ACTIONS),
                                                version=True),
         _report_action, _at("POST", "/api/self-check-reports/{id}/{action}"),
         lambda op: REPORT_ACTIONS[op.action], "report_id", "self_check_report", True, report_now),
    Kind("read_notification", _op_schema("read_notification", "Mark one of your notifications read.", NoDataSchema,
                                         target="notification_id"),
         _read_notification, _at("POST", "/api/notifications/{id}/read"), _fixed(NoDataSchema),
         "notification_id", "notification"),
)  # fmt: skip
KINDS: dict[str, Kind] = {kind.name: kind for kind in _KINDS}


def kind_of(op: dict) -> Kind:
    """The kind of an operation; 422 for one the server does not know."""
    kind = KINDS.get(op.get("kind")) if isinstance(op.get("kind"), str) else None
    if kind is None:
        message = f"Unknown kind; one of: {', '.join(KINDS)}."
        raise Unprocessable(message, errors={"kind": [message]})
    return kind


def touched(session: Session, kind: Kind, op: Op) -> list[tuple[str, uuid.UUID]]:
    """The versioned objects the operation may move: its own, and a notice's hazards when it is acknowledged."""
    if kind.name == "acknowledge_document":
        notice = session.get(Document, op.target_id)
        return (
            [("hazard", hazard_id) for hazard_id in document_service.hazard_ids_of(session, notice)] if notice else []
        )
    return [(kind.object_type, op.target_id)] if kind.object_type in MODELS and op.target_id else []


def versions(session: Session, objects: list[tuple[str, uuid.UUID]]) -> dict[tuple[str, uuid.UUID], int]:
    """The current version of each object (those that exist)."""
    found = {}
    for object_type, object_id in objects:
        row = session.get(MODELS[object_type], object_id)
        if row is not None:
            found[(object_type, object_id)] = row.version
    return found


def register_components(spec) -> None:
    """Publish each kind's operation schema in the OpenAPI document as the component SyncOp_<kind>."""
    for kind in KINDS.values():
        spec.components.schema(f"SyncOp_{kind.name}", schema=kind.schema)
