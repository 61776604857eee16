"""Hazard numbers have no gaps: a retried create and a create that fails after taking its number hand it back."""

import threading
import uuid

import pytest
from sqlmodel import select

from inspect_service.errors import Unprocessable
from inspect_service.extensions import db
from inspect_service.hazards import service as hazard_service
from inspect_service.hazards.models import Hazard
from tests.hazards.factories import as_json, hazard_fields, live_world_with_photo, make_photo


@pytest.fixture
def photo(session, world):
    made = make_photo(session, world.own, world.user("inspector"))
    session.commit()
    return made


def _body(world, photo, **overrides) -> dict:
    return as_json(hazard_fields(world.own, photo, id=str(uuid.uuid4()), **overrides))


def _numbers(session, park_id) -> list[int]:
    session.expire_all()
    numbers = session.exec(select(Hazard.hazard_no).where(Hazard.park_id == park_id)).all()
    return sorted(int(number.rsplit("-", 1)[1]) for number in numbers)


def _fail_after_numbering(monkeypatch, description: str) -> None:
    """Make the create of hazards with `description` fail validation after its number was taken and the row written."""
    real = hazard_service._event

    def event(session, hazard, *args, **kwargs):
        if hazard.description == description:
            assert hazard.hazard_no  # the number is taken: the failure comes after it
            raise Unprocessable.field("description", "Refused after numbering.")
        return real(session, hazard, *args, **kwargs)

    monkeypatch.setattr(hazard_service, "_event", event)


def test_create_retried_with_the_same_id_takes_no_number(client, session, world, photo):
    headers = world.headers["inspector"]
    body = _body(world, photo)
    assert client.post("/api/hazards", json=body, headers=headers).status_code == 201
    assert client.post("/api/hazards", json=body, headers=headers).status_code == 200
    changed = client.post("/api/hazards", json={**body, "description": "另一处"}, headers=headers)
    assert changed.status_code == 409
    batch = {"operations": [{"op_id": "again", "kind": "create_hazard", "data": body}]}
    assert client.post("/api/sync/batch", json=batch, headers=headers).json["results"][0]["status"] == 200
    second = client.post("/api/hazards", json=_body(world, photo), headers=headers)
    assert second.status_code == 201 and second.json["hazard_no"].endswith("-000002")
    assert _numbers(session, world.park.id) == [1, 2]


def test_rest_create_failing_after_numbering_leaves_no_gap(client, session, world, photo, monkeypatch):
    _fail_after_numbering(monkeypatch, "refused")
    headers = world.headers["inspector"]
    assert client.post("/api/hazards", json=_body(world, photo), headers=headers).status_code == 201
    refused = client.post("/api/hazards", json=_body(world, photo, description="refused"), headers=headers)
    assert refused.status_code == 422 and refused.content_type == "application/problem+json"
    assert client.post("/api/hazards", json=_body(world, photo), headers=headers).status_code == 201
    assert _numbers(session, world.park.id) == [1, 2]


def test_batch_op_failing_after_numbering_leaves_no_gap(client, session, world, photo, monkeypatch):
    _fail_after_numbering(monkeypatch, "refused")
    ops = [
        {"op_id": "1", "kind": "create_hazard", "data": _body(world, photo)},
        {"op_id": "2", "kind": "create_hazard", "data": _body(world, photo, description="refused")},
        {"op_id": "3", "kind": "create_hazard", "data": _body(world, photo, photo_ids=[str(uuid.uuid4())])},
        {"op_id": "4", "kind": "create_hazard", "data": _body(world, photo)},
    ]
    response = client.post("/api/sync/batch", json={"operations": ops}, headers=world.headers["inspector"])
    assert [r["status"] for r in response.json["results"]] == [201, 422, 422, 201]
    assert [r["body"]["hazard_no"][-6:] for r in response.json["results"] if r["body"]] == ["000001", "000002"]
    assert _numbers(session, world.park.id) == [1, 2]


@pytest.fixture(scope="module")
def live(live_app):
    """A committed world on the live database with a photo of the own enterprise."""
    return live_world_with_photo(live_app)


def test_concurrent_twins_take_one_number(live):
    """Two sends of one create at once: the one that waited for the counter finds its twin and hands its number back."""
    app, world, photo = live
    rounds, statuses = 15, []
    for _ in range(rounds):
        body, start = _body(world, photo), threading.Barrier(2)

        def send(body=body, start=start):
            client = app.test_client()
            start.wait(10)
            statuses.append(client.post("/api/hazards", json=body, headers=world.headers["inspector"]).status_code)

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert sorted(statuses) == [200] * rounds + [201] * rounds
    with app.app_context():
        session = db.new_session()
        try:
            assert _numbers(session, world.park.id) == list(range(1, rounds + 1))
        finally:
            session.close()
