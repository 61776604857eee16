"""The photos a hazard references (its registration's and those its actions carried), loaded for many at once."""

import uuid

from sqlmodel import Session, select

from inspect_service.hazards import lifecycle
from inspect_service.hazards.models import HazardEvent
from inspect_service.photos.models import Photo

PHOTO_KEYS = ("photo_ids", "before_photo_ids", "after_photo_ids", "evidence_photo_ids", "signature_photo_id")
PHOTO_ACTIONS = tuple(name for name, spec in lifecycle.ACTIONS.items() if set(PHOTO_KEYS) & set(spec.schema().fields))
CHUNK = 2000  # ids per IN list, well under every database's bound-parameter limit


def photo_url(photo_id, kind: str) -> str:
    """The API path of a photo's `thumbnail` or `content`."""
    return f"/api/photos/{photo_id}/{kind}"


def _photo(photo_id: str, role: str) -> dict:
    return {
        "id": photo_id,
        "role": role,
        "thumbnail_url": photo_url(photo_id, "thumbnail"),
        "content_url": photo_url(photo_id, "content"),
    }


def _ids_in(payload: dict) -> list[str]:
    found = []
    for key in PHOTO_KEYS:
        value = (payload or {}).get(key)
        if isinstance(value, list):
            found.extend(str(v) for v in value)
        elif value:
            found.append(str(value))
    return found


def _action_refs(session: Session, hazard_ids: list) -> dict:
    """Photo ids carried by the hazards' actions, in server order: one query."""
    refs: dict = {}
    rows = session.exec(
        select(HazardEvent.hazard_id, HazardEvent.payload)
        .where(HazardEvent.hazard_id.in_(hazard_ids), HazardEvent.action.in_(PHOTO_ACTIONS))
        .order_by(HazardEvent.at, HazardEvent.id)
    ).all()
    for hazard_id, payload in rows:
        refs.setdefault(hazard_id, []).extend(_ids_in(payload))
    return refs


def _roles(session: Session, photo_ids: set[str]) -> dict[str, str]:
    wanted = []
    for text in photo_ids:
        try:
            wanted.append(uuid.UUID(text))
        except ValueError:
            continue
    roles: dict[str, str] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        rows = session.exec(select(Photo.id, Photo.role).where(Photo.id.in_(chunk)))
        roles.update({str(photo_id): role for photo_id, role in rows})
    return roles


def attach(session: Session, views: list[dict]) -> list[dict]:
    """Give hazard views `photo_ids` (as registered) and `photos` (every photo referenced, with role and URLs).

    Two queries for any number of hazards (events with photos, then the photos' roles); the views are changed
    in place and returned.
    """
    if not views:
        return views
    by_action = _action_refs(session, [v["id"] for v in views])
    registered = {v["id"]: [str(p) for p in (v.get("details") or {}).get("photo_ids", [])] for v in views}
    every = {v["id"]: list(dict.fromkeys(registered[v["id"]] + by_action.get(v["id"], []))) for v in views}
    roles = _roles(session, {p for ids in every.values() for p in ids})
    for v in views:
        v["photo_ids"] = registered[v["id"]]
        v["photos"] = [_photo(p, roles[p]) for p in every[v["id"]] if p in roles]
    return views
