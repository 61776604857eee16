"""Request and response schemas for sign-in."""

import marshmallow as ma

from inspect_service.common.schemas import StrictSchema, text

PASSWORD_MIN, PASSWORD_MAX = 10, 128


class LoginSchema(StrictSchema):
    """Credentials."""

    username = text(64, min_length=1, required=True)
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=PASSWORD_MAX))


class RefreshSchema(StrictSchema):
    """A refresh token to rotate."""

    refresh_token = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2048))


class PasswordChangeSchema(StrictSchema):
    """The current and the new password."""

    current_password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=PASSWORD_MAX))
    new_password = ma.fields.String(required=True, validate=ma.validate.Length(min=PASSWORD_MIN, max=PASSWORD_MAX))


class TokenPairSchema(ma.Schema):
    """Tokens returned by sign-in and refresh."""

    access_token = ma.fields.String(required=True)
    refresh_token = ma.fields.String(required=True)
    token_type = ma.fields.String(required=True)
    expires_in = ma.fields.Integer(required=True)
    refresh_expires_in = ma.fields.Integer(required=True)
