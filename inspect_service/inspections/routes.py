"""Inspection endpoints."""

import uuid

from inspect_service.auth.actor import current_actor
from inspect_service.common.blueprint import Blueprint
from inspect_service.common.concurrency import IF_MATCH_DOC, etag, if_match_version
from inspect_service.common.idempotency import HEADER_DOC, idempotent
from inspect_service.extensions import db
from inspect_service.inspections import service
from inspect_service.inspections.schemas import (
    InspectionCreateSchema,
    InspectionDetailSchema,
    InspectionListArgsSchema,
    InspectionPageSchema,
    InspectionUpdateSchema,
    ResultCreateSchema,
    ResultWithHazardSchema,
)

blp = Blueprint("inspections", __name__, url_prefix="/api/inspections", description="Inspections and item results")


@blp.route("", methods=["GET"])
@blp.arguments(InspectionListArgsSchema, location="query")
@blp.response(200, InspectionPageSchema)
def list_inspections(args):
    """Inspections you can see, by start time."""
    return service.list_inspections(session=db.session, actor=current_actor(), **args)


@blp.route("", methods=["POST"])
@blp.arguments(InspectionCreateSchema)
@blp.response(201, InspectionDetailSchema)
@blp.alt_response(200, schema=InspectionDetailSchema, description="A retry with the same id")
def create_inspection(body):
    """Record an inspection; send a client-generated `id` so a retry is safe."""
    actor = current_actor()
    inspection, created = service.create(session=db.session, actor=actor, inspection_in=body)
    db.session.commit()
    detail = service.get_detail(session=db.session, actor=actor, inspection_id=inspection.id)
    return detail, 201 if created else 200, {"ETag": etag(inspection.version)}


@blp.route("/<uuid:inspection_id>", methods=["GET"])
@blp.response(200, InspectionDetailSchema)
def get_inspection(inspection_id: uuid.UUID):
    """An inspection with its results."""
    detail = service.get_detail(session=db.session, actor=current_actor(), inspection_id=inspection_id)
    return detail, {"ETag": etag(detail["version"])}


@blp.route("/<uuid:inspection_id>", methods=["PATCH"])
@idempotent
@blp.doc(parameters=[HEADER_DOC, IF_MATCH_DOC])
@blp.arguments(InspectionUpdateSchema)
@blp.response(200, InspectionDetailSchema)
def update_inspection(body, inspection_id: uuid.UUID):
    """Complete an inspection; send If-Match (and an Idempotency-Key to retry safely)."""
    actor = current_actor()
    inspection = service.update(
        session=db.session, actor=actor, inspection_id=inspection_id, version=if_match_version(), changes=body
    )
    detail = service.get_detail(session=db.session, actor=actor, inspection_id=inspection.id)
    return detail, {"ETag": etag(inspection.version)}


@blp.route("/<uuid:inspection_id>/results", methods=["POST"])
@blp.arguments(ResultCreateSchema)
@blp.response(201, ResultWithHazardSchema)
def add_result(body, inspection_id: uuid.UUID):
    """Record one check item's result; a failed item may raise a hazard."""
    result = service.add_result(session=db.session, actor=current_actor(), inspection_id=inspection_id, result_in=body)
    db.session.commit()
    return result
