"""Base schemas and bounded fields shared by every domain."""

from datetime import UTC, datetime

import marshmallow as ma
from marshmallow import validate

PAGE_LIMIT_MAX = 200
PAGE_LIMIT_DEFAULT = 50
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


class Moment(ma.fields.AwareDateTime):
    """An aware date-time between 2000 and 2100: a moment the service can place in any park's zone."""

    def __init__(self, **kwargs):
        kwargs["validate"] = [validate.Range(EARLIEST, LATEST, error="Between 2000 and 2100."), *_as_list(kwargs)]
        super().__init__(**kwargs)


def _as_list(kwargs: dict) -> list:
    extra = kwargs.get("validate")
    return [] if extra is None else list(extra) if isinstance(extra, list | tuple) else [extra]


NUL_MESSAGE = "NUL characters are not allowed."
SURROGATE_MESSAGE = "Unpaired surrogate characters are not allowed."


def _string_fault(value: str) -> str | None:
    if "\x00" in value:
        return NUL_MESSAGE
    try:
        value.encode("utf-8")  # fails only on a lone surrogate ("\ud800" is valid JSON, but no text can hold it)
    except UnicodeEncodeError:
        return SURROGATE_MESSAGE
    return None


def text_fault(value) -> str | None:
    """Why `value` (text, or a structure holding text) cannot be stored: a NUL or a lone surrogate; None if it can."""
    if isinstance(value, str):
        return _string_fault(value)
    if isinstance(value, dict):
        return next((f for k, v in value.items() if (f := text_fault(k) or text_fault(v))), None)
    if isinstance(value, list | tuple):
        return next((f for v in value if (f := text_fault(v))), None)
    return None


def storable_text(value) -> None:
    """A field validator: refuse a NUL or a lone surrogate (for fields of a schema that does not check them all)."""
    fault = text_fault(value)
    if fault:
        raise ma.ValidationError(fault)


class StrictSchema(ma.Schema):
    """A request schema: unknown fields are an error, and so is a NUL or a lone surrogate anywhere in the text.

    `checked_elsewhere` names fields whose content another schema loads and checks (a sync batch's operations).
    """

    checked_elsewhere: tuple[str, ...] = ()

    class Meta:
        unknown = ma.RAISE

    @ma.pre_load
    def _refuse_nul(self, data, **_kwargs):
        if isinstance(data, dict):
            faults = {key: text_fault(key) or text_fault(value) for key, value in data.items()}
            bad = {key: [fault] for key, fault in faults.items() if fault and key not in self.checked_elsewhere}
            if bad:
                raise ma.ValidationError(bad)
        return data


def text(max_length: int, *, min_length: int = 0, validate_also=None, **kwargs) -> ma.fields.String:
    """A string field bounded in length (whitespace-only counts as empty when min > 0)."""
    validators = [validate.Length(min=min_length, max=max_length)]
    if min_length:
        # Published as the OpenAPI `pattern`, so it must be valid ECMA-262 too (no inline flags); JSON Schema
        # searches unanchored, marshmallow matches at the start, and `^\s*\S` means "not blank" under both.
        validators.append(validate.Regexp(r"^\s*\S", error="Must not be blank."))
    if validate_also is not None:
        validators.append(validate_also)
    return ma.fields.String(validate=validators, **kwargs)


class JsonBoolean(ma.fields.Boolean):
    """A body boolean: JSON true or false only (marshmallow alone also takes 1, "yes", "on"...)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class JsonNumber(ma.fields.Float):
    """A body number: a JSON number only (marshmallow alone also takes numeric strings such as "12.5")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class DecimalString(ma.fields.Decimal):
    """A decimal sent and returned as a JSON string ("1200.50"), so exact; documented as a string, not a number."""

    def __init__(self, **kwargs):
        super().__init__(as_string=True, **kwargs)
        self.metadata = {"type": "string", "format": "decimal", **self.metadata}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class PageArgsSchema(StrictSchema):
    """Keyset pagination arguments."""

    limit = ma.fields.Integer(load_default=PAGE_LIMIT_DEFAULT, validate=validate.Range(min=1, max=PAGE_LIMIT_MAX))
    cursor = text(512, metadata={"description": "Opaque cursor from `next_cursor`"})


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A response schema for one page of `item_schema`."""
    return type(
        name,
        (ma.Schema,),
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "next_cursor": ma.fields.String(allow_none=True, required=True),
        },
    )
