"""Inspection tasks after generation: every task the caller may see, completing one, linking its inspection.

Who completes a task depends on who does the work: the enterprise its self-check and self-patrol (an inspection
is optional, a note is enough), the park its spot checks, supervision visits and patrols (always by linking the
inspection of that enterprise that did them), the park manager a supervision bulletin.
"""

import uuid
from datetime import date, datetime

from sqlalchemy import false, or_, update
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.campaigns.models import InspectionTask
from inspect_service.common.concurrency import check_version
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.common.time import utcnow
from inspect_service.enterprises import service as enterprise_service
from inspect_service.enterprises.models import Enterprise
from inspect_service.errors import Conflict, Forbidden, NotFound, Unprocessable
from inspect_service.inspections import service as inspection_service
from inspect_service.parks import service as park_service
from inspect_service.sync import feed
from inspect_service.users.models import PARK_ROLES

ENTERPRISE_KINDS = ("self_check", "self_patrol")
PARK_KINDS = ("spot_check", "supervision", "park_patrol")
MANAGER_KINDS = ("supervision_bulletin",)
ALL_KINDS = ENTERPRISE_KINDS + PARK_KINDS + MANAGER_KINDS
COMPLETERS = {
    **dict.fromkeys(ENTERPRISE_KINDS, ("enterprise_safety_officer", "enterprise_principal", *PARK_ROLES)),
    **dict.fromkeys(PARK_KINDS, ("inspector", "park_manager")),
    **dict.fromkeys(MANAGER_KINDS, ("park_manager",)),
}


def visible(query, actor: Actor):
    """Restrict an InspectionTask query to the actor (park tasks without an enterprise: the park's staff only)."""
    return enterprise_service.scope(
        query, actor, park_col=InspectionTask.park_id, enterprise_col=InspectionTask.enterprise_id
    )


def get(*, session: Session, actor: Actor, task_id: uuid.UUID, lock: bool = False) -> InspectionTask:
    """A task the actor may see, or 404."""
    query = visible(select(InspectionTask), actor).where(InspectionTask.id == task_id)
    task = session.exec(query.with_for_update() if lock else query).first()
    if task is None:
        raise NotFound("No such task.")
    return task


def list_all(
    *,
    session: Session,
    actor: Actor,
    limit: int,
    cursor: str | None = None,
    mine: bool = False,
    overdue: bool | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    **filters,
) -> Page:
    """Every task the actor may see, newest first by creation; `mine` keeps those assigned to the actor."""
    query = visible(select(InspectionTask), actor)
    for name, value in filters.items():
        if value is not None:
            query = query.where(getattr(InspectionTask, name) == value)
    if mine:
        query = query.where(InspectionTask.assignee_id == actor.user_id)
    if due_from is not None:
        query = query.where(InspectionTask.due_date >= due_from)
    if due_to is not None:
        query = query.where(InspectionTask.due_date <= due_to)
    if overdue is not None:
        by_day = park_service.today_by_park(session, actor)  # each park judged by its own local date
        past_due = or_(
            false(), *(InspectionTask.park_id.in_(ids) & (InspectionTask.due_date < d) for d, ids in by_day.items())
        )
        late = (InspectionTask.status == "open") & past_due
        query = query.where(late if overdue else ~late)
    page = keyset_page(
        session,
        query,
        sort_col=InspectionTask.created_at,
        id_col=InspectionTask.id,
        sort_attr="created_at",
        limit=limit,
        cursor=cursor,
        parse=datetime.fromisoformat,
    )
    return Page(items=views(session, page.items), next_cursor=page.next_cursor)


ENTERPRISE_FIELDS = {
    "enterprise_name": Enterprise.name,
    "enterprise_address": Enterprise.address,
    "enterprise_latitude": Enterprise.latitude,
    "enterprise_longitude": Enterprise.longitude,
}


