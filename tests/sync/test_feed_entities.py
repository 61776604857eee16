"""The change feed carries every replicated kind, each to whom may see it, behind an opaque cursor."""

import base64
import json
import uuid

import pytest

from inspect_service.common import storage
from inspect_service.common.concurrency import etag
from inspect_service.common.time import utcnow
from inspect_service.sync import feed
from inspect_service.sync.changes import encode_cursor
from tests.campaigns.factories import make_task
from tests.hazards.factories import as_json, hazard_fields, make_photo
from tests.notifications.factories import make_notification
from tests.photos.factories import upload_photo
from tests.selfchecks.factories import this_month
from tests.sync.scene import make_document
from tests.users.factories import bearer, login_tokens, make_user


def head(client, headers) -> str:
    """The feed cursor now (a bootstrap's first page names it)."""
    return client.get("/api/sync/bootstrap?limit=1", headers=headers).json["cursor"]


def read_feed(client, headers, cursor: str) -> list[dict]:
    """Every feed item after `cursor`, in pages of five."""
    items = []
    while True:
        response = client.get(f"/api/sync/changes?cursor={cursor}&limit=5", headers=headers)
        assert response.status_code == 200, response.json
        items += response.json["items"]
        cursor = response.json["next_cursor"]
        if not response.json["has_more"]:
            return items


def _ok(response, status: int = 200):
    assert response.status_code == status, response.json
    return response.json


def change_everything(client, session, world) -> dict[str, str]:
    """Change one object of every replicated kind of the `own` enterprise (through the API or its service)."""
    manager, officer, inspector = (world.headers[c] for c in ("park_manager", "enterprise_safety_officer", "inspector"))
    changed = {}
    own = _ok(client.get(f"/api/enterprises/{world.own.id}", headers=manager))
    client.patch(
        f"/api/enterprises/{world.own.id}",
        json={"address": "园区大道 9 号"},
        headers={**manager, "If-Match": etag(own["version"])},
    )
    changed["enterprise"] = str(world.own.id)
    task = make_task(session, world.park, world.own)
    document = make_document(session, world.own, world.user("inspector"), issued_at=utcnow())
    photo = make_photo(session, world.own, world.user("inspector"))
    notification = make_notification(session, world.user("enterprise_safety_officer"))
    session.commit()
    changed["notification"] = str(notification.id)
    changed["task"] = _ok(client.post(f"/api/tasks/{task.id}/complete", json={"note": "已自查"}, headers=officer))["id"]
    changed["document"] = _ok(
        client.post(f"/api/documents/{document.id}/void", json={"reason": "编号错误"}, headers=manager)
    )["id"]
    item = {"code": f"FD{uuid.uuid4().hex[:6].upper()}", "domain": "fire", "kind": "field", "text": "灭火器压力正常"}
    changed["check_item"] = _ok(client.post("/api/check-items", json=item, headers=manager), 201)["id"]
    template = {"name": f"检查表{uuid.uuid4().hex[:6]}", "item_ids": [changed["check_item"]]}
    changed["checklist_template"] = _ok(client.post("/api/checklist-templates", json=template, headers=manager), 201)[
        "id"
    ]
    changed["photo"] = str(upload_photo(session, storage.current(), world.own, world.user("inspector")).id)
    period = f"{this_month():%Y-%m}"
    changed["self_check_report"] = _ok(
        client.post("/api/self-check-reports", json={"period": period}, headers=officer), 201
    )["id"]
    hazard = as_json(hazard_fields(world.own, photo, id=uuid.uuid4()))
    changed["hazard"] = _ok(client.post("/api/hazards", json=hazard, headers=inspector), 201)["id"]
    inspection = {
        "id": str(uuid.uuid4()), "enterprise_id": str(world.own.id), "source": "park_inspection",
        "inspection_type": "routine", "started_at": utcnow().isoformat(),
        "inspector_ids": [str(world.user("inspector").id)],
    }  # fmt: skip
    changed["inspection"] = _ok(client.post("/api/inspections", json=inspection, headers=inspector), 201)["id"]
    return changed


@pytest.fixture
def other_officer(session, world) -> dict:
    """Headers of an officer of the same park's `other` enterprise."""
    user = make_user(session, role="enterprise_safety_officer", park=world.park, enterprise=world.other)
    headers = bearer(login_tokens(session, user).access_token)
    session.commit()
    return headers


