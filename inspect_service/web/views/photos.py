"""Photo thumbnails and full-size photos for the console, through the photos service's scoping."""

import uuid

from flask import Response

from inspect_service.common import storage
from inspect_service.extensions import db
from inspect_service.photos import service as photo_service
from inspect_service.web.blueprint import bp
from inspect_service.web.session import signed_in


def _bytes(data: bytes, content_type: str) -> Response:
    response = Response(data, mimetype=content_type)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/photos/<uuid:photo_id>/thumbnail")
@signed_in
def photo_thumbnail(photo_id: uuid.UUID, actor):
    """A visible photo's thumbnail."""
    data, content_type = photo_service.thumbnail(
        session=db.session, actor=actor, storage=storage.current(), photo_id=photo_id
    )
    return _bytes(data, content_type)


@bp.get("/photos/<uuid:photo_id>")
@signed_in
def photo_content(photo_id: uuid.UUID, actor):
    """A visible photo at full size."""
    data, content_type = photo_service.content(
        session=db.session, actor=actor, storage=storage.current(), photo_id=photo_id
    )
    return _bytes(data, content_type)
