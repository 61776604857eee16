"""Inspections from phones: offline-safe creates, signatures or refusals, failed items raising hazards."""

import uuid

import pytest

from inspect_service.parks.models import Park
from tests.checklists.factories import make_check_item
from tests.hazards.factories import make_photo


def _inspection(world, **fields):
    return {
        "id": str(uuid.uuid4()),
        "enterprise_id": str(world.own.id),
        "source": "park_inspection",
        "inspection_type": "routine",
        "started_at": "2026-07-01T09:00:00+08:00",
        "inspector_ids": [str(world.user("inspector").id)],
        "methods": ["site_walk", "document_review"],
        **fields,
    }


@pytest.fixture
def photo(session, world):
    made = make_photo(session, world.own, world.user("inspector"))
    session.commit()
    return made


def test_client_id_makes_inspection_retry_safe(client, world):
    body = _inspection(world)
    first = client.post("/api/inspections", json=body, headers=world.headers["inspector"])
    again = client.post("/api/inspections", json=body, headers=world.headers["inspector"])
    assert (first.status_code, again.status_code) == (201, 200) and again.json["id"] == body["id"]
    changed = client.post("/api/inspections", json={**body, "place": "仓库"}, headers=world.headers["inspector"])
    assert changed.status_code == 409


def test_inspector_signs_their_own_inspections(client, world):
    body = _inspection(world, inspector_ids=[str(world.user("enforcement_officer").id)])
    response = client.post("/api/inspections", json=body, headers=world.headers["inspector"])
    assert response.status_code == 422 and "inspector_ids" in response.json["errors"]


def test_enforcement_check_needs_two_certified_officers(client, session, world):
    from tests.users.factories import make_user

    second = make_user(
        session, role="inspector", park=world.park, inspector_kind="enforcement_officer", cert_no="ZF-0002"
    )
    session.commit()
    officer = world.user("enforcement_officer")
    one = _inspection(world, source="enforcement", inspector_ids=[str(officer.id)])
    assert client.post("/api/inspections", json=one, headers=world.headers["enforcement_officer"]).status_code == 422
    uncertified = _inspection(
        world, source="enforcement", inspector_ids=[str(officer.id), str(world.user("inspector").id)]
    )
    response = client.post("/api/inspections", json=uncertified, headers=world.headers["enforcement_officer"])
    assert response.status_code == 422
    two = _inspection(world, source="enforcement", inspector_ids=[str(officer.id), str(second.id)])
    assert client.post("/api/inspections", json=two, headers=world.headers["enforcement_officer"]).status_code == 201


def test_refusal_to_sign_needs_evidence_and_end_follows_start(client, world, photo):
    headers = world.headers["inspector"]
    refused = _inspection(world, site_rep_refused=True)
    assert client.post("/api/inspections", json=refused, headers=headers).status_code == 422
    with_evidence = _inspection(
        world, site_rep_refused=True, refusal_evidence_photo_ids=[str(photo.id)], witness_name="王五"
    )
    assert client.post("/api/inspections", json=with_evidence, headers=headers).status_code == 201
    backwards = _inspection(world, ended_at="2026-07-01T08:00:00+08:00")
    assert client.post("/api/inspections", json=backwards, headers=headers).status_code == 422


def test_enterprise_staff_record_only_self_checks(client, world):
    headers = world.headers["enterprise_safety_officer"]
    assert client.post("/api/inspections", json=_inspection(world), headers=headers).status_code == 422
    own = _inspection(world, source="self_check", inspector_ids=[])
    assert client.post("/api/inspections", json=own, headers=headers).status_code == 201
    other = _inspection(world, source="self_check", inspector_ids=[], enterprise_id=str(world.other.id))
    assert client.post("/api/inspections", json=other, headers=headers).status_code == 404


def test_completing_an_inspection_needs_its_version(client, world):
    created = client.post("/api/inspections", json=_inspection(world), headers=world.headers["inspector"])
    url = f"/api/inspections/{created.json['id']}"
    update = {"ended_at": "2026-07-01T11:30:00+08:00", "site_rep_name": "赵建国", "site_rep_role": "主要负责人"}
    assert client.patch(url, json=update, headers=world.headers["inspector"]).status_code == 428
    done = client.patch(url, json=update, headers={**world.headers["inspector"], "If-Match": created.headers["ETag"]})
    assert done.status_code == 200 and done.json["site_rep_name"] == "赵建国" and done.json["version"] == 2


