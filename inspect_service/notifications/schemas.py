"""Notification and webhook subscription request and response schemas."""

import marshmallow as ma
from marshmallow import validate

from inspect_service.common.schemas import JsonBoolean, PageArgsSchema, StrictSchema, page_schema
from inspect_service.notifications.models import (
    CHANNELS,
    DELIVERY_STATUSES,
    NO_DUE_DATE,
    REASON_MAX,
    REASONS_MAX,
    URL_MAX,
)

_URL_DOC = {"description": "http:// or https:// URL of the receiver (at most 500 characters)"}
_REASON = ma.fields.String(
    validate=[validate.Length(min=1, max=REASON_MAX), validate.Regexp(r"^[a-z0-9_.]+$")],
)


def _url(**kwargs) -> ma.fields.String:
    return ma.fields.String(
        validate=[
            validate.Length(min=1, max=URL_MAX),
            validate.URL(schemes={"http", "https"}, require_tld=False, error="Must be an http(s) URL with a host."),
        ],
        metadata=_URL_DOC,
        **kwargs,
    )


def _reasons(**kwargs) -> ma.fields.List:
    return ma.fields.List(
        _REASON,
        validate=validate.Length(max=REASONS_MAX),
        metadata={"description": "Reasons to receive; empty for every reason"},
        **kwargs,
    )


class NotificationListArgsSchema(PageArgsSchema):
    """Filters of the caller's notification feed."""

    unread_only = ma.fields.Boolean(load_default=False)


class NotificationSchema(ma.Schema):
    """A notification as its recipient reads it."""

    id = ma.fields.UUID(required=True)
    park_id = ma.fields.UUID(required=True)
    enterprise_id = ma.fields.UUID(allow_none=True, required=True)
    reason = ma.fields.String(required=True)
    object_type = ma.fields.String(required=True)
    object_id = ma.fields.UUID(required=True)
    due_date = ma.fields.Function(
        lambda row: None if row.due_date == NO_DUE_DATE else row.due_date.isoformat(),
        metadata={"type": "string", "format": "date", "nullable": True},
    )
    title = ma.fields.String(required=True)
    body = ma.fields.String(required=True)
    payload = ma.fields.Dict(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    read_at = ma.fields.AwareDateTime(allow_none=True, required=True)


NotificationPageSchema = page_schema(NotificationSchema, "NotificationPageSchema")


class WebhookSubscriptionCreateSchema(StrictSchema):
    """A new webhook subscription; admins name the park, park managers get their own."""

    url = _url(required=True)
    reasons = _reasons(load_default=list)
    disabled = JsonBoolean(load_default=False)
    park_id = ma.fields.UUID(allow_none=True, load_default=None)


class WebhookSubscriptionUpdateSchema(StrictSchema):
    """Changes to a webhook subscription."""

    url = _url()
    reasons = _reasons()
    disabled = JsonBoolean()


class WebhookSubscriptionSchema(ma.Schema):
    """A webhook subscription as returned (never with its secret)."""

    id = ma.fields.UUID(required=True)
    park_id = ma.fields.UUID(required=True)
    url = ma.fields.String(required=True)
    reasons = ma.fields.List(ma.fields.String(), required=True)
    disabled = ma.fields.Boolean(required=True)
    created_by = ma.fields.UUID(required=True)
    version = ma.fields.Integer(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(allow_none=True, required=True)


class WebhookSubscriptionCreatedSchema(WebhookSubscriptionSchema):
    """A new subscription with its signing secret, shown this once."""

    secret = ma.fields.String(
        required=True,
        metadata={"description": "HMAC-SHA256 key for X-Inspect-Signature; shown only in this response"},
    )


WebhookSubscriptionPageSchema = page_schema(WebhookSubscriptionSchema, "WebhookSubscriptionPageSchema")


class DeliverySchema(ma.Schema):
    """One webhook delivery of the log."""

    id = ma.fields.UUID(required=True)
    notification_id = ma.fields.UUID(required=True)
    channel = ma.fields.String(required=True, metadata={"enum": list(CHANNELS)})
    status = ma.fields.String(required=True, metadata={"enum": list(DELIVERY_STATUSES)})
    attempts = ma.fields.Integer(required=True)
    next_attempt_at = ma.fields.AwareDateTime(required=True)
    last_status_code = ma.fields.Integer(allow_none=True, required=True)
    last_error = ma.fields.String(allow_none=True, required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    sent_at = ma.fields.AwareDateTime(allow_none=True, required=True)


DeliveryPageSchema = page_schema(DeliverySchema, "DeliveryPageSchema")
