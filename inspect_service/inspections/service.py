"""Inspection rules: who inspects, what they sign, and failed items raising hazards."""

import uuid
from datetime import datetime

from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.common.concurrency import check_version
from inspect_service.common.offline import fingerprint, replay_or_conflict
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.common.time import utcnow
from inspect_service.enterprises import service as enterprise_service
from inspect_service.errors import Conflict, NotFound, Unprocessable
from inspect_service.hazards import evidence
from inspect_service.hazards import service as hazard_service
from inspect_service.inspections.models import Inspection, InspectionResult
from inspect_service.parks.models import Park
from inspect_service.sync import feed

CREATE_ROLES = ("inspector", "park_manager", "enterprise_safety_officer")


def visible(query, actor: Actor):
    """Restrict an Inspection query to what `actor` may see."""
    return enterprise_service.scope(query, actor, park_col=Inspection.park_id, enterprise_col=Inspection.enterprise_id)


def get(*, session: Session, actor: Actor, inspection_id: uuid.UUID, lock: bool = False) -> Inspection:
    """Return a visible inspection or 404."""
    query = visible(select(Inspection), actor).where(Inspection.id == inspection_id)
    inspection = session.exec(query.with_for_update() if lock else query).first()
    if inspection is None:
        raise NotFound("No such inspection.")
    return inspection


def get_detail(*, session: Session, actor: Actor, inspection_id: uuid.UUID) -> dict:
    """An inspection with its results."""
    inspection = get(session=session, actor=actor, inspection_id=inspection_id)
    results = session.exec(
        select(InspectionResult)
        .where(InspectionResult.inspection_id == inspection.id)
        .order_by(InspectionResult.created_at, InspectionResult.id)
    ).all()
    return {**inspection.model_dump(), "results": results}


def list_inspections(*, session: Session, actor: Actor, limit: int, cursor: str | None = None, **filters) -> Page:
    """Page through visible inspections by start time."""
    query = visible(select(Inspection), actor)
    for name in ("enterprise_id", "phase_id", "source"):
        if filters.get(name) is not None:
            query = query.where(getattr(Inspection, name) == filters[name])
    return keyset_page(
        session,
        query,
        sort_col=Inspection.started_at,
        id_col=Inspection.id,
        sort_attr="started_at",
        limit=limit,
        cursor=cursor,
        parse=datetime.fromisoformat,
    )


_invalid = Unprocessable.field


def _check_signing(session: Session, data: dict, enterprise_id: uuid.UUID) -> None:
    if data.get("ended_at") and data.get("started_at") and data["ended_at"] < data["started_at"]:
        raise _invalid("ended_at", "The end comes after the start.")
    if data.get("site_rep_refused"):
        if not data.get("refusal_evidence_photo_ids"):
            raise _invalid("refusal_evidence_photo_ids", "A refusal to sign needs photo, audio or video evidence.")
        evidence.require_photos(session, enterprise_id, data["refusal_evidence_photo_ids"])
    if data.get("site_rep_signature_photo_id"):
        evidence.require_photos(session, enterprise_id, [data["site_rep_signature_photo_id"]])


def _check_inspectors(session: Session, actor: Actor, data: dict, park_id: uuid.UUID) -> None:
    if data["source"] == "self_check":
        return
    if actor.is_enterprise_user:
        raise _invalid("source", "Enterprise staff record self-checks.")
    ids = data.get("inspector_ids") or []
    enforcement = data["source"] == "enforcement"
    if len(ids) < (2 if enforcement else 1):
        raise _invalid(
            "inspector_ids",
            "Two enforcement officers sign an enforcement check." if enforcement else "Name at least one inspector.",
        )
    if actor.role == "inspector" or enforcement:
        evidence.require_inspectors(
            session,
            park_id=park_id,
            actor_id=actor.user_id if actor.role == "inspector" else ids[0],
            user_ids=ids,
            enforcement=enforcement,
        )


def create(*, session: Session, actor: Actor, inspection_in: dict) -> tuple[Inspection, bool]:
    """Record an inspection (a retry with the same id returns it); True when newly created."""
    require_role(actor, *CREATE_ROLES)
    payload_hash = fingerprint(inspection_in)
    existing = replay_or_conflict(session, Inspection, inspection_in.get("id"), payload_hash)
    if existing is not None:
        return get(session=session, actor=actor, inspection_id=existing.id), False
    enterprise = enterprise_service.get(session=session, actor=actor, enterprise_id=inspection_in["enterprise_id"])
    enterprise_service.require_writable(session=session, actor=actor, enterprise_id=enterprise.id)
    _check_inspectors(session, actor, inspection_in, enterprise.park_id)
    _check_signing(session, inspection_in, enterprise.id)
    now = utcnow()
    task_id = inspection_in.get("task_id")
    data = {
        **{k: v for k, v in inspection_in.items() if k != "task_id"},
        "inspector_ids": [str(i) for i in inspection_in.get("inspector_ids", [])],
        "refusal_evidence_photo_ids": [str(i) for i in inspection_in.get("refusal_evidence_photo_ids", [])],
    }
    inspection = Inspection(
        **data,
        park_id=enterprise.park_id,
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
        payload_hash=payload_hash,
    )
    session.add(inspection)
    session.flush()
    if task_id is not None:
        _complete_task(session, actor, task_id, inspection.id)
    feed.record(
        session,
        entity="inspection",
        entity_id=inspection.id,
        park_id=inspection.park_id,
        enterprise_id=inspection.enterprise_id,
    )
    return inspection, True