def test_failed_major_item_raises_a_suspected_major_hazard(client, session, world, photo):
    item = make_check_item(
        session, code="TST01", domain="fire", major_criterion_ref="GB 35181", legal_basis="《消防法》第二十八条"
    )
    session.commit()
    inspection = client.post("/api/inspections", json=_inspection(world), headers=world.headers["inspector"]).json
    result = {
        "id": str(uuid.uuid4()),
        "check_item_id": str(item.id),
        "result": "fail",
        "note": "通道堵塞",
        "photo_ids": [str(photo.id)],
        "hazard": {
            "location_text": "一号车间",
            "domain": "fire",
            "nature": "object",
            "level": "general",
            "source": "park_inspection",
            "description": "安全出口堵塞",
            "legal_basis": "《消防法》",
            "rectify_mode": "deadline",
            "photo_ids": [str(photo.id)],
        },
    }
    url = f"/api/inspections/{inspection['id']}/results"
    response = client.post(url, json=result, headers=world.headers["inspector"])
    assert response.status_code == 201, response.json
    hazard = response.json["hazard"]
    assert hazard["suspected_major"] is True and hazard["inspection_id"] == inspection["id"]
    assert hazard["check_item_id"] == str(item.id)
    again = client.post(url, json=result, headers=world.headers["inspector"])
    assert again.json["hazard"]["id"] == hazard["id"]  # the retry raised no second hazard
    second = client.post(url, json={**result, "id": str(uuid.uuid4())}, headers=world.headers["inspector"])
    assert second.status_code == 409  # one result per item per inspection
    detail = client.get(f"/api/inspections/{inspection['id']}", headers=world.headers["inspector"]).json
    assert [r["hazard_id"] for r in detail["results"]] == [hazard["id"]]


def test_park_setting_always_requires_a_hazard_for_a_failed_item(client, session, world, photo):
    park = session.get(Park, world.park.id)
    park.settings = {**park.settings, "hazard_on_failed_item": "always"}
    item = make_check_item(session, code="TST02", domain="fire")
    session.commit()
    inspection = client.post("/api/inspections", json=_inspection(world), headers=world.headers["inspector"]).json
    url = f"/api/inspections/{inspection['id']}/results"
    bare = {"check_item_id": str(item.id), "result": "fail", "photo_ids": [str(photo.id)]}
    response = client.post(url, json=bare, headers=world.headers["inspector"])
    assert response.status_code == 422 and "hazard" in response.json["errors"]
    passed = {"check_item_id": str(item.id), "result": "pass"}
    assert client.post(url, json=passed, headers=world.headers["inspector"]).status_code == 201


def test_foreign_park_item_and_other_enterprise_photo_are_refused(client, session, world, photo):
    foreign_item = make_check_item(session, park=world.foreign_park, code="FRN01", domain="fire")
    other_photo = make_photo(session, world.other, world.user("inspector"))
    item = make_check_item(session, code="TST03", domain="fire")
    session.commit()
    inspection = client.post("/api/inspections", json=_inspection(world), headers=world.headers["inspector"]).json
    url = f"/api/inspections/{inspection['id']}/results"
    foreign = client.post(
        url, json={"check_item_id": str(foreign_item.id), "result": "pass"}, headers=world.headers["inspector"]
    )
    assert foreign.status_code == 422 and "check_item_id" in foreign.json["errors"]
    wrong_photo = client.post(
        url,
        json={"check_item_id": str(item.id), "result": "pass", "photo_ids": [str(other_photo.id)]},
        headers=world.headers["inspector"],
    )
    assert wrong_photo.status_code == 422


def test_inspections_are_scoped_like_their_enterprise(client, world):
    created = client.post("/api/inspections", json=_inspection(world), headers=world.headers["inspector"]).json
    for caller, status in (
        ("enterprise_principal", 200),
        ("liaison_officer", 200),
        ("foreign_manager", 404),
        ("admin", 200),
    ):
        assert client.get(f"/api/inspections/{created['id']}", headers=world.headers[caller]).status_code == status
    officer_list = client.get("/api/inspections", headers=world.headers["foreign_officer"]).json
    assert officer_list["items"] == []
