"""Park request and response schemas."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import marshmallow as ma

from inspect_service.common.schemas import JsonBoolean, JsonNumber, PageArgsSchema, StrictSchema, page_schema, text
from inspect_service.notifications.ladder import AUDIENCES
from inspect_service.reports.figures import DEFAULT_WEIGHTS

RANKING_WEIGHTS = tuple(DEFAULT_WEIGHTS)


def _valid_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ma.ValidationError("Not a known IANA time zone.") from exc


def _offsets(description: str) -> ma.fields.List:
    return ma.fields.List(
        ma.fields.Integer(strict=True, validate=ma.validate.Range(0, 60)),
        validate=ma.validate.Length(max=5),
        metadata={"description": description},
    )


class _LadderStepSchema(StrictSchema):
    day = ma.fields.Integer(strict=True, required=True, validate=ma.validate.Range(0, 90))
    audience = ma.fields.String(required=True, validate=ma.validate.OneOf(AUDIENCES))


def _ladder(description: str) -> ma.fields.List:
    return ma.fields.List(
        ma.fields.Nested(_LadderStepSchema), validate=ma.validate.Length(max=6), metadata={"description": description}
    )


class _ReminderDaysByLevelSchema(StrictSchema):
    general = _offsets("Reminder days for general hazards")
    major = _offsets("Reminder days for major hazards")


class _DeadlineDaysByLevelSchema(StrictSchema):
    general = ma.fields.Integer(strict=True, validate=ma.validate.Range(0, 365), metadata={"description": "(7)"})
    major = ma.fields.Integer(strict=True, validate=ma.validate.Range(0, 730), metadata={"description": "(30)"})


class ParkSettingsSchema(StrictSchema):
    """Per-park settings."""

    liaison_park_read = JsonBoolean(metadata={"description": "Liaison officers may read every enterprise of the park"})
    rectification_rate_denominator = ma.fields.String(
        validate=ma.validate.OneOf(("all", "due")),
        metadata={"description": "Reports' rectification rate over all hazards found, or those due (all)"},
    )
    ranking_weights = ma.fields.Dict(
        keys=ma.fields.String(validate=ma.validate.OneOf(RANKING_WEIGHTS)),
        values=JsonNumber(validate=ma.validate.Range(0, 1000)),
        metadata={"description": "Reports' ranking weights (DOMAIN.md §6.3); unnamed ones keep their defaults"},
    )
    self_check_report_due_day = ma.fields.Integer(
        strict=True,
        validate=ma.validate.Range(1, 28),
        metadata={"description": "Day of the following month by which the monthly self-check report is due (10)"},
    )

    hazard_deadline_days = ma.fields.Nested(
        _DeadlineDaysByLevelSchema,
        metadata={"description": "Default rectification deadline in days from the finding, by level (7 / 30)"},
    )
    reminder_days = _offsets("Days before a hazard's deadline to remind the enterprise (3 and 1)")
    reminder_days_by_level = ma.fields.Nested(
        _ReminderDaysByLevelSchema, metadata={"description": "Per-level reminder days, overriding reminder_days"}
    )
    escalation_ladder = _ladder(
        "Overdue hazards: (day after the deadline, audience) steps (0 enterprise, 3 liaison, 7 park manager)"
    )
    task_reminder_days = _offsets("Days before an inspection task is due to remind whoever does it (3 and 1)")
    task_escalation_ladder = _ladder("Overdue inspection tasks: the ladder's steps (as for hazards by default)")
    self_check_report_reminder_days = _offsets("Days before a monthly self-check report is due to remind (3 and 1)")
    self_check_report_escalation_ladder = _ladder("Missing self-check reports: the ladder's steps (as for hazards)")


class ParkCreateSchema(StrictSchema):
    """A new park."""

    name = text(200, min_length=1, required=True)
    short_name = text(20, min_length=1, required=True, metadata={"description": "Used in document numbers"})
    timezone = text(64, min_length=1, load_default="Asia/Shanghai", validate_also=_valid_zone)
    settings = ma.fields.Nested(ParkSettingsSchema, load_default=dict)


class ParkUpdateSchema(StrictSchema):
    """Changes to a park."""

    name = text(200, min_length=1)
    short_name = text(20, min_length=1)
    timezone = text(64, min_length=1, validate_also=_valid_zone)
    settings = ma.fields.Nested(ParkSettingsSchema)


class ParkSchema(ma.Schema):
    """A park as returned."""

    id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    short_name = ma.fields.String(required=True)
    timezone = ma.fields.String(required=True)
    settings = ma.fields.Dict(required=True)
    version = ma.fields.Integer(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(allow_none=True)


ParkPageSchema = page_schema(ParkSchema, "ParkPage")
ParkListArgsSchema = PageArgsSchema
