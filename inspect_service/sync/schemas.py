"""Sync request and response schemas."""

import marshmallow as ma
from marshmallow import validate

from inspect_service.common.schemas import StrictSchema, text
from inspect_service.hazards.lifecycle import ACTIONS

MAX_OPERATIONS = 200
KINDS = ("create_inspection", "add_result", "create_hazard", "hazard_action")


class OperationSchema(StrictSchema):
    """One queued phone operation; `data` is validated by the schema of its kind."""

    op_id = text(64, min_length=1, required=True)
    kind = ma.fields.String(required=True, validate=validate.OneOf(KINDS))
    inspection_id = ma.fields.UUID(metadata={"description": "add_result"})
    hazard_id = ma.fields.UUID(metadata={"description": "hazard_action"})
    action = ma.fields.String(validate=validate.OneOf(sorted(ACTIONS)), metadata={"description": "hazard_action"})
    idempotency_key = text(200, min_length=1, metadata={"description": "hazard_action: required, retry-safe"})
    data = ma.fields.Dict(required=True)


class BatchSchema(StrictSchema):
    """Up to 200 operations from one phone, applied in order, each atomically."""

    operations = ma.fields.List(
        ma.fields.Nested(OperationSchema), required=True, validate=validate.Length(min=1, max=MAX_OPERATIONS)
    )


class OperationResultSchema(ma.Schema):
    """What happened to one operation: an HTTP-like status and the object, or a problem."""

    op_id = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    body = ma.fields.Dict(allow_none=True)
    problem = ma.fields.Dict(allow_none=True)


class BatchResultSchema(ma.Schema):
    """Per-operation results in the client's order."""

    results = ma.fields.List(ma.fields.Nested(OperationResultSchema), required=True)


class ChangesArgsSchema(StrictSchema):
    """Where to resume the feed."""

    cursor = ma.fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=2**62),
        metadata={"description": "The `next_cursor` of the previous page (0 = start)"},
    )
    limit = ma.fields.Integer(load_default=200, validate=validate.Range(min=1, max=500))


class ChangeSchema(ma.Schema):
    """One change: `upsert` carries the object as you may see it; `delete` and `remove` carry only its id."""

    seq = ma.fields.Integer(required=True)
    entity = ma.fields.String(required=True)
    id = ma.fields.UUID(required=True)
    op = ma.fields.String(required=True)
    data = ma.fields.Dict(allow_none=True)


class ChangesPageSchema(ma.Schema):
    """A page of the feed."""

    items = ma.fields.List(ma.fields.Nested(ChangeSchema), required=True)
    next_cursor = ma.fields.Integer(required=True)
    has_more = ma.fields.Boolean(required=True)
