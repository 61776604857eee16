"""Document rules: issue once (number, frozen view-model, PDF, hash, event in one transaction), read within
scope, supersede, void, acknowledge, and the public verification answer."""

import dataclasses
import hashlib
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from urllib.parse import quote

from flask import current_app
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.common import storage
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.common.time import utcnow
from inspect_service.documents import numbering, templates
from inspect_service.documents.models import Document, DocumentEvent, DocumentHazard
from inspect_service.documents.pdf import fonts
from inspect_service.documents.pdf.fonts import register_fonts
from inspect_service.documents.pdf.render import render
from inspect_service.documents.pdf.views import Header, canonical, from_json, to_json
from inspect_service.enterprises import service as enterprise_service
from inspect_service.enterprises.models import Enterprise
from inspect_service.errors import Conflict, NotFound, Unprocessable
from inspect_service.hazards import service as hazard_service
from inspect_service.parks.models import Park
from inspect_service.sync import feed

TEMPLATE_OF = {"notice": "notice"}  # every other type's template is named after the type
HASH_PREFIX = 16
MIN_PREFIX = 8


@dataclasses.dataclass(frozen=True)
class Draft:
    """What an issue needs besides the number: who, for whom, the view builder, the hazards it names."""

    park: Park
    enterprise: Enterprise
    doc_type: str
    variant: str
    issuer_name: str
    build: Callable[[Header], object]
    hazard_ids: Sequence[uuid.UUID] = ()
    subject_id: uuid.UUID | None = None
    supersedes: Document | None = None


def configure_fonts(config) -> None:
    """Point the renderer at the configured font files or cache (effective before the first render)."""
    fonts.configure(
        cache_dir=config.get("FONT_CACHE_DIR"),
        regular_file=config.get("PDF_FONT_FILE"),
        bold_file=config.get("PDF_FONT_BOLD_FILE"),
    )


def settings() -> dict:
    """The document settings of the current app (fonts configured before the first render)."""
    config = current_app.config
    configure_fonts(config)
    return {"templates_dir": config.get("PDF_TEMPLATES_DIR"), "base_url": config.get("PUBLIC_BASE_URL", "")}


def template_of(doc_type: str) -> dict:
    """The wording template of a document type (with the configured overrides)."""
    return templates.load(TEMPLATE_OF.get(doc_type, doc_type), settings()["templates_dir"])


def verify_url(base_url: str, number: str, content_sha256: str) -> str:
    """The public verification link printed as the QR code."""
    return f"{base_url}/verify/{quote(number, safe='')}?h={content_sha256[:HASH_PREFIX]}"


def record_event(session: Session, document: Document, actor: Actor, action: str, from_status, payload: dict) -> None:
    """Append a document event (never edited) and note the change in the feed."""
    session.add(
        DocumentEvent(
            document_id=document.id,
            park_id=document.park_id,
            action=action,
            from_status=from_status,
            to_status=document.status,
            actor_id=actor.user_id,
            payload=payload,
        )
    )
    feed.record(
        session,
        entity="document",
        entity_id=document.id,
        park_id=document.park_id,
        enterprise_id=document.enterprise_id,
    )


def _check_one_live(session: Session, draft: Draft) -> None:
    """One issued document per subject (the inspection, hazard, notice or period it is about): another one is a
    correction, which names the one it supersedes — of the same subject."""
    if draft.subject_id is None:
        return
    if draft.supersedes is not None:
        if draft.supersedes.subject_id != draft.subject_id:
            raise Unprocessable.field("supersedes_id", "A correction replaces the document about the same subject.")
        return
    live = session.exec(
        select(Document.number).where(
            Document.doc_type == draft.doc_type, Document.subject_id == draft.subject_id, Document.status == "issued"
        )
    ).first()
    if live is not None:
        raise Conflict(f"Already issued as {live}: issue a correction that supersedes it.")


