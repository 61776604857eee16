"""Check item and checklist template endpoints."""

import uuid

from inspect_service.auth.actor import current_actor
from inspect_service.checklists import service
from inspect_service.checklists.schemas import (
    CheckItemCreateSchema,
    CheckItemListArgsSchema,
    CheckItemPageSchema,
    CheckItemSchema,
    ChecklistTemplateCreateSchema,
    ChecklistTemplateItemsSchema,
    ChecklistTemplateListArgsSchema,
    ChecklistTemplatePageSchema,
    ChecklistTemplateSchema,
    ChecklistTemplateUpdateSchema,
)
from inspect_service.common import conditional
from inspect_service.common.blueprint import Blueprint
from inspect_service.common.concurrency import IF_MATCH_DOC, etag, if_match_version
from inspect_service.common.conditional import IF_NONE_MATCH_DOC, NOT_MODIFIED_DOC
from inspect_service.extensions import db

blp = Blueprint(
    "checklists", __name__, url_prefix="/api", description="Check-item library, park items and checklist templates"
)


@blp.route("/check-items", methods=["GET"])
@blp.arguments(CheckItemListArgsSchema, location="query")
@blp.response(200, CheckItemPageSchema)
@blp.alt_response(304, description=NOT_MODIFIED_DOC["description"])
@blp.doc(parameters=[IF_NONE_MATCH_DOC])
def list_check_items(args):
    """List the library items and your park's own items (ETag; 304 on a matching If-None-Match)."""
    return conditional.answer(
        CheckItemPageSchema, service.list_items(session=db.session, actor=current_actor(), **args)
    )


@blp.route("/check-items", methods=["POST"])
@blp.arguments(CheckItemCreateSchema)
@blp.response(201, CheckItemSchema)
def create_check_item(body):
    """Add a check item: a library item (admin) or one of your park's (park manager)."""
    item = service.create_item(session=db.session, actor=current_actor(), item_in=body)
    db.session.commit()
    return item


@blp.route("/check-items/<uuid:item_id>", methods=["GET"])
@blp.response(200, CheckItemSchema)
def get_check_item(item_id: uuid.UUID):
    """Read one check item."""
    return service.get_item(session=db.session, actor=current_actor(), item_id=item_id)


@blp.route("/checklist-templates", methods=["GET"])
@blp.arguments(ChecklistTemplateListArgsSchema, location="query")
@blp.response(200, ChecklistTemplatePageSchema)
@blp.alt_response(304, description=NOT_MODIFIED_DOC["description"])
@blp.doc(parameters=[IF_NONE_MATCH_DOC])
def list_checklist_templates(args):
    """List your park's checklist templates (ETag; 304 on a matching If-None-Match)."""
    return conditional.answer(
        ChecklistTemplatePageSchema, service.list_templates(session=db.session, actor=current_actor(), **args)
    )


@blp.route("/checklist-templates", methods=["POST"])
@blp.arguments(ChecklistTemplateCreateSchema)
@blp.response(201, ChecklistTemplateSchema)
def create_checklist_template(body):
    """Compose a checklist template (admin, park manager)."""
    template = service.create_template(session=db.session, actor=current_actor(), template_in=body)
    db.session.commit()
    return template, {"ETag": etag(template.version)}


@blp.route("/checklist-templates/<uuid:template_id>", methods=["GET"])
@blp.response(200, ChecklistTemplateSchema)
def get_checklist_template(template_id: uuid.UUID):
    """Read one checklist template."""
    template = service.get_template(session=db.session, actor=current_actor(), template_id=template_id)
    return template, {"ETag": etag(template.version)}


@blp.route("/checklist-templates/<uuid:template_id>", methods=["PATCH"])
@blp.arguments(ChecklistTemplateUpdateSchema)
@blp.response(200, ChecklistTemplateSchema)
@blp.doc(parameters=[IF_MATCH_DOC])
def update_checklist_template(body, template_id: uuid.UUID):
    """Change a checklist template (admin, park manager); send If-Match."""
    template = service.update_template(
        session=db.session, actor=current_actor(), template_id=template_id, version=if_match_version(), changes=body
    )
    db.session.commit()
    return template, {"ETag": etag(template.version)}


@blp.route("/checklist-templates/<uuid:template_id>/items", methods=["GET"])
@blp.response(200, ChecklistTemplateItemsSchema)
def list_checklist_template_items(template_id: uuid.UUID):
    """The template's check items in checklist order."""
    template, items = service.template_items(session=db.session, actor=current_actor(), template_id=template_id)
    return {"template_id": template.id, "version": template.version, "items": items}, {"ETag": etag(template.version)}
