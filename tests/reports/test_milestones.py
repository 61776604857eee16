"""Campaign report milestones queue exactly one report each, on the park's date, and the sweep renders them."""

from datetime import UTC, date, datetime

import time_machine
from sqlmodel import select

from inspect_service import scheduler
from inspect_service.reports import jobs
from inspect_service.reports.models import ReportJob
from tests.reports.factories import NOW, seed_campaign


def _queued(session, seed) -> dict:
    rows = session.exec(select(ReportJob).where(ReportJob.park_id == seed.park.id)).all()
    return {row.milestone_id: row for row in rows}


def test_milestone_sweep_run_twice_queues_one_report_per_due_milestone(session):
    seed = seed_campaign(session, hazards=40)
    first = jobs.create_due_reports(session=session, now=NOW.astimezone(UTC))
    second = jobs.create_due_reports(session=session, now=NOW.astimezone(UTC))
    session.commit()
    assert (first, second) == ("milestone reports queued: 2", "milestone reports queued: 0")
    queued = _queued(session, seed)
    due = {m.id: m for m in seed.milestones if m.kind == "report" and m.due_date <= date(2026, 8, 25)}
    assert set(queued) == set(due) and len(due) == 2
    for milestone_id, job in queued.items():
        assert job.kind == "progress_report" and job.requested_by is None
        assert job.parameters == {"campaign_id": str(seed.campaign.id), "end": due[milestone_id].due_date.isoformat()}


def test_a_milestone_is_due_from_midnight_in_the_parks_zone(session):
    seed = seed_campaign(session, hazards=5)
    aug_20 = next(m for m in seed.milestones if m.due_date == date(2026, 8, 20) and m.kind == "report")
    jobs.create_due_reports(session=session, now=datetime(2026, 8, 19, 15, 59, tzinfo=UTC))  # 23:59 in Shanghai
    assert aug_20.id not in _queued(session, seed)
    jobs.create_due_reports(session=session, now=datetime(2026, 8, 19, 16, 0, tzinfo=UTC))  # 00:00 on the 20th
    assert aug_20.id in _queued(session, seed)


def test_queued_milestone_reports_are_rendered_by_the_job_sweep(app, session):
    seed = seed_campaign(session, hazards=40)
    with time_machine.travel(NOW, tick=False):
        jobs.create_due_reports(session=session)
        session.commit()
        assert jobs.run_report_jobs(session=session) == "report jobs: 2 done"
    for job in _queued(session, seed).values():
        session.refresh(job)
        assert (job.status, job.progress, job.result_size > 1000) == ("done", 100, True)
        assert app.extensions["storage"].exists(job.result_key)


def test_both_report_sweeps_are_scheduled_with_fixed_ids():
    registered = scheduler.jobs_by_id()
    assert registered["reports.run_jobs"].func is jobs.run_report_jobs
    assert registered["reports.queue_due"].func is jobs.create_due_reports
