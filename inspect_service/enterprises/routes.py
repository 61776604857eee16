"""Enterprise endpoints."""

import uuid

from inspect_service.auth.actor import current_actor
from inspect_service.common.blueprint import Blueprint
from inspect_service.common.concurrency import IF_MATCH_DOC, etag, if_match_version
from inspect_service.enterprises import service
from inspect_service.enterprises.schemas import (
    EnterpriseCreateSchema,
    EnterpriseListArgsSchema,
    EnterprisePageSchema,
    EnterpriseSchema,
    EnterpriseUpdateSchema,
)
from inspect_service.extensions import db

blp = Blueprint("enterprises", __name__, url_prefix="/api/enterprises", description="Enterprises of a park")


@blp.route("", methods=["GET"])
@blp.arguments(EnterpriseListArgsSchema, location="query")
@blp.response(200, EnterprisePageSchema)
def list_enterprises(args):
    """List the enterprises you can see."""
    return service.list_enterprises(session=db.session, actor=current_actor(), **args)


@blp.route("", methods=["POST"])
@blp.arguments(EnterpriseCreateSchema)
@blp.response(201, EnterpriseSchema)
def create_enterprise(body):
    """Register an enterprise (park manager)."""
    enterprise = service.create(session=db.session, actor=current_actor(), enterprise_in=body)
    db.session.commit()
    return enterprise, {"ETag": etag(enterprise.version)}


@blp.route("/<uuid:enterprise_id>", methods=["GET"])
@blp.response(200, EnterpriseSchema)
def get_enterprise(enterprise_id: uuid.UUID):
    """Read one enterprise."""
    enterprise = service.get(session=db.session, actor=current_actor(), enterprise_id=enterprise_id)
    return enterprise, {"ETag": etag(enterprise.version)}


@blp.route("/<uuid:enterprise_id>", methods=["PATCH"])
@blp.arguments(EnterpriseUpdateSchema)
@blp.response(200, EnterpriseSchema)
@blp.doc(parameters=[IF_MATCH_DOC])
def update_enterprise(body, enterprise_id: uuid.UUID):
    """Change an enterprise (park manager); send If-Match."""
    enterprise = service.update(
        session=db.session, actor=current_actor(), enterprise_id=enterprise_id, version=if_match_version(), changes=body
    )
    db.session.commit()
    return enterprise, {"ETag": etag(enterprise.version)}
