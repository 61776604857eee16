"""Park request and response schemas."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import marshmallow as ma

from inspect_service.common.schemas import JsonBoolean, PageArgsSchema, StrictSchema, page_schema, text


def _valid_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ma.ValidationError("Not a known IANA time zone.") from exc


class ParkSettingsSchema(StrictSchema):
    """Per-park settings."""

    liaison_park_read = JsonBoolean(metadata={"description": "Liaison officers may read every enterprise of the park"})


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
