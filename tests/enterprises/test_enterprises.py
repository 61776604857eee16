"""Enterprise register: validation, filters, keyset paging, optimistic concurrency."""

import pytest

from inspect_service.demo import credit_code
from inspect_service.enterprises.credit_code import is_valid
from tests.enterprises.factories import make_enterprise


def _body(**fields):
    return {"name": "新注册企业有限公司", "credit_code": credit_code("330200", 9001), **fields}


@pytest.mark.parametrize(
    "code, ok",
    [
        ("91110000600037341L", True),
        ("91110000600037341M", False),  # wrong check character
        ("91110000600037341", False),  # 17 characters
        ("9111000060003734IL", False),  # I is not in the code alphabet
        ("91110000600037341l", False),  # lower case is normalised by the schema, not by the checker
    ],
)
def test_credit_code_check_digit(code, ok):
    assert is_valid(code) is ok


def test_manager_registers_enterprise_in_own_park(client, world):
    response = client.post(
        "/api/enterprises",
        json=_body(credit_code=credit_code("330200", 9001).lower()),
        headers=world.headers["park_manager"],
    )
    assert response.status_code == 201, response.json
    assert response.json["park_id"] == str(world.park.id)
    assert response.json["credit_code"] == credit_code("330200", 9001)
    assert response.headers["ETag"] == '"1"'


@pytest.mark.parametrize(
    "field, value",
    [
        ("credit_code", "91110000600037341M"),
        ("name", ""),
        ("name", "   "),
        ("name", "企" * 201),
        ("enterprise_class", 4),
        ("risk_color", "purple"),
        ("tags", ["t"] * 21),
        ("tags", ["x" * 21]),
        ("latitude", 91),
        ("principal_phone", "call me"),
        ("address", "路" * 301),
    ],
)
def test_bad_enterprise_fields_are_422_with_field_errors(client, world, field, value):
    response = client.post("/api/enterprises", json=_body(**{field: value}), headers=world.headers["park_manager"])
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert field in response.json["errors"]


def test_duplicate_credit_code_in_park_is_409(client, world):
    body = _body(credit_code=world.other.credit_code)
    response = client.post("/api/enterprises", json=body, headers=world.headers["park_manager"])
    assert response.status_code == 409


def test_list_filters_and_pages_by_name(client, session, world):
    for i in range(5):
        make_enterprise(session, world.park, name=f"筛选企业{i}", risk_color="red", enterprise_class=1)
    session.commit()
    headers = world.headers["park_manager"]
    seen, cursor = [], None
    while True:
        query = "risk_color=red&enterprise_class=1&q=筛选&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/api/enterprises?{query}", headers=headers).json
        seen += [item["name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [f"筛选企业{i}" for i in range(5)]


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=201", "cursor=%%%", "cursor=WyJ4Il0", "risk_color=x", "q=" + "a" * 101, "unknown=1"]
)
def test_bad_list_arguments_are_422(client, world, query):
    response = client.get(f"/api/enterprises?{query}", headers=world.headers["park_manager"])
    assert response.status_code == 422, response.json


def test_like_wildcards_in_search_are_literal(client, session, world):
    make_enterprise(session, world.park, name="百分之百%企业")
    session.commit()
    names = [
        e["name"] for e in client.get("/api/enterprises?q=%25", headers=world.headers["park_manager"]).json["items"]
    ]
    assert names == ["百分之百%企业"]


def test_update_needs_current_version(client, world):
    url, headers = f"/api/enterprises/{world.own.id}", world.headers["park_manager"]
    assert client.patch(url, json={"risk_color": "red"}, headers=headers).status_code == 428
    assert client.patch(url, json={"risk_color": "red"}, headers={**headers, "If-Match": '"99"'}).status_code == 412
    ok = client.patch(url, json={"risk_color": "red"}, headers={**headers, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.headers["ETag"] == '"2"' and ok.json["risk_color"] == "red"
    stale = client.patch(url, json={"risk_color": "blue"}, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert client.get(url, headers=headers).json["risk_color"] == "red"
