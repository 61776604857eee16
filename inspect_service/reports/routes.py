"""Report endpoints: request a progress report or bulletin, follow its job, download the file."""

import uuid

from flask import Response, current_app, url_for

from inspect_service.auth.actor import current_actor
from inspect_service.common import storage
from inspect_service.common.blueprint import Blueprint
from inspect_service.extensions import db
from inspect_service.reports import service
from inspect_service.reports.schemas import ReportJobSchema, ReportRequestSchema

blp = Blueprint("reports", __name__, url_prefix="/api", description="Progress reports and supervision bulletins")
BYTES = {"schema": {"type": "string", "format": "binary"}}
FILES = {"description": "The report", "content": {service.PDF: BYTES, service.workbook.XLSX: BYTES}}


def _file(report: service.Report) -> Response:
    response = Response(report.data, mimetype=report.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blp.route("/reports", methods=["POST"])
@blp.arguments(ReportRequestSchema)
@blp.response(202, ReportJobSchema, description="Too large to render at once: queued; follow `Location`")
@blp.doc(responses={200: FILES})
def request_report(body):
    """Request a report (park managers, the park's inspectors): small ones come back at once, large ones as a job."""
    result = service.request(
        session=db.session,
        actor=current_actor(),
        request_in=body,
        sync_max=current_app.config["REPORT_SYNC_MAX_HAZARDS"],
    )
    if isinstance(result, service.Report):
        return _file(result)
    db.session.commit()
    return result, 202, {"Location": url_for("reports.get_report_job", job_id=result.id)}


@blp.route("/report-jobs/<uuid:job_id>", methods=["GET"])
@blp.response(200, ReportJobSchema)
def get_report_job(job_id: uuid.UUID):
    """A report job's status and progress; `download_url` once it is done."""
    return service.get_job(session=db.session, actor=current_actor(), job_id=job_id)


@blp.route("/report-jobs/<uuid:job_id>/content", methods=["GET"])
@blp.doc(responses={200: FILES})
def download_report(job_id: uuid.UUID):
    """Download a finished report (409 while it is queued, running or failed)."""
    report = service.download(session=db.session, actor=current_actor(), job_id=job_id, storage=storage.current())
    return _file(report)
