"""Request and response schemas of inspection tasks (all of them) and patrol cadences."""

from datetime import date

import marshmallow as ma
from marshmallow import validate

from inspect_service.campaigns.cadences import CADENCE_KINDS, LEAD_DAYS_MAX, RRULE_MAX
from inspect_service.campaigns.task_work import ALL_KINDS
from inspect_service.common.schemas import JsonBoolean, PageArgsSchema, StrictSchema, page_schema, text
from inspect_service.enterprises.schemas import RISK_COLORS

TASK_STATUSES = ("open", "done", "cancelled")
IN_SERVICE = validate.Range(date(2000, 1, 1), date(2100, 1, 1), error="Between 2000 and 2100.")


class TaskQueryArgsSchema(PageArgsSchema):
    """Filters for every task the caller may see."""

    campaign_id = ma.fields.UUID()
    phase_id = ma.fields.UUID()
    cadence_id = ma.fields.UUID()
    enterprise_id = ma.fields.UUID()
    kind = ma.fields.String(validate=validate.OneOf(ALL_KINDS))
    status = ma.fields.String(validate=validate.OneOf(TASK_STATUSES))
    mine = ma.fields.Boolean(load_default=False, metadata={"description": "Only tasks assigned to you"})
    overdue = ma.fields.Boolean(metadata={"description": "Open and past due in the park's zone (or not)"})
    due_from = ma.fields.Date(validate=IN_SERVICE)
    due_to = ma.fields.Date(validate=IN_SERVICE)


class TaskCompleteSchema(StrictSchema):
    """Completing a task: the inspection that did it (required for the park's own visits) and a note."""

    inspection_id = ma.fields.UUID(allow_none=True, load_default=None)
    note = text(1000, load_default="")


class TaskSchema(ma.Schema):
    """An inspection task as returned (campaign task or patrol cadence occurrence)."""

    id = ma.fields.UUID(required=True)
    park_id = ma.fields.UUID(required=True)
    enterprise_id = ma.fields.UUID(allow_none=True)
    campaign_id = ma.fields.UUID(allow_none=True)
    phase_id = ma.fields.UUID(allow_none=True)
    cadence_id = ma.fields.UUID(allow_none=True)
    kind = ma.fields.String(required=True)
    group = ma.fields.String(allow_none=True)
    assignee_id = ma.fields.UUID(allow_none=True)
    due_date = ma.fields.Date(required=True)
    status = ma.fields.String(required=True)
    inspection_id = ma.fields.UUID(allow_none=True)
    note = ma.fields.String(required=True)
    completed_at = ma.fields.AwareDateTime(allow_none=True)
    completed_by = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)
    version = ma.fields.Integer(required=True)
    enterprise_name = ma.fields.String(allow_none=True, metadata={"description": "Where to go (none for park work)"})
    enterprise_address = ma.fields.String(allow_none=True)
    enterprise_latitude = ma.fields.Float(allow_none=True)
    enterprise_longitude = ma.fields.Float(allow_none=True)


TaskPageSchema = page_schema(TaskSchema, "TaskPage")


class CadenceFieldsSchema(StrictSchema):
    """The fields of a patrol cadence a park manager sets."""

    name = text(200, min_length=1)
    kind = ma.fields.String(validate=validate.OneOf(CADENCE_KINDS))
    rrule = text(
        RRULE_MAX,
        min_length=1,
        metadata={"description": "RFC 5545 RRULE in whole days from starts_on, e.g. FREQ=WEEKLY;BYDAY=MO"},
    )
    starts_on = ma.fields.Date(validate=IN_SERVICE)
    ends_on = ma.fields.Date(allow_none=True, validate=IN_SERVICE)
    risk_colors = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(RISK_COLORS)), validate=validate.Length(max=len(RISK_COLORS))
    )
    enterprise_classes = ma.fields.List(
        ma.fields.Integer(strict=True, validate=validate.OneOf((1, 2, 3))), validate=validate.Length(max=3)
    )
    lead_days = ma.fields.Integer(strict=True, validate=validate.Range(0, LEAD_DAYS_MAX))
    reminder_days = ma.fields.List(
        ma.fields.Integer(strict=True, validate=validate.Range(0, LEAD_DAYS_MAX)), validate=validate.Length(max=5)
    )
    escalate = JsonBoolean()
    assignee_id = ma.fields.UUID(allow_none=True)
    active = JsonBoolean()


class CadenceCreateSchema(CadenceFieldsSchema):
    """A new patrol cadence."""

    name = text(200, min_length=1, required=True)
    kind = ma.fields.String(required=True, validate=validate.OneOf(CADENCE_KINDS))
    rrule = text(RRULE_MAX, min_length=1, required=True, metadata={"description": "e.g. FREQ=DAILY"})
    starts_on = ma.fields.Date(required=True, validate=IN_SERVICE)


class CadenceUpdateSchema(CadenceFieldsSchema):
    """Changes to a patrol cadence (send If-Match)."""


class CadenceSchema(ma.Schema):
    """A patrol cadence as returned."""

    id = ma.fields.UUID(required=True)
    park_id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    rrule = ma.fields.String(required=True)
    starts_on = ma.fields.Date(required=True, validate=IN_SERVICE)
    ends_on = ma.fields.Date(allow_none=True)
    risk_colors = ma.fields.List(ma.fields.String(), required=True)
    enterprise_classes = ma.fields.List(ma.fields.Integer(), required=True)
    lead_days = ma.fields.Integer(required=True)
    reminder_days = ma.fields.List(ma.fields.Integer(), required=True)
    escalate = ma.fields.Boolean(required=True)
    assignee_id = ma.fields.UUID(allow_none=True)
    active = ma.fields.Boolean(required=True)
    generated_through = ma.fields.Date(allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)
    version = ma.fields.Integer(required=True)


CadencePageSchema = page_schema(CadenceSchema, "PatrolCadencePage")
