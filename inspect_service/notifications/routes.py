"""The caller's notification feed and parks' webhook subscriptions."""

import uuid

from inspect_service.auth.actor import current_actor
from inspect_service.common.blueprint import Blueprint
from inspect_service.common.concurrency import IF_MATCH_DOC, etag, if_match_version
from inspect_service.common.idempotency import HEADER_DOC, idempotent
from inspect_service.common.schemas import PageArgsSchema
from inspect_service.extensions import db
from inspect_service.notifications import service
from inspect_service.notifications.schemas import (
    DeliveryPageSchema,
    NotificationListArgsSchema,
    NotificationPageSchema,
    NotificationSchema,
    WebhookSubscriptionCreatedSchema,
    WebhookSubscriptionCreateSchema,
    WebhookSubscriptionPageSchema,
    WebhookSubscriptionSchema,
    WebhookSubscriptionUpdateSchema,
)

blp = Blueprint("notifications", __name__, url_prefix="/api", description="Notifications and webhook subscriptions")


@blp.route("/notifications", methods=["GET"])
@blp.arguments(NotificationListArgsSchema, location="query")
@blp.response(200, NotificationPageSchema)
def list_notifications(args):
    """List your notifications, newest first."""
    return service.list_notifications(session=db.session, actor=current_actor(), **args)


@blp.route("/notifications/<uuid:notification_id>/read", methods=["POST"])
@idempotent
@blp.doc(parameters=[HEADER_DOC])
@blp.response(200, NotificationSchema)
def mark_notification_read(notification_id: uuid.UUID):
    """Mark one of your notifications read."""
    return service.mark_read(session=db.session, actor=current_actor(), notification_id=notification_id)


@blp.route("/webhook-subscriptions", methods=["GET"])
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, WebhookSubscriptionPageSchema)
def list_webhook_subscriptions(args):
    """List your park's webhook subscriptions (admin, park manager)."""
    return service.list_subscriptions(session=db.session, actor=current_actor(), **args)


@blp.route("/webhook-subscriptions", methods=["POST"])
@blp.arguments(WebhookSubscriptionCreateSchema)
@blp.response(201, WebhookSubscriptionCreatedSchema)
def create_webhook_subscription(body):
    """Subscribe a receiver to your park's notifications; the response holds its secret, shown only once."""
    subscription = service.create_subscription(session=db.session, actor=current_actor(), subscription_in=body)
    db.session.commit()
    return subscription, {"ETag": etag(subscription.version)}


@blp.route("/webhook-subscriptions/<uuid:subscription_id>", methods=["GET"])
@blp.response(200, WebhookSubscriptionSchema)
def get_webhook_subscription(subscription_id: uuid.UUID):
    """Read one webhook subscription."""
    subscription = service.get_subscription(session=db.session, actor=current_actor(), subscription_id=subscription_id)
    return subscription, {"ETag": etag(subscription.version)}


@blp.route("/webhook-subscriptions/<uuid:subscription_id>", methods=["PATCH"])
@blp.arguments(WebhookSubscriptionUpdateSchema)
@blp.response(200, WebhookSubscriptionSchema)
@blp.doc(parameters=[IF_MATCH_DOC])
def update_webhook_subscription(body, subscription_id: uuid.UUID):
    """Change a webhook subscription (disable it to stop deliveries); send If-Match."""
    subscription = service.update_subscription(
        session=db.session,
        actor=current_actor(),
        subscription_id=subscription_id,
        version=if_match_version(),
        changes=body,
    )
    db.session.commit()
    return subscription, {"ETag": etag(subscription.version)}


@blp.route("/webhook-subscriptions/<uuid:subscription_id>/deliveries", methods=["GET"])
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, DeliveryPageSchema)
def list_webhook_deliveries(args, subscription_id: uuid.UUID):
    """The subscription's delivery log, newest first."""
    return service.list_deliveries(session=db.session, actor=current_actor(), subscription_id=subscription_id, **args)
