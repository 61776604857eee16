"""Park endpoints."""

import uuid

from inspect_service.auth.actor import current_actor
from inspect_service.common.blueprint import Blueprint
from inspect_service.common.concurrency import IF_MATCH_DOC, etag, if_match_version
from inspect_service.extensions import db
from inspect_service.parks import service
from inspect_service.parks.schemas import (
    ParkCreateSchema,
    ParkListArgsSchema,
    ParkPageSchema,
    ParkSchema,
    ParkUpdateSchema,
)

blp = Blueprint("parks", __name__, url_prefix="/api/parks", description="Parks (tenants)")


@blp.route("", methods=["GET"])
@blp.arguments(ParkListArgsSchema, location="query")
@blp.response(200, ParkPageSchema)
def list_parks(args):
    """List the parks you can see."""
    return service.list_parks(session=db.session, actor=current_actor(), **args)


@blp.route("", methods=["POST"])
@blp.arguments(ParkCreateSchema)
@blp.response(201, ParkSchema)
def create_park(body):
    """Create a park (admin)."""
    park = service.create(session=db.session, actor=current_actor(), park_in=body)
    db.session.commit()
    return park, {"ETag": etag(park.version)}


@blp.route("/<uuid:park_id>", methods=["GET"])
@blp.response(200, ParkSchema)
def get_park(park_id: uuid.UUID):
    """Read one park."""
    park = service.get(session=db.session, actor=current_actor(), park_id=park_id)
    return park, {"ETag": etag(park.version)}


@blp.route("/<uuid:park_id>", methods=["PATCH"])
@blp.arguments(ParkUpdateSchema)
@blp.response(200, ParkSchema)
@blp.doc(parameters=[IF_MATCH_DOC])
def update_park(body, park_id: uuid.UUID):
    """Change a park (admin); send If-Match."""
    park = service.update(
        session=db.session, actor=current_actor(), park_id=park_id, version=if_match_version(), changes=body
    )
    db.session.commit()
    return park, {"ETag": etag(park.version)}
