"""Offline-safe creates: a client-generated id makes a retry return the same resource."""

import hashlib
import json
import uuid

from sqlmodel import Session

from inspect_service.errors import Conflict


def fingerprint(payload: dict) -> str:
    """A stable SHA-256 of a request payload (keys sorted, values as JSON or text).

    "surrogatepass": a lone surrogate (valid JSON, "\\ud800") still hashes, so the request gets its 422 from its
    schema instead of failing here; every other text hashes exactly as before (stored keys stay valid).
    """
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def replay_or_conflict(session: Session, model, object_id: uuid.UUID | None, payload_hash: str):
    """Return the row already created under `object_id` by the same payload; 409 for another payload.

    None means the id is new (or absent) and the caller should create the row with `payload_hash`.
    """
    if object_id is None:
        return None
    existing = session.get(model, object_id)
    if existing is None:
        return None
    if existing.payload_hash != payload_hash:
        raise Conflict("This id was already used for different content.")
    return existing
