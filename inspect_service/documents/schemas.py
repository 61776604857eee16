"""Document request and response schemas."""

import marshmallow as ma
from marshmallow import validate

from inspect_service.common.schemas import PageArgsSchema, StrictSchema, page_schema, text
from inspect_service.hazards.action_schemas import ISSUER_KINDS, AcknowledgeSchema

DOC_TYPES = ("notice", "recheck_opinion", "inspection_record", "receipt", "remediation_plan", "statistics")
STATUSES = ("issued", "superseded", "voided")
MAX_ITEMS = 200


def _supersedes():
    return ma.fields.UUID(allow_none=True, metadata={"description": "The issued document this one corrects"})


class NoticeItemSchema(StrictSchema):
    """One hazard on a notice and its deadline."""

    hazard_id = ma.fields.UUID(required=True)
    deadline = ma.fields.Date(required=True)


class NoticeIssueSchema(StrictSchema):
    """Issue a notice: park (限期整改意见书), third_party (隐患整改意见书) or enforcement (责令限期整改指令书)."""

    enterprise_id = ma.fields.UUID(required=True)
    issuer_kind = ma.fields.String(required=True, validate=validate.OneOf(ISSUER_KINDS))
    items = ma.fields.List(ma.fields.Nested(NoticeItemSchema), required=True, validate=validate.Length(1, MAX_ITEMS))
    recheck_date = ma.fields.Date(required=True)
    inspector_ids = ma.fields.List(ma.fields.UUID(), required=True, validate=validate.Length(min=2, max=10))
    inspected_on = ma.fields.Date(allow_none=True)
    issuer_name = text(200, metadata={"description": "Inspecting unit (third_party) or authority (enforcement)"})
    commissioned_by = text(200, metadata={"description": "Commissioning party (third_party)"})
    review_authority = text(200, metadata={"description": "Where to apply for review (enforcement)"})
    court = text(200, metadata={"description": "Where to sue (enforcement)"})
    note = text(2000)
    supersedes_id = _supersedes()


class RecheckOpinionIssueSchema(StrictSchema):
    """Issue a recheck opinion from the rechecks recorded on a notice's hazards."""

    notice_id = ma.fields.UUID(required=True)
    inspector_ids = ma.fields.List(ma.fields.UUID(), required=True, validate=validate.Length(min=2, max=10))
    supersedes_id = _supersedes()


class InspectionRecordIssueSchema(StrictSchema):
    """Issue the on-site record of a finished inspection."""

    inspection_id = ma.fields.UUID(required=True)
    supersedes_id = _supersedes()


class RemediationPlanIssueSchema(StrictSchema):
    """Issue the remediation plan submitted on a major hazard."""

    hazard_id = ma.fields.UUID(required=True)
    supersedes_id = _supersedes()


class StatisticsIssueSchema(StrictSchema):
    """Issue your enterprise's statistics for an ended quarter (or year, without a quarter)."""

    year = ma.fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100))
    quarter = ma.fields.Integer(allow_none=True, strict=True, validate=validate.Range(min=1, max=4))
    supersedes_id = _supersedes()


class AcknowledgeDocumentSchema(AcknowledgeSchema):
    """签收 of a notice by the enterprise (applies to each of its hazards)."""


class VoidDocumentSchema(StrictSchema):
    """作废: the reason (the number stays used)."""

    reason = text(2000, min_length=1, required=True)


class DocumentListArgsSchema(PageArgsSchema):
    """Filters of the document list."""

    enterprise_id = ma.fields.UUID()
    doc_type = ma.fields.String(validate=validate.OneOf(DOC_TYPES))
    status = ma.fields.String(validate=validate.OneOf(STATUSES))


class DocumentSchema(ma.Schema):
    """An issued document's metadata."""

    id = ma.fields.UUID(required=True)
    park_id = ma.fields.UUID(required=True)
    enterprise_id = ma.fields.UUID(required=True)
    doc_type = ma.fields.String(required=True)
    variant = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    number = ma.fields.String(required=True)
    year = ma.fields.Integer(required=True)
    seq = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True)
    supersedes_id = ma.fields.UUID(allow_none=True, required=True)
    superseded_by_id = ma.fields.UUID(allow_none=True, required=True)
    subject_id = ma.fields.UUID(allow_none=True, required=True)
    hazard_ids = ma.fields.List(ma.fields.UUID(), required=True)
    content_sha256 = ma.fields.String(required=True)
    sha256 = ma.fields.String(required=True)
    size_bytes = ma.fields.Integer(required=True)
    issued_by = ma.fields.UUID(required=True)
    issued_at = ma.fields.AwareDateTime(required=True)
    acknowledged_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    acknowledged_by = ma.fields.UUID(allow_none=True, required=True)
    voided_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    void_reason = ma.fields.String(required=True)


DocumentPageSchema = page_schema(DocumentSchema, "DocumentPageSchema")


class VerifyArgsSchema(StrictSchema):
    """The hash prefix printed in the QR link."""

    h = text(64, metadata={"description": "Hex prefix (at least 8) of the document's content or file SHA-256"})


class VerifySchema(ma.Schema):
    """The public answer: only number, type, issue date, issuer and whether the hash matches."""

    number = ma.fields.String(required=True)
    doc_type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    issued_on = ma.fields.Date(required=True)
    issuer = ma.fields.String(required=True)
    hash_matches = ma.fields.Boolean(required=True)
