"""User request and response schemas."""

import marshmallow as ma
from marshmallow import validate

from inspect_service.auth.schemas import PASSWORD_MAX, PASSWORD_MIN
from inspect_service.common.schemas import JsonBoolean, PageArgsSchema, StrictSchema, page_schema, text
from inspect_service.enterprises.schemas import PHONE
from inspect_service.users.models import INSPECTOR_KINDS, ROLES

USERNAME = validate.Regexp(r"^[A-Za-z0-9_.\-]{3,64}$", error="3-64 letters, digits, '_', '.' or '-'.")
PASSWORD = validate.Length(min=PASSWORD_MIN, max=PASSWORD_MAX)


class UserCreateSchema(StrictSchema):
    """A new account."""

    username = ma.fields.String(required=True, validate=USERNAME)
    display_name = text(100, min_length=1, required=True)
    phone = ma.fields.String(validate=PHONE)
    email = ma.fields.Email(validate=validate.Length(max=254))
    role = ma.fields.String(required=True, validate=validate.OneOf(ROLES))
    inspector_kind = ma.fields.String(allow_none=True, validate=validate.OneOf(INSPECTOR_KINDS))
    cert_no = text(64, allow_none=True)
    park_id = ma.fields.UUID(allow_none=True, metadata={"description": "Admins only; others create in their park"})
    enterprise_id = ma.fields.UUID(allow_none=True, metadata={"description": "Enterprise roles only"})
    password = ma.fields.String(required=True, validate=PASSWORD)


class UserUpdateSchema(StrictSchema):
    """Changes an administrator or park manager may make to an account."""

    display_name = text(100, min_length=1)
    phone = ma.fields.String(validate=PHONE)
    email = ma.fields.Email(validate=validate.Length(max=254))
    cert_no = text(64, allow_none=True)
    disabled = JsonBoolean()
    password = ma.fields.String(validate=PASSWORD, metadata={"description": "Reset; ends the user's sessions"})


class UserSchema(ma.Schema):
    """An account as returned (never the password hash)."""

    id = ma.fields.UUID(required=True)
    username = ma.fields.String(required=True)
    display_name = ma.fields.String(required=True)
    phone = ma.fields.String()
    email = ma.fields.String()
    role = ma.fields.String(required=True)
    inspector_kind = ma.fields.String(allow_none=True)
    cert_no = ma.fields.String(allow_none=True)
    park_id = ma.fields.UUID(allow_none=True)
    enterprise_id = ma.fields.UUID(allow_none=True)
    disabled = ma.fields.Boolean(required=True)
    version = ma.fields.Integer(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(allow_none=True)


class UserListArgsSchema(PageArgsSchema):
    """Filters for the user list."""

    role = ma.fields.String(validate=validate.OneOf(ROLES))
    enterprise_id = ma.fields.UUID()


class PortfolioSchema(StrictSchema):
    """The enterprises a liaison officer or expert is responsible for."""

    enterprise_ids = ma.fields.List(ma.fields.UUID(), required=True, validate=validate.Length(max=500))


UserPageSchema = page_schema(UserSchema, "UserPage")
