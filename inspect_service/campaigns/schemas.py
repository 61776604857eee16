"""Campaign request and response schemas."""

import marshmallow as ma
from marshmallow import validate

from inspect_service.campaigns import task_schemas
from inspect_service.common.schemas import PageArgsSchema, StrictSchema, page_schema, text
from inspect_service.hazards.schemas import DOMAINS

KINDS = ("grand_inspection", "special_action", "follow_up", "holiday_precheck")
PHASE_KINDS = ("self_check", "focused_rectification", "park_supervision", "look_back", "other")


class PhaseInSchema(StrictSchema):
    """A phase of a new campaign."""

    kind = ma.fields.String(required=True, validate=validate.OneOf(PHASE_KINDS))
    name = text(200, min_length=1, required=True)
    start_date = ma.fields.Date(required=True)
    end_date = ma.fields.Date(required=True)
    deliverables = text(2000)


class MilestoneInSchema(StrictSchema):
    """A dated deliverable."""

    kind = ma.fields.String(required=True, validate=validate.OneOf(("report", "self_check_report", "other")))
    name = text(200, min_length=1, required=True)
    due_date = ma.fields.Date(required=True)


class CampaignCreateSchema(StrictSchema):
    """A new campaign: give `phases`, or `template: "grand_inspection"` to use the park plan."""

    name = text(200, min_length=1, required=True)
    year = ma.fields.Integer(required=True, strict=True, validate=validate.Range(2000, 2100))
    kind = ma.fields.String(required=True, validate=validate.OneOf(KINDS))
    template = ma.fields.String(validate=validate.OneOf(("grand_inspection",)))
    scope_domains = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(DOMAINS)),
        load_default=list,
        validate=validate.Length(max=len(DOMAINS)),
    )
    scope_enterprise_ids = ma.fields.List(ma.fields.UUID(), load_default=list, validate=validate.Length(max=2000))
    phases = ma.fields.List(ma.fields.Nested(PhaseInSchema), load_default=list, validate=validate.Length(max=10))
    milestones = ma.fields.List(
        ma.fields.Nested(MilestoneInSchema), load_default=list, validate=validate.Length(max=50)
    )


class PhaseChangeSchema(StrictSchema):
    """Close a phase early, or extend it to a later end date."""

    end_date = ma.fields.Date(metadata={"description": "Extend: the new end date"})
    reason = text(1000, min_length=1, required=True)


class PhaseSchema(ma.Schema):
    """A phase as returned."""

    id = ma.fields.UUID(required=True)
    kind = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    position = ma.fields.Integer(required=True)
    start_date = ma.fields.Date(required=True)
    end_date = ma.fields.Date(required=True)
    deliverables = ma.fields.String()
    status = ma.fields.String(required=True)
    opened_at = ma.fields.AwareDateTime(allow_none=True)
    closed_at = ma.fields.AwareDateTime(allow_none=True)
    version = ma.fields.Integer(required=True)


class MilestoneSchema(ma.Schema):
    """A milestone as returned."""

    id = ma.fields.UUID(required=True)
    kind = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    due_date = ma.fields.Date(required=True)


class CampaignEventSchema(ma.Schema):
    """One entry of the campaign's history."""

    action = ma.fields.String(required=True)
    phase_id = ma.fields.UUID(allow_none=True)
    actor_id = ma.fields.UUID(allow_none=True)
    at = ma.fields.AwareDateTime(required=True)
    payload = ma.fields.Dict()


class CampaignSchema(ma.Schema):
    """A campaign with its phases, milestones and history."""

    id = ma.fields.UUID(required=True)
    park_id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True)
    scope_domains = ma.fields.List(ma.fields.String())
    scope_enterprise_ids = ma.fields.List(ma.fields.String())
    phases = ma.fields.List(ma.fields.Nested(PhaseSchema), required=True)
    milestones = ma.fields.List(ma.fields.Nested(MilestoneSchema), required=True)
    events = ma.fields.List(ma.fields.Nested(CampaignEventSchema), required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    version = ma.fields.Integer(required=True)


class CampaignListArgsSchema(PageArgsSchema):
    """Filters for the campaign list."""

    year = ma.fields.Integer(validate=validate.Range(2000, 2100))


class CampaignSummarySchema(ma.Schema):
    """A campaign in a list."""

    id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    kind = ma.fields.String(required=True)
    created_at = ma.fields.AwareDateTime(required=True)


CampaignPageSchema = page_schema(CampaignSummarySchema, "CampaignPage")


TASK_KINDS = ("self_check", "spot_check", "supervision")
TASK_STATUSES = ("open", "done", "cancelled")


class TaskListArgsSchema(PageArgsSchema):
    """Filters for a campaign's tasks."""

    phase_id = ma.fields.UUID()
    kind = ma.fields.String(validate=validate.OneOf(TASK_KINDS))
    status = ma.fields.String(validate=validate.OneOf(TASK_STATUSES))


InspectionTaskPageSchema = task_schemas.TaskPageSchema


class SamplingDrawSchema(ma.Schema):
    """A phase's recorded spot-check draw: `seed` and `rules` reproduce `selected_enterprise_ids`."""

    id = ma.fields.UUID(required=True)
    phase_id = ma.fields.UUID(required=True)
    seed = ma.fields.Integer(required=True)
    rules = ma.fields.Dict(required=True)
    selected_enterprise_ids = ma.fields.List(ma.fields.String(), required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    created_by = ma.fields.UUID(allow_none=True)
