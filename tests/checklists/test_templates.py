"""Checklist templates over HTTP: composition rules, ordering, concurrency and park scoping."""

import uuid

import pytest
from sqlmodel import select

from inspect_service.checklists import library
from inspect_service.checklists.models import CheckItem
from tests.checklists.factories import make_check_item, make_template

URL = "/api/checklist-templates"


@pytest.fixture
def scene(session, world):
    """The library, one item per park, and one template per park."""
    library.load_library(session=session)
    by_code = {item.code: item for item in session.exec(select(CheckItem).where(CheckItem.park_id.is_(None)))}
    own = make_check_item(session, world.park, code="YQ01", domain="hazchem")
    foreign = make_check_item(session, world.foreign_park, code="WY01")
    template = make_template(
        session, world.park, world.user("park_manager"), [by_code["HC06"], own, by_code["BM01"]], domain="hazchem"
    )
    foreign_template = make_template(session, world.foreign_park, world.user("foreign_manager"), [foreign])
    session.commit()
    return {
        "library": by_code,
        "own": own,
        "foreign": foreign,
        "template": template,
        "foreign_template": foreign_template,
    }


def _ids(*items) -> list[str]:
    return [str(item.id) for item in items]


def _body(scene, **fields) -> dict:
    lib = scene["library"]
    return {
        "name": "危化企业专项检查表",
        "description": "重点抽查阶段使用",
        "domain": "hazchem",
        "item_ids": _ids(lib["HC10"], lib["HC01"], scene["own"], lib["FI03"]),
        **fields,
    }


def test_manager_composes_a_template_of_library_and_park_items(client, world, scene):
    body = _body(scene)
    response = client.post(URL, json=body, headers=world.headers["park_manager"])
    assert response.status_code == 201, response.json
    assert response.headers["ETag"] == '"1"'
    assert response.json["park_id"] == str(world.park.id) and response.json["item_ids"] == body["item_ids"]
    assert response.json["created_by"] == str(world.user("park_manager").id)
    items = client.get(f"{URL}/{response.json['id']}/items", headers=world.headers["enterprise_safety_officer"])
    assert items.status_code == 200 and items.headers["ETag"] == '"1"'
    assert [item["code"] for item in items.json["items"]] == ["HC10", "HC01", "YQ01", "FI03"]
    assert items.json["items"][0]["domain_name"] == "危险化学品"


def test_admin_names_the_park(client, world, scene):
    body = _body(scene)
    response = client.post(URL, json=body, headers=world.headers["admin"])
    assert response.status_code == 422 and "park_id" in response.json["errors"]
    response = client.post(URL, json={**body, "park_id": str(uuid.uuid4())}, headers=world.headers["admin"])
    assert response.status_code == 422 and "park_id" in response.json["errors"]
    response = client.post(URL, json={**body, "park_id": str(world.park.id)}, headers=world.headers["admin"])
    assert response.status_code == 201 and response.json["park_id"] == str(world.park.id)
    # The park's own item is usable in its park only.
    response = client.post(URL, json={**body, "park_id": str(world.foreign_park.id)}, headers=world.headers["admin"])
    assert response.status_code == 422 and response.json["errors"] == {
        "item_ids": {"2": ["Not a library item or an item of this park."]}
    }


def test_manager_cannot_create_in_another_park(client, world, scene):
    body = _body(scene, park_id=str(world.foreign_park.id))
    response = client.post(URL, json=body, headers=world.headers["park_manager"])
    assert response.status_code == 422 and "park_id" in response.json["errors"]


@pytest.mark.parametrize("which", ["foreign", "missing"])
def test_template_with_foreign_or_unknown_item_is_422(client, world, scene, which):
    stranger = str(scene["foreign"].id) if which == "foreign" else str(uuid.uuid4())
    body = _body(scene, item_ids=[str(scene["library"]["BM02"].id), stranger])
    response = client.post(URL, json=body, headers=world.headers["park_manager"])
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert response.json["errors"] == {"item_ids": {"1": ["Not a library item or an item of this park."]}}


@pytest.mark.parametrize(
    "field, value",
    [
        ("item_ids", []),
        ("item_ids", [str(uuid.uuid4()) for _ in range(301)]),
        ("item_ids", ["not-a-uuid"]),
        ("item_ids", None),
        ("name", ""),
        ("name", "表" * 101),
        ("description", "述" * 2001),
        ("domain", "shipping"),
        ("version", 3),
    ],
)
def test_bad_template_fields_are_422(client, world, scene, field, value):
    response = client.post(URL, json=_body(scene, **{field: value}), headers=world.headers["park_manager"])
    assert response.status_code == 422 and field in response.json["errors"]


def test_repeated_items_are_422(client, world, scene):
    lib = scene["library"]
    response = client.post(
        URL, json=_body(scene, item_ids=_ids(lib["FI01"], lib["FI02"], lib["FI01"])), headers=world.headers["admin"]
    )
    assert response.status_code == 422 and str(lib["FI01"].id) in response.json["errors"]["item_ids"][0]


