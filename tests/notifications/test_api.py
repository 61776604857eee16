"""The notification feed and webhook subscription endpoints."""

import pytest

from inspect_service.notifications.models import URL_MAX
from tests.notifications.factories import make_notification, make_subscription, new_subscription, notify


def _ids(response) -> list[str]:
    return [item["id"] for item in response.json["items"]]


def test_feed_lists_only_the_callers_notifications_newest_first(client, session, world):
    manager, inspector = world.user("park_manager"), world.user("inspector")
    first = make_notification(session, manager, title="第一条")
    second = make_notification(session, manager, title="第二条")
    make_notification(session, inspector)
    session.commit()

    response = client.get("/api/notifications", headers=world.headers["park_manager"])

    assert response.status_code == 200
    assert _ids(response) == [str(second.id), str(first.id)]
    assert response.json["items"][0]["title"] == "第二条"
    assert response.json["items"][0]["due_date"] is None


def test_feed_pages_with_a_cursor(client, session, world):
    manager = world.user("park_manager")
    made = [make_notification(session, manager) for _ in range(3)]
    session.commit()
    headers = world.headers["park_manager"]

    page = client.get("/api/notifications", query_string={"limit": 2}, headers=headers)
    rest = client.get("/api/notifications", query_string={"cursor": page.json["next_cursor"]}, headers=headers)

    assert _ids(page) + _ids(rest) == [str(n.id) for n in reversed(made)]
    assert rest.json["next_cursor"] is None


def test_mark_read_and_filter_unread(client, session, world):
    manager = world.user("park_manager")
    read, unread = make_notification(session, manager), make_notification(session, manager)
    session.commit()
    headers = world.headers["park_manager"]

    response = client.post(f"/api/notifications/{read.id}/read", headers=headers)
    again = client.post(f"/api/notifications/{read.id}/read", headers=headers)

    assert response.status_code == 200 and response.json["read_at"] is not None
    assert again.json["read_at"] == response.json["read_at"]
    listed = client.get("/api/notifications", query_string={"unread_only": "true"}, headers=headers)
    assert _ids(listed) == [str(unread.id)]


def test_another_users_notification_cannot_be_marked_read(client, session, world):
    theirs = make_notification(session, world.user("inspector"))
    session.commit()
    response = client.post(f"/api/notifications/{theirs.id}/read", headers=world.headers["park_manager"])
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_park_manager_creates_subscription_and_sees_the_secret_once(client, world):
    headers = world.headers["park_manager"]
    body = {"url": "https://hooks.example.com/inspect", "reasons": ["hazard.overdue"]}

    created = client.post("/api/webhook-subscriptions", json=body, headers=headers)

    assert created.status_code == 201, created.get_json()
    assert len(created.json["secret"]) == 64
    assert created.json["park_id"] == str(world.park.id)
    read = client.get(f"/api/webhook-subscriptions/{created.json['id']}", headers=headers)
    listed = client.get("/api/webhook-subscriptions", headers=headers)
    assert "secret" not in read.json
    assert all("secret" not in item for item in listed.json["items"])
    assert created.json["secret"] not in read.get_data(as_text=True) + listed.get_data(as_text=True)


def test_admin_names_the_park_of_a_subscription(client, world):
    headers = world.headers["admin"]
    missing = client.post("/api/webhook-subscriptions", json={"url": "https://a.example.com/"}, headers=headers)
    created = client.post("/api/webhook-subscriptions", json=new_subscription(world, None, None), headers=headers)
    assert missing.status_code == 422 and "park_id" in missing.json["errors"]
    assert created.status_code == 201


def test_park_manager_cannot_subscribe_another_park(client, world):
    body = {"url": "https://a.example.com/", "park_id": str(world.foreign_park.id)}
    response = client.post("/api/webhook-subscriptions", json=body, headers=world.headers["park_manager"])
    assert response.status_code == 422 and "park_id" in response.json["errors"]


@pytest.mark.parametrize("caller", ["inspector", "enterprise_safety_officer", "enterprise_principal"])
def test_other_roles_may_not_manage_subscriptions(caller, client, session, world):
    subscription = make_subscription(session, world.park, world.user("park_manager"))
    session.commit()
    headers = world.headers[caller]
    assert client.get("/api/webhook-subscriptions", headers=headers).status_code == 403
    assert client.get(f"/api/webhook-subscriptions/{subscription.id}", headers=headers).status_code == 403
    body = {"url": "https://a.example.com/"}
    assert client.post("/api/webhook-subscriptions", json=body, headers=headers).status_code == 403


def test_another_parks_subscription_is_not_found(client, session, world):
    theirs = make_subscription(session, world.foreign_park, world.user("foreign_manager"))
    session.commit()
    headers = {**world.headers["park_manager"], "If-Match": '"1"'}
    assert client.get(f"/api/webhook-subscriptions/{theirs.id}", headers=headers).status_code == 404
    patch = client.patch(f"/api/webhook-subscriptions/{theirs.id}", json={"disabled": True}, headers=headers)
    assert patch.status_code == 404
    assert client.get(f"/api/webhook-subscriptions/{theirs.id}/deliveries", headers=headers).status_code == 404


def test_disable_needs_the_current_version(client, session, world):
    subscription = make_subscription(session, world.park, world.user("park_manager"))
    session.commit()
    path, headers = f"/api/webhook-subscriptions/{subscription.id}", world.headers["park_manager"]

    assert client.patch(path, json={"disabled": True}, headers=headers).status_code == 428
    assert client.patch(path, json={"disabled": True}, headers={**headers, "If-Match": '"7"'}).status_code == 412
    done = client.patch(path, json={"disabled": True}, headers={**headers, "If-Match": '"1"'})

    assert done.status_code == 200
    assert (done.json["disabled"], done.json["version"], done.headers["ETag"]) == (True, 2, '"2"')


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example.com/inspect",
        "https://" + "a" * URL_MAX + ".example.com/",
        "http:///no-host",
        "https://",
        "javascript:alert(1)",
        "hooks.example.com/inspect",
        "",
    ],
    ids=["ftp", "too-long", "missing-host", "scheme-only", "javascript", "no-scheme", "empty"],
)
def test_bad_urls_are_refused(url, client, session, world):
    headers = world.headers["park_manager"]
    created = client.post("/api/webhook-subscriptions", json={"url": url}, headers=headers)
    assert created.status_code == 422 and "url" in created.json["errors"]
    subscription = make_subscription(session, world.park, world.user("park_manager"))
    session.commit()
    patched = client.patch(
        f"/api/webhook-subscriptions/{subscription.id}", json={"url": url}, headers={**headers, "If-Match": '"1"'}
    )
    assert patched.status_code == 422 and "url" in patched.json["errors"]


def test_unknown_fields_are_refused(client, world):
    body = {"url": "https://a.example.com/", "secret": "mine"}
    response = client.post("/api/webhook-subscriptions", json=body, headers=world.headers["park_manager"])
    assert response.status_code == 422 and "secret" in response.json["errors"]


def test_delivery_log_lists_the_subscriptions_deliveries(client, session, world):
    manager = world.user("park_manager")
    subscription = make_subscription(session, world.park, manager)
    notify(session, recipient=manager)
    session.commit()

    response = client.get(f"/api/webhook-subscriptions/{subscription.id}/deliveries", headers=world.headers["admin"])

    assert response.status_code == 200
    (delivery,) = response.json["items"]
    assert (delivery["channel"], delivery["status"], delivery["attempts"]) == ("webhook", "pending", 0)