def _complete_task(session: Session, actor: Actor, task_id: uuid.UUID, inspection_id: uuid.UUID) -> None:
    from inspect_service.campaigns import task_work  # tasks link inspections: imported late, no import cycle

    try:
        task_work.complete(session=session, actor=actor, task_id=task_id, inspection_id=inspection_id)
    except NotFound as exc:
        raise Unprocessable.field("task_id", "No such task.") from exc
    except Unprocessable as exc:
        raise Unprocessable.field("task_id", exc.detail or "This inspection cannot complete that task.") from exc


def update(
    *, session: Session, actor: Actor, inspection_id: uuid.UUID, version: int | None, changes: dict,
    require_version: bool = True,
) -> Inspection:  # fmt: skip
    """Complete an inspection (end time, signature or refusal), guarded by its version (when required or given)."""
    inspection = get(session=session, actor=actor, inspection_id=inspection_id, lock=True)
    enterprise_service.require_writable(session=session, actor=actor, enterprise_id=inspection.enterprise_id)
    require_role(actor, *CREATE_ROLES)
    if require_version or version is not None:
        check_version(inspection.version, version)
    _check_signing(session, {"started_at": inspection.started_at, **changes}, inspection.enterprise_id)
    for key, value in changes.items():
        setattr(inspection, key, [str(v) for v in value] if isinstance(value, list) else value)
    inspection.version += 1
    inspection.updated_at = utcnow()
    session.add(inspection)
    feed.record(
        session,
        entity="inspection",
        entity_id=inspection.id,
        park_id=inspection.park_id,
        enterprise_id=inspection.enterprise_id,
    )
    session.flush()
    return inspection


def _check_item(session: Session, inspection: Inspection, check_item_id: uuid.UUID):
    from inspect_service.checklists.models import CheckItem

    item = session.get(CheckItem, check_item_id)
    if item is None or item.park_id not in (None, inspection.park_id):
        raise _invalid("check_item_id", "Unknown check item.")
    return item


def _raise_hazard(session: Session, actor: Actor, inspection: Inspection, item, result_in: dict):
    hazard_in = result_in.get("hazard")
    setting = (session.get(Park, inspection.park_id).settings or {}).get("hazard_on_failed_item", "on_request")
    if result_in["result"] != "fail":
        if hazard_in:
            raise _invalid("hazard", "Only a failed item raises a hazard.")
        return None
    if not hazard_in:
        if setting == "always":
            raise _invalid("hazard", "This park registers a hazard for every failed item.")
        return None
    hazard_in = {
        **hazard_in,
        "enterprise_id": inspection.enterprise_id,
        "inspection_id": inspection.id,
        "check_item_id": item.id,
    }
    hazard_in.setdefault("legal_basis", item.legal_basis)
    if item.major_criterion_ref:
        hazard_in["suspected_major"] = True
    hazard, _ = hazard_service.create(session=session, actor=actor, hazard_in=hazard_in)
    return hazard


def add_result(*, session: Session, actor: Actor, inspection_id: uuid.UUID, result_in: dict) -> dict:
    """Record one item's result (a retry with the same id returns it); a failed item may raise a hazard."""
    inspection = get(session=session, actor=actor, inspection_id=inspection_id)  # out of scope: 404 before 403
    enterprise_service.require_writable(session=session, actor=actor, enterprise_id=inspection.enterprise_id)
    require_role(actor, *CREATE_ROLES)
    payload_hash = fingerprint({**result_in, "inspection_id": inspection_id})
    existing = replay_or_conflict(session, InspectionResult, result_in.get("id"), payload_hash)
    if existing is None:
        item = _check_item(session, inspection, result_in["check_item_id"])
        taken = session.exec(
            select(InspectionResult.id).where(
                InspectionResult.inspection_id == inspection.id, InspectionResult.check_item_id == item.id
            )
        ).first()
        if taken is not None:
            raise Conflict("This item already has a result in this inspection.")
        evidence.require_photos(session, inspection.enterprise_id, result_in.get("photo_ids", []))
        hazard = _raise_hazard(session, actor, inspection, item, result_in)
        fields = {k: v for k, v in result_in.items() if k not in ("hazard", "photo_ids")}
        existing = InspectionResult(
            **fields,
            photo_ids=[str(p) for p in result_in.get("photo_ids", [])],
            inspection_id=inspection.id,
            park_id=inspection.park_id,
            enterprise_id=inspection.enterprise_id,
            hazard_id=hazard.id if hazard else None,
            created_by=actor.user_id,
            payload_hash=payload_hash,
        )
        session.add(existing)
        feed.record(
            session,
            entity="inspection",
            entity_id=inspection.id,
            park_id=inspection.park_id,
            enterprise_id=inspection.enterprise_id,
        )
        session.flush()
    hazard = None
    if existing.hazard_id:
        raised = hazard_service.get(session=session, actor=actor, hazard_id=existing.hazard_id)
        hazard = hazard_service.view_now(session, raised)
    return {**existing.model_dump(), "hazard": hazard}
