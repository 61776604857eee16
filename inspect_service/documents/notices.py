"""Notices and what follows them: issuing (three variants), acknowledgement with its receipt, recheck opinion."""

import uuid
from datetime import datetime, timedelta

from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.common.time import utcnow
from inspect_service.documents import service
from inspect_service.documents.models import Document, DocumentHazard
from inspect_service.documents.pdf.views import NoticeItem, NoticeView, ReceiptView, RecheckItem, RecheckView, Signer
from inspect_service.enterprises import service as enterprise_service
from inspect_service.errors import Conflict, Unprocessable
from inspect_service.hazards import lifecycle
from inspect_service.hazards import service as hazard_service
from inspect_service.hazards.evidence import require_inspectors
from inspect_service.hazards.models import Hazard, HazardEvent
from inspect_service.parks.models import Park
from inspect_service.sync import feed
from inspect_service.users.models import User

RECEIPT_SKEW = timedelta(minutes=10)  # a phone's clock a little ahead of ours

_invalid = Unprocessable.field


def signers(session: Session, user_ids) -> tuple[Signer, ...]:
    """The signing users, in the order given."""
    users = {u.id: u for u in session.exec(select(User).where(User.id.in_(list(user_ids)))).all()}
    return tuple(
        Signer(name=users[i].display_name, role=users[i].role, cert_no=users[i].cert_no or "") for i in user_ids
    )


def _issuer_name(park: Park, body: dict) -> str:
    kind = body["issuer_kind"]
    if kind in ("enforcement", "third_party") and not body.get("issuer_name"):
        message = "Name the enforcement authority." if kind == "enforcement" else "Name the inspecting unit."
        raise _invalid("issuer_name", message)
    if kind == "enforcement":
        for name in ("review_authority", "court"):
            if not body.get(name):
                raise _invalid(name, "An enforcement order names where to seek review and where to sue.")
    if kind == "park":  # the park issues in its own name: never a name the client chose
        if body.get("issuer_name"):
            raise _invalid("issuer_name", "A park notice is issued in the park's own name.")
        return (park.settings or {}).get("issuer_name") or park.name
    return body["issuer_name"]


def _hazards(session: Session, actor: Actor, enterprise_id, items: list) -> list[Hazard]:
    ids = [item["hazard_id"] for item in items]
    if len(set(ids)) != len(ids):
        raise _invalid("items", "A hazard appears once on a notice.")
    hazards = [hazard_service.get(session=session, actor=actor, hazard_id=i, lock=True) for i in sorted(ids)]
    if any(h.enterprise_id != enterprise_id for h in hazards):
        raise _invalid("items", "Every hazard belongs to the notice's enterprise.")
    by_id = {h.id: h for h in hazards}
    return [by_id[i] for i in ids]


def _live_notices(session: Session, hazard_ids: list, old: Document | None) -> set:
    """The hazards already on an issued notice (other than the one being corrected)."""
    query = (
        select(DocumentHazard.hazard_id)
        .join(Document, Document.id == DocumentHazard.document_id)
        .where(DocumentHazard.hazard_id.in_(hazard_ids), Document.doc_type == "notice", Document.status == "issued")
    )
    if old is not None:
        query = query.where(Document.id != old.id)
    return set(session.exec(query))


def _serve(session: Session, actor: Actor, hazard: Hazard, body: dict, deadline, live: set) -> None:
    """Move the hazard to notice_issued; a hazard served by a corrected or voided notice gets the new terms."""
    data = {k: body.get(k) for k in ("issuer_kind", "recheck_date", "inspector_ids", "commissioned_by", "note")}
    data["deadline"] = deadline
    if hazard.status == "notice_issued" and hazard.id not in live:
        _reserve(session, actor, hazard, data)
        return
    hazard_service.perform(session=session, actor=actor, hazard_id=hazard.id, action="issue_notice", data=data)


