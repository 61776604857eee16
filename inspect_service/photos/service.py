"""Photo rules: who may upload for which enterprise, idempotent uploads, and scoped reads of metadata and bytes."""

import uuid
from datetime import UTC
from typing import BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.common.offline import fingerprint, replay_or_conflict
from inspect_service.common.storage import Storage, content_key
from inspect_service.enterprises import service as enterprise_service
from inspect_service.errors import NotFound, PayloadTooLarge, Unprocessable, UnsupportedMediaType
from inspect_service.parks.models import Park
from inspect_service.photos import imaging
from inspect_service.photos.models import Photo
from inspect_service.sync import feed

UPLOADERS = ("inspector", "park_manager", "enterprise_safety_officer", "enterprise_principal")
THUMBNAIL_TYPE = "image/jpeg"


def visible(query, actor: Actor):
    """Restrict a Photo query to what `actor` may see: photos of the enterprises the actor sees."""
    return enterprise_service.scope(query, actor, park_col=Photo.park_id, enterprise_col=Photo.enterprise_id)


def get(*, session: Session, actor: Actor, photo_id: uuid.UUID) -> Photo:
    """Return a visible photo or 404."""
    photo = session.exec(visible(select(Photo), actor).where(Photo.id == photo_id)).first()
    if photo is None:
        raise NotFound("No such photo.")
    return photo


def content(*, session: Session, actor: Actor, storage: Storage, photo_id: uuid.UUID) -> tuple[bytes, str]:
    """The stored bytes of a visible photo and their content type."""
    photo = get(session=session, actor=actor, photo_id=photo_id)
    return storage.get(photo.sha256), photo.content_type


def thumbnail(*, session: Session, actor: Actor, storage: Storage, photo_id: uuid.UUID) -> tuple[bytes, str]:
    """The thumbnail bytes of a visible photo and their content type."""
    photo = get(session=session, actor=actor, photo_id=photo_id)
    return storage.get(photo.thumb_sha256), THUMBNAIL_TYPE


def upload(*, session: Session, actor: Actor, storage: Storage, photo_in: dict, max_bytes: int) -> tuple[Photo, bool]:
    """Verify, clean and store a photo of a visible enterprise; return it and whether it is new.

    A retry under the same id with the same file and fields returns the photo already stored (False); the same
    id with anything else is a 409.
    """
    require_role(actor, *UPLOADERS)
    enterprise = enterprise_service.get(session=session, actor=actor, enterprise_id=photo_in["enterprise_id"])
    enterprise_service.require_writable(session=session, actor=actor, enterprise_id=enterprise.id)
    data = _read(photo_in["file"], max_bytes)
    original_sha256 = content_key(data)
    fields = {key: value for key, value in photo_in.items() if key not in ("file", "id")}
    payload_hash = fingerprint({**fields, "file_sha256": original_sha256})
    existing = replay_or_conflict(session, Photo, photo_in.get("id"), payload_hash)
    if existing is not None:
        return existing, False
    park = session.get(Park, enterprise.park_id)
    processed = _process(data, ZoneInfo(park.timezone))
    photo = Photo(
        **_described(processed, fields),
        id=photo_in.get("id") or uuid.uuid4(),
        park_id=enterprise.park_id,
        enterprise_id=enterprise.id,
        role=photo_in["role"],
        original_sha256=original_sha256,
        uploaded_by=actor.user_id,
        payload_hash=payload_hash,
    )
    storage.put(photo.sha256, processed.content, photo.content_type)
    storage.put(photo.thumb_sha256, processed.thumbnail, THUMBNAIL_TYPE)
    return _insert(session, photo)


def _read(file: BinaryIO, max_bytes: int) -> bytes:
    """The file's bytes; 413 beyond `max_bytes` (read no further than one byte past it)."""
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise PayloadTooLarge(f"A photo may be at most {max_bytes} bytes.", errors={"file": ["File too large."]})
    return data


def _process(data: bytes, zone: ZoneInfo) -> imaging.Processed:
    """Run the image pipeline; a refused file is a 415 (type) or a 422 (content) on the `file` field."""
    try:
        return imaging.process(data, zone=zone)
    except imaging.Rejected as exc:
        error = UnsupportedMediaType if exc.unsupported else Unprocessable
        raise error(exc.detail, errors={"file": [exc.detail]}) from exc


def _described(processed: imaging.Processed, fields: dict) -> dict:
    """Columns describing the stored bytes; the client's capture time and position win over EXIF's."""
    by_client = "latitude" in fields
    captured_at = fields.get("captured_at") or processed.captured_at
    return {
        "sha256": content_key(processed.content),
        "thumb_sha256": content_key(processed.thumbnail),
        "content_type": processed.content_type,
        "width": processed.width,
        "height": processed.height,
        "size_bytes": len(processed.content),
        "captured_at": captured_at and captured_at.astimezone(UTC),
        "latitude": fields["latitude"] if by_client else processed.latitude,
        "longitude": fields["longitude"] if by_client else processed.longitude,
    }


def _insert(session: Session, photo: Photo) -> tuple[Photo, bool]:
    """Insert `photo`; when a concurrent retry inserted the same id first, answer as a retry would."""
    try:
        with session.begin_nested():
            session.add(photo)
    except IntegrityError:
        existing = replay_or_conflict(session, Photo, photo.id, photo.payload_hash)
        if existing is None:
            raise
        return existing, False
    feed.record(session, entity="photo", entity_id=photo.id, park_id=photo.park_id, enterprise_id=photo.enterprise_id)
    return photo, True
