"""Phone sync endpoints."""

from inspect_service.auth.actor import current_actor
from inspect_service.common.blueprint import Blueprint
from inspect_service.common.idempotency import HEADER_DOC, idempotent
from inspect_service.common.retry import retry_transaction
from inspect_service.extensions import db
from inspect_service.sync import batch as batch_service
from inspect_service.sync import bootstrap as bootstrap_service
from inspect_service.sync import changes as changes_service
from inspect_service.sync.batch_schemas import BatchResultSchema, BatchSchema
from inspect_service.sync.schemas import (
    BootstrapArgsSchema,
    BootstrapPageSchema,
    ChangesArgsSchema,
    ChangesPageSchema,
)

blp = Blueprint("sync", __name__, url_prefix="/api/sync", description="Offline sync: batches and the change feed")


@blp.route("/batch", methods=["POST"])
@retry_transaction
@idempotent
@blp.doc(parameters=[HEADER_DOC])
@blp.arguments(BatchSchema)
@blp.response(200, BatchResultSchema)
def batch(body):
    """Apply up to 200 queued operations in order; each succeeds or fails on its own."""
    return {"results": batch_service.apply_batch(session=db.session, actor=current_actor(), **body)}


@blp.route("/changes", methods=["GET"])
@blp.arguments(ChangesArgsSchema, location="query")
@blp.response(200, ChangesPageSchema)
def changes(args):
    """What changed in your scope since `cursor` (server order, never device clocks)."""
    return changes_service.changes(session=db.session, actor=current_actor(), **args)


@blp.route("/bootstrap", methods=["GET"])
@blp.arguments(BootstrapArgsSchema, location="query")
@blp.response(200, BootstrapPageSchema)
def bootstrap(args):
    """Everything in your scope, page by page, and the feed `cursor` to continue from after the last page."""
    return bootstrap_service.bootstrap(session=db.session, actor=current_actor(), **args)
