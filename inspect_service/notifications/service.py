"""Notification rules: enqueue once per key, the caller's feed, and parks' webhook subscriptions."""

import secrets
import uuid
from datetime import date, datetime

from flask import current_app, has_app_context
from sqlalchemy import and_, or_, update
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.common.concurrency import check_version
from inspect_service.common.pagination import Page, decode_cursor, encode_cursor
from inspect_service.common.time import utcnow
from inspect_service.errors import NotFound, Unprocessable
from inspect_service.notifications.bulk import enqueue_many
from inspect_service.notifications.models import (
    DUE_STATUSES,
    Notification,
    OutboxDelivery,
    WebhookSubscription,
)
from inspect_service.parks.models import Park
from inspect_service.sync import feed

SUBSCRIPTION_ROLES = ("admin", "park_manager")


def smtp_enabled() -> bool:
    """True when e-mail is configured (SMTP_HOST set in the current app; no app, no e-mail)."""
    return has_app_context() and bool(current_app.config.get("SMTP_HOST"))


def enqueue(
    *,
    session: Session,
    park_id: uuid.UUID,
    recipient_id: uuid.UUID,
    reason: str,
    object_type: str,
    object_id: uuid.UUID,
    due_date: date | None,
    title: str,
    body: str,
    enterprise_id: uuid.UUID | None = None,
    payload: dict | None = None,
) -> bool:
    """Write one notification (in-app row + outbox deliveries) in the caller's transaction; False when a
    notification with the same (recipient, reason, object, due date) already exists (at most once).

    The same path as the sweeps' `bulk.enqueue_many`, inside a savepoint: an unknown recipient or park raises
    (a caller's bug) and leaves the caller's other work intact.
    """
    item = {
        "park_id": park_id, "enterprise_id": enterprise_id, "recipient_id": recipient_id, "reason": reason,
        "object_type": object_type, "object_id": object_id, "due_date": due_date, "title": title, "body": body,
        "payload": payload or {},
    }  # fmt: skip
    with session.begin_nested():
        return enqueue_many(session=session, items=[item]) == 1


def _newest_first(session: Session, query, *, column, id_column, attr: str, limit: int, cursor: str | None) -> Page:
    """One page of `query` ordered newest first by (column, id)."""
    if cursor:
        moment, last_id = decode_cursor(cursor, 2)
        try:
            moment, last_id = datetime.fromisoformat(moment), uuid.UUID(last_id)
        except ValueError as exc:
            raise Unprocessable("Malformed cursor.", errors={"cursor": ["Malformed cursor."]}) from exc
        query = query.where(or_(column < moment, and_(column == moment, id_column < last_id)))
    rows = list(session.exec(query.order_by(column.desc(), id_column.desc()).limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([getattr(rows[-1], attr).isoformat(), rows[-1].id])
    return Page(items=rows, next_cursor=next_cursor)


def visible(query, actor: Actor):
    """Restrict a Notification query to the caller's own notifications."""
    return query.where(Notification.recipient_id == actor.user_id)


def list_notifications(
    *, session: Session, actor: Actor, limit: int, cursor: str | None = None, unread_only: bool = False
) -> Page:
    """Page through the caller's notifications, newest first."""
    query = visible(select(Notification), actor)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return _newest_first(
        session, query, column=Notification.created_at, id_column=Notification.id, attr="created_at",
        limit=limit, cursor=cursor,
    )  # fmt: skip


def mark_read(*, session: Session, actor: Actor, notification_id: uuid.UUID) -> Notification:
    """Mark one of the caller's notifications read (once; a repeat keeps the first time)."""
    notification = session.exec(visible(select(Notification), actor).where(Notification.id == notification_id)).first()
    if notification is None:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        notification.read_at = utcnow()
        session.add(notification)
        feed.record(
            session,
            entity="notification",
            entity_id=notification.id,
            park_id=notification.park_id,
            enterprise_id=notification.enterprise_id,
            user_id=notification.recipient_id,
        )
        session.flush()
    return notification


def visible_subscriptions(query, actor: Actor):
    """Restrict a WebhookSubscription query to the caller's park (admins: every park)."""
    return query if actor.is_admin else query.where(WebhookSubscription.park_id == actor.park_id)


def list_subscriptions(*, session: Session, actor: Actor, limit: int, cursor: str | None = None) -> Page:
    """Page through the webhook subscriptions of the caller's park, newest first."""
    require_role(actor, *SUBSCRIPTION_ROLES)
    query = visible_subscriptions(select(WebhookSubscription), actor)
    return _newest_first(
        session, query, column=WebhookSubscription.created_at, id_column=WebhookSubscription.id,
        attr="created_at", limit=limit, cursor=cursor,
    )  # fmt: skip


def get_subscription(*, session: Session, actor: Actor, subscription_id: uuid.UUID) -> WebhookSubscription:
    """Return a subscription of the caller's park or 404 (403 for roles that manage none)."""
    require_role(actor, *SUBSCRIPTION_ROLES)
    query = visible_subscriptions(select(WebhookSubscription), actor)
    subscription = session.exec(query.where(WebhookSubscription.id == subscription_id)).first()
    if subscription is None:
        raise NotFound("No such webhook subscription.")
    return subscription


def _subscription_park(session: Session, actor: Actor, park_id: uuid.UUID | None) -> uuid.UUID:
    if not actor.is_admin:
        if park_id not in (None, actor.park_id):
            raise Unprocessable(errors={"park_id": ["You can only subscribe your own park."]})
        return actor.park_id
    if park_id is None or session.get(Park, park_id) is None:
        raise Unprocessable(errors={"park_id": ["Name an existing park."]})
    return park_id


def create_subscription(*, session: Session, actor: Actor, subscription_in: dict) -> WebhookSubscription:
    """Subscribe a URL to the park's notifications; the signing secret is generated here."""
    require_role(actor, *SUBSCRIPTION_ROLES)
    fields = dict(subscription_in)
    park_id = _subscription_park(session, actor, fields.pop("park_id", None))
    subscription = WebhookSubscription(
        **fields, park_id=park_id, secret=secrets.token_hex(32), created_by=actor.user_id
    )
    session.add(subscription)
    session.flush()
    return subscription


def update_subscription(
    *, session: Session, actor: Actor, subscription_id: uuid.UUID, version: int | None, changes: dict
) -> WebhookSubscription:
    """Change a subscription, guarded by its version; disabling it cancels what it has not yet received."""
    subscription = get_subscription(session=session, actor=actor, subscription_id=subscription_id)
    check_version(subscription.version, version)
    for key, value in changes.items():
        setattr(subscription, key, value)
    subscription.version += 1
    subscription.updated_at = utcnow()
    session.add(subscription)
    if subscription.disabled:
        session.execute(
            update(OutboxDelivery)
            .where(OutboxDelivery.subscription_id == subscription.id, OutboxDelivery.status.in_(DUE_STATUSES))
            .values(status="cancelled", last_error="subscription disabled")
        )
    session.flush()
    return subscription


def list_deliveries(
    *, session: Session, actor: Actor, subscription_id: uuid.UUID, limit: int, cursor: str | None = None
) -> Page:
    """The subscription's delivery log, newest first."""
    subscription = get_subscription(session=session, actor=actor, subscription_id=subscription_id)
    query = select(OutboxDelivery).where(OutboxDelivery.subscription_id == subscription.id)
    return _newest_first(
        session, query, column=OutboxDelivery.created_at, id_column=OutboxDelivery.id, attr="created_at",
        limit=limit, cursor=cursor,
    )  # fmt: skip
