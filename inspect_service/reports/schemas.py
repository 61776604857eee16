"""Report request and report-job schemas."""

from datetime import date

import marshmallow as ma
from flask import url_for
from marshmallow import validate

from inspect_service.common.schemas import JsonBoolean, StrictSchema
from inspect_service.hazards.schemas import DOMAINS
from inspect_service.reports.models import FORMATS, KINDS, STATUSES

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


class ReportRequestSchema(StrictSchema):
    """A report: which kind and format, over a campaign, a phase or dates (or both), optionally one domain."""

    kind = ma.fields.String(required=True, validate=validate.OneOf(KINDS))
    format = ma.fields.String(load_default="pdf", validate=validate.OneOf(FORMATS))
    campaign_id = ma.fields.UUID()
    phase_id = ma.fields.UUID()
    start = ma.fields.Date(
        validate=validate.Range(FIRST_DAY, LAST_DAY),
        metadata={"description": "First day (park's local date); narrows a campaign's window"},
    )
    end = ma.fields.Date(
        validate=validate.Range(FIRST_DAY, LAST_DAY),
        metadata={"description": "Last day, the report date (never past today)"},
    )
    domain = ma.fields.String(validate=validate.OneOf(DOMAINS))
    background = JsonBoolean(
        load_default=False, metadata={"description": "Queue a job (202) even when the report is small"}
    )

    @ma.validates_schema
    def _window(self, data, **_kwargs):
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ma.ValidationError("The report ends before it starts.", "end")
        if not (data.get("campaign_id") or data.get("phase_id")) and not (data.get("start") and data.get("end")):
            raise ma.ValidationError("Give a campaign, a phase, or both start and end.", "start")


class ReportJobSchema(ma.Schema):
    """A report being generated in the background, and its file once done."""

    id = ma.fields.UUID(required=True)
    park_id = ma.fields.UUID(required=True)
    kind = ma.fields.String(required=True, validate=validate.OneOf(KINDS))
    format = ma.fields.String(required=True, validate=validate.OneOf(FORMATS))
    parameters = ma.fields.Dict(required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(STATUSES))
    progress = ma.fields.Integer(required=True, metadata={"description": "Percent done"})
    hazard_count = ma.fields.Integer(required=True)
    milestone_id = ma.fields.UUID(allow_none=True)
    error = ma.fields.String(allow_none=True)
    sha256 = ma.fields.String(attribute="result_sha256", allow_none=True)
    size = ma.fields.Integer(attribute="result_size", allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)
    started_at = ma.fields.AwareDateTime(allow_none=True)
    finished_at = ma.fields.AwareDateTime(allow_none=True)
    download_url = ma.fields.Method("_download_url", allow_none=True)

    def _download_url(self, job) -> str | None:
        if job.status != "done":
            return None
        return url_for("reports.download_report", job_id=job.id)
