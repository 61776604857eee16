"""Paperwork in a report's window: documents issued by type, and enterprises' monthly self-check reports on time."""

from sqlalchemy import and_, case, exists, func, or_
from sqlmodel import Session, select

from inspect_service.documents.models import Document, DocumentHazard
from inspect_service.hazards.models import Hazard
from inspect_service.reports.figures import SelfCheckSummary, Window
from inspect_service.selfchecks.models import SelfCheckReport


def documents(session: Session, w: Window) -> tuple[tuple[str, int], ...]:
    """Documents issued in the window (voided ones included: their numbers stay used), by `type` or `type.variant`."""
    conditions = [Document.park_id == w.park_id, Document.issued_at >= w.start_utc, Document.issued_at < w.end_utc]
    if w.enterprise_ids:
        conditions.append(Document.enterprise_id.in_(w.enterprise_ids))
    if w.domains:
        linked = (
            select(DocumentHazard.document_id)
            .join(Hazard, Hazard.id == DocumentHazard.hazard_id)
            .where(DocumentHazard.document_id == Document.id, Hazard.domain.in_(w.domains))
        )
        conditions.append(exists(linked))
    rows = session.exec(
        select(Document.doc_type, Document.variant, func.count())
        .where(*conditions)
        .group_by(Document.doc_type, Document.variant)
        .order_by(Document.doc_type, Document.variant)
    ).all()
    return tuple((f"{kind}.{variant}" if variant else kind, int(count)) for kind, variant, count in rows)


def self_checks(session: Session, w: Window) -> SelfCheckSummary:
    """Monthly self-check reports due in the window: first submitted on time, late, or still missing after the due
    day (judged on the report date)."""
    submitted = and_(SelfCheckReport.first_submitted_at.is_not(None), SelfCheckReport.first_submitted_at < w.end_utc)
    missing = and_(
        or_(SelfCheckReport.first_submitted_at.is_(None), SelfCheckReport.first_submitted_at >= w.end_utc),
        SelfCheckReport.due_date < w.end,
    )
    conditions = [
        SelfCheckReport.park_id == w.park_id,
        SelfCheckReport.due_date >= w.start,
        SelfCheckReport.due_date <= w.end,
    ]
    if w.enterprise_ids:
        conditions.append(SelfCheckReport.enterprise_id.in_(w.enterprise_ids))

    def n(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    due, on_time, late, absent = session.exec(
        select(
            func.count(),
            n(and_(submitted, SelfCheckReport.late.is_(False))),
            n(and_(submitted, SelfCheckReport.late.is_(True))),
            n(missing),
        ).where(*conditions)
    ).one()
    return SelfCheckSummary(int(due), int(on_time), int(late), int(absent))
