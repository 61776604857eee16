"""Requesting reports: small ones at once, large ones as a job run by the sweep, then downloaded; who may."""

import hashlib
import io
import uuid

import openpyxl
import pytest
import time_machine
from pypdf import PdfReader
from sqlmodel import select

from inspect_service.extensions import db
from inspect_service.reports import jobs
from inspect_service.reports.models import ReportJob
from tests.reports.factories import NOW, seed_campaign
from tests.users.factories import bearer, login_tokens, make_user


@pytest.fixture
def seed(session):
    with time_machine.travel(NOW, tick=False):
        yield seed_campaign(session)


def _headers(session, user) -> dict:
    return bearer(login_tokens(session, user).access_token)


def _sweep(app) -> str:
    with app.app_context():
        own = db.new_session()
        try:
            return jobs.run_report_jobs(session=own)
        finally:
            own.close()


def test_small_report_comes_back_at_once(client, session, seed):
    body = {"kind": "supervision_bulletin", "campaign_id": str(seed.campaign.id)}
    response = client.post("/api/reports", json=body, headers=_headers(session, seed.manager))
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/pdf"
    assert "安全生产督查通报" in PdfReader(io.BytesIO(response.data)).pages[0].extract_text().replace(" ", "")
    assert session.exec(select(ReportJob).where(ReportJob.park_id == seed.park.id)).all() == []


def test_large_report_is_queued_then_run_by_the_sweep_and_downloaded(app, client, session, seed, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_SYNC_MAX_HAZARDS", 10)
    headers = _headers(session, seed.inspector)
    body = {"kind": "supervision_bulletin", "campaign_id": str(seed.campaign.id), "domain": "fire"}
    response = client.post("/api/reports", json=body, headers=headers)
    assert response.status_code == 202, response.get_json()
    job = response.get_json()
    assert (job["status"], job["progress"], job["download_url"]) == ("queued", 0, None)
    assert job["hazard_count"] > 10
    assert response.headers["Location"].endswith(f"/api/report-jobs/{job['id']}")

    early = client.get(f"/api/report-jobs/{job['id']}/content", headers=headers)
    assert early.status_code == 409 and early.mimetype == "application/problem+json"

    seen = []
    real = jobs.service.generate

    def spy(**kwargs):
        def progress(pct):
            kwargs_progress(pct)
            row = session.exec(
                select(ReportJob.status, ReportJob.progress).where(ReportJob.id == uuid.UUID(job["id"]))
            ).one()
            seen.append(tuple(row))

        kwargs_progress = kwargs.pop("progress")
        return real(**kwargs, progress=progress)

    monkeypatch.setattr(jobs.service, "generate", spy)
    assert _sweep(app) == "report jobs: 1 done"
    assert seen == [("running", 50), ("running", 90)]

    status = client.get(response.headers["Location"], headers=headers).get_json()
    assert (status["status"], status["progress"]) == ("done", 100)
    download = client.get(status["download_url"], headers=headers)
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert hashlib.sha256(download.data).hexdigest() == status["sha256"]
    text = PdfReader(io.BytesIO(download.data)).pages[0].extract_text().replace(" ", "")
    assert "统计范围：消防" in text
    assert _sweep(app) == "report jobs: none queued"


def test_workbook_job(app, client, session, seed, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_SYNC_MAX_HAZARDS", 0)
    headers = _headers(session, seed.manager)
    body = {"kind": "progress_report", "format": "xlsx", "phase_id": str(seed.phases[0].id)}
    job = client.post("/api/reports", json=body, headers=headers).get_json()
    _sweep(app)
    download = client.get(f"/api/report-jobs/{job['id']}/content", headers=headers)
    assert download.status_code == 200
    summary = dict(openpyxl.load_workbook(io.BytesIO(download.data))["概况"].iter_rows(min_row=2, values_only=True))
    assert summary["阶段"] == "第1阶段"
    assert summary["排查隐患（项）"] == job["hazard_count"]


def test_a_job_that_cannot_run_fails_with_a_reason(app, client, session, seed):
    job = ReportJob(park_id=seed.park.id, kind="supervision_bulletin", format="pdf",
                    parameters={"campaign_id": str(uuid.uuid4())})  # fmt: skip
    session.add(job)
    session.commit()
    assert _sweep(app) == "report jobs: 1 failed"
    headers = _headers(session, seed.manager)
    status = client.get(f"/api/report-jobs/{job.id}", headers=headers).get_json()
    assert (status["status"], status["error"]) == ("failed", "No such campaign.")
    assert client.get(f"/api/report-jobs/{job.id}/content", headers=headers).status_code == 409


def test_a_claimed_job_is_not_claimed_again_and_a_silent_one_is_requeued(app, session, seed):
    job = ReportJob(park_id=seed.park.id, kind="supervision_bulletin", format="pdf", parameters={})
    session.add(job)
    session.commit()
    assert jobs.claim_next(session) == job.id
    assert jobs.claim_next(session) is None
    session.refresh(job)
    assert (job.status, job.attempts) == ("running", 1)
    with time_machine.travel(NOW.timestamp() + 3600, tick=False):
        jobs._requeue_stale(session, jobs.utcnow())
    session.refresh(job)
    assert job.status == "queued"


def test_window_errors_answer_before_any_job(app, client, session, seed, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_SYNC_MAX_HAZARDS", 0)
    headers = _headers(session, seed.manager)
    foreign = make_user(session, role="park_manager", park=seed.foreign_park)
    body = {"kind": "supervision_bulletin", "campaign_id": str(seed.campaign.id)}
    assert client.post("/api/reports", json=body, headers=_headers(session, foreign)).status_code == 404
    assert client.post("/api/reports", json={"kind": "supervision_bulletin"}, headers=headers).status_code == 422
    backwards = {"kind": "supervision_bulletin", "start": "2026-08-01", "end": "2026-07-01"}
    assert client.post("/api/reports", json=backwards, headers=headers).status_code == 422
    future = {"kind": "supervision_bulletin", "start": "2027-01-01", "end": "2027-02-01"}
    assert client.post("/api/reports", json=future, headers=headers).status_code == 422
    assert session.exec(select(ReportJob)).all() == []


def test_only_the_parks_managers_and_own_inspectors_see_reports(app, client, session, seed, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_SYNC_MAX_HAZARDS", 0)
    body = {"kind": "supervision_bulletin", "campaign_id": str(seed.campaign.id)}
    job = client.post("/api/reports", json=body, headers=_headers(session, seed.manager)).get_json()
    enterprise_user = make_user(session, role="enterprise_principal", park=seed.park, enterprise=seed.enterprises[0])
    foreign_manager = make_user(session, role="park_manager", park=seed.foreign_park)
    for user, post, get in (
        (seed.liaisons[0], 403, 404),
        (enterprise_user, 403, 404),
        (foreign_manager, 404, 404),
        (seed.inspector, 202, 200),
    ):
        headers = _headers(session, user)
        assert client.post("/api/reports", json=body, headers=headers).status_code == post
        assert client.get(f"/api/report-jobs/{job['id']}", headers=headers).status_code == get
