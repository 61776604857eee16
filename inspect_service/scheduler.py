"""The one scheduler process: fixed-id sweep jobs, guarded by a PostgreSQL advisory lock."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import text

from inspect_service.auth import jobs as auth_jobs
from inspect_service.campaigns import jobs as campaign_jobs
from inspect_service.campaigns import service as campaign_service
from inspect_service.common import idempotency
from inspect_service.extensions import db
from inspect_service.hazards import jobs as hazard_jobs
from inspect_service.notifications import jobs as notification_jobs
from inspect_service.reports import jobs as report_jobs
from inspect_service.selfchecks import jobs as selfcheck_jobs
from inspect_service.sync import jobs as sync_jobs

log = logging.getLogger(__name__)
ADVISORY_LOCK_KEY = 0x1A5EC7  # one scheduler per database


@dataclass(frozen=True)
class Job:
    """A periodic sweep: its fixed id, body (session in, summary out) and interval."""

    id: str
    func: Callable
    seconds: int
    description: str


JOBS = (
    Job("auth.purge_expired_sessions", auth_jobs.purge_expired_sessions, 3600, "Delete expired sign-in sessions"),
    Job("common.purge_idempotency", idempotency.purge_expired, 3600, "Delete stored responses past retention"),
    Job("sync.purge_feed", sync_jobs.purge_feed, 3600, "Drop change-feed entries past retention"),
    Job("notifications.deliver_outbox", notification_jobs.deliver_outbox, 30, "Send due e-mails and webhooks"),
    Job("hazards.send_reminders", hazard_jobs.send_reminders, 900, "Remind enterprises before deadlines"),
    Job("hazards.escalate_overdue", hazard_jobs.escalate_overdue, 900, "Escalate overdue hazards step by step"),
    Job("campaigns.advance_phases", campaign_service.advance_phases, 600, "Open and close phases by the park date"),
    Job("campaigns.generate_patrol_tasks", campaign_jobs.generate_patrol_tasks, 3600, "Create patrol tasks ahead"),
    Job("campaigns.send_task_reminders", campaign_jobs.send_task_reminders, 900, "Remind before tasks are due"),
    Job("campaigns.escalate_overdue_tasks", campaign_jobs.escalate_overdue_tasks, 900, "Escalate overdue tasks"),
    Job("selfchecks.chase_reports", selfcheck_jobs.sweep, 900, "Remind and escalate missing self-check reports"),
    Job("reports.run_jobs", report_jobs.run_report_jobs, 15, "Generate queued progress reports and bulletins"),
    Job("reports.queue_due", report_jobs.create_due_reports, 600, "Queue the reports campaign milestones make due"),
)


def jobs_by_id() -> dict[str, Job]:
    """Registered jobs keyed by id."""
    return {job.id: job for job in JOBS}


def run_job(app: Flask, job_id: str) -> str:
    """Run one job body in its own transaction."""
    job = jobs_by_id()[job_id]
    with app.app_context(), db.session_scope() as session:
        summary = job.func(session=session)
    log.info("job %s: %s", job_id, summary)
    return summary


def build_scheduler(app: Flask) -> BlockingScheduler:
    """A blocking scheduler with every job registered under its fixed id."""
    scheduler = BlockingScheduler(
        timezone="UTC",
        job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
    started = datetime.now(UTC)  # every sweep runs once at start: work due while the scheduler was down is not left
    for job in JOBS:  # waiting a whole interval (phases, patrol tasks, reminders due during the outage)
        scheduler.add_job(
            run_job,
            IntervalTrigger(seconds=job.seconds),
            next_run_time=started,
            args=(app, job.id),
            id=job.id,
            name=job.description,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
            max_instances=1,
        )
    return scheduler


def hold_leadership(app: Flask, *, poll_seconds: float = 5.0, stop: Callable[[], bool] = lambda: False):
    """On PostgreSQL, wait until this process holds the advisory lock; return the holding connection.

    Returns None on SQLite (one process by construction) or when `stop()` says to give up.
    """
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        return None
    connection = engine.connect()
    while True:
        if connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_LOCK_KEY}).scalar():
            connection.commit()
            return connection
        connection.rollback()
        if stop():
            connection.close()
            return None
        log.info("another scheduler holds the lock; waiting")
        time.sleep(poll_seconds)


def release_leadership(connection) -> None:
    """Give up the advisory lock (it is per database session, so closing to the pool would keep it)."""
    if connection is None:
        return
    try:
        connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_KEY})
        connection.commit()
    finally:
        connection.invalidate()
        connection.close()
