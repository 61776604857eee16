"""Self-check report request and response schemas."""

from datetime import date
from typing import ClassVar

import marshmallow as ma
from marshmallow import validate

from inspect_service.common.schemas import PageArgsSchema, StrictSchema, page_schema, text
from inspect_service.selfchecks.figures import format_period
from inspect_service.selfchecks.models import NARRATIVE_MAX, REASON_MAX, STATUSES
from inspect_service.selfchecks.overview import FILTERS

PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
YEARS = (2000, 2100)


class Period(ma.fields.String):
    """A month as `YYYY-MM` (loaded as the first day of the month)."""

    default_error_messages: ClassVar[dict] = {"period": "A month as YYYY-MM, years 2000-2100."}

    def __init__(self, **kwargs):
        metadata = {"pattern": PERIOD_PATTERN, "maxLength": 7, "example": "2027-03", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format_period(value)

    def _deserialize(self, value, attr, data, **kwargs):
        raw = super()._deserialize(value, attr, data, **kwargs)
        try:
            year, month = (int(part) for part in raw.split("-")) if len(raw) == 7 and raw[4] == "-" else (0, 0)
            period = date(year, month, 1)
        except ValueError:
            raise self.make_error("period") from None
        if not (raw.isascii() and YEARS[0] <= period.year <= YEARS[1]):
            raise self.make_error("period")
        return period


class NarrativeSchema(StrictSchema):
    """The safety officer's own words (the figures are the server's)."""

    checks_summary = text(NARRATIVE_MAX, metadata={"description": "自查开展情况: how the month's self-checks went"})
    rectification_summary = text(NARRATIVE_MAX, metadata={"description": "整改情况: what was rectified and how"})
    open_hazards_measures = text(NARRATIVE_MAX, metadata={"description": "未整改隐患的管控措施"})
    remarks = text(NARRATIVE_MAX)
    published_internally_on = ma.fields.Date(allow_none=True, metadata={"description": "Posted inside the enterprise"})


class ReportCreateSchema(NarrativeSchema):
    """A draft report of your enterprise for a month."""

    period = Period(required=True)


class ReportUpdateSchema(NarrativeSchema):
    """Changes to a draft or returned report's narrative."""


class SubmitSchema(StrictSchema):
    """Submit the report to the principal (figures are recomputed and frozen)."""


class SignOffSchema(StrictSchema):
    """The principal signs the report off."""

    comment = text(REASON_MAX)


class ReturnSchema(StrictSchema):
    """The principal returns the report to the officer, saying why."""

    reason = text(REASON_MAX, min_length=1, required=True)


class ReportListArgsSchema(PageArgsSchema):
    """Filters for the report list."""

    period = Period()
    enterprise_id = ma.fields.UUID()
    status = ma.fields.String(validate=validate.OneOf(STATUSES))


class OverviewArgsSchema(PageArgsSchema):
    """A month (default: the previous one) and a status: a report state, `none`, or missing/late/on_time/not_due."""

    period = Period()
    status = ma.fields.String(validate=validate.OneOf(FILTERS))


class ReportEventSchema(ma.Schema):
    """One entry of a report's history."""

    action = ma.fields.String(required=True)
    from_status = ma.fields.String(allow_none=True)
    to_status = ma.fields.String(required=True)
    actor_id = ma.fields.UUID(required=True)
    at = ma.fields.AwareDateTime(required=True)
    payload = ma.fields.Dict()


class ReportSchema(ma.Schema):
    """A report as returned: figures from the hazard ledger, the officer's narrative, the principal's decision."""

    id = ma.fields.UUID(required=True)
    park_id = ma.fields.UUID(required=True)
    enterprise_id = ma.fields.UUID(required=True)
    period = Period(required=True)
    due_date = ma.fields.Date(required=True)
    status = ma.fields.String(required=True)
    timeliness = ma.fields.String(required=True)
    figures = ma.fields.Dict(required=True)
    figures_at = ma.fields.AwareDateTime(required=True)
    checks_summary = ma.fields.String(required=True)
    rectification_summary = ma.fields.String(required=True)
    open_hazards_measures = ma.fields.String(required=True)
    remarks = ma.fields.String(required=True)
    published_internally_on = ma.fields.Date(allow_none=True)
    first_submitted_at = ma.fields.AwareDateTime(allow_none=True)
    submitted_at = ma.fields.AwareDateTime(allow_none=True)
    submitted_by = ma.fields.UUID(allow_none=True)
    late = ma.fields.Boolean(required=True)
    signed_off_at = ma.fields.AwareDateTime(allow_none=True)
    signed_off_by = ma.fields.UUID(allow_none=True)
    return_reason = ma.fields.String(allow_none=True)
    created_by = ma.fields.UUID(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(required=True)
    version = ma.fields.Integer(required=True)


class ReportDetailSchema(ReportSchema):
    """A report with its full history."""

    events = ma.fields.List(ma.fields.Nested(ReportEventSchema), required=True)


class StatusRowSchema(ma.Schema):
    """One enterprise's report status for the month (`report_id` null: no report at all)."""

    enterprise_id = ma.fields.UUID(required=True)
    enterprise_name = ma.fields.String(required=True)
    park_id = ma.fields.UUID(required=True)
    period = Period(required=True)
    due_date = ma.fields.Date(required=True)
    report_id = ma.fields.UUID(allow_none=True)
    status = ma.fields.String(required=True)
    timeliness = ma.fields.String(required=True)
    first_submitted_at = ma.fields.AwareDateTime(allow_none=True)
    submitted_at = ma.fields.AwareDateTime(allow_none=True)
    signed_off_at = ma.fields.AwareDateTime(allow_none=True)


ReportPageSchema = page_schema(ReportSchema, "SelfCheckReportPage")
StatusPageSchema = page_schema(StatusRowSchema, "SelfCheckStatusPage")
