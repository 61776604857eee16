"""Scheduled work of notifications: deliver what the outbox holds that is due."""

import json
import time
from datetime import timedelta

from flask import current_app
from sqlmodel import Session, select

from inspect_service.common.time import utcnow
from inspect_service.notifications import delivery as sender
from inspect_service.notifications.models import (
    DUE_STATUSES,
    ERROR_MAX,
    NO_DUE_DATE,
    Notification,
    OutboxDelivery,
    WebhookSubscription,
)

BATCH = 100
MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=6)
SWEEP_BUDGET_SECONDS = 20.0  # stop starting sends after this; the rest waits for the next sweep


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: 30 s doubling, at most 6 h."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


def _claim(session: Session, now) -> list[tuple[OutboxDelivery, Notification]]:
    """Lock the due deliveries; on PostgreSQL rows another sweep holds are skipped, never sent twice."""
    query = (
        select(OutboxDelivery)
        .where(OutboxDelivery.status.in_(DUE_STATUSES), OutboxDelivery.next_attempt_at <= now)
        .order_by(OutboxDelivery.next_attempt_at, OutboxDelivery.id)
        .limit(BATCH)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    deliveries = list(session.exec(query))
    notifications = {}
    if deliveries:
        ids = {row.notification_id for row in deliveries}
        notifications = {n.id: n for n in session.exec(select(Notification).where(Notification.id.in_(ids)))}
    return [(row, notifications[row.notification_id]) for row in deliveries]


def webhook_body(notification: Notification, delivery: OutboxDelivery) -> bytes:
    """The JSON a receiver gets (UTF-8, Chinese kept as is)."""
    document = {
        "delivery_id": str(delivery.id),
        "notification_id": str(notification.id),
        "park_id": str(notification.park_id),
        "enterprise_id": notification.enterprise_id and str(notification.enterprise_id),
        "recipient_id": str(notification.recipient_id),
        "reason": notification.reason,
        "object_type": notification.object_type,
        "object_id": str(notification.object_id),
        "due_date": None if notification.due_date == NO_DUE_DATE else notification.due_date.isoformat(),
        "title": notification.title,
        "body": notification.body,
        "payload": notification.payload,
        "created_at": notification.created_at.isoformat(),
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _send(session: Session, delivery: OutboxDelivery, notification: Notification) -> int | None:
    """Send one delivery; return the receiver's status (None for e-mail); raise DeliveryFailed."""
    settings = current_app.config
    if delivery.channel == "email":
        if not settings.get("SMTP_HOST"):
            raise sender.DeliveryFailed("SMTP is not configured")
        sender.send_email(settings=settings, to=delivery.target, subject=notification.title, body=notification.body)
        return None
    subscription = session.get(WebhookSubscription, delivery.subscription_id)
    return sender.post_webhook(
        url=subscription.url,
        secret=subscription.secret,
        delivery_id=str(delivery.id),
        body=webhook_body(notification, delivery),
        timestamp=int(time.time()),
        timeout=float(settings.get("WEBHOOK_TIMEOUT_SECONDS", 5)),
    )


def _cancelled(session: Session, delivery: OutboxDelivery) -> bool:
    if delivery.subscription_id is None:
        return False
    subscription = session.get(WebhookSubscription, delivery.subscription_id)
    return subscription is None or subscription.disabled


def _attempt(session: Session, delivery: OutboxDelivery, notification: Notification) -> str:
    """Try one delivery and record the outcome on it; return its new status."""
    if _cancelled(session, delivery):
        delivery.status, delivery.last_error = "cancelled", "subscription disabled"
        return delivery.status
    delivery.attempts += 1
    try:
        delivery.last_status_code = _send(session, delivery, notification)
    except sender.DeliveryFailed as exc:
        delivery.last_status_code = exc.status_code
        delivery.last_error = str(exc)[:ERROR_MAX]
        delivery.status = "dead" if delivery.attempts >= MAX_ATTEMPTS else "failed"
        delivery.next_attempt_at = utcnow() + backoff(delivery.attempts)
        return delivery.status
    delivery.status, delivery.sent_at, delivery.last_error = "sent", utcnow(), None
    return delivery.status


def deliver_outbox(*, session: Session) -> str:
    """Send the due e-mails and webhooks; failures wait 30 s · 2^n (at most 6 h), dead after 8 tries."""
    started = time.monotonic()
    outcomes: dict[str, int] = {}
    for delivery, notification in _claim(session, utcnow()):
        if time.monotonic() - started > SWEEP_BUDGET_SECONDS:
            break
        status = _attempt(session, delivery, notification)
        session.add(delivery)
        session.flush()
        outcomes[status] = outcomes.get(status, 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(outcomes.items()))
    return f"deliveries: {summary or 'none due'}"
