"""Liveness and readiness probes."""

import marshmallow as ma
from sqlalchemy import text as sql_text

from inspect_service.common.blueprint import Blueprint
from inspect_service.errors import DomainError
from inspect_service.extensions import db

blp = Blueprint("health", __name__, description="Probes")


class HealthSchema(ma.Schema):
    """Probe answer."""

    status = ma.fields.String(required=True)


class NotReady(DomainError):
    """The database cannot be reached."""

    status, slug, title = 503, "not-ready", "Service not ready"


@blp.route("/healthz", methods=["GET"])
@blp.response(200, HealthSchema)
@blp.doc(security=[])
def healthz():
    """The process is alive."""
    return {"status": "ok"}


@blp.route("/readyz", methods=["GET"])
@blp.response(200, HealthSchema)
@blp.doc(security=[])
def readyz():
    """The database answers."""
    try:
        db.session.execute(sql_text("SELECT 1"))
    except Exception as exc:
        raise NotReady("The database is not reachable.") from exc
    return {"status": "ok"}
