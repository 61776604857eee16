"""The phone's bootstrap: scope per caller, one cursor per bootstrap, nothing lost while paging, bounded SQL."""

import base64
import json

import pytest
from sqlalchemy import event

from inspect_service.extensions import db
from inspect_service.sync.changes import decode_feed_cursor
from tests.hazards.factories import make_photo
from tests.sync.scene import NAMES, build_scene, hazard_with_photo

KINDS = (
    "enterprise", "check_item", "checklist_template", "task", "inspection", "hazard", "photo", "document",
    "self_check_report", "notification",
)  # fmt: skip


@pytest.fixture
def scene(session, world):
    """The world with one row of every kind per enterprise."""
    return build_scene(session, world)


def read_all(client, headers, limit: int = 7) -> tuple[list[dict], list[str]]:
    """Every page of one bootstrap: its items and the cursor each page named."""
    items, cursors, page = [], [], None
    for _ in range(500):
        query = f"/api/sync/bootstrap?limit={limit}" + (f"&page={page}" if page else "")
        response = client.get(query, headers=headers)
        assert response.status_code == 200, response.json
        assert len(response.json["items"]) <= limit
        items += response.json["items"]
        cursors.append(response.json["cursor"])
        page = response.json["next_page"]
        assert response.json["has_more"] == (page is not None)
        if page is None:
            return items, cursors
    raise AssertionError("the bootstrap never ended")


def ids_by_kind(items: list[dict]) -> dict[str, set[str]]:
    """The ids an item list holds, per entity kind."""
    found: dict[str, set[str]] = {}
    for item in items:
        found.setdefault(item["entity"], set()).add(item["id"])
    return found


def all_ids(scene, name: str) -> set[str]:
    """Every id of one enterprise's rows."""
    return set().union(*scene.ids[name].values())


def test_officer_bootstrap_holds_their_enterprise_only(client, world, scene):
    items, cursors = read_all(client, world.headers["enterprise_safety_officer"])
    found = ids_by_kind(items)
    everything = set().union(*found.values())
    for kind in KINDS:
        if kind == "inspection":
            continue  # the officer recorded none: inspections are the caller's own
        assert scene.of("own", kind) <= found.get(kind, set()), kind
    assert scene.library_item in found["check_item"]
    assert not everything & (all_ids(scene, "other") | all_ids(scene, "foreign") | scene.stale)
    assert not found.get("inspection")
    assert len(set(cursors)) == 1
    assert [item["entity"] for item in items] == sorted(
        (item["entity"] for item in items), key=KINDS.index
    )  # entities in the fixed order


def test_other_officer_and_foreign_user_see_none_of_it(client, world, scene):
    other, _ = read_all(client, scene.headers)
    other_ids = set().union(*ids_by_kind(other).values())
    assert all_ids(scene, "other") - scene.of("other", "inspection") - scene.of("other", "check_item") <= other_ids
    assert not other_ids & (
        all_ids(scene, "own") - scene.of("own", "check_item") - scene.of("own", "checklist_template")
    )
    assert scene.of("own", "check_item") <= other_ids  # the park's items are the whole park's
    for caller in ("foreign_officer", "foreign_manager"):
        foreign, _ = read_all(client, world.headers[caller], limit=50)
        foreign_ids = set().union(*ids_by_kind(foreign).values())
        assert not foreign_ids & (all_ids(scene, "own") | all_ids(scene, "other")), caller


def test_liaison_sees_portfolio_and_inspector_own_inspections(client, world, scene):
    items, _ = read_all(client, world.headers["liaison_officer"], limit=500)
    found = ids_by_kind(items)
    assert scene.of("own", "hazard") <= found["hazard"] and scene.of("own", "document") <= found["document"]
    assert not set().union(*found.values()) & (all_ids(scene, "other") | all_ids(scene, "foreign"))
    assert not found.get("self_check_report") and not found.get("inspection")
    inspector, _ = read_all(client, world.headers["inspector"], limit=500)
    assert ids_by_kind(inspector)["inspection"] == scene.of("own", "inspection") | scene.of("other", "inspection")


def test_data_is_what_the_rest_get_returns(client, world, scene):
    headers = world.headers["enterprise_safety_officer"]
    items, _ = read_all(client, headers, limit=500)
    paths = {
        "hazard": "/api/hazards/{}", "document": "/api/documents/{}", "task": "/api/tasks/{}",
        "self_check_report": "/api/self-check-reports/{}", "enterprise": "/api/enterprises/{}",
        "photo": "/api/photos/{}", "checklist_template": "/api/checklist-templates/{}",
    }  # fmt: skip
    checked = set()
    for item in items:
        if item["entity"] in paths and item["id"] in all_ids(scene, "own"):
            response = client.get(paths[item["entity"]].format(item["id"]), headers=headers)
            assert response.status_code == 200
            assert item["data"] == response.json, item["entity"]
            checked.add(item["entity"])
    assert checked == set(paths)


