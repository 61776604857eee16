"""Photo endpoints: multipart upload, metadata, and the stored bytes."""

import uuid

from flask import Response, current_app, request

from inspect_service.auth.actor import current_actor
from inspect_service.common import storage
from inspect_service.common.blueprint import MULTIPART, Blueprint
from inspect_service.extensions import db
from inspect_service.photos import service
from inspect_service.photos.schemas import PhotoSchema, PhotoUploadSchema

FORM_ALLOWANCE = 64 * 1024  # room for the form fields and part headers beside the file itself
BYTES = {"schema": {"type": "string", "format": "binary"}}

blp = Blueprint("photos", __name__, url_prefix="/api/photos", description="Photos of enterprises' sites")


@blp.before_request
def _cap_upload_body() -> None:
    """Bound an upload's body by the photo cap rather than the general MAX_CONTENT_LENGTH."""
    if request.endpoint == "photos.upload_photo":
        request.max_content_length = current_app.config["PHOTO_MAX_BYTES"] + FORM_ALLOWANCE


def _bytes(data: bytes, content_type: str) -> Response:
    """Stored bytes as a private, never-sniffed response."""
    response = Response(data, mimetype=content_type)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blp.route("", methods=["POST"])
@blp.arguments(PhotoUploadSchema, location=MULTIPART)
@blp.response(201, PhotoSchema, description="Stored")
@blp.alt_response(200, schema=PhotoSchema, description="A retry: the photo already stored under this id")
def upload_photo(photo_in):
    """Upload a photo (JPEG, PNG or WebP); it is verified, turned upright, stripped of metadata and re-encoded."""
    photo, created = service.upload(
        session=db.session,
        actor=current_actor(),
        storage=storage.current(),
        photo_in=photo_in,
        max_bytes=current_app.config["PHOTO_MAX_BYTES"],
    )
    db.session.commit()
    return photo, 201 if created else 200


@blp.route("/<uuid:photo_id>", methods=["GET"])
@blp.response(200, PhotoSchema)
def get_photo(photo_id: uuid.UUID):
    """Read a photo's metadata."""
    return service.get(session=db.session, actor=current_actor(), photo_id=photo_id)


@blp.route("/<uuid:photo_id>/content", methods=["GET"])
@blp.doc(responses={200: {"description": "The stored photo", "content": {"image/jpeg": BYTES, "image/png": BYTES}}})
def get_photo_content(photo_id: uuid.UUID):
    """Download the stored photo (JPEG, or PNG when it has transparency)."""
    data, content_type = service.content(
        session=db.session, actor=current_actor(), storage=storage.current(), photo_id=photo_id
    )
    return _bytes(data, content_type)


@blp.route("/<uuid:photo_id>/thumbnail", methods=["GET"])
@blp.doc(responses={200: {"description": "A small JPEG of the photo", "content": {"image/jpeg": BYTES}}})
def get_photo_thumbnail(photo_id: uuid.UUID):
    """Download the photo's thumbnail."""
    data, content_type = service.thumbnail(
        session=db.session, actor=current_actor(), storage=storage.current(), photo_id=photo_id
    )
    return _bytes(data, content_type)
