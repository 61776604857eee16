"""Endpoints of inspection tasks (every task the caller may see) and of the park's patrol cadences."""

import uuid

from inspect_service.auth.actor import current_actor
from inspect_service.campaigns import cadences, task_work
from inspect_service.campaigns.task_schemas import (
    CadenceCreateSchema,
    CadencePageSchema,
    CadenceSchema,
    CadenceUpdateSchema,
    TaskCompleteSchema,
    TaskPageSchema,
    TaskQueryArgsSchema,
    TaskSchema,
)
from inspect_service.common.blueprint import Blueprint
from inspect_service.common.concurrency import IF_MATCH_DOC, etag, if_match_version
from inspect_service.common.idempotency import HEADER_DOC, idempotent
from inspect_service.common.schemas import PageArgsSchema
from inspect_service.extensions import db

tasks_blp = Blueprint("tasks", __name__, url_prefix="/api/tasks", description="Inspection tasks")
cadences_blp = Blueprint(
    "patrol_cadences", __name__, url_prefix="/api/patrol-cadences", description="Recurring patrol rules"
)


@tasks_blp.route("", methods=["GET"])
@tasks_blp.arguments(TaskQueryArgsSchema, location="query")
@tasks_blp.response(200, TaskPageSchema)
def list_tasks(args):
    """Tasks you may see: campaign tasks and patrol occurrences (`mine=true`: assigned to you)."""
    return task_work.list_all(session=db.session, actor=current_actor(), **args)


@tasks_blp.route("/<uuid:task_id>", methods=["GET"])
@tasks_blp.response(200, TaskSchema)
def get_task(task_id: uuid.UUID):
    """One task."""
    task = task_work.get(session=db.session, actor=current_actor(), task_id=task_id)
    return task_work.view(db.session, task), {"ETag": etag(task.version)}


@tasks_blp.route("/<uuid:task_id>/complete", methods=["POST"])
@idempotent
@tasks_blp.doc(parameters=[HEADER_DOC, {**IF_MATCH_DOC, "required": False}])
@tasks_blp.arguments(TaskCompleteSchema)
@tasks_blp.response(200, TaskSchema)
def complete_task(body, task_id: uuid.UUID):
    """Complete a task, linking the inspection that did it (required for spot checks, supervision and patrols)."""
    task = task_work.complete(
        session=db.session, actor=current_actor(), task_id=task_id, version=if_match_version(), **body
    )
    return task_work.view(db.session, task), {"ETag": etag(task.version)}


@cadences_blp.route("", methods=["GET"])
@cadences_blp.arguments(PageArgsSchema, location="query")
@cadences_blp.response(200, CadencePageSchema)
def list_cadences(args):
    """Your park's patrol cadences (park staff)."""
    return cadences.list_cadences(session=db.session, actor=current_actor(), **args)


@cadences_blp.route("", methods=["POST"])
@cadences_blp.arguments(CadenceCreateSchema)
@cadences_blp.response(201, CadenceSchema)
def create_cadence(body):
    """Add a patrol cadence (park manager); its tasks appear `lead_days` before each occurrence."""
    cadence = cadences.create(session=db.session, actor=current_actor(), cadence_in=body)
    db.session.commit()
    return cadence, {"ETag": etag(cadence.version)}


@cadences_blp.route("/<uuid:cadence_id>", methods=["GET"])
@cadences_blp.response(200, CadenceSchema)
def get_cadence(cadence_id: uuid.UUID):
    """One patrol cadence (park staff)."""
    cadence = cadences.get(session=db.session, actor=current_actor(), cadence_id=cadence_id)
    return cadence, {"ETag": etag(cadence.version)}


@cadences_blp.route("/<uuid:cadence_id>", methods=["PATCH"])
@cadences_blp.arguments(CadenceUpdateSchema)
@cadences_blp.response(200, CadenceSchema)
@cadences_blp.doc(parameters=[IF_MATCH_DOC])
def update_cadence(body, cadence_id: uuid.UUID):
    """Change a patrol cadence (park manager; `active: false` stops it); send If-Match."""
    cadence = cadences.change(
        session=db.session, actor=current_actor(), cadence_id=cadence_id, version=if_match_version(), changes=body
    )
    db.session.commit()
    return cadence, {"ETag": etag(cadence.version)}
