"""The hazard read shape: registration photo ids and every referenced photo with its URLs, loaded per page."""

import uuid

import pytest

from tests.hazards.factories import as_json, hazard_fields, make_photo
from tests.querycount import statements


@pytest.fixture
def photos(session, world):
    inspector = world.user("inspector")
    made = {role: make_photo(session, world.own, inspector, role=role) for role in ("before", "after")}
    session.commit()
    return made


def _register(client, world, photo) -> dict:
    body = as_json(hazard_fields(world.own, photo))
    response = client.post("/api/hazards", json=body, headers=world.headers["inspector"])
    assert response.status_code == 201
    return response.json


def _expected(photo) -> dict:
    return {
        "id": str(photo.id),
        "role": photo.role,
        "thumbnail_url": f"/api/photos/{photo.id}/thumbnail",
        "content_url": f"/api/photos/{photo.id}/content",
    }


def test_hazard_carries_its_registration_photo_ids_and_every_photo_it_references(client, world, photos):
    created = _register(client, world, photos["before"])
    assert created["photo_ids"] == [str(photos["before"].id)]
    assert created["photos"] == [_expected(photos["before"])]
    body = {"action_taken": "当场清理", "after_photo_ids": [str(photos["after"].id)]}
    headers = {**world.headers["inspector"], "Idempotency-Key": str(uuid.uuid4())}
    fixed = client.post(f"/api/hazards/{created['id']}/fix_on_site", json=body, headers=headers).json
    assert fixed["photo_ids"] == [str(photos["before"].id)]  # still as registered
    assert fixed["photos"] == [_expected(photos["before"]), _expected(photos["after"])]
    fetched = client.get(f"/api/hazards/{created['id']}", headers=world.headers["inspector"]).json
    listed = client.get(f"/api/hazards?enterprise_id={world.own.id}", headers=world.headers["inspector"]).json
    assert fetched["photos"] == fixed["photos"] == listed["items"][0]["photos"]
    assert listed["items"][0]["photo_ids"] == fixed["photo_ids"]
    routes = client.application.url_map.bind("localhost")
    for kind in ("thumbnail_url", "content_url"):  # the URLs are the photo API's own routes
        endpoint, args = routes.match(fetched["photos"][1][kind], method="GET")
        assert endpoint.startswith("photos.") and args == {"photo_id": photos["after"].id}


def test_listing_statements_do_not_grow_with_the_number_of_hazards(client, world, photos):
    url = f"/api/hazards?enterprise_id={world.own.id}&limit=50"
    headers = world.headers["inspector"]
    for _ in range(2):
        _register(client, world, photos["before"])
    with statements() as few:
        assert len(client.get(url, headers=headers).json["items"]) == 2
    for _ in range(6):
        _register(client, world, photos["after"])
    with statements() as many:
        items = client.get(url, headers=headers).json["items"]
    assert len(items) == 8 and all(len(item["photos"]) == 1 for item in items)
    assert len(many) == len(few)