def issue(session: Session, *, actor: Actor, draft: Draft) -> Document:
    """Number, freeze, render, store and record a document in the caller's transaction."""
    config = settings()  # configures the font sources first
    register_fonts()  # a first render builds the fonts (tens of seconds): never while the number counter is held
    park, enterprise = draft.park, draft.enterprise
    today = hazard_service.today_in(park)
    number, seq, kind = numbering.allocate(
        session, park=park, doc_type=draft.doc_type, variant=draft.variant, year=today.year,
        template=template_of(draft.doc_type),
    )  # fmt: skip
    _check_one_live(session, draft)  # under the counter row's lock: concurrent issuers of a type take turns
    header = Header(
        doc_type=draft.doc_type,
        variant=draft.variant,
        number=number,
        issuer_name=draft.issuer_name,
        enterprise_name=enterprise.name,
        enterprise_address=enterprise.address,
        enterprise_principal=enterprise.principal_name,
        issued_on=today.isoformat(),
        supersedes_number=draft.supersedes.number if draft.supersedes else "",
    )
    view = draft.build(header)
    content_sha256 = hashlib.sha256(canonical(view)).hexdigest()
    view = dataclasses.replace(
        view, header=dataclasses.replace(header, verify_url=verify_url(config["base_url"], number, content_sha256))
    )
    pdf = render(view, templates_dir=config["templates_dir"])
    key = storage.content_key(pdf)
    storage.current().put(key, pdf, "application/pdf")  # content-addressed: a rolled-back issue leaves no row
    document = Document(
        park_id=park.id, enterprise_id=enterprise.id, doc_type=draft.doc_type, variant=draft.variant,
        counter_kind=kind, number=number, year=today.year, seq=seq, status="issued",
        supersedes_id=draft.supersedes.id if draft.supersedes else None, subject_id=draft.subject_id,
        view_model=to_json(view), content_sha256=content_sha256, sha256=key, storage_key=key,
        size_bytes=len(pdf), issued_by=actor.user_id, issued_at=utcnow(),
    )  # fmt: skip
    session.add(document)
    session.flush()
    for position, hazard_id in enumerate(draft.hazard_ids, 1):
        session.add(DocumentHazard(document_id=document.id, hazard_id=hazard_id, position=position))
    record_event(session, document, actor, "issue", None, {"number": number, "sha256": key})
    if draft.supersedes is not None:
        _supersede(session, actor, draft.supersedes, document)
    session.flush()
    return document


def _supersede(session: Session, actor: Actor, old: Document, new: Document) -> None:
    old.status = "superseded"
    session.add(old)
    record_event(session, old, actor, "supersede", "issued", {"superseded_by": str(new.id), "number": new.number})


def check_supersedable(session: Session, *, actor: Actor, document_id, doc_type: str, enterprise_id) -> Document | None:
    """The issued document a correction replaces: same type and enterprise, not already replaced or voided."""
    if document_id is None:
        return None
    old = get(session=session, actor=actor, document_id=document_id, lock=True)
    if old.doc_type != doc_type or old.enterprise_id != enterprise_id:
        raise Unprocessable.field("supersedes_id", "A correction replaces a document of the same type and enterprise.")
    if old.status != "issued":
        raise Conflict(f"This document is {old.status}; only an issued document is superseded.")
    return old


def visible(query, actor: Actor):
    """Restrict a Document query to what `actor` may see."""
    return enterprise_service.scope(query, actor, park_col=Document.park_id, enterprise_col=Document.enterprise_id)


def get(*, session: Session, actor: Actor, document_id: uuid.UUID, lock: bool = False) -> Document:
    """A visible document or 404."""
    query = visible(select(Document), actor).where(Document.id == document_id)
    document = session.exec(query.with_for_update() if lock else query).first()
    if document is None:
        raise NotFound("No such document.")
    return document


def hazard_ids_of(session: Session, document: Document) -> list[uuid.UUID]:
    """The hazards a document names, in its order."""
    rows = session.exec(
        select(DocumentHazard.hazard_id)
        .where(DocumentHazard.document_id == document.id)
        .order_by(DocumentHazard.position)
    )
    return list(rows)


def view(session: Session, document: Document) -> dict:
    """A document's metadata as returned (not its frozen content)."""
    return views(session, [document])[0]


