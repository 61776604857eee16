"""Sync issue schemas: the list's filters, the issue as returned, the resolve body."""

import marshmallow as ma
from marshmallow import validate

from inspect_service.common.schemas import PageArgsSchema, StrictSchema, page_schema, text
from inspect_service.sync.models import ISSUE_KINDS, ISSUE_STATUSES, NOTE_MAX


class IssueListArgsSchema(PageArgsSchema):
    """Filters of the sync issue list."""

    status = ma.fields.String(validate=validate.OneOf(ISSUE_STATUSES))
    kind = ma.fields.String(validate=validate.OneOf(ISSUE_KINDS))


class SyncIssueSchema(ma.Schema):
    """An operation the server refused (rejected) or found in conflict, and what became of it."""

    id = ma.fields.UUID(required=True)
    kind = ma.fields.String(required=True, metadata={"description": "conflict (409) or rejected (other 4xx)"})
    status = ma.fields.String(required=True, metadata={"description": "open or resolved"})
    op_id = ma.fields.String(required=True)
    op_kind = ma.fields.String(required=True)
    object_type = ma.fields.String(allow_none=True)
    object_id = ma.fields.UUID(allow_none=True)
    author_id = ma.fields.UUID(required=True)
    author_name = ma.fields.String(required=True)
    park_id = ma.fields.UUID(allow_none=True)
    enterprise_id = ma.fields.UUID(allow_none=True)
    problem = ma.fields.Dict(required=True, metadata={"description": "The server's answer (problem+json)"})
    operation = ma.fields.Dict(required=True, metadata={"description": "The operation as the phone sent it"})
    created_at = ma.fields.DateTime(required=True)
    resolved_at = ma.fields.DateTime(allow_none=True)
    resolved_by = ma.fields.UUID(allow_none=True)
    resolution_note = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True)


IssuePageSchema = page_schema(SyncIssueSchema, "SyncIssuePageSchema")


class ResolveIssueSchema(StrictSchema):
    """Mark the issue resolved, saying how (optional)."""

    note = text(NOTE_MAX, load_default="")


class ResolveIssueFormSchema(ResolveIssueSchema):
    """The console's resolve form: the note and the version of the issue the page showed."""

    version = ma.fields.Integer(validate=validate.Range(min=0, max=2**31))