def _reserve(session: Session, actor: Actor, hazard: Hazard, data: dict) -> None:
    """New terms for a hazard already served: the notice's own checks, then an event (the state stays)."""
    enterprise_service.require_writable(session=session, actor=actor, enterprise_id=hazard.enterprise_id)
    park = session.get(Park, hazard.park_id)
    ctx = lifecycle.Context(
        hazard=hazard, data=dict(data), actor=actor, today=hazard_service.today_in(park), settings=park.settings or {},
        require_photos=lambda _ids: None,
        require_inspectors=lambda ids, enforcement: require_inspectors(
            session, park_id=hazard.park_id, actor_id=actor.user_id, user_ids=ids, enforcement=enforcement
        ),
    )  # fmt: skip
    lifecycle.issue_notice(ctx)  # validates and sets the deadline and recheck date
    hazard.version += 1
    hazard.updated_at = utcnow()
    session.add(hazard)
    session.add(
        HazardEvent(park_id=hazard.park_id, enterprise_id=hazard.enterprise_id, hazard_id=hazard.id,
                    action="correct_notice", from_status=hazard.status, to_status=hazard.status,
                    actor_id=actor.user_id, payload=lifecycle.jsonable(data))
    )  # fmt: skip
    feed.record(
        session, entity="hazard", entity_id=hazard.id, park_id=hazard.park_id, enterprise_id=hazard.enterprise_id
    )


def issue_notice(*, session: Session, actor: Actor, body: dict) -> Document:
    """Issue a notice for hazards of one enterprise: hazards served, document numbered and stored."""
    require_role(actor, "inspector")
    enterprise = enterprise_service.get(session=session, actor=actor, enterprise_id=body["enterprise_id"])
    park = session.get(Park, enterprise.park_id)
    issuer_name = _issuer_name(park, body)
    old = service.check_supersedable(
        session, actor=actor, document_id=body.get("supersedes_id"), doc_type="notice", enterprise_id=enterprise.id
    )
    if old is not None and old.variant != body["issuer_kind"]:
        raise _invalid("issuer_kind", "A correction keeps the variant of the notice it replaces.")
    hazards = _hazards(session, actor, enterprise.id, body["items"])
    live = _live_notices(session, [h.id for h in hazards], old)
    deadlines = {item["hazard_id"]: item["deadline"] for item in body["items"]}
    for hazard in sorted(hazards, key=lambda h: h.id):
        _serve(session, actor, hazard, body, deadlines[hazard.id], live)
    items = tuple(
        NoticeItem(
            seq=n, hazard_no=h.hazard_no, description=h.description, location=h.location_text,
            legal_basis=h.legal_basis, level=h.level,
            deadline=None if h.rectify_mode == "immediate" else deadlines[h.id].isoformat(),
        )
        for n, h in enumerate(hazards, 1)
    )  # fmt: skip

    def build(header):
        return NoticeView(
            header=header, items=items, recheck_date=body["recheck_date"].isoformat(),
            inspectors=signers(session, body["inspector_ids"]), commissioned_by=body.get("commissioned_by") or "",
            authority=issuer_name if body["issuer_kind"] == "enforcement" else "",
            review_authority=body.get("review_authority") or "", court=body.get("court") or "",
            inspected_on=body["inspected_on"].isoformat() if body.get("inspected_on") else "",
            note=body.get("note") or "",
        )  # fmt: skip

    draft = service.Draft(
        park=park, enterprise=enterprise, doc_type="notice", variant=body["issuer_kind"], issuer_name=issuer_name,
        build=build, hazard_ids=[h.id for h in hazards], supersedes=old,
    )  # fmt: skip
    return service.issue(session, actor=actor, draft=draft)


