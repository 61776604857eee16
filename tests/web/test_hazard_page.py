"""A hazard's page: photos, five points, history, and the desk actions through the lifecycle service."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from inspect_service.common.time import local_date, utcnow
from inspect_service.documents.models import Document, DocumentHazard
from inspect_service.hazards.models import Hazard, HazardEvent
from tests.hazards.factories import make_hazard
from tests.photos.factories import upload_photo
from tests.state import db_state
from tests.web.console import post_form, sign_in


@pytest.fixture
def photo(app, session, world):
    """A stored photo of the own enterprise."""
    return upload_photo(session, app.extensions["storage"], world.own, world.user("inspector"))


@pytest.fixture
def hazard(session, world, photo):
    """A registered hazard of the own enterprise with its photo and some of its five points."""
    row = make_hazard(
        session, world.own, world.user("inspector"), details={"photo_ids": [str(photo.id)]},
        measures="清理消防通道", responsible_person="钱立",
    )  # fmt: skip
    session.commit()
    return row


def _page(client, hazard_id):
    return client.get(f"/console/hazards/{hazard_id}").get_data(as_text=True)


def test_hazard_page_shows_photos_five_points_and_history(client, session, world, hazard, photo):
    sign_in(client, session, world.user("park_manager"))
    page = _page(client, hazard.id)
    assert hazard.hazard_no in page
    assert "清理消防通道" in page and "钱立" in page
    assert f"/console/photos/{photo.id}/thumbnail" in page
    assert f'href="/console/photos/{photo.id}"' in page  # the full-size photo behind the thumbnail
    thumb = client.get(f"/console/photos/{photo.id}/thumbnail")
    assert thumb.status_code == 200
    assert thumb.mimetype == "image/jpeg"


def test_inspector_issues_a_notice_from_the_page(app, client, session, world, hazard, photo):
    inspector = world.user("inspector")
    sign_in(client, session, inspector)
    page = _page(client, hazard.id)
    assert 'id="action-issue_notice"' in page
    assert str(world.user("enforcement_officer").id) in page  # a co-signer to choose
    today = local_date(utcnow(), world.park.timezone)
    body = {
        "issuer_kind": "park", "deadline": (today + timedelta(days=20)).isoformat(),
        "recheck_date": (today + timedelta(days=25)).isoformat(),
        "inspector_ids": [inspector.id, world.user("enforcement_officer").id],
    }  # fmt: skip
    response = post_form(client, f"/console/hazards/{hazard.id}/issue_notice", {**body, "version": hazard.version})
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Hazard, hazard.id)
    assert stored.status == "notice_issued"
    assert stored.deadline.isoformat() == body["deadline"]
    event = session.exec(
        select(HazardEvent).where(HazardEvent.hazard_id == hazard.id, HazardEvent.action == "issue_notice")
    ).one()
    assert event.actor_id == inspector.id
    document = session.exec(select(DocumentHazard).where(DocumentHazard.hazard_id == hazard.id)).one()
    number = session.get(Document, document.document_id).number
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"已下达整改通知，文号 {number}" in after
    assert "下达整改通知" in after.split('id="history"')[1]
    assert f"/console/documents/{document.document_id}" in after.split('id="hazard-documents"')[1]
    pdf = client.get(f"/console/documents/{document.document_id}/pdf")
    assert pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    assert pdf.headers["Content-Disposition"].startswith("inline")


def test_manager_escalates_and_sees_the_new_state(client, session, world, hazard):
    sign_in(client, session, world.user("park_manager"))
    body = {"escalation_type": "listed_supervision", "target": "区安委会", "version": hazard.version}
    response = post_form(client, f"/console/hazards/{hazard.id}/escalate", body)
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Hazard, hazard.id)
    assert (stored.status, stored.is_listed) == ("escalated", True)


def test_missing_field_is_a_422_beside_the_form_and_changes_nothing(client, session, world, hazard):
    sign_in(client, session, world.user("park_manager"))
    before = db_state(session)
    response = post_form(client, f"/console/hazards/{hazard.id}/escalate", {"escalation_type": "interview"})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "移送/上报单位：必填。" in text
    assert '<details class="action" id="action-escalate" open>' in text
    assert db_state(session) == before


def test_action_in_the_wrong_state_is_a_409_in_chinese(client, session, world):
    closed = make_hazard(session, world.own, world.user("inspector"), status="closed")
    session.commit()
    sign_in(client, session, world.user("park_manager"))
    response = post_form(client, f"/console/hazards/{closed.id}/void", {"reason": "mistaken"})
    assert response.status_code == 409
    assert "隐患当前状态下不能执行此操作" in response.get_data(as_text=True)


def test_stale_version_is_a_412_and_changes_nothing(client, session, world, hazard):
    sign_in(client, session, world.user("park_manager"))
    before = db_state(session)
    response = post_form(
        client, f"/console/hazards/{hazard.id}/void", {"reason": "mistaken", "version": hazard.version + 1}
    )
    assert response.status_code == 412
    assert "已被他人修改" in response.get_data(as_text=True)
    assert db_state(session) == before


@pytest.mark.parametrize("version", ["²", "١"])
def test_a_version_of_unicode_digits_is_a_412_not_a_500(version, client, session, world, hazard):
    sign_in(client, session, world.user("park_manager"))
    response = post_form(client, f"/console/hazards/{hazard.id}/void", {"reason": "mistaken", "version": version})
    assert response.status_code == 412


def test_role_without_the_action_gets_403_and_no_form(client, session, world, hazard):
    sign_in(client, session, world.user("enterprise_safety_officer"))
    page = _page(client, hazard.id)
    assert 'id="action-void"' not in page
    response = post_form(client, f"/console/hazards/{hazard.id}/void", {"reason": "mistaken"})
    assert response.status_code == 403
    assert "您的角色不能" in response.get_data(as_text=True)


def test_only_the_actions_the_user_may_take_are_offered(client, session, world, hazard):
    sign_in(client, session, world.user("park_manager"))
    offered = set(re.findall(r'id="action-(\w+)"', _page(client, hazard.id)))
    assert offered == {
        "escalate",
        "void",
    }  # a registered hazard: the manager escalates or voids; notices are inspectors'


def test_officer_of_another_enterprise_gets_404_as_for_a_missing_hazard(client, session, world, hazard):
    sign_in(client, session, world.user("foreign_officer"))
    response = client.get(f"/console/hazards/{hazard.id}")
    assert response.status_code == 404
    assert "没有这条隐患" in response.get_data(as_text=True)


def test_phone_side_actions_link_to_their_screen_of_the_field_app(client, session, world):
    rectifying = make_hazard(session, world.own, world.user("inspector"), status="rectifying")
    session.commit()
    sign_in(client, session, world.user("enterprise_safety_officer"))
    page = _page(client, rectifying.id)
    links = set(re.findall(r'class="field-app-link" href="([^"]+)"', page))
    assert f"/app/#/hazard/{rectifying.id}/submit_reply" in links
    assert f"/app/#/hazard/{rectifying.id}/request_extension" in links
