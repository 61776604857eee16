"""The documents page: issued documents with status, inline preview and download; bulletins generated as jobs."""

import json

import pytest

from inspect_service.documents import service as document_service
from inspect_service.reports import jobs as report_jobs
from inspect_service.reports.models import ReportJob
from tests.documents.factories import issued_notice
from tests.hazards.factories import actor_of
from tests.web import scenario
from tests.web.console import post_form, sign_in


@pytest.fixture
def scene(app, session):
    """A park mid-campaign (tests.web.scenario)."""
    return scenario.build(session, app.extensions["storage"])


@pytest.fixture
def notice(session, scene):
    """A notice issued to the chemicals firm."""
    document, _hazards, _inspectors = issued_notice(session, scene.chemicals)
    session.commit()
    return document


def test_documents_list_shows_number_status_and_links(client, session, scene, notice):
    sign_in(client, session, scene.manager)
    page = client.get("/console/documents").get_data(as_text=True)
    row = page.split(f'data-number="{notice.number}"')[1].split("</tr>")[0]
    assert "有效" in row and "未签收" in row
    assert f"/console/documents/{notice.id}" in row
    assert f"/console/documents/{notice.id}/pdf?download=1" in row


def test_voided_document_shows_its_status(client, session, scene, notice):
    document_service.void(session=session, actor=actor_of(session, scene.manager), document_id=notice.id, reason="误发")
    session.commit()
    sign_in(client, session, scene.manager)
    page = client.get("/console/documents?status=voided").get_data(as_text=True)
    assert notice.number in page and "已作废" in page
    assert notice.number not in client.get("/console/documents?status=issued").get_data(as_text=True)


def test_preview_embeds_the_pdf_inline_and_download_is_an_attachment(client, session, scene, notice):
    sign_in(client, session, scene.manager)
    page = client.get(f"/console/documents/{notice.id}").get_data(as_text=True)
    assert f'<iframe src="/console/documents/{notice.id}/pdf"' in page
    inline = client.get(f"/console/documents/{notice.id}/pdf")
    attachment = client.get(f"/console/documents/{notice.id}/pdf?download=1")
    assert inline.headers["Content-Disposition"].startswith("inline")
    assert attachment.headers["Content-Disposition"].startswith("attachment")
    assert inline.data == attachment.data and inline.data.startswith(b"%PDF")


def test_officer_of_another_enterprise_cannot_see_the_notice(client, session, scene, notice):
    sign_in(client, session, scene.textiles_officer)
    assert notice.number not in client.get("/console/documents").get_data(as_text=True)
    assert client.get(f"/console/documents/{notice.id}").status_code == 404
    assert client.get(f"/console/documents/{notice.id}/pdf").status_code == 404


def test_manager_generates_a_bulletin_and_follows_its_progress(client, session, scene):
    sign_in(client, session, scene.manager)
    response = post_form(
        client, "/console/reports", {"kind": "supervision_bulletin", "format": "pdf", "campaign_id": scene.campaign.id}
    )
    assert response.status_code == 302
    job = session.exec(ReportJob.__table__.select().where(ReportJob.park_id == scene.park.id)).one()
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'data-job-status="/console/reports/{job.id}/status"' in page
    assert "<progress" in page
    queued = json.loads(client.get(f"/console/reports/{job.id}/status").data)
    assert (queued["status"], queued["done"]) == ("queued", False)
    assert client.get(f"/console/reports/{job.id}/download").status_code == 409

    assert report_jobs.claim_next(session) == job.id  # what the scheduler process does
    assert report_jobs.run_job(session, job.id) == "done"

    done = json.loads(client.get(f"/console/reports/{job.id}/status").data)
    assert (done["status"], done["progress"], done["done"]) == ("done", 100, True)
    report = client.get(f"/console/reports/{job.id}/download?download=1")
    assert report.status_code == 200
    assert report.data.startswith(b"%PDF")
    assert "下载" in client.get(f"/console/reports/{job.id}").get_data(as_text=True)


def test_enterprise_officer_cannot_generate_bulletins(client, session, scene):
    sign_in(client, session, scene.textiles_officer)
    assert 'id="generate"' not in client.get("/console/documents").get_data(as_text=True)
    response = post_form(client, "/console/reports", {"kind": "supervision_bulletin", "campaign_id": scene.campaign.id})
    assert response.status_code == 403
    assert "只有园区安委办和园区检查人员可以生成报告" in response.get_data(as_text=True)
