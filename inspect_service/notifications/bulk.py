"""Many notifications at once: one INSERT … ON CONFLICT DO NOTHING per chunk, then their outbox rows.

The at-most-once key (recipient, reason, object, due date) is the conflict target, so rows already sent are
skipped by the database itself — a concurrent sweep or a second run inserts nothing and delivers nothing.
"""

import json
import uuid
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from inspect_service.common.time import utcnow
from inspect_service.notifications.models import (
    BODY_MAX,
    NO_DUE_DATE,
    TITLE_MAX,
    Notification,
    OutboxDelivery,
    WebhookSubscription,
)
from inspect_service.sync import feed
from inspect_service.users.models import User

KEY = ("recipient_id", "reason", "object_type", "object_id", "due_date")
CHUNK = 500  # 12 columns a row: well under SQLite's 32,766 bound parameters


# PostgreSQL: one statement and one parameter whatever the count — the rows travel as one JSON document.
_FROM_JSON = text(
    """
    INSERT INTO notification (id, park_id, enterprise_id, recipient_id, reason, object_type, object_id, due_date,
                              title, body, payload, created_at, read_at)
    SELECT id, park_id, enterprise_id, recipient_id, reason, object_type, object_id, due_date, title, body,
           payload, created_at, NULL
    FROM jsonb_to_recordset(CAST(:rows AS jsonb))
         AS t(id uuid, park_id uuid, enterprise_id uuid, recipient_id uuid, reason varchar, object_type varchar,
              object_id uuid, due_date date, title varchar, body varchar, payload jsonb, created_at timestamptz)
    ON CONFLICT (recipient_id, reason, object_type, object_id, due_date) DO NOTHING
    RETURNING id, park_id, recipient_id, reason
    """
)


def _json_value(value):
    return value.isoformat() if isinstance(value, date | datetime) else str(value)


def _insert_postgresql(session: Session, rows: list[dict]) -> list:
    document = json.dumps([{k: v for k, v in row.items() if k != "read_at"} for row in rows], default=_json_value)
    return session.execute(_FROM_JSON, {"rows": document}).all()


def _insert_ignoring_duplicates(session: Session):
    """One cached statement, executed for many rows (SQLAlchemy batches them as multi-row INSERTs)."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    table = Notification.__table__
    return (
        module.insert(table)
        .on_conflict_do_nothing(index_elements=list(KEY))
        .returning(table.c.id, table.c.park_id, table.c.recipient_id, table.c.reason)
    )


def _deliveries(session: Session, inserted: list) -> list[dict]:
    from inspect_service.notifications.service import smtp_enabled  # the app-config check lives with enqueue

    now, rows = utcnow(), []
    if smtp_enabled():
        recipient_ids = sorted({row.recipient_id for row in inserted})
        emails = dict(session.exec(select(User.id, User.email).where(User.id.in_(recipient_ids))).all())
        for row in inserted:
            if emails.get(row.recipient_id):
                rows.append({"notification_id": row.id, "channel": "email", "target": emails[row.recipient_id]})
    park_ids = sorted({row.park_id for row in inserted})
    subscriptions = session.exec(
        select(WebhookSubscription).where(
            WebhookSubscription.park_id.in_(park_ids), WebhookSubscription.disabled.is_(False)
        )
    ).all()
    for subscription in subscriptions:
        for row in inserted:
            if row.park_id == subscription.park_id and (not subscription.reasons or row.reason in subscription.reasons):
                rows.append(
                    {
                        "notification_id": row.id,
                        "channel": "webhook",
                        "target": str(subscription.id),
                        "subscription_id": subscription.id,
                    }
                )
    return [
        {
            "subscription_id": None,
            **row,
            "id": uuid.uuid4(),
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for row in rows
    ]


def enqueue_many(*, session: Session, items: Iterable[dict]) -> int:
    """Write the notifications not sent before (and their e-mail and webhook deliveries); returns how many were new.

    Each item has park_id, recipient_id, reason, object_type, object_id, due_date, title and body, and optionally
    enterprise_id and payload — the same fields as `service.enqueue`, in the caller's transaction.
    """
    session.flush()
    now, rows, seen = utcnow(), [], set()
    for item in items:
        row = {
            "enterprise_id": None,
            "payload": {},
            **item,
            "id": uuid.uuid4(),
            "due_date": item.get("due_date") or NO_DUE_DATE,
            "title": item["title"][:TITLE_MAX],
            "body": item["body"][:BODY_MAX],
            "created_at": now,
            "read_at": None,
        }
        key = tuple(row[k] for k in KEY)
        if key not in seen:
            seen.add(key)
            rows.append(row)
    inserted = []
    if rows and session.get_bind().dialect.name == "postgresql":
        inserted = _insert_postgresql(session, rows)
    else:
        for start in range(0, len(rows), CHUNK):
            inserted += session.execute(_insert_ignoring_duplicates(session), rows[start : start + CHUNK]).all()
    by_id = {row["id"]: row for row in rows}
    feed.record_many(
        session,
        (
            {
                "entity": "notification",
                "entity_id": row.id,
                "park_id": row.park_id,
                "enterprise_id": by_id[row.id]["enterprise_id"],
                "user_id": row.recipient_id,
            }
            for row in inserted
        ),
    )
    deliveries = _deliveries(session, inserted) if inserted else []
    for start in range(0, len(deliveries), CHUNK):
        session.execute(insert(OutboxDelivery.__table__), deliveries[start : start + CHUNK])
    return len(inserted)
