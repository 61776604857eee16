"""Checks on what an action cites: photos of the hazard's enterprise, signing inspectors of its park."""

import uuid

from sqlmodel import Session, select

from inspect_service.errors import Unprocessable
from inspect_service.users.models import User


def require_photos(session: Session, enterprise_id: uuid.UUID, photo_ids: list) -> None:
    """422 unless every photo exists and belongs to the enterprise."""
    from inspect_service.photos.models import Photo

    wanted = set(photo_ids)
    if not wanted:
        return
    found = set(session.exec(select(Photo.id).where(Photo.id.in_(wanted), Photo.enterprise_id == enterprise_id)))
    if found != wanted:
        raise Unprocessable("Unknown photo.", errors={"photo_ids": ["Upload the photos of this enterprise first."]})


def require_inspectors(
    session: Session, *, park_id: uuid.UUID, actor_id: uuid.UUID, user_ids: list, enforcement: bool
) -> None:
    """422 unless the signers are distinct active inspectors of the park, the actor among them."""
    wanted = set(user_ids)
    users = session.exec(select(User).where(User.id.in_(wanted))).all()
    ok = (
        len(wanted) == len(user_ids)
        and actor_id in wanted
        and len(users) == len(wanted)
        and all(u.role == "inspector" and u.park_id == park_id and not u.disabled for u in users)
        and (not enforcement or all(u.cert_no and u.inspector_kind == "enforcement_officer" for u in users))
    )
    if not ok:
        message = "Two or more distinct inspectors of the park, you among them" + (
            ", each an enforcement officer with a certificate number." if enforcement else "."
        )
        raise Unprocessable(message, errors={"inspector_ids": [message]})
