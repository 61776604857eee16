"""Scheduled work of reports: run queued report jobs, and queue the reports campaign milestones make due.

Unlike other sweeps, `run_report_jobs` commits as it goes: the claim, each progress step and the outcome are
their own short transactions, so the status resource shows a job running and its progress while it renders.
"""

import logging
import time
import uuid
from datetime import datetime, timedelta

from sqlalchemy import exists, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from inspect_service.campaigns.models import Milestone
from inspect_service.common import storage
from inspect_service.common.time import local_date, utcnow
from inspect_service.errors import DomainError
from inspect_service.parks.models import Park
from inspect_service.reports import service
from inspect_service.reports.models import ReportJob

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=15)  # a running job silent this long lost its process: run it again
MAX_ATTEMPTS = 3
SWEEP_BUDGET_SECONDS = 240.0  # stop claiming new jobs after this; the rest waits for the next sweep
CATCH_UP_DAYS = 45  # milestones due longer ago than this (e.g. before reports were deployed) are skipped
MILESTONE_REPORT = ("report", "progress_report", "pdf")  # milestone kind -> report kind and format


def _requeue_stale(session: Session, now: datetime) -> None:
    """Jobs whose runner died go back to the queue (or fail after MAX_ATTEMPTS)."""
    stale = [
        ReportJob.status == "running",
        or_(ReportJob.heartbeat_at.is_(None), ReportJob.heartbeat_at < now - STALE_AFTER),
    ]
    session.execute(
        update(ReportJob)
        .where(*stale, ReportJob.attempts >= MAX_ATTEMPTS)
        .values(status="failed", error="The report could not be generated.", finished_at=now)
    )
    session.execute(update(ReportJob).where(*stale).values(status="queued"))
    session.commit()


CLAIM_TRIES = 5  # a claim lost to another sweep is retried on the next queued job


def claim_next(session: Session) -> uuid.UUID | None:
    """Take the oldest queued job by a conditional update, so two sweeps never run the same job."""
    for _ in range(CLAIM_TRIES):
        query = select(ReportJob.id, ReportJob.attempts).where(ReportJob.status == "queued")
        query = query.order_by(ReportJob.created_at, ReportJob.id)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = session.exec(query.limit(1)).first()
        if row is None:
            return None
        job_id, attempts = row
        now = utcnow()
        claimed = session.execute(
            update(ReportJob)
            .where(ReportJob.id == job_id, ReportJob.status == "queued", ReportJob.attempts == attempts)
            .values(status="running", started_at=now, heartbeat_at=now, progress=5, attempts=attempts + 1)
        ).rowcount
        session.commit()
        if claimed == 1:
            return job_id
    return None


def _set(session: Session, job_id: uuid.UUID, token: int, **values) -> bool:
    """Update this runner's job (`token`: its attempt number when claimed); False, and nothing written, once a
    stale requeue gave the job to another run."""
    updated = session.execute(
        update(ReportJob)
        .where(ReportJob.id == job_id, ReportJob.status == "running", ReportJob.attempts == token)
        .values(heartbeat_at=utcnow(), **values)
    ).rowcount
    session.commit()
    return updated == 1


def run_job(session: Session, job_id: uuid.UUID) -> str:
    """Generate one claimed job's file, store it, and record the outcome; returns the new status."""
    job = session.get(ReportJob, job_id)
    park, token = session.get(Park, job.park_id), job.attempts
    try:
        report = service.generate(
            session=session,
            park=park,
            kind=job.kind,
            fmt=job.format,
            parameters=job.parameters,
            progress=lambda pct: _set(session, job_id, token, progress=pct),
        )
        key = storage.content_key(report.data)
        storage.current().put(key, report.data, report.content_type)
    except DomainError as exc:  # the campaign is gone, the window is empty...: the requester's to fix
        session.rollback()
        _set(session, job_id, token, status="failed", error=(exc.detail or exc.title)[:500], finished_at=utcnow())
        return "failed"
    except Exception:
        session.rollback()
        log.exception("report job %s failed", job_id)
        _set(session, job_id, token, status="failed", error="The report could not be generated.", finished_at=utcnow())
        return "failed"
    _set(
        session,
        job_id,
        token,
        status="done",
        progress=100,
        result_key=key,
        result_sha256=key,
        result_size=len(report.data),
        finished_at=utcnow(),
    )
    return "done"


def run_report_jobs(*, session: Session) -> str:
    """Run queued report jobs one at a time until the queue is empty or the sweep's time budget is spent."""
    started = time.monotonic()
    _requeue_stale(session, utcnow())
    outcomes: dict[str, int] = {}
    while time.monotonic() - started < SWEEP_BUDGET_SECONDS:
        job_id = claim_next(session)
        if job_id is None:
            break
        status = run_job(session, job_id)
        outcomes[status] = outcomes.get(status, 0) + 1
    summary = ", ".join(f"{count} {status}" for status, count in sorted(outcomes.items()))
    return f"report jobs: {summary or 'none queued'}"


def create_due_reports(*, session: Session, now: datetime | None = None) -> str:
    """Queue one report per campaign report milestone due by its park's date (a unique row per milestone)."""
    now = now or utcnow()
    kind, report_kind, fmt = MILESTONE_REPORT
    due = session.exec(
        select(Milestone, Park)
        .join(Park, Park.id == Milestone.park_id)
        .where(
            Milestone.kind == kind,
            Milestone.due_date <= now.date() + timedelta(days=1),
            Milestone.due_date >= now.date() - timedelta(days=CATCH_UP_DAYS),
            ~exists().where(ReportJob.milestone_id == Milestone.id),
        )
    ).all()
    created = 0
    for milestone, park in due:
        if milestone.due_date > local_date(now, park.timezone):
            continue
        parameters = {"campaign_id": str(milestone.campaign_id), "end": milestone.due_date.isoformat()}
        job = ReportJob(park_id=park.id, milestone_id=milestone.id, kind=report_kind, format=fmt, parameters=parameters)
        try:
            with session.begin_nested():
                session.add(job)
        except IntegrityError:  # a concurrent sweep queued it first
            continue
        created += 1
    return f"milestone reports queued: {created}"
