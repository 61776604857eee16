"""Check items over HTTP: library for everyone, park items for the park, filters, paging, validation."""

import uuid

import pytest

from inspect_service.checklists import library
from tests.checklists.factories import make_check_item


@pytest.fixture
def items(session, world):
    """The national library plus one item of each park."""
    library.load_library(session=session)
    own = make_check_item(
        session, world.park, code="YQ01", text="园区自定检查项：危化品车辆停车场管理", domain="traffic"
    )
    foreign = make_check_item(session, world.foreign_park, code="YQ01", text="外园区检查项：码头装卸作业管理")
    session.commit()
    return {"own": own, "foreign": foreign}


def _codes(client, headers, query="") -> list[str]:
    codes, cursor = [], None
    while True:
        url = f"/api/check-items?limit=200{query}" + (f"&cursor={cursor}" if cursor else "")
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.json
        codes += [item["code"] for item in response.json["items"]]
        cursor = response.json["next_cursor"]
        if not cursor:
            return codes


def _body(**fields) -> dict:
    return {
        "code": "YQ02",
        "domain": "fire",
        "kind": "field",
        "text": "园区自定检查项：仓库电动叉车充电区独立设置",
        **fields,
    }


def test_park_users_see_library_and_own_park_items_only(client, world, items):
    for caller in ("inspector", "enterprise_safety_officer", "park_manager"):
        listed = client.get("/api/check-items?limit=200", headers=world.headers[caller]).json["items"]
        assert len(listed) == 81
        assert {i["id"] for i in listed if i["park_id"]} == {str(items["own"].id)}
    assert str(items["foreign"].id) in {
        i["id"]
        for i in client.get("/api/check-items?limit=200", headers=world.headers["foreign_manager"]).json["items"]
    }


def test_admin_sees_every_park_and_can_narrow_to_one(client, world, items):
    assert len(_codes(client, world.headers["admin"])) == 82
    in_park = client.get(f"/api/check-items?limit=200&park_id={world.park.id}", headers=world.headers["admin"]).json
    assert {i["park_id"] for i in in_park["items"]} == {None, str(world.park.id)}


