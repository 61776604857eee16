"""Accounts: who may create whom, tenancy of new accounts, inspector kinds."""

import pytest

PASSWORD = "a-good-long-password"


def _body(**fields):
    return {"username": "new.user", "display_name": "新用户", "password": PASSWORD, **fields}


def test_manager_creates_inspector_in_own_park(client, world):
    response = client.post(
        "/api/users", json=_body(role="inspector", inspector_kind="park_staff"), headers=world.headers["park_manager"]
    )
    assert response.status_code == 201, response.json
    assert response.json["park_id"] == str(world.park.id)
    assert "password" not in response.json and "password_hash" not in response.json


def test_manager_cannot_create_admin_or_manager(client, world):
    for role in ("admin", "park_manager"):
        response = client.post("/api/users", json=_body(role=role), headers=world.headers["park_manager"])
        assert response.status_code == 422 and "role" in response.json["errors"]


def test_manager_cannot_place_account_in_other_park(client, world):
    body = _body(role="inspector", inspector_kind="park_staff", park_id=str(world.foreign_park.id))
    response = client.post("/api/users", json=body, headers=world.headers["park_manager"])
    assert response.status_code == 422 and "park_id" in response.json["errors"]


def test_enterprise_account_needs_enterprise_of_the_park(client, world):
    headers = world.headers["park_manager"]
    missing = client.post("/api/users", json=_body(role="enterprise_safety_officer"), headers=headers)
    foreign = client.post(
        "/api/users", json=_body(role="enterprise_safety_officer", enterprise_id=str(world.foreign.id)), headers=headers
    )
    assert missing.status_code == foreign.status_code == 422
    ok = client.post(
        "/api/users", json=_body(role="enterprise_safety_officer", enterprise_id=str(world.own.id)), headers=headers
    )
    assert ok.status_code == 201 and ok.json["enterprise_id"] == str(world.own.id)


def test_enforcement_officer_needs_certificate(client, world):
    headers = world.headers["park_manager"]
    body = _body(role="inspector", inspector_kind="enforcement_officer")
    assert client.post("/api/users", json=body, headers=headers).status_code == 422
    assert client.post("/api/users", json={**body, "cert_no": "ZF-77"}, headers=headers).status_code == 201


def test_inspector_needs_kind_and_others_have_none(client, world):
    headers = world.headers["admin"]
    park = str(world.park.id)
    assert client.post("/api/users", json=_body(role="inspector", park_id=park), headers=headers).status_code == 422
    body = _body(role="park_manager", park_id=park, inspector_kind="park_staff")
    assert client.post("/api/users", json=body, headers=headers).status_code == 422


def test_username_taken_is_409_whatever_the_case(client, world):
    taken = world.user("inspector").username.upper()
    body = _body(username=taken, role="inspector", inspector_kind="park_staff")
    assert client.post("/api/users", json=body, headers=world.headers["park_manager"]).status_code == 409


@pytest.mark.parametrize(
    "field, value",
    [
        ("username", "ab"),
        ("username", "有中文"),
        ("password", "short"),
        ("password", "x" * 129),
        ("display_name", ""),
        ("email", "not-mail"),
        ("role", "superuser"),
    ],
)
def test_bad_user_fields_are_422(client, world, field, value):
    body = {**_body(role="inspector", inspector_kind="park_staff"), field: value}
    response = client.post("/api/users", json=body, headers=world.headers["park_manager"])
    assert response.status_code == 422 and field in response.json["errors"]


def test_portfolio_is_replaced_and_limited_to_the_park(client, world):
    liaison = world.user("liaison_officer")
    url, headers = f"/api/users/{liaison.id}/portfolio", world.headers["park_manager"]
    ok = client.put(url, json={"enterprise_ids": [str(world.other.id)]}, headers=headers)
    assert ok.status_code == 200 and ok.json == {"enterprise_ids": [str(world.other.id)]}
    # the liaison now sees `other` and no longer `own`
    liaison_headers = world.headers["liaison_officer"]
    assert client.get(f"/api/enterprises/{world.other.id}", headers=liaison_headers).status_code == 200
    assert client.get(f"/api/enterprises/{world.own.id}", headers=liaison_headers).status_code == 404
    foreign = client.put(url, json={"enterprise_ids": [str(world.foreign.id)]}, headers=headers)
    assert foreign.status_code == 422


def test_portfolio_only_for_liaison_officers_and_experts(client, world):
    url = f"/api/users/{world.user('inspector').id}/portfolio"
    response = client.put(url, json={"enterprise_ids": []}, headers=world.headers["park_manager"])
    assert response.status_code == 422
