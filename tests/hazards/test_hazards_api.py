"""Hazards through the API: offline-safe registration, numbers, overdue, actions, concurrency, export."""

import io
import uuid

import openpyxl
import pytest
import time_machine

from tests.hazards.factories import as_json, hazard_fields, make_photo


@pytest.fixture
def photo(session, world):
    made = make_photo(session, world.own, world.user("inspector"))
    session.commit()
    return made


def _register(client, world, photo, caller="inspector", **overrides):
    body = as_json(hazard_fields(world.own, photo, **overrides))
    return client.post("/api/hazards", json=body, headers=world.headers[caller])


def test_client_id_makes_registration_retry_safe(client, world, photo):
    hazard_id = str(uuid.uuid4())
    first = _register(client, world, photo, id=hazard_id)
    retry = _register(client, world, photo, id=hazard_id)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json["hazard_no"] == first.json["hazard_no"] and retry.json["id"] == hazard_id
    other = _register(client, world, photo, id=hazard_id, description="另一处隐患")
    assert other.status_code == 409 and other.content_type == "application/problem+json"
    listed = client.get(f"/api/hazards?enterprise_id={world.own.id}", headers=world.headers["inspector"]).json
    assert [h["id"] for h in listed["items"]] == [hazard_id]


def test_numbers_are_sequential_per_park_and_year_and_never_reused(client, world, photo):
    first = _register(client, world, photo).json
    second = _register(client, world, photo).json
    year = first["hazard_no"].split("-")[1]
    assert first["hazard_no"] == f"YH-{year}-000001" and second["hazard_no"] == f"YH-{year}-000002"
    voided = client.post(
        f"/api/hazards/{first['id']}/void", json={"reason": "mistaken"}, headers=world.headers["park_manager"]
    )
    assert voided.status_code == 200 and voided.json["hazard_no"] == first["hazard_no"]
    assert _register(client, world, photo).json["hazard_no"] == f"YH-{year}-000003"


@pytest.mark.parametrize("overrides, field", [
    ({"photo_ids": []}, "photo_ids"),
    ({"photo_ids": [str(uuid.uuid4())]}, "photo_ids"),
    ({"level": "major"}, "major_criterion_ref"),
    ({"domain": "space"}, "domain"),
    ({"description": "x" * 4001}, "description"),
    ({"latitude": 100}, "latitude"),
    ({"status": "closed"}, "status"),
    ({"hazard_no": "YH-1"}, "hazard_no"),
])  # fmt: skip
def test_bad_registrations_are_422(client, world, photo, overrides, field):
    response = _register(client, world, photo, **overrides)
    assert response.status_code == 422 and field in response.json["errors"]


def test_photo_of_another_enterprise_is_refused(client, session, world):
    foreign_photo = make_photo(session, world.other, world.user("inspector"))
    session.commit()
    assert _register(client, world, foreign_photo).status_code == 422


def test_enterprise_staff_register_self_check_hazards_of_their_own_enterprise(client, world, photo):
    officer = "enterprise_safety_officer"
    assert _register(client, world, photo, caller=officer).status_code == 422
    assert _register(client, world, photo, caller=officer, source="self_check").status_code == 201
    other = as_json(hazard_fields(world.other, photo, source="self_check"))
    assert client.post("/api/hazards", json=other, headers=world.headers[officer]).status_code == 404


def test_overdue_turns_at_the_end_of_the_deadline_day_in_the_park_zone(client, session, world, photo):
    from tests.users.factories import bearer, login_tokens

    def headers():  # tokens are minted at the travelled-to time
        return bearer(login_tokens(session, world.user("inspector")).access_token)

    with time_machine.travel("2027-03-01 10:00:00+08:00", tick=False) as traveller:
        body = as_json(hazard_fields(world.own, photo, deadline="2027-03-10"))
        hazard = client.post("/api/hazards", json=body, headers=headers()).json
        url = f"/api/hazards/{hazard['id']}"
        traveller.move_to("2027-03-10 23:59:59+08:00")  # 15:59:59 UTC: still the deadline day in Shanghai
        now = headers()
        assert client.get(url, headers=now).json["is_overdue"] is False
        assert client.get("/api/hazards?overdue=true", headers=now).json["items"] == []
        traveller.move_to("2027-03-11 00:00:01+08:00")  # 16:00:01 UTC, the same UTC day
        now = headers()
        assert client.get(url, headers=now).json["is_overdue"] is True
        overdue = client.get("/api/hazards?overdue=true", headers=now).json["items"]
        assert [h["id"] for h in overdue] == [hazard["id"]]
        not_overdue = client.get("/api/hazards?overdue=false", headers=now).json["items"]
        assert hazard["id"] not in [h["id"] for h in not_overdue]