def test_keyset_pages_walk_every_item_in_code_order(client, world, items):
    codes, cursor = [], None
    while True:
        url = "/api/check-items?limit=7" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=world.headers["inspector"]).json
        assert len(page["items"]) <= 7
        codes += [item["code"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert codes == sorted(codes) and len(codes) == len(set(codes)) == 81


@pytest.mark.parametrize(
    "query, expected",
    [
        ("&domain=combustible_dust", {f"CD{n:02d}" for n in range(1, 9)}),
        ("&domain=fire&kind=management", {"FI01", "FI07", "FI09"}),
        ("&domain=fire&major_only=true", {"FI03", "FI06"}),
        ("&q=有限空间作业&domain=confined_space", {"CS02", "CS03", "CS05", "CS07"}),
        ("&q=fi0&kind=management", {"FI01", "FI07", "FI09"}),
        ("&origin=park", {"YQ01"}),
        ("&origin=library&domain=traffic", {f"TR{n:02d}" for n in range(1, 7)}),
        ("&domain=traffic&q=园区自定", {"YQ01"}),
        ("&q=%25", set()),
    ],
)
def test_list_filters(client, world, items, query, expected):
    assert set(_codes(client, world.headers["inspector"], query)) == expected


def test_major_only_returns_the_39_starred_items(client, world, items):
    listed = client.get("/api/check-items?limit=200&major_only=1", headers=world.headers["inspector"]).json["items"]
    assert len(listed) == 39 and all(item["major_criterion_ref"] for item in listed)


@pytest.mark.parametrize(
    "query",
    ["domain=shipping", "kind=outdoor", "origin=mine", "major_only=maybe", "q=" + "查" * 101, "limit=201", "x=1"],
)
def test_bad_list_arguments_are_422(client, world, query):
    response = client.get(f"/api/check-items?{query}", headers=world.headers["inspector"])
    assert response.status_code == 422 and response.mimetype == "application/problem+json"


def test_read_one_item_with_its_domain_name(client, world, items):
    library_item = client.get("/api/check-items?q=FI03", headers=world.headers["enterprise_principal"]).json["items"][0]
    response = client.get(f"/api/check-items/{library_item['id']}", headers=world.headers["enterprise_principal"])
    assert response.status_code == 200
    assert response.json["domain_name"] == "消防" and response.json["park_id"] is None
    assert response.json["verified"] is False and response.json["major_criterion_ref"] == "GB 35181"


def test_other_park_item_answers_like_a_missing_one(client, world, items):
    url = f"/api/check-items/{items['foreign'].id}"
    for caller in ("park_manager", "inspector", "enterprise_safety_officer"):
        response = client.get(url, headers=world.headers[caller])
        missing = client.get(f"/api/check-items/{uuid.uuid4()}", headers=world.headers[caller])
        assert (response.status_code, response.json) == (404, missing.json)
    assert client.get(url, headers=world.headers["admin"]).status_code == 200
    assert client.get(url, headers=world.headers["foreign_manager"]).status_code == 200


def test_admin_adds_library_items_and_managers_their_park_items(client, world, items):
    response = client.post("/api/check-items", json=_body(code="zz-01"), headers=world.headers["admin"])
    assert response.status_code == 201, response.json
    assert response.json["park_id"] is None and response.json["code"] == "ZZ-01"
    assert response.json["created_by"] == str(world.user("admin").id) and response.json["verified"] is True
    response = client.post("/api/check-items", json=_body(), headers=world.headers["park_manager"])
    assert response.status_code == 201, response.json
    assert response.json["park_id"] == str(world.park.id) and response.json["major_criterion_ref"] is None
    assert "YQ02" not in _codes(client, world.headers["foreign_manager"])
    assert {"YQ02", "ZZ-01"} <= set(_codes(client, world.headers["enterprise_principal"]))


@pytest.mark.parametrize(
    "caller",
    ["inspector", "enforcement_officer", "liaison_officer", "enterprise_safety_officer", "enterprise_principal"],
)
def test_only_admins_and_park_managers_add_items(client, world, caller):
    response = client.post("/api/check-items", json=_body(), headers=world.headers[caller])
    assert response.status_code == 403 and response.mimetype == "application/problem+json"


def test_signed_out_callers_get_401(client, world, items):
    for caller in ("anonymous", "expired", "disabled"):
        headers = world.headers[caller]
        assert client.get("/api/check-items", headers=headers).status_code == 401
        assert client.get(f"/api/check-items/{items['own'].id}", headers=headers).status_code == 401
        assert client.post("/api/check-items", json=_body(), headers=headers).status_code == 401


@pytest.mark.parametrize(
    "field, value",
    [
        ("domain", "shipping"),
        ("domain", None),
        ("kind", "outdoor"),
        ("code", ""),
        ("code", "YQ 01"),
        ("code", "Y" * 21),
        ("code", 12),
        ("text", ""),
        ("text", "   "),
        ("text", "查" * 501),
        ("legal_basis", "法" * 501),
        ("major_criterion_ref", ""),
        ("major_criterion_ref", "判" * 201),
        ("verified", "yes"),
        ("park_id", str(uuid.uuid4())),
    ],
)
def test_bad_item_fields_are_422_with_field_errors(client, world, field, value):
    response = client.post("/api/check-items", json=_body(**{field: value}), headers=world.headers["park_manager"])
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]


def test_missing_required_fields_are_422(client, world):
    response = client.post("/api/check-items", json={}, headers=world.headers["admin"])
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"code", "domain", "kind", "text"}


@pytest.mark.parametrize(
    "caller, code",
    [
        ("park_manager", "FI03"),  # a library code
        ("park_manager", "YQ01"),  # the park's own code
        ("admin", "FI03"),
        ("admin", "YQ01"),  # used by a park: library codes must not shadow parks' items
    ],
)
def test_duplicate_code_is_409(client, world, items, caller, code):
    response = client.post("/api/check-items", json=_body(code=code), headers=world.headers[caller])
    assert response.status_code == 409 and response.mimetype == "application/problem+json"


def test_parks_may_reuse_each_others_codes(client, world, items):
    response = client.post("/api/check-items", json=_body(code="YQ01"), headers=world.headers["foreign_manager"])
    assert response.status_code == 409  # its own YQ01
    response = client.post("/api/check-items", json=_body(code="YQ09"), headers=world.headers["foreign_manager"])
    assert response.status_code == 201
    response = client.post("/api/check-items", json=_body(code="YQ09"), headers=world.headers["park_manager"])
    assert response.status_code == 201
