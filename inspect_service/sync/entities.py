"""What the phone replicates: per entity kind, its table, its domain's scoping and its REST GET shape.

The feed and the bootstrap both dump through `dump_rows`, so an object reads the same in a REST GET, a feed
upsert and a bootstrap page. Dumps load what they need for a whole list at once (no query per row).
"""

import functools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session, select

from inspect_service.auth.actor import Actor
from inspect_service.campaigns import task_work
from inspect_service.campaigns.models import InspectionTask
from inspect_service.campaigns.task_schemas import TaskSchema
from inspect_service.checklists import service as checklist_service
from inspect_service.checklists.models import CheckItem, ChecklistTemplate
from inspect_service.checklists.schemas import CheckItemSchema, ChecklistTemplateSchema
from inspect_service.documents import service as document_service
from inspect_service.documents.models import Document
from inspect_service.documents.schemas import DocumentSchema
from inspect_service.enterprises import service as enterprise_service
from inspect_service.enterprises.models import Enterprise
from inspect_service.enterprises.schemas import EnterpriseSchema
from inspect_service.hazards import service as hazard_service
from inspect_service.hazards.models import Hazard, HazardEvent
from inspect_service.hazards.schemas import HazardDetailSchema
from inspect_service.inspections import service as inspection_service
from inspect_service.inspections.models import Inspection, InspectionResult
from inspect_service.inspections.schemas import InspectionDetailSchema
from inspect_service.notifications import service as notification_service
from inspect_service.notifications.models import Notification
from inspect_service.notifications.schemas import NotificationSchema
from inspect_service.parks.models import Park
from inspect_service.photos import service as photo_service
from inspect_service.photos.models import Photo
from inspect_service.photos.schemas import PhotoSchema
from inspect_service.selfchecks import service as selfcheck_service
from inspect_service.selfchecks.models import SelfCheckReport, SelfCheckReportEvent
from inspect_service.selfchecks.schemas import ReportDetailSchema

# Entities every user of a park sees (not owned by an enterprise): their feed entries are scoped by park alone.
PARK_WIDE = ("check_item", "checklist_template")


@dataclass(frozen=True)
class Kind:
    """One replicated entity: its table, the domain's scoping function and how a list of rows is dumped."""

    model: type
    visible: Callable  # (query, actor) -> query
    views: Callable  # (session, rows) -> objects the schema dumps
    schema: type


@functools.cache
def _schema(schema_class):
    return schema_class(many=True)


def _by_key(rows, key: int = 0) -> dict:
    grouped: dict = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row[1 - key])
    return grouped


def preload_parks(session: Session, rows) -> None:
    """Load the rows' parks once, so the views' `session.get(Park, …)` finds them without a query."""
    park_ids = {row.park_id for row in rows} - {
        park.id for park in session.identity_map.values() if isinstance(park, Park)
    }
    if park_ids:
        session.exec(select(Park).where(Park.id.in_(park_ids))).all()


def _hazards(session: Session, hazards: list) -> list[dict]:
    preload_parks(session, hazards)
    events = session.exec(
        select(HazardEvent)
        .where(HazardEvent.hazard_id.in_([h.id for h in hazards]))
        .order_by(HazardEvent.at, HazardEvent.id)
    ).all()
    by_hazard = _by_key([(e.hazard_id, e) for e in events])
    return [{**v, "events": by_hazard.get(v["id"], [])} for v in hazard_service.views_now(session, hazards)]


def _inspections(session: Session, inspections: list) -> list[dict]:
    results = session.exec(
        select(InspectionResult)
        .where(InspectionResult.inspection_id.in_([i.id for i in inspections]))
        .order_by(InspectionResult.created_at, InspectionResult.id)
    ).all()
    by_inspection = _by_key([(r.inspection_id, r) for r in results])
    return [{**i.model_dump(), "results": by_inspection.get(i.id, [])} for i in inspections]


def _reports(session: Session, reports: list) -> list[dict]:
    preload_parks(session, reports)
    events = session.exec(
        select(SelfCheckReportEvent)
        .where(SelfCheckReportEvent.report_id.in_([r.id for r in reports]))
        .order_by(SelfCheckReportEvent.at, SelfCheckReportEvent.id)
    ).all()
    by_report = _by_key([(e.report_id, e) for e in events])
    return [{**selfcheck_service.view(session, r), "events": by_report.get(r.id, [])} for r in reports]


def _as_is(_session: Session, rows: list) -> list:
    return rows


KINDS: dict[str, Kind] = {
    "enterprise": Kind(Enterprise, enterprise_service.visible, _as_is, EnterpriseSchema),
    "task": Kind(InspectionTask, task_work.visible, task_work.views, TaskSchema),
    "check_item": Kind(CheckItem, checklist_service.visible_items, _as_is, CheckItemSchema),
    "checklist_template": Kind(ChecklistTemplate, checklist_service.visible_templates, _as_is, ChecklistTemplateSchema),
    "hazard": Kind(Hazard, hazard_service.visible, _hazards, HazardDetailSchema),
    "photo": Kind(Photo, photo_service.visible, _as_is, PhotoSchema),
    "document": Kind(Document, document_service.visible, document_service.views, DocumentSchema),
    "notification": Kind(Notification, notification_service.visible, _as_is, NotificationSchema),
    "self_check_report": Kind(SelfCheckReport, selfcheck_service.visible, _reports, ReportDetailSchema),
    "inspection": Kind(Inspection, inspection_service.visible, _inspections, InspectionDetailSchema),
}


def dump_rows(session: Session, entity: str, rows: list) -> list[dict]:
    """The rows of one entity kind as their REST GET returns them (JSON-safe), in order."""
    if not rows:
        return []
    kind = KINDS[entity]
    dumped = _schema(kind.schema).dump(kind.views(session, rows))
    return json.loads(json.dumps(dumped, default=str))


def load_visible(session: Session, actor: Actor, entity: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict]:
    """The objects of `ids` the actor may see now, by id, as their REST GET returns them (one scoped query)."""
    kind = KINDS[entity]
    rows = list(session.exec(kind.visible(select(kind.model), actor).where(kind.model.id.in_(ids))))
    return {uuid.UUID(data["id"]): data for data in dump_rows(session, entity, rows)}