def views(session: Session, documents: list[Document]) -> list[dict]:
    """The metadata of many documents as returned, in two queries whatever their number."""
    ids = [document.id for document in documents]
    superseded_by = dict(
        session.exec(select(Document.supersedes_id, Document.id).where(Document.supersedes_id.in_(ids))).all()
    )
    hazards: dict[uuid.UUID, list[uuid.UUID]] = {}
    links = session.exec(
        select(DocumentHazard.document_id, DocumentHazard.hazard_id)
        .where(DocumentHazard.document_id.in_(ids))
        .order_by(DocumentHazard.document_id, DocumentHazard.position)
    )
    for document_id, hazard_id in links:
        hazards.setdefault(document_id, []).append(hazard_id)
    return [
        {
            **document.model_dump(exclude={"view_model", "storage_key", "counter_kind"}),
            "title": title_of(document),
            "hazard_ids": hazards.get(document.id, []),
            "superseded_by_id": superseded_by.get(document.id),
        }
        for document in documents
    ]


def title_of(document: Document) -> str:
    """The printed title of a document's type and variant."""
    tpl = template_of(document.doc_type)
    return ((tpl.get("variants") or {}).get(document.variant) or {}).get("title") or tpl.get("title", "")


def list_documents(
    *, session: Session, actor: Actor, limit: int, cursor: str | None = None, newest_first: bool = False, **filters
) -> Page:
    """One page of visible documents, oldest first, filtered."""
    query = visible(select(Document), actor)
    for name in ("enterprise_id", "doc_type", "status"):
        if filters.get(name) is not None:
            query = query.where(getattr(Document, name) == filters[name])
    page = keyset_page(
        session, query, sort_col=Document.issued_at, id_col=Document.id, sort_attr="issued_at",
        limit=limit, cursor=cursor, parse=datetime.fromisoformat, newest_first=newest_first,
    )  # fmt: skip
    return Page(items=views(session, page.items), next_cursor=page.next_cursor)


def content(*, session: Session, actor: Actor, document_id: uuid.UUID) -> tuple[Document, bytes]:
    """A visible document and its stored PDF bytes (checked against the recorded hash)."""
    document = get(session=session, actor=actor, document_id=document_id)
    data = storage.current().get(document.storage_key)
    if storage.content_key(data) != document.sha256:
        raise RuntimeError("stored document bytes do not match their hash")
    return document, data


def rerender(document: Document) -> bytes:
    """Render the frozen view-model again (the same bytes as stored, when fonts and templates are unchanged)."""
    return render(from_json(document.doc_type, document.view_model), templates_dir=settings()["templates_dir"])


def void(*, session: Session, actor: Actor, document_id: uuid.UUID, reason: str) -> Document:
    """作废: the document keeps its number and bytes; only its status changes."""
    document = get(session=session, actor=actor, document_id=document_id, lock=True)
    require_role(actor, "park_manager")
    if document.status == "voided":
        raise Conflict("This document is already voided.")
    from_status = document.status
    document.status, document.voided_at, document.void_reason = "voided", utcnow(), reason
    session.add(document)
    record_event(session, document, actor, "void", from_status, {"reason": reason})
    session.flush()
    return document


def verify(*, session: Session, number: str, given_hash: str | None) -> dict:
    """The public answer for a number: number, type, issue date, issuer and whether the hash matches."""
    documents = session.exec(select(Document).where(Document.number == number).order_by(Document.issued_at)).all()
    if not documents:
        raise NotFound("No document with this number.")
    given = (given_hash or "").lower()

    def matches(document: Document) -> bool:
        return len(given) >= MIN_PREFIX and (
            document.content_sha256.startswith(given) or document.sha256.startswith(given)
        )

    document = next((d for d in documents if matches(d)), documents[0])
    header = document.view_model.get("header", {})
    return {
        "number": document.number,
        "doc_type": document.doc_type,
        "title": title_of(document),
        "issued_on": date.fromisoformat(header["issued_on"]) if header.get("issued_on") else document.issued_at.date(),
        "issuer": header.get("issuer_name", ""),
        "hash_matches": matches(document),
    }