def test_every_kind_reaches_the_feed_of_who_may_see_it(client, session, world, other_officer):
    callers = {
        "officer": world.headers["enterprise_safety_officer"],
        "manager": world.headers["park_manager"],
        "other": other_officer,
        "foreign": world.headers["foreign_officer"],
        "foreign_manager": world.headers["foreign_manager"],
    }
    starts = {name: head(client, headers) for name, headers in callers.items()}
    changed = change_everything(client, session, world)
    seen = {name: read_feed(client, callers[name], starts[name]) for name in callers}
    officer = {(i["entity"], i["id"]): i for i in seen["officer"]}
    for entity, object_id in changed.items():
        item = officer.get((entity, object_id))
        assert item is not None, entity
        assert item["op"] == "upsert" and item["data"]["id"] == object_id, entity
    assert officer[("document", changed["document"])]["data"]["status"] == "voided"
    assert officer[("task", changed["task"])]["data"]["status"] == "done"
    manager_ids = {i["id"] for i in seen["manager"]}
    assert set(changed.values()) - {changed["notification"]} <= manager_ids
    assert changed["notification"] not in manager_ids  # a notification is its recipient's alone
    other_ids = {i["id"] for i in seen["other"]}
    assert other_ids & set(changed.values()) == {changed["check_item"], changed["checklist_template"]}
    for name in ("foreign", "foreign_manager"):
        assert not {i["id"] for i in seen[name]} & set(changed.values()), name


def test_feed_data_is_what_the_rest_get_returns(client, session, world):
    headers = world.headers["enterprise_safety_officer"]
    start = head(client, headers)
    changed = change_everything(client, session, world)
    paths = {
        "hazard": "/api/hazards/{}", "document": "/api/documents/{}", "task": "/api/tasks/{}",
        "self_check_report": "/api/self-check-reports/{}", "enterprise": "/api/enterprises/{}",
        "photo": "/api/photos/{}", "checklist_template": "/api/checklist-templates/{}",
        "check_item": "/api/check-items/{}", "inspection": "/api/inspections/{}",
    }  # fmt: skip
    latest = {(i["entity"], i["id"]): i["data"] for i in read_feed(client, headers, start)}
    for entity, path in paths.items():
        rest = _ok(client.get(path.format(changed[entity]), headers=headers))
        assert latest[(entity, changed[entity])] == rest, entity


def test_reading_a_notification_is_an_upsert_for_its_recipient(client, session, world):
    headers = world.headers["enterprise_safety_officer"]
    notification = make_notification(session, world.user("enterprise_safety_officer"))
    session.commit()
    start = head(client, headers)
    _ok(client.post(f"/api/notifications/{notification.id}/read", headers=headers))
    items = read_feed(client, headers, start)
    assert [(i["entity"], i["id"]) for i in items] == [("notification", str(notification.id))]
    assert items[0]["data"]["read_at"] is not None


def test_an_object_out_of_sight_is_a_remove(client, session, world):
    headers = world.headers["enterprise_safety_officer"]
    start = head(client, headers)
    # an entry the officer's scope admits whose object they cannot see (another recipient's notification)
    notification = make_notification(session, world.user("park_manager"))
    feed.record(
        session,
        entity="notification",
        entity_id=notification.id,
        park_id=world.park.id,
        enterprise_id=world.own.id,
        user_id=world.user("enterprise_safety_officer").id,
    )
    session.commit()
    items = read_feed(client, headers, start)
    assert [(i["op"], i["id"], i["data"]) for i in items] == [("remove", str(notification.id), None)]


def test_cursor_is_opaque_and_a_malformed_one_is_422(client, world):
    headers = world.headers["inspector"]
    page = _ok(client.get("/api/sync/changes", headers=headers))
    assert isinstance(page["next_cursor"], str)
    assert _ok(client.get("/api/sync/changes?cursor=", headers=headers))["items"] == page["items"]
    assert _ok(client.get("/api/sync/changes?cursor=0", headers=headers))["items"] == page["items"]
    assert _ok(client.get(f"/api/sync/changes?cursor={page['next_cursor']}", headers=headers))["items"] == []

    def packed(values) -> str:
        return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")

    for bad in ("abc", "-1", "12", packed(["x"]), packed(["1", "2"]), packed([5]), packed(["²"]), packed(["-3"])):
        response = client.get(f"/api/sync/changes?cursor={bad}", headers=headers)
        assert response.status_code == 422 and response.content_type == "application/problem+json", bad
        assert "cursor" in response.json["errors"], bad
    assert client.get(f"/api/sync/changes?cursor={'x' * 201}", headers=headers).status_code == 422
    assert encode_cursor(7) != "7"
