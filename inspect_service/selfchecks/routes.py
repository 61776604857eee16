"""Self-check report endpoints: the list, the month's status per enterprise, drafting and one action each."""

import uuid

from inspect_service.auth.actor import current_actor
from inspect_service.common.blueprint import Blueprint
from inspect_service.common.concurrency import IF_MATCH_DOC, etag, if_match_version
from inspect_service.common.idempotency import HEADER_DOC, idempotent
from inspect_service.extensions import db
from inspect_service.selfchecks import overview, service
from inspect_service.selfchecks.schemas import (
    OverviewArgsSchema,
    ReportCreateSchema,
    ReportDetailSchema,
    ReportListArgsSchema,
    ReportPageSchema,
    ReportUpdateSchema,
    ReturnSchema,
    SignOffSchema,
    StatusPageSchema,
    SubmitSchema,
)

blp = Blueprint(
    "selfchecks",
    __name__,
    url_prefix="/api/self-check-reports",
    description="Monthly self-check reports (自查自纠月报)",
)


@blp.route("", methods=["GET"])
@blp.arguments(ReportListArgsSchema, location="query")
@blp.response(200, ReportPageSchema)
def list_reports(args):
    """Reports you may see, filtered, by creation time."""
    return service.list_reports(session=db.session, actor=current_actor(), **args)


@blp.route("/status", methods=["GET"])
@blp.arguments(OverviewArgsSchema, location="query")
@blp.response(200, StatusPageSchema)
def list_status(args):
    """Each enterprise's report status for a month, missing and late ones included (park staff)."""
    return overview.list_status(session=db.session, actor=current_actor(), **args)


@blp.route("", methods=["POST"])
@blp.arguments(ReportCreateSchema)
@blp.response(201, ReportDetailSchema)
def create_report(body):
    """Draft your enterprise's report for a month (safety officer); the figures come from the hazard ledger."""
    actor = current_actor()
    report = service.create(session=db.session, actor=actor, report_in=body)
    db.session.commit()
    return service.get_view(session=db.session, actor=actor, report_id=report.id), {"ETag": etag(report.version)}


@blp.route("/<uuid:report_id>", methods=["GET"])
@blp.response(200, ReportDetailSchema)
def get_report(report_id: uuid.UUID):
    """A report with its figures and full history."""
    view = service.get_view(session=db.session, actor=current_actor(), report_id=report_id)
    return view, {"ETag": etag(view["version"])}


@blp.route("/<uuid:report_id>", methods=["PATCH"])
@blp.arguments(ReportUpdateSchema)
@blp.response(200, ReportDetailSchema)
@blp.doc(parameters=[IF_MATCH_DOC])
def update_report(body, report_id: uuid.UUID):
    """Edit a draft or returned report's narrative (safety officer); send If-Match."""
    actor = current_actor()
    report = service.update(
        session=db.session, actor=actor, report_id=report_id, version=if_match_version(), changes=body
    )
    db.session.commit()
    return service.get_view(session=db.session, actor=actor, report_id=report.id), {"ETag": etag(report.version)}


def _action_view(action: str, schema):
    def view(body, report_id: uuid.UUID):
        actor = current_actor()
        report = service.perform(
            session=db.session, actor=actor, report_id=report_id, action=action, data=body, version=if_match_version()
        )
        return service.get_view(session=db.session, actor=actor, report_id=report.id), {"ETag": etag(report.version)}

    view.__name__ = f"{action}_report"
    view.__doc__ = schema.__doc__.strip()
    return view


for _action, _schema in (("submit", SubmitSchema), ("sign_off", SignOffSchema), ("return", ReturnSchema)):
    blp.route(f"/<uuid:report_id>/{_action}", methods=["POST"])(
        idempotent(
            blp.doc(parameters=[HEADER_DOC, {**IF_MATCH_DOC, "required": False}])(
                blp.arguments(_schema)(blp.response(200, ReportDetailSchema)(_action_view(_action, _schema)))
            )
        )
    )
