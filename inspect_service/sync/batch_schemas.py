"""The sync batch envelope and its results; each operation kind's own schema lives in sync/operations.py."""

import marshmallow as ma
from marshmallow import validate

from inspect_service.common.schemas import StrictSchema, storable_text, text

MAX_OPERATIONS = 200


class OperationSchema(ma.Schema):
    """One queued phone operation. Only `op_id` is checked here: the rest (a kind that is not a known string, data
    that is not an object, unknown fields) is that operation's own 422, so the phone's queue goes on."""

    class Meta:
        unknown = ma.INCLUDE  # the kind's own schema refuses unknown fields, as that operation's 422

    op_id = text(64, min_length=1, required=True, validate_also=storable_text)
    kind = ma.fields.Raw(
        metadata={
            "description": "The operation's kind (a string); each kind's fields are the component `SyncOp_<kind>` "
            "(create_inspection, update_inspection, add_result, create_hazard, hazard_action, acknowledge_document, "
            "complete_task, create_self_check_report, update_self_check_report, self_check_report_action, "
            "read_notification). An unknown kind or bad fields answer that operation alone with 422.",
        }
    )
    data = ma.fields.Raw(metadata={"description": "The body of the kind's REST twin (an object)"})


class BatchSchema(StrictSchema):
    """Up to 200 operations from one phone, applied in order, each atomically."""

    checked_elsewhere = ("operations",)  # each kind's schema refuses NUL and lone surrogates: that op's own 422

    operations = ma.fields.List(
        ma.fields.Nested(OperationSchema), required=True, validate=validate.Length(min=1, max=MAX_OPERATIONS)
    )


class OperationResultSchema(ma.Schema):
    """What happened to one operation: an HTTP-like status and the object after it, or a problem."""

    op_id = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    body = ma.fields.Dict(allow_none=True)
    problem = ma.fields.Dict(
        allow_none=True,
        metadata={"description": "problem+json; a version conflict (409) carries `current`, the object now"},
    )


class BatchResultSchema(ma.Schema):
    """Per-operation results in the client's order."""

    results = ma.fields.List(ma.fields.Nested(OperationResultSchema), required=True)