def test_three_hundred_items_are_allowed(client, session, world, scene):
    extra = [make_check_item(session, world.park) for _ in range(300 - 80)]
    session.commit()
    item_ids = _ids(*scene["library"].values(), *extra)
    response = client.post(URL, json=_body(scene, item_ids=item_ids), headers=world.headers["park_manager"])
    assert response.status_code == 201, response.json
    items = client.get(f"{URL}/{response.json['id']}/items", headers=world.headers["inspector"]).json["items"]
    assert [item["id"] for item in items] == item_ids


def test_duplicate_name_in_park_is_409_but_fine_in_another(client, world, scene):
    body = _body(scene, name=scene["template"].name)
    assert client.post(URL, json=body, headers=world.headers["park_manager"]).status_code == 409
    body = _body(scene, name=scene["foreign_template"].name)
    assert client.post(URL, json=body, headers=world.headers["park_manager"]).status_code == 201


def test_update_needs_current_version(client, world, scene):
    url, headers = f"{URL}/{scene['template'].id}", world.headers["park_manager"]
    lib = scene["library"]
    change = {"item_ids": _ids(lib["BM01"], lib["HC06"]), "description": "调整顺序"}
    assert client.patch(url, json=change, headers=headers).status_code == 428
    assert client.patch(url, json=change, headers={**headers, "If-Match": '"99"'}).status_code == 412
    ok = client.patch(url, json=change, headers={**headers, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.headers["ETag"] == '"2"'
    assert ok.json["item_ids"] == change["item_ids"] and ok.json["updated_at"]
    assert client.patch(url, json={"name": "旧版本"}, headers={**headers, "If-Match": '"1"'}).status_code == 412
    items = client.get(f"{url}/items", headers=headers).json
    assert [i["code"] for i in items["items"]] == ["BM01", "HC06"] and items["version"] == 2


def test_update_keeps_the_composition_rules(client, world, scene):
    url, headers = f"{URL}/{scene['template'].id}", {**world.headers["admin"], "If-Match": '"1"'}
    response = client.patch(url, json={"item_ids": [str(scene["foreign"].id)]}, headers=headers)
    assert response.status_code == 422 and "item_ids" in response.json["errors"]
    response = client.patch(url, json={"park_id": str(world.foreign_park.id)}, headers=headers)
    assert response.status_code == 422 and "park_id" in response.json["errors"]
    response = client.patch(url, json={"name": scene["template"].name + "（修订）", "domain": None}, headers=headers)
    assert response.status_code == 200 and response.json["domain"] is None


def test_other_park_templates_answer_like_missing_ones(client, world, scene):
    url = f"{URL}/{scene['foreign_template'].id}"
    for caller in ("park_manager", "inspector", "enterprise_principal"):
        headers = world.headers[caller]
        missing = client.get(f"{URL}/{uuid.uuid4()}", headers=headers)
        for path in (url, f"{url}/items"):
            response = client.get(path, headers=headers)
            assert (response.status_code, response.json) == (404, missing.json)
    patch = client.patch(url, json={"name": "x"}, headers={**world.headers["park_manager"], "If-Match": '"1"'})
    assert patch.status_code == 404
    assert client.get(url, headers=world.headers["admin"]).status_code == 200


def test_lists_show_the_callers_park_only(client, world, scene):
    def listed(caller, query=""):
        response = client.get(f"{URL}?limit=200{query}", headers=world.headers[caller])
        assert response.status_code == 200
        return {item["id"] for item in response.json["items"]}

    own, foreign = str(scene["template"].id), str(scene["foreign_template"].id)
    for caller in ("park_manager", "inspector", "liaison_officer", "enterprise_safety_officer"):
        assert listed(caller) == {own}
    assert listed("foreign_manager") == {foreign}
    assert listed("admin") == {own, foreign}
    assert listed("admin", f"&park_id={world.foreign_park.id}") == {foreign}
    assert listed("admin", "&domain=hazchem") == {own}
    assert listed("admin", f"&q={scene['template'].name[-5:]}") == {own}


@pytest.mark.parametrize(
    "caller", ["inspector", "liaison_officer", "enterprise_safety_officer", "enterprise_principal"]
)
def test_park_users_read_templates_but_cannot_write(client, world, scene, caller):
    headers = world.headers[caller]
    url = f"{URL}/{scene['template'].id}"
    assert client.get(url, headers=headers).status_code == 200
    assert client.get(f"{url}/items", headers=headers).status_code == 200
    assert client.post(URL, json=_body(scene), headers=headers).status_code == 403
    response = client.patch(url, json={"name": "改名"}, headers={**headers, "If-Match": '"1"'})
    assert response.status_code == 403 and response.mimetype == "application/problem+json"


def test_signed_out_callers_get_401(client, world, scene):
    url = f"{URL}/{scene['template'].id}"
    for caller in ("anonymous", "expired", "disabled"):
        headers = world.headers[caller]
        assert client.get(URL, headers=headers).status_code == 401
        assert client.post(URL, json=_body(scene), headers=headers).status_code == 401
        assert client.get(url, headers=headers).status_code == 401
        assert client.get(f"{url}/items", headers=headers).status_code == 401
        assert client.patch(url, json={"name": "x"}, headers={**headers, "If-Match": '"1"'}).status_code == 401