def test_reply_submitted_is_never_overdue(client, session, world, photo):
    from tests.hazards.factories import make_hazard

    hazard = make_hazard(session, world.own, world.user("inspector"), status="reply_submitted", deadline_days=-5)
    session.commit()
    body = client.get(f"/api/hazards/{hazard.id}", headers=world.headers["inspector"]).json
    assert body["is_overdue"] is False


def test_action_not_allowed_answers_409_with_allowed_actions(client, world, photo):
    hazard = _register(client, world, photo).json
    response = client.post(
        f"/api/hazards/{hazard['id']}/submit_reply",
        headers=world.headers["inspector"],
        json={"measures": "x", "completed_on": "2026-01-01", "cost": "1", "after_photo_ids": [str(photo.id)]},
    )
    assert response.status_code == 403  # inspectors never reply
    response = client.post(
        f"/api/hazards/{hazard['id']}/return_reply", headers=world.headers["inspector"], json={"missing": "照片"}
    )
    assert response.status_code == 409
    assert "issue_notice" in response.json["allowed_actions"] and "fix_on_site" in response.json["allowed_actions"]


def test_idempotency_key_replays_the_stored_response(client, world, photo):
    hazard = _register(client, world, photo).json
    url = f"/api/hazards/{hazard['id']}/void"
    headers = {**world.headers["park_manager"], "Idempotency-Key": "void-once-1"}
    first = client.post(url, json={"reason": "mistaken"}, headers=headers)
    again = client.post(url, json={"reason": "mistaken"}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    different = client.post(url, json={"reason": "mistaken", "note": "other"}, headers=headers)
    assert different.status_code == 422
    detail = client.get(f"/api/hazards/{hazard['id']}", headers=world.headers["park_manager"]).json
    assert [e["action"] for e in detail["events"]] == ["register", "void"]


def test_idempotency_keys_are_per_user(client, world, photo):
    first = _register(client, world, photo).json
    second = _register(client, world, photo).json
    key = {"Idempotency-Key": "same-key"}
    assert (
        client.post(
            f"/api/hazards/{first['id']}/void",
            json={"reason": "mistaken"},
            headers={**world.headers["park_manager"], **key},
        ).status_code
        == 200
    )
    response = client.post(
        f"/api/hazards/{second['id']}/fix_on_site",
        headers={**world.headers["inspector"], **key},
        json={"action_taken": "当场整改", "after_photo_ids": [str(photo.id)]},
    )
    assert response.status_code == 200 and response.json["status"] == "closed"


def test_lost_update_gets_exactly_one_412(client, world, photo):
    hazard = _register(client, world, photo)
    tag = hazard.headers["ETag"]
    url = f"/api/hazards/{hazard.json['id']}"
    one = client.patch(url, json={"measures": "甲方案"}, headers={**world.headers["inspector"], "If-Match": tag})
    two = client.patch(url, json={"measures": "乙方案"}, headers={**world.headers["park_manager"], "If-Match": tag})
    assert sorted([one.status_code, two.status_code]) == [200, 412]
    assert client.get(url, headers=world.headers["inspector"]).json["measures"] == "甲方案"
    assert client.patch(url, json={"measures": "丙"}, headers=world.headers["inspector"]).status_code == 428


def test_closed_hazard_never_reopens_and_look_back_links_a_new_one(client, world, photo):
    hazard = _register(client, world, photo).json
    closed = client.post(
        f"/api/hazards/{hazard['id']}/fix_on_site",
        headers=world.headers["inspector"],
        json={"action_taken": "当场整改", "after_photo_ids": [str(photo.id)]},
    )
    assert closed.json["status"] == "closed" and closed.json["closure_type"] == "on_site"
    for action in ("recheck_fail", "void", "escalate"):
        assert client.post(
            f"/api/hazards/{hazard['id']}/{action}", json={}, headers=world.headers["park_manager"]
        ).status_code in (403, 409, 422)
    again = _register(client, world, photo, repeat_of=hazard["id"])
    assert again.status_code == 201 and again.json["false_closure"] is True and again.json["repeat_of"] == hazard["id"]


def test_history_is_complete_and_in_order(client, world, photo):
    hazard = _register(client, world, photo).json
    second = world.user("enforcement_officer").id
    notice = {
        "issuer_kind": "park",
        "deadline": "2099-01-10",
        "recheck_date": "2099-01-12",
        "inspector_ids": [str(world.user("inspector").id), str(second)],
    }
    assert (
        client.post(
            f"/api/hazards/{hazard['id']}/issue_notice", json=notice, headers=world.headers["inspector"]
        ).status_code
        == 200
    )
    ack = {
        "recipient_name": "赵",
        "recipient_role": "负责人",
        "received_at": "2026-07-01T09:30:00+08:00",
        "method": "electronic",
    }
    assert (
        client.post(
            f"/api/hazards/{hazard['id']}/acknowledge", json=ack, headers=world.headers["enterprise_principal"]
        ).status_code
        == 200
    )
    events = client.get(f"/api/hazards/{hazard['id']}", headers=world.headers["enterprise_principal"]).json["events"]
    assert [(e["action"], e["from_status"], e["to_status"]) for e in events] == [
        ("register", None, "registered"),
        ("issue_notice", "registered", "notice_issued"),
        ("acknowledge", "notice_issued", "rectifying"),
    ]
    assert events[1]["payload"]["deadline"] == "2099-01-10"


def test_officer_never_sees_another_enterprises_hazards(client, session, world):
    other_photo = make_photo(session, world.other, world.user("inspector"))
    session.commit()
    body = as_json(hazard_fields(world.other, other_photo))
    other = client.post("/api/hazards", json=body, headers=world.headers["inspector"]).json
    officer = world.headers["enterprise_safety_officer"]
    assert client.get(f"/api/hazards/{other['id']}", headers=officer).status_code == 404
    assert client.get("/api/hazards", headers=officer).json["items"] == []
    reply = {"measures": "x", "completed_on": "2026-01-01", "cost": "1", "after_photo_ids": [str(other_photo.id)]}
    assert client.post(f"/api/hazards/{other['id']}/submit_reply", headers=officer, json=reply).status_code == 404
    assert client.get(f"/api/hazards/{other['id']}", headers=world.headers["foreign_manager"]).status_code == 404


def test_ledger_export_has_domain_columns_history_and_only_visible_rows(client, session, world, photo):
    mine = _register(client, world, photo, description='=HYPERLINK("http://x")').json
    other_photo = make_photo(session, world.other, world.user("inspector"))
    session.commit()
    client.post(
        "/api/hazards", json=as_json(hazard_fields(world.other, other_photo)), headers=world.headers["inspector"]
    )
    response = client.get("/api/hazards/export", headers=world.headers["enterprise_safety_officer"])
    assert response.status_code == 200
    assert response.content_type.startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    rows = list(book["台账"].iter_rows(values_only=True))
    assert rows[0][:4] == ("隐患编号", "排查时间", "排查人员", "来源") and "是否逾期" in rows[0]
    assert [r[0] for r in rows[1:]] == [mine["hazard_no"]]
    assert rows[1][5].startswith("'=")  # user text is never a formula
    history = list(book["状态历史"].iter_rows(values_only=True))
    assert history[1][0] == mine["hazard_no"] and history[1][2] == "register"


def test_enterprise_corrects_five_points_but_not_findings_or_deadlines(client, session, world):
    from tests.hazards.factories import make_hazard

    hazard = make_hazard(session, world.own, world.user("inspector"), status="rectifying")
    session.commit()
    url = f"/api/hazards/{hazard.id}"

    def patch(caller, body):
        tag = client.get(url, headers=world.headers[caller]).headers["ETag"]
        return client.patch(url, json=body, headers={**world.headers[caller], "If-Match": tag})

    assert patch("enterprise_safety_officer", {"measures": "更换防火门", "funds": "1200.00"}).status_code == 200
    assert patch("enterprise_safety_officer", {"description": "无隐患"}).status_code == 403
    assert patch("enterprise_principal", {"legal_basis": "无"}).status_code == 403
    moved = patch("enterprise_safety_officer", {"deadline": "2099-12-31"})
    assert moved.status_code == 422 and "deadline" in moved.json["errors"]
    assert patch("inspector", {"description": "安全出口堵塞（已核实）"}).status_code == 200
