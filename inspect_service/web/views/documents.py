"""Documents: issued notices, opinions and records with inline PDF preview and download, their status, and
progress reports / bulletins generated in the background with a progress indicator."""

import uuid

from flask import Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from sqlmodel import select

from inspect_service.common import storage
from inspect_service.documents import service as document_service
from inspect_service.documents.schemas import DocumentListArgsSchema
from inspect_service.extensions import db
from inspect_service.reports import service as report_service
from inspect_service.reports.models import ReportJob
from inspect_service.reports.schemas import ReportRequestSchema
from inspect_service.web import forms
from inspect_service.web.blueprint import bp
from inspect_service.web.session import signed_in
from inspect_service.web.views import choices

PER_PAGE = 50
RECENT_JOBS = 20
PDF = "application/pdf"
DOC_TYPES = {
    "notice": "整改通知书/指令书", "recheck_opinion": "整改复查意见书", "inspection_record": "现场检查记录",
    "receipt": "送达回执", "remediation_plan": "重大隐患治理方案", "statistics": "隐患排查治理统计表",
}  # fmt: skip
DOC_STATUSES = {"issued": "有效", "superseded": "已被更正", "voided": "已作废"}
REPORT_KINDS = {"supervision_bulletin": "督查通报", "progress_report": "工作进度报告"}
JOB_STATUSES = {"queued": "排队中", "running": "生成中", "done": "已完成", "failed": "生成失败"}


def _may_report(actor) -> bool:
    return report_service.may_report(actor)


@bp.get("/documents")
@signed_in
def documents(actor):
    """The documents the caller may see, newest page first, filtered like GET /api/documents."""
    filters, _own = forms.query_args(DocumentListArgsSchema(), request.args)
    filters["limit"] = PER_PAGE
    page = document_service.list_documents(session=db.session, actor=actor, newest_first=True, **filters)
    names = choices.enterprise_names(actor, {doc["enterprise_id"] for doc in page.items})
    jobs = db.session.exec(
        report_service.visible(select(ReportJob), actor).order_by(ReportJob.created_at.desc()).limit(RECENT_JOBS)
    ).all()
    return render_template(
        "console/documents.html", docs=page.items, next_cursor=page.next_cursor, names=names, filters=request.args,
        doc_types=DOC_TYPES, doc_statuses=DOC_STATUSES, jobs=jobs, may_report=_may_report(actor),
        campaigns=choices.campaigns(actor) if _may_report(actor) else [], report_kinds=REPORT_KINDS,
        job_statuses=JOB_STATUSES,
    )  # fmt: skip


@bp.get("/documents/<uuid:document_id>")
@signed_in
def document(document_id: uuid.UUID, actor):
    """One document: its number, status and an inline preview of the PDF."""
    row = document_service.get(session=db.session, actor=actor, document_id=document_id)
    view = document_service.view(db.session, row)
    names = choices.enterprise_names(actor, {row.enterprise_id})
    return render_template(
        "console/document.html", doc=view, enterprise=names.get(row.enterprise_id, ""), doc_types=DOC_TYPES,
        doc_statuses=DOC_STATUSES,
    )  # fmt: skip


@bp.get("/documents/<uuid:document_id>/pdf")
@signed_in
def document_pdf(document_id: uuid.UUID, actor):
    """The PDF exactly as issued: inline for the preview, as an attachment with ?download=1."""
    row, data = document_service.content(session=db.session, actor=actor, document_id=document_id)
    response = Response(data, mimetype=PDF)
    disposition = "attachment" if request.args.get("download") == "1" else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="document-{row.id}.pdf"'
    response.headers["ETag"] = f'"{row.sha256}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/reports")
@signed_in
def report_request(actor):
    """生成通报: queue a report job (the scheduler renders it) and follow its progress."""
    schema = ReportRequestSchema()
    body = forms.load(schema, {**forms.form_input(schema, request.form), "background": True})
    job = report_service.request(
        session=db.session, actor=actor, request_in=body, sync_max=current_app.config["REPORT_SYNC_MAX_HAZARDS"]
    )
    db.session.commit()
    flash(f"已提交生成：{REPORT_KINDS.get(job.kind, job.kind)}")
    return redirect(url_for("web.report_job", job_id=job.id))


@bp.get("/reports/<uuid:job_id>")
@signed_in
def report_job(job_id: uuid.UUID, actor):
    """A report job's page: a progress bar that follows the job, then the download."""
    job = report_service.get_job(session=db.session, actor=actor, job_id=job_id)
    return render_template("console/report_job.html", job=job, report_kinds=REPORT_KINDS, job_statuses=JOB_STATUSES)


@bp.get("/reports/<uuid:job_id>/status")
@signed_in
def report_job_status(job_id: uuid.UUID, actor):
    """The job's progress as JSON, for the page's progress bar."""
    job = report_service.get_job(session=db.session, actor=actor, job_id=job_id)
    done = job.status in ("done", "failed")
    label = JOB_STATUSES.get(job.status, job.status) + (f"：{job.error}" if job.error else f" {job.progress}%")
    return jsonify(status=job.status, progress=job.progress, done=done, label=label)


@bp.get("/reports/<uuid:job_id>/download")
@signed_in
def report_download(job_id: uuid.UUID, actor):
    """The finished report's file (409 while it is not done)."""
    report = report_service.download(session=db.session, actor=actor, job_id=job_id, storage=storage.current())
    response = Response(report.data, mimetype=report.content_type)
    disposition = "inline" if report.content_type == PDF and request.args.get("download") != "1" else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{report.filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
