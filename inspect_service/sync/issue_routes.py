"""Sync issue endpoints: the list, one issue, and marking it resolved."""

import uuid

from inspect_service.auth.actor import current_actor
from inspect_service.common.blueprint import Blueprint
from inspect_service.common.concurrency import etag
from inspect_service.common.idempotency import HEADER_DOC, idempotent
from inspect_service.extensions import db
from inspect_service.sync import issues, operations
from inspect_service.sync.issue_schemas import IssueListArgsSchema, IssuePageSchema, ResolveIssueSchema, SyncIssueSchema

blp = Blueprint(
    "sync_issues",
    __name__,
    url_prefix="/api/sync/issues",
    description="Operations the server refused or found in conflict (park managers: their park's; others: their own)",
)
# The batch's per-kind operation schemas are published with the sync endpoints, as components SyncOp_<kind>.
blp.record_once(lambda state: operations.register_components(state.app.extensions["api"].spec))


@blp.route("", methods=["GET"])
@blp.arguments(IssueListArgsSchema, location="query")
@blp.response(200, IssuePageSchema)
def list_issues(args):
    """Sync issues you may see, newest first."""
    return issues.list_issues(session=db.session, actor=current_actor(), **args)


@blp.route("/<uuid:issue_id>", methods=["GET"])
@blp.response(200, SyncIssueSchema)
def get_issue(issue_id: uuid.UUID):
    """One sync issue."""
    view = issues.get_view(session=db.session, actor=current_actor(), issue_id=issue_id)
    return view, {"ETag": etag(view["version"])}


@blp.route("/<uuid:issue_id>/resolve", methods=["POST"])
@idempotent
@blp.doc(parameters=[HEADER_DOC])
@blp.arguments(ResolveIssueSchema)
@blp.response(200, SyncIssueSchema)
def resolve_issue(body, issue_id: uuid.UUID):
    """Mark an issue resolved (the park's manager, or its author)."""
    actor = current_actor()
    issue = issues.resolve(session=db.session, actor=actor, issue_id=issue_id, note=body["note"])
    return issues.get_view(session=db.session, actor=actor, issue_id=issue.id), {"ETag": etag(issue.version)}
