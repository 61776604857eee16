"""Document endpoints: issue each type, list and download within scope, acknowledge, void, public verify."""

import uuid

from flask import Response

from inspect_service.auth.actor import current_actor
from inspect_service.common.blueprint import Blueprint
from inspect_service.common.idempotency import HEADER_DOC, idempotent
from inspect_service.documents import notices, records, service
from inspect_service.documents.schemas import (
    AcknowledgeDocumentSchema,
    DocumentListArgsSchema,
    DocumentPageSchema,
    DocumentSchema,
    InspectionRecordIssueSchema,
    NoticeIssueSchema,
    RecheckOpinionIssueSchema,
    RemediationPlanIssueSchema,
    StatisticsIssueSchema,
    VerifyArgsSchema,
    VerifySchema,
    VoidDocumentSchema,
)
from inspect_service.extensions import db

blp = Blueprint("documents", __name__, url_prefix="/api/documents", description="Issued documents (文书)")
verify_blp = Blueprint("verify", __name__, url_prefix="/verify", description="Public document verification")
PDF = "application/pdf"


def _issue_route(path: str, schema, issuer, summary: str):
    def view(body):
        document = issuer(session=db.session, actor=current_actor(), body=body)
        return service.view(db.session, document), 201

    view.__name__ = f"issue_{path.replace('-', '_')}"
    view.__doc__ = summary
    blp.route(f"/{path}", methods=["POST"])(
        idempotent(blp.doc(parameters=[HEADER_DOC])(blp.arguments(schema)(blp.response(201, DocumentSchema)(view))))
    )


_issue_route("notices", NoticeIssueSchema, notices.issue_notice, "Issue a rectification notice for hazards.")
_issue_route("recheck-opinions", RecheckOpinionIssueSchema, notices.issue_recheck_opinion,
             "Issue a recheck opinion (整改复查意见书) citing a notice.")  # fmt: skip
_issue_route("inspection-records", InspectionRecordIssueSchema, records.issue_inspection_record,
             "Issue the on-site inspection record (现场检查记录) of a finished inspection.")  # fmt: skip
_issue_route("remediation-plans", RemediationPlanIssueSchema, records.issue_remediation_plan,
             "Issue a major hazard's remediation plan (治理方案).")  # fmt: skip
_issue_route("statistics", StatisticsIssueSchema, records.issue_statistics,
             "Issue your enterprise's quarterly or annual statistics table.")  # fmt: skip


@blp.route("", methods=["GET"])
@blp.arguments(DocumentListArgsSchema, location="query")
@blp.response(200, DocumentPageSchema)
def list_documents(args):
    """Documents you may see, oldest first."""
    return service.list_documents(session=db.session, actor=current_actor(), **args)


@blp.route("/<uuid:document_id>", methods=["GET"])
@blp.response(200, DocumentSchema)
def get_document(document_id: uuid.UUID):
    """A document's metadata."""
    return service.view(db.session, service.get(session=db.session, actor=current_actor(), document_id=document_id))


@blp.route("/<uuid:document_id>/pdf", methods=["GET"])
@blp.response(200, description="The issued PDF, byte for byte", content_type=PDF)
def download_document(document_id: uuid.UUID):
    """The document's PDF exactly as issued."""
    document, data = service.content(session=db.session, actor=current_actor(), document_id=document_id)
    response = Response(data, mimetype=PDF)
    response.headers["ETag"] = f'"{document.sha256}"'
    response.headers["Content-Disposition"] = f"attachment; filename=document-{document.id}.pdf"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.route("/<uuid:document_id>/acknowledge", methods=["POST"])
@idempotent
@blp.doc(parameters=[HEADER_DOC])
@blp.arguments(AcknowledgeDocumentSchema)
@blp.response(201, DocumentSchema)
def acknowledge_document(body, document_id: uuid.UUID):
    """签收 a notice: its hazards start rectifying; answers with the receipt (送达回执) issued."""
    receipt = notices.acknowledge(session=db.session, actor=current_actor(), document_id=document_id, body=body)
    return service.view(db.session, receipt), 201


@blp.route("/<uuid:document_id>/void", methods=["POST"])
@idempotent
@blp.doc(parameters=[HEADER_DOC])
@blp.arguments(VoidDocumentSchema)
@blp.response(200, DocumentSchema)
def void_document(body, document_id: uuid.UUID):
    """作废 a document (park manager); it keeps its number and bytes."""
    document = service.void(session=db.session, actor=current_actor(), document_id=document_id, **body)
    return service.view(db.session, document)


@verify_blp.route("/<path:number>", methods=["GET"])
@verify_blp.arguments(VerifyArgsSchema, location="query")
@verify_blp.response(200, VerifySchema)
@verify_blp.doc(security=[])
def verify_document(args, number: str):
    """Check a document number and hash (no login); answers nothing about the enterprise or hazards."""
    return service.verify(session=db.session, number=number[:100], given_hash=args.get("h"))
