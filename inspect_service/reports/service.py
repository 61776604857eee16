"""Report rules: who may request reports, small ones rendered at once, large ones queued as jobs."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import false, func
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor
from inspect_service.documents.pdf.bulletin import BulletinView, render_bulletin
from inspect_service.errors import Conflict, Forbidden, NotFound
from inspect_service.hazards.models import Hazard
from inspect_service.parks.models import Park
from inspect_service.reports import metrics, workbook
from inspect_service.reports.models import ReportJob

PDF = "application/pdf"
CONTENT_TYPES = {"pdf": PDF, "xlsx": workbook.XLSX}
PARAMETERS = ("campaign_id", "phase_id", "start", "end", "domain")


@dataclass(frozen=True)
class Report:
    """A rendered report."""

    data: bytes
    content_type: str
    filename: str


def may_report(actor: Actor) -> bool:
    """Park managers and the park's own inspectors (not portfolio-bound liaison officers or experts)."""
    return actor.role == "park_manager" or (actor.role == "inspector" and not actor.has_portfolio)


def visible(query, actor: Actor):
    """Restrict a ReportJob query to what `actor` may see: admins all, report takers their park, others none."""
    if actor.is_admin:
        return query
    if not may_report(actor):
        return query.where(false())
    return query.where(ReportJob.park_id == actor.park_id)


def get_job(*, session: Session, actor: Actor, job_id: uuid.UUID) -> ReportJob:
    """A visible report job or 404."""
    job = session.exec(visible(select(ReportJob), actor).where(ReportJob.id == job_id)).first()
    if job is None:
        raise NotFound("No such report job.")
    return job


def stored_parameters(values: dict) -> dict:
    """Parameters as stored on a job (ids and dates as text, absent ones left out)."""
    return {key: str(value) if key != "domain" else value for key, value in values.items() if value is not None}


def loaded_parameters(stored: dict) -> dict:
    """Parameters as `metrics.compute` takes them."""
    loaders = {"campaign_id": uuid.UUID, "phase_id": uuid.UUID, "start": date.fromisoformat, "end": date.fromisoformat}
    return {key: loaders.get(key, str)(value) for key, value in stored.items() if key in PARAMETERS}


def generate(
    *,
    session: Session,
    park: Park,
    kind: str,
    fmt: str,
    parameters: dict,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Compute the figures and render them as PDF or Excel."""
    progress = progress or (lambda _pct: None)
    figures = metrics.compute(session, park, **loaded_parameters(parameters))
    progress(50)
    if fmt == "xlsx":
        data = workbook.write_workbook(figures, kind=kind)
    else:
        data = render_bulletin(BulletinView(metrics=figures, kind=kind))
    progress(90)
    return Report(data, CONTENT_TYPES[fmt], f"{kind}-{figures.window.end:%Y%m%d}.{fmt}")


def request(*, session: Session, actor: Actor, request_in: dict, sync_max: int) -> Report | ReportJob:
    """Render a report now when it counts at most `sync_max` hazards (and no job was asked for), else queue a job
    for the scheduler."""
    if not may_report(actor):
        raise Forbidden("Only the park's managers and inspectors request reports.")
    park = session.get(Park, actor.park_id)
    values = {key: request_in.get(key) for key in PARAMETERS}
    window = metrics.window(session, park, **values)  # 404 / 422 now rather than in the job
    count = session.exec(select(func.count()).select_from(Hazard).where(*metrics.hazard_filters(window))).one()
    kind, fmt = request_in["kind"], request_in["format"]
    parameters = stored_parameters(values)
    if count <= sync_max and not request_in.get("background"):
        return generate(session=session, park=park, kind=kind, fmt=fmt, parameters=parameters)
    job = ReportJob(
        park_id=park.id, requested_by=actor.user_id, kind=kind, format=fmt, parameters=parameters, hazard_count=count
    )
    session.add(job)
    session.flush()
    return job


def download(*, session: Session, actor: Actor, job_id: uuid.UUID, storage) -> Report:
    """The finished job's file; 409 while it is not done."""
    job = get_job(session=session, actor=actor, job_id=job_id)
    if job.status != "done":
        raise Conflict(f"The report is {job.status}, not ready to download.", extra={"status": job.status})
    end = job.finished_at.date()
    return Report(storage.get(job.result_key), CONTENT_TYPES[job.format], f"{job.kind}-{end:%Y%m%d}.{job.format}")
