"""Enterprise request and response schemas."""

import marshmallow as ma
from marshmallow import validate

from inspect_service.common.schemas import JsonNumber, PageArgsSchema, StrictSchema, page_schema, text
from inspect_service.enterprises import credit_code

RISK_COLORS = ("red", "orange", "yellow", "blue")
PHONE = validate.Regexp(r"^[0-9+\- ]{0,32}$", error="Digits, +, - and spaces only.")


def _valid_credit_code(value: str) -> None:
    if not credit_code.is_valid(value):
        raise ma.ValidationError("Not a valid unified social credit code (check digit or characters).")


class EnterpriseFieldsSchema(StrictSchema):
    """Fields a park manager may set."""

    name = text(200, min_length=1)
    credit_code = ma.fields.String(validate=[validate.Length(equal=18), _valid_credit_code])
    address = text(300)
    industry = text(100)
    enterprise_class = ma.fields.Integer(strict=True, validate=validate.OneOf([1, 2, 3]))
    risk_color = ma.fields.String(validate=validate.OneOf(RISK_COLORS))
    tags = ma.fields.List(text(20, min_length=1), validate=validate.Length(max=20))
    latitude = JsonNumber(allow_none=True, validate=validate.Range(-90, 90))
    longitude = JsonNumber(allow_none=True, validate=validate.Range(-180, 180))
    principal_name = text(100)
    principal_phone = ma.fields.String(validate=PHONE)
    safety_officer_name = text(100)
    safety_officer_phone = ma.fields.String(validate=PHONE)

    @ma.pre_load
    def _normalise_code(self, data, **_kwargs):
        if isinstance(data, dict) and isinstance(data.get("credit_code"), str):
            data = {**data, "credit_code": data["credit_code"].strip().upper()}
        return data


class EnterpriseCreateSchema(EnterpriseFieldsSchema):
    """A new enterprise in the caller's park."""

    name = text(200, min_length=1, required=True)
    credit_code = ma.fields.String(required=True, validate=[validate.Length(equal=18), _valid_credit_code])


class EnterpriseUpdateSchema(EnterpriseFieldsSchema):
    """Changes to an enterprise."""


class EnterpriseSchema(ma.Schema):
    """An enterprise as returned."""

    id = ma.fields.UUID(required=True)
    park_id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    credit_code = ma.fields.String(required=True)
    address = ma.fields.String()
    industry = ma.fields.String()
    enterprise_class = ma.fields.Integer()
    risk_color = ma.fields.String()
    tags = ma.fields.List(ma.fields.String())
    latitude = ma.fields.Float(allow_none=True)
    longitude = ma.fields.Float(allow_none=True)
    principal_name = ma.fields.String()
    principal_phone = ma.fields.String()
    safety_officer_name = ma.fields.String()
    safety_officer_phone = ma.fields.String()
    version = ma.fields.Integer(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(allow_none=True)


class EnterpriseListArgsSchema(PageArgsSchema):
    """Filters for the enterprise list."""

    q = text(100, metadata={"description": "Part of the name"})
    enterprise_class = ma.fields.Integer(validate=validate.OneOf([1, 2, 3]))
    risk_color = ma.fields.String(validate=validate.OneOf(RISK_COLORS))
    industry = text(100)
    park_id = ma.fields.UUID(metadata={"description": "Admins only: one park"})


EnterprisePageSchema = page_schema(EnterpriseSchema, "EnterprisePage")
