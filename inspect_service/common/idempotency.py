"""Idempotency-Key for actions: the stored response is replayed on retry, even after a lost response.

One key space per user: a REST action and a sync batch operation fingerprint the same request alike
(method, path, canonical JSON body), so a key used on one and then on the other replays the stored result.
"""

import functools
import json
import uuid
from datetime import datetime, timedelta

from flask import Response, request
from sqlalchemy import Text, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, select

from inspect_service.common.models import UTCDateTime, created_field, json_field
from inspect_service.common.offline import fingerprint
from inspect_service.common.time import utcnow
from inspect_service.errors import Conflict, Unprocessable
from inspect_service.extensions import db

HEADER = "Idempotency-Key"
KEY_MAX = 200
RETENTION = timedelta(days=35)
HEADER_DOC = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX},
    "description": "Retry-safe key (per user, kept ≥ 30 days): a retry gets the stored response",
}
REPLAYED_HEADERS = ("ETag", "Location")


class IdempotencyRecord(SQLModel, table=True):
    """A response stored under (user, key); status 0 while the first request is still running."""

    __tablename__ = "idempotency_record"

    user_id: uuid.UUID = Field(primary_key=True)
    key: str = Field(max_length=KEY_MAX, primary_key=True)
    request_hash: str = Field(max_length=64)
    status_code: int = Field(default=0)
    body: str = Field(default="", sa_type=Text)
    content_type: str = Field(default="", max_length=100)
    headers: dict = json_field()
    created_at: datetime = created_field()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False, index=True)


def valid_key(key) -> bool:
    """True for a usable Idempotency-Key: 1-200 printable ASCII characters."""
    return isinstance(key, str) and 0 < len(key) <= KEY_MAX and key.isascii() and key.isprintable()


def request_fingerprint(method: str, path: str, body) -> str:
    """The canonical fingerprint of an action, the same whether it came over REST or in a sync batch."""
    return fingerprint({"method": method.upper(), "path": path.lower(), "body": {} if body is None else body})


def _request_hash() -> str:
    body = request.get_json(silent=True) if request.is_json else None
    raw = request.get_data(cache=True)
    if body is None and raw:
        body = raw.decode(errors="replace")  # not JSON: its text still tells two requests apart
    path = request.path + (f"?{request.query_string.decode()}" if request.query_string else "")
    return request_fingerprint(request.method, path, body)


def _finished(record: IdempotencyRecord, request_hash: str) -> IdempotencyRecord:
    if record.request_hash != request_hash:
        raise Unprocessable(
            "This Idempotency-Key was used for a different request.",
            errors={HEADER: ["Reused with a different request."]},
        )
    if record.status_code == 0:
        raise Conflict("The first request with this Idempotency-Key is still running.")
    return record


def claim(session: Session, user_id: uuid.UUID, key: str, request_hash: str) -> tuple[bool, IdempotencyRecord]:
    """(True, placeholder) for a new key; (False, stored record) for a retry. A concurrent twin waits, then replays."""
    record = session.get(IdempotencyRecord, (user_id, key))
    if record is not None:
        return False, _finished(record, request_hash)
    record = IdempotencyRecord(user_id=user_id, key=key, request_hash=request_hash, expires_at=utcnow() + RETENTION)
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError:
        stored = session.exec(
            select(IdempotencyRecord).where(IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key)
        ).one()
        return False, _finished(stored, request_hash)
    return True, record


def stored_result(record: IdempotencyRecord) -> tuple[int, dict | None]:
    """A stored response as (status, parsed JSON body), whichever of REST or a batch stored it."""
    if not record.body or "json" not in (record.content_type or ""):
        return record.status_code, None
    return record.status_code, json.loads(record.body)


def store_result(session: Session, record: IdempotencyRecord, *, status: int, body, headers=None) -> None:
    """Keep a JSON result under a claimed key; a REST retry with the key gets it as its response."""
    record.status_code, record.body = status, json.dumps(body, ensure_ascii=False)
    record.content_type, record.headers = "application/json", dict(headers or {})
    session.add(record)


def _replay(record: IdempotencyRecord) -> Response:
    response = Response(record.body, status=record.status_code, content_type=record.content_type)
    response.headers.update(record.headers)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def idempotent(view):
    """Wrap an action view: it must not commit; this commits once, with the stored response."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        from inspect_service.auth.actor import current_actor

        key = request.headers.get(HEADER)
        session = db.session
        if key is None:
            response = view(*args, **kwargs)
            session.commit()
            return response
        if not valid_key(key):
            raise Unprocessable("Bad Idempotency-Key.", errors={HEADER: [f"1-{KEY_MAX} printable ASCII characters."]})
        new, claimed = claim(session, current_actor().user_id, key, _request_hash())
        if not new:
            return _replay(claimed)
        response = view(*args, **kwargs)
        claimed.status_code = response.status_code
        claimed.body = response.get_data(as_text=True)
        claimed.content_type = response.content_type
        claimed.headers = {h: response.headers[h] for h in REPLAYED_HEADERS if h in response.headers}
        session.add(claimed)
        session.commit()
        return response

    return wrapper


def purge_expired(*, session: Session) -> str:
    """Delete stored responses past their retention."""
    result = session.exec(delete(IdempotencyRecord).where(IdempotencyRecord.expires_at < utcnow()))
    return f"purged {result.rowcount or 0} idempotency records"
