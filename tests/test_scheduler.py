"""The scheduler: fixed job ids, catch-up settings, one leader per PostgreSQL database."""

import pytest
from sqlmodel import select

from inspect_service import create_app, scheduler
from inspect_service.auth.models import AuthSession
from inspect_service.common.time import utcnow
from tests.conftest import test_config as make_config
from tests.users.factories import login_tokens, make_user


def test_jobs_are_registered_with_fixed_ids_and_catch_up_settings(app):
    built = scheduler.build_scheduler(app)
    jobs = {job.id: job for job in built.get_jobs()}
    assert set(jobs) == {job.id for job in scheduler.JOBS}
    for job in jobs.values():
        assert job.misfire_grace_time is None
        assert job.coalesce is True
    first_runs = {job.next_run_time for job in jobs.values()}
    assert len(first_runs) == 1 and abs((first_runs.pop() - utcnow()).total_seconds()) < 60  # every sweep at start


def test_purge_job_deletes_only_expired_sessions(session):
    user = make_user(session, role="inspector")
    login_tokens(session, user)
    login_tokens(session, user)
    sessions = session.exec(select(AuthSession).where(AuthSession.user_id == user.id)).all()
    sessions[0].expires_at = utcnow().replace(year=2000)
    session.add(sessions[0])
    session.commit()
    from inspect_service.auth.jobs import purge_expired_sessions

    assert purge_expired_sessions(session=session) == "purged 1 expired sessions"
    remaining = session.exec(select(AuthSession).where(AuthSession.user_id == user.id)).all()
    assert [s.id for s in remaining] == [sessions[1].id]


def test_second_scheduler_waits_while_first_holds_the_lock(backend, database_url):
    if backend != "postgres":
        pytest.skip("advisory locks exist on PostgreSQL only; SQLite deployments run one process by construction")
    app = create_app(make_config(database_url))
    first = scheduler.hold_leadership(app)
    try:
        assert first is not None
        polls = []
        second = scheduler.hold_leadership(app, poll_seconds=0.01, stop=lambda: len(polls) > 3 or polls.append(1))
        assert second is None and len(polls) > 3
    finally:
        scheduler.release_leadership(first)
    third = scheduler.hold_leadership(app, poll_seconds=0.01, stop=lambda: True)
    assert third is not None, "released lock should be free again"
    scheduler.release_leadership(third)