HAZARD_BODY = {
    "location_text": "仓库", "domain": "fire", "nature": "object", "level": "general", "source": "park_inspection",
    "description": "灭火器过期", "legal_basis": "《消防法》", "rectify_mode": "deadline",
}  # fmt: skip


def test_changes_while_paging_are_in_the_feed_from_the_bootstrap_cursor(client, session, world, scene):
    headers = world.headers["park_manager"]
    items, page, cursor = [], None, None
    while not any(i["entity"] == "hazard" and i["id"] in scene.of("own", "hazard") for i in items):
        body = client.get("/api/sync/bootstrap?limit=2" + (f"&page={page}" if page else ""), headers=headers).json
        assert cursor in (None, body["cursor"]) and body["has_more"]
        items, page, cursor = items + body["items"], body["next_page"], body["cursor"]
    # while the phone pages: a hazard it already has is voided, a new one is registered
    voided = next(iter(scene.of("own", "hazard")))
    response = client.post(f"/api/hazards/{voided}/void", json={"reason": "mistaken"}, headers=headers)
    assert response.status_code == 200
    photo = make_photo(session, world.own, world.user("inspector"))
    session.commit()
    body = {**HAZARD_BODY, "enterprise_id": str(world.own.id), "photo_ids": [str(photo.id)]}
    created = client.post("/api/hazards", json=body, headers=world.headers["inspector"])
    assert created.status_code == 201
    while page:
        body = client.get(f"/api/sync/bootstrap?limit=2&page={page}", headers=headers).json
        assert body["cursor"] == cursor
        items, page = items + body["items"], body["next_page"]
    replica = {(i["entity"], i["id"]): i["data"] for i in items}
    assert replica[("hazard", voided)]["status"] != "voided"  # the bootstrap had passed it
    while True:
        feed = client.get(f"/api/sync/changes?cursor={cursor}&limit=3", headers=headers).json
        for change in feed["items"]:
            assert change["op"] == "upsert"
            replica[(change["entity"], change["id"])] = change["data"]
        cursor = feed["next_cursor"]
        if not feed["has_more"]:
            break
    assert replica[("hazard", voided)]["status"] == "voided"
    assert replica[("hazard", created.json["id"])]["version"] == created.json["version"]
    server = client.get("/api/hazards?limit=200", headers=headers).json["items"]
    for hazard in server:
        if hazard["status"] not in ("closed", "voided") or hazard["id"] == voided:
            assert replica[("hazard", hazard["id"])]["version"] == hazard["version"]


def _tampered(token: str) -> str:
    """The token with its position forged: the same signature over another payload."""
    payload, _, signature = token.rpartition(".")
    forged = base64.urlsafe_b64encode(json.dumps({"s": 0, "a": None}).encode()).decode().rstrip("=")
    assert forged != payload
    return f"{forged}.{signature}"


def test_tampered_or_foreign_page_token_is_422(client, world, scene):
    headers = world.headers["enterprise_safety_officer"]
    token = client.get("/api/sync/bootstrap?limit=3", headers=headers).json["next_page"]
    for bad in (_tampered(token), "not-a-token", token[:-2], "x" * 1001):
        response = client.get(f"/api/sync/bootstrap?page={bad}", headers=headers)
        assert response.status_code == 422 and response.content_type == "application/problem+json", bad
    stolen = client.get(f"/api/sync/bootstrap?page={token}", headers=scene.headers)
    assert stolen.status_code == 422  # a token is its caller's own
    assert client.get("/api/sync/bootstrap?limit=501", headers=headers).status_code == 422


def test_cursor_is_taken_before_the_first_page(client, session, world, scene):
    before = client.get("/api/sync/changes?limit=500", headers=world.headers["park_manager"]).json["next_cursor"]
    cursor = client.get("/api/sync/bootstrap", headers=world.headers["park_manager"]).json["cursor"]
    assert decode_feed_cursor(cursor) >= decode_feed_cursor(before)


def _statements(app, client, headers, limit: int) -> tuple[int, int]:
    count = 0

    def tally(*_args, **_kwargs):
        nonlocal count
        count += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", tally)
    try:
        response = client.get(f"/api/sync/bootstrap?limit={limit}", headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", tally)
    assert response.status_code == 200
    return count, len(response.json["items"])


def test_statements_per_page_do_not_grow_with_its_rows(app, client, session, world, scene):
    headers = world.headers["park_manager"]
    few, few_items = _statements(app, client, headers, limit=500)
    for _ in range(40):
        for name in ("own", "other"):
            hazard_with_photo(session, getattr(world, name), world.user("inspector"))
    session.commit()
    many, many_items = _statements(app, client, headers, limit=500)
    assert many_items >= few_items + 160  # 80 hazards and their 80 photos more on the same page
    assert many <= few and many <= 40, (few, many)


@pytest.mark.parametrize("name", NAMES)
def test_scene_rows_exist(scene, name):
    assert all(scene.ids[name].get(kind) for kind in ("hazard", "task", "document", "notification"))