def views(session: Session, tasks) -> list[dict]:
    """Tasks as returned, with their enterprise's name, address and position: one query for any number of tasks."""
    tasks = list(tasks)
    wanted = {task.id for task in tasks if task.enterprise_id is not None}
    places = {}
    if wanted:
        rows = session.exec(
            select(InspectionTask.id, *ENTERPRISE_FIELDS.values())
            .join(Enterprise, Enterprise.id == InspectionTask.enterprise_id)
            .where(InspectionTask.id.in_(wanted))
        )
        places = {row[0]: dict(zip(ENTERPRISE_FIELDS, row[1:], strict=True)) for row in rows}
    empty = dict.fromkeys(ENTERPRISE_FIELDS)
    return [{**task.model_dump(), **places.get(task.id, empty)} for task in tasks]


def view(session: Session, task: InspectionTask) -> dict:
    """One task as returned, with its enterprise's name, address and position."""
    return views(session, [task])[0]


def _check_inspection(session: Session, actor: Actor, task: InspectionTask, inspection_id: uuid.UUID) -> None:
    """422 unless the inspection is one the actor sees, of the task's enterprise, completing no other task."""
    if task.kind in MANAGER_KINDS:
        raise Unprocessable.field("inspection_id", "A supervision bulletin is not an inspection.")
    try:
        inspection = inspection_service.get(session=session, actor=actor, inspection_id=inspection_id)
    except NotFound as exc:
        raise Unprocessable.field("inspection_id", "No such inspection.") from exc
    if inspection.enterprise_id != task.enterprise_id:
        raise Unprocessable.field("inspection_id", "The inspection is of another enterprise.")
    linked = session.exec(
        select(InspectionTask.id).where(InspectionTask.inspection_id == inspection_id, InspectionTask.id != task.id)
    ).first()
    if linked is not None:
        raise Unprocessable.field("inspection_id", "The inspection already completes another task.")


def complete(
    *,
    session: Session,
    actor: Actor,
    task_id: uuid.UUID,
    inspection_id: uuid.UUID | None = None,
    note: str = "",
    version: int | None = None,
) -> InspectionTask:
    """Mark a task done, linking the inspection that did it (required for the park's own visits)."""
    task = get(session=session, actor=actor, task_id=task_id, lock=True)
    require_role(actor, *COMPLETERS.get(task.kind, ()))
    if actor.has_portfolio and task.kind in PARK_KINDS and task.assignee_id not in (None, actor.user_id):
        raise Forbidden("This task is assigned to another officer.")
    if task.enterprise_id is not None:
        enterprise_service.require_writable(session=session, actor=actor, enterprise_id=task.enterprise_id)
    if version is not None:  # If-Match is optional here: completing twice is refused by the status anyway
        check_version(task.version, version)
    if task.status != "open":
        raise Conflict(f"The task is {task.status}.", extra={"allowed_actions": []})
    if task.kind in PARK_KINDS and inspection_id is None:
        raise Unprocessable.field("inspection_id", "Link the inspection that did this task.")
    if inspection_id is not None:
        _check_inspection(session, actor, task, inspection_id)
    task.status, task.inspection_id, task.note = "done", inspection_id, note
    task.completed_at, task.completed_by = utcnow(), actor.user_id
    task.version += 1
    session.add(task)
    feed.record(session, entity="task", entity_id=task.id, park_id=task.park_id, enterprise_id=task.enterprise_id)
    session.flush()
    return task


def move_due_dates(*, session: Session, phase_id: uuid.UUID, old_end: date, new_end: date) -> int:
    """Open tasks of a phase that were due at its old end are due at its new end (extension or early close)."""
    moved = session.exec(
        update(InspectionTask)
        .where(
            InspectionTask.phase_id == phase_id,
            InspectionTask.status == "open",
            InspectionTask.due_date == old_end,
        )
        .values(due_date=new_end, version=InspectionTask.version + 1)
        .returning(InspectionTask.id, InspectionTask.park_id, InspectionTask.enterprise_id)
        .execution_options(synchronize_session=False)
    ).all()
    feed.record_many(
        session, ({"entity": "task", "entity_id": i, "park_id": p, "enterprise_id": e} for i, p, e in moved)
    )
    return len(moved)
