"""Notifications (the in-app feed), their outbox deliveries, and parks' webhook subscriptions."""

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inspect_service.common.models import created_field, id_field, json_field, timestamp_field

NO_DUE_DATE = date(1, 1, 1)  # stored for "no due date": NULLs never collide in the at-most-once constraint
REASON_MAX = 64
OBJECT_TYPE_MAX = 32
TITLE_MAX = 200
BODY_MAX = 4000
TARGET_MAX = 254
URL_MAX = 500
SECRET_MAX = 64
ERROR_MAX = 500
REASONS_MAX = 50
CHANNELS = ("email", "webhook")
DELIVERY_STATUSES = ("pending", "sent", "failed", "dead", "cancelled")
DUE_STATUSES = ("pending", "failed")


class Notification(SQLModel, table=True):
    """One message to one user about one object: its in-app row, sent at most once per key."""

    __tablename__ = "notification"
    __table_args__ = (
        sa.UniqueConstraint("recipient_id", "reason", "object_type", "object_id", "due_date"),
        sa.Index("ix_notification_recipient_feed", "recipient_id", "created_at", "id"),
    )

    id: uuid.UUID = id_field()
    park_id: uuid.UUID = Field(foreign_key="park.id", index=True)
    enterprise_id: uuid.UUID | None = Field(default=None, foreign_key="enterprise.id", index=True)
    recipient_id: uuid.UUID = Field(foreign_key="app_user.id")
    reason: str = Field(max_length=REASON_MAX)
    object_type: str = Field(max_length=OBJECT_TYPE_MAX)
    object_id: uuid.UUID
    due_date: date = Field(default=NO_DUE_DATE, nullable=False)
    title: str = Field(max_length=TITLE_MAX)
    body: str = Field(max_length=BODY_MAX)
    payload: dict = json_field(dict)
    created_at: datetime = created_field()
    read_at: datetime | None = timestamp_field()


class WebhookSubscription(SQLModel, table=True):
    """A park's receiver of signed webhook calls, optionally limited to some reasons."""

    __tablename__ = "webhook_subscription"
    __table_args__ = (sa.Index("ix_webhook_subscription_park_created", "park_id", "created_at", "id"),)

    id: uuid.UUID = id_field()
    park_id: uuid.UUID = Field(foreign_key="park.id")
    url: str = Field(max_length=URL_MAX)
    secret: str = Field(max_length=SECRET_MAX)  # kept to sign with; shown once, when created
    reasons: list = json_field(list)  # empty: every reason
    disabled: bool = Field(default=False)
    created_by: uuid.UUID = Field(foreign_key="app_user.id")
    version: int = Field(default=1)
    created_at: datetime = created_field()
    updated_at: datetime | None = timestamp_field()


class OutboxDelivery(SQLModel, table=True):
    """One channel's delivery of a notification, retried with backoff; its fields are the delivery log."""

    __tablename__ = "outbox_delivery"
    __table_args__ = (
        sa.Index("ix_outbox_delivery_due", "status", "next_attempt_at"),
        sa.Index("ix_outbox_delivery_subscription_log", "subscription_id", "created_at", "id"),
    )

    id: uuid.UUID = id_field()
    notification_id: uuid.UUID = Field(foreign_key="notification.id", index=True)
    channel: str = Field(max_length=16)
    target: str = Field(max_length=TARGET_MAX)  # the e-mail address, or the subscription id
    subscription_id: uuid.UUID | None = Field(default=None, foreign_key="webhook_subscription.id")
    status: str = Field(default="pending", max_length=16)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = created_field()
    last_error: str | None = Field(default=None, max_length=ERROR_MAX)
    last_status_code: int | None = Field(default=None)
    created_at: datetime = created_field()
    sent_at: datetime | None = timestamp_field()