def acknowledge(
    *, session: Session, actor: Actor, document_id: uuid.UUID, body: dict, occurred_at: datetime | None = None
) -> Document:
    """签收: the enterprise acknowledges the notice; its hazards start rectifying and a receipt is issued.

    `occurred_at` is the device time of a 签收 captured offline (a sync operation's own field; the REST body
    carries it inside `body`); each hazard's event records it.
    """
    notice = service.get(session=session, actor=actor, document_id=document_id, lock=True)
    require_role(actor, "enterprise_principal", "enterprise_safety_officer", "inspector")
    enterprise_service.require_writable(session=session, actor=actor, enterprise_id=notice.enterprise_id)
    if notice.doc_type != "notice":
        raise Conflict("Only a notice is acknowledged.")
    if not notice.issued_at - RECEIPT_SKEW <= body["received_at"] <= utcnow() + RECEIPT_SKEW:
        raise _invalid("received_at", "Received after the notice was issued and not in the future.")
    if notice.status != "issued" or notice.acknowledged_at is not None:
        raise Conflict("This notice is already acknowledged, superseded or voided.")
    for hazard_id in service.hazard_ids_of(session, notice):
        hazard = session.get(Hazard, hazard_id)
        if hazard.status == "notice_issued":
            hazard_service.perform(
                session=session, actor=actor, hazard_id=hazard_id, action="acknowledge", data=body,
                occurred_at=occurred_at,
            )  # fmt: skip
    notice.acknowledged_at, notice.acknowledged_by = utcnow(), actor.user_id
    session.add(notice)
    service.record_event(session, notice, actor, "acknowledge", notice.status, lifecycle.jsonable(body))
    park = session.get(Park, notice.park_id)
    enterprise = enterprise_service.get(session=session, actor=actor, enterprise_id=notice.enterprise_id)
    issuer = session.get(User, notice.issued_by)
    received = body["received_at"].astimezone(_zone(park)).replace(tzinfo=None).isoformat(timespec="minutes")

    def build(header):
        return ReceiptView(
            header=header, document_title=service.title_of(notice), document_number=notice.number,
            recipient=Signer(name=body["recipient_name"], role=body["recipient_role"]), received_at=received,
            method=body["method"], witness=body.get("witness_name") or "", served_by=issuer.display_name,
        )  # fmt: skip

    header_issuer = notice.view_model.get("header", {}).get("issuer_name", park.name)
    draft = service.Draft(
        park=park, enterprise=enterprise, doc_type="receipt", variant="", issuer_name=header_issuer, build=build,
        subject_id=notice.id,
    )  # fmt: skip
    return service.issue(session, actor=actor, draft=draft)


def _zone(park: Park):
    from zoneinfo import ZoneInfo

    return ZoneInfo(park.timezone)


def _recheck_events(session: Session, notice: Document) -> dict[uuid.UUID, HazardEvent]:
    """The latest recheck (pass or fail) of each of the notice's hazards since it was issued."""
    ids = service.hazard_ids_of(session, notice)
    events = session.exec(
        select(HazardEvent)
        .where(HazardEvent.hazard_id.in_(ids), HazardEvent.action.in_(("recheck_pass", "recheck_fail")))
        .where(HazardEvent.at >= notice.issued_at)
        .order_by(HazardEvent.at, HazardEvent.id)
    ).all()
    return {event.hazard_id: event for event in events}


def issue_recheck_opinion(*, session: Session, actor: Actor, body: dict) -> Document:
    """整改复查意见书 from the rechecks recorded on the notice's hazards, citing the notice."""
    require_role(actor, "inspector")
    notice = service.get(session=session, actor=actor, document_id=body["notice_id"])
    enterprise_service.require_writable(session=session, actor=actor, enterprise_id=notice.enterprise_id)
    if notice.doc_type != "notice" or notice.status == "voided":
        raise _invalid("notice_id", "Cite an issued (or superseded) notice.")
    require_inspectors(session, park_id=notice.park_id, actor_id=actor.user_id, user_ids=body["inspector_ids"],
                       enforcement=notice.variant == "enforcement")  # fmt: skip
    rechecks = _recheck_events(session, notice)
    if not rechecks:
        raise _invalid("notice_id", "Record the rechecks of this notice's hazards first.")
    old = service.check_supersedable(
        session, actor=actor, document_id=body.get("supersedes_id"), doc_type="recheck_opinion",
        enterprise_id=notice.enterprise_id,
    )  # fmt: skip
    hazards = [session.get(Hazard, i) for i in service.hazard_ids_of(session, notice) if i in rechecks]
    items = tuple(
        RecheckItem(
            seq=n, hazard_no=h.hazard_no, description=h.description,
            passed=rechecks[h.id].action == "recheck_pass", note=rechecks[h.id].payload.get("note", ""),
            new_deadline=rechecks[h.id].payload.get("new_deadline"),
        )
        for n, h in enumerate(hazards, 1)
    )  # fmt: skip
    park = session.get(Park, notice.park_id)
    enterprise = enterprise_service.get(session=session, actor=actor, enterprise_id=notice.enterprise_id)

    def build(header):
        return RecheckView(
            header=header, notice_number=notice.number,
            notice_date=notice.view_model.get("header", {}).get("issued_on", ""), items=items,
            inspectors=signers(session, body["inspector_ids"]),
        )  # fmt: skip

    draft = service.Draft(
        park=park, enterprise=enterprise, doc_type="recheck_opinion", variant="",
        issuer_name=notice.view_model.get("header", {}).get("issuer_name", park.name), build=build,
        hazard_ids=[h.id for h in hazards], subject_id=notice.id, supersedes=old,
    )  # fmt: skip
    return service.issue(session, actor=actor, draft=draft)
