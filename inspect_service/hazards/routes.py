"""Hazard endpoints: the ledger, registration, corrections, and one endpoint per lifecycle action."""

import uuid

from flask import request, send_file

from inspect_service.auth.actor import current_actor
from inspect_service.common.blueprint import Blueprint
from inspect_service.common.concurrency import IF_MATCH_DOC, etag, if_match_version
from inspect_service.common.idempotency import HEADER_DOC, idempotent
from inspect_service.common.retry import retry_transaction
from inspect_service.extensions import db
from inspect_service.hazards import export, lifecycle, service
from inspect_service.hazards.schemas import (
    HazardCreateSchema,
    HazardDetailSchema,
    HazardListArgsSchema,
    HazardPageSchema,
    HazardSchema,
    HazardUpdateSchema,
    LedgerExportArgsSchema,
)

blp = Blueprint("hazards", __name__, url_prefix="/api/hazards", description="Hazards (隐患) and their lifecycle")


@blp.route("", methods=["GET"])
@blp.arguments(HazardListArgsSchema, location="query")
@blp.response(200, HazardPageSchema)
def list_hazards(args):
    """The ledger (台账): filters and keyset pagination."""
    return service.list_hazards(session=db.session, actor=current_actor(), **args)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.route("/export", methods=["GET"])
@blp.arguments(LedgerExportArgsSchema, location="query")
@blp.response(200, description="The ledger workbook (台账)", content_type=XLSX)
def export_ledger(args):
    """The filtered ledger as an Excel workbook, with the status history."""
    photo_url = request.host_url + "api/photos/"
    output = export.write_ledger(session=db.session, actor=current_actor(), photo_url=photo_url, **args)
    return send_file(output, mimetype=XLSX, as_attachment=True, download_name="ledger.xlsx")


@blp.route("", methods=["POST"])
@retry_transaction
@blp.arguments(HazardCreateSchema)
@blp.response(201, HazardSchema)
@blp.alt_response(200, schema=HazardSchema, description="A retry with the same id: the hazard already created")
def create_hazard(body):
    """Register a hazard; send a client-generated `id` so a retry is safe."""
    actor = current_actor()
    hazard, created = service.create(session=db.session, actor=actor, hazard_in=body)
    db.session.commit()
    view = service.get_view(session=db.session, actor=actor, hazard_id=hazard.id)
    return view, 201 if created else 200, {"ETag": etag(hazard.version)}


@blp.route("/<uuid:hazard_id>", methods=["GET"])
@blp.response(200, HazardDetailSchema)
def get_hazard(hazard_id: uuid.UUID):
    """A hazard with its photos' ids, five points and full history."""
    view = service.get_view(session=db.session, actor=current_actor(), hazard_id=hazard_id)
    return view, {"ETag": etag(view["version"])}


@blp.route("/<uuid:hazard_id>", methods=["PATCH"])
@blp.arguments(HazardUpdateSchema)
@blp.response(200, HazardDetailSchema)
@blp.doc(parameters=[IF_MATCH_DOC])
def update_hazard(body, hazard_id: uuid.UUID):
    """Correct the five points of an open hazard; send If-Match."""
    actor = current_actor()
    hazard = service.update(
        session=db.session, actor=actor, hazard_id=hazard_id, version=if_match_version(), changes=body
    )
    db.session.commit()
    return service.get_view(session=db.session, actor=actor, hazard_id=hazard.id), {"ETag": etag(hazard.version)}


def _action_view(action: lifecycle.Action):
    def view(body, hazard_id: uuid.UUID):
        actor = current_actor()
        hazard = service.perform(
            session=db.session,
            actor=actor,
            hazard_id=hazard_id,
            action=action.name,
            data=body,
            version=if_match_version(),
        )
        return service.get_view(session=db.session, actor=actor, hazard_id=hazard.id), {"ETag": etag(hazard.version)}

    view.__name__ = f"action_{action.name}"
    view.__doc__ = f"{action.name}: {action.schema.__doc__.strip()} (from {', '.join(action.sources)})"
    return view


for _action in lifecycle.ACTIONS.values():
    blp.route(f"/<uuid:hazard_id>/{_action.name}", methods=["POST"])(
        retry_transaction(
            idempotent(
                blp.doc(parameters=[HEADER_DOC, {**IF_MATCH_DOC, "required": False}])(
                    blp.arguments(_action.schema)(blp.response(200, HazardDetailSchema)(_action_view(_action)))
                )
            )
        )
    )
