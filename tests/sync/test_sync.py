"""Offline sync: batches (including retry storms) and the change feed (including a concurrent replica)."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import select

from inspect_service.extensions import db
from inspect_service.hazards.models import Hazard
from inspect_service.sync.changes import encode_cursor
from inspect_service.sync.models import FeedCounter
from tests.hazards.factories import as_json, hazard_fields, make_photo
from tests.world import build_world


@pytest.fixture(scope="module")
def live(live_app):
    """A committed world on the live database, and photos of the own and other enterprises."""
    with live_app.app_context():
        session = db.new_session()
        world = build_world(session)
        photos = {
            "own": make_photo(session, world.own, world.user("inspector")),
            "other": make_photo(session, world.other, world.user("inspector")),
        }
        session.commit()
        session.close()
    return live_app, world, photos


def _hazard_op(world, photo, enterprise=None, **overrides):
    hazard_id = str(uuid.uuid4())
    data = as_json(hazard_fields(enterprise or world.own, photo, id=hazard_id, **overrides))
    return {"op_id": f"h-{hazard_id[:8]}", "kind": "create_hazard", "data": data}, hazard_id


def test_batch_applies_in_order_and_one_failure_does_not_undo_others(client, session, world):
    photo = make_photo(session, world.own, world.user("inspector"))
    session.commit()
    first, first_id = _hazard_op(world, photo)
    bad, _ = _hazard_op(world, photo, domain="nowhere")
    inspection_id = str(uuid.uuid4())
    ops = [
        first,
        bad,
        {
            "op_id": "void",
            "kind": "hazard_action",
            "hazard_id": first_id,
            "action": "void",
            "idempotency_key": "v1",
            "data": {"reason": "mistaken"},
        },
        {
            "op_id": "insp",
            "kind": "create_inspection",
            "data": {
                "id": inspection_id,
                "enterprise_id": str(world.own.id),
                "source": "park_inspection",
                "inspection_type": "routine",
                "started_at": "2026-07-01T09:00:00+08:00",
                "inspector_ids": [str(world.user("inspector").id)],
            },
        },
        {
            "op_id": "no-such",
            "kind": "hazard_action",
            "hazard_id": str(uuid.uuid4()),
            "action": "void",
            "idempotency_key": "v2",
            "data": {"reason": "mistaken"},
        },
    ]
    response = client.post("/api/sync/batch", json={"operations": ops}, headers=world.headers["park_manager"])
    assert response.status_code == 200
    results = response.json["results"]
    assert [r["op_id"] for r in results] == [op["op_id"] for op in ops]
    assert [r["status"] for r in results] == [201, 422, 200, 201, 404]
    assert results[1]["problem"]["errors"] == {
        "domain": [
            "Must be one of: basic_mgmt, hazchem, fire, "
            "special_equipment, construction, electrical, "
            "confined_space, combustible_dust, occupational_health, "
            "traffic, other."
        ]
    }
    assert results[2]["body"]["status"] == "voided"


def test_batch_is_bounded(client, world):
    ops = [{"op_id": str(i), "kind": "create_hazard", "data": {}} for i in range(201)]
    response = client.post("/api/sync/batch", json={"operations": ops}, headers=world.headers["inspector"])
    assert response.status_code == 422 and "operations" in response.json["errors"]


def test_retry_storm_makes_no_duplicates_and_identical_responses(live):
    app, world, photos = live
    ops, ids = [], []
    for _ in range(20):
        op, hazard_id = _hazard_op(world, photos["own"])
        ops.append(op)
        ids.append(hazard_id)
    ops.append(
        {
            "op_id": "act",
            "kind": "hazard_action",
            "hazard_id": ids[0],
            "action": "fix_on_site",
            "idempotency_key": f"fix-{ids[0]}",
            "data": {"action_taken": "当场整改", "after_photo_ids": [str(photos["own"].id)]},
        }
    )
    body = {"operations": ops}
    headers = {**world.headers["inspector"], "Idempotency-Key": f"batch-{uuid.uuid4()}"}

    def send(_):
        return app.test_client().post("/api/sync/batch", json=body, headers=headers)

    first = send(0)
    with ThreadPoolExecutor(max_workers=2) as pool:
        concurrent = list(pool.map(send, range(2)))
    responses = [first, *concurrent]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert all(r.json == first.json for r in responses)
    # without the batch key, every operation is still idempotent on its own
    no_key = app.test_client().post("/api/sync/batch", json=body, headers=world.headers["inspector"])
    assert [r["body"]["id"] for r in no_key.json["results"]] == [r["body"]["id"] for r in first.json["results"]]
    with app.app_context():
        session = db.new_session()
        stored = session.exec(select(Hazard).where(Hazard.id.in_([uuid.UUID(i) for i in ids]))).all()
        numbers = {h.hazard_no for h in stored}
        session.close()
    assert len(stored) == 20 and len(numbers) == 20


class Replica:
    """A phone's copy of its scope, rebuilt only from the change feed."""

    def __init__(self, app, headers):
        self.app, self.headers, self.objects, self.cursor = app, headers, {}, "0"

    def apply(self, item: dict) -> None:
        """Apply one change."""
        if item["op"] == "upsert":
            self.objects[item["id"]] = item["data"]
        elif item["entity"] == "enterprise":  # the enterprise left the reader's scope
            self.objects = {k: v for k, v in self.objects.items() if v["enterprise_id"] != item["id"]}
        else:
            self.objects.pop(item["id"], None)

    def page(self) -> bool:
        """Read one page; True while more remain."""
        response = self.app.test_client().get(f"/api/sync/changes?cursor={self.cursor}&limit=7", headers=self.headers)
        assert response.status_code == 200
        for item in response.json["items"]:
            self.apply(item)
        self.cursor = response.json["next_cursor"]
        return response.json["has_more"]

    def catch_up(self) -> None:
        """Read to the end of the feed."""
        while self.page():
            pass


def _server_state(app, headers) -> dict:
    state, cursor = {}, None
    while True:
        page = (
            app.test_client()
            .get("/api/hazards?limit=200" + (f"&cursor={cursor}" if cursor else ""), headers=headers)
            .json
        )
        state.update({h["id"]: h for h in page["items"]})
        cursor = page["next_cursor"]
        if not cursor:
            return state


def _write_hazards(app, world, photos, n: int) -> None:
    client = app.test_client()
    for i in range(6):
        enterprise, photo = (world.own, photos["own"]) if (n + i) % 3 else (world.other, photos["other"])
        op, hazard_id = _hazard_op(world, photo, enterprise=enterprise)
        client.post("/api/hazards", json=op["data"], headers=world.headers["inspector"])
        if i % 2:
            client.post(
                f"/api/hazards/{hazard_id}/void", json={"reason": "mistaken"}, headers=world.headers["park_manager"]
            )


def _read_until(replica: Replica, stop: threading.Event) -> None:
    while not stop.is_set():
        replica.page()


def test_feed_replica_equals_server_state_in_scope(live):
    app, world, photos = live
    reader = world.headers["liaison_officer"]  # portfolio: own; `other` stays out of scope
    replica, stop = Replica(app, reader), threading.Event()
    thread = threading.Thread(target=_read_until, args=(replica, stop))
    thread.start()
    with ThreadPoolExecutor(max_workers=3) as pool:
        list(pool.map(lambda n: _write_hazards(app, world, photos, n), range(3)))
    stop.set()
    thread.join(timeout=60)
    replica.catch_up()
    server = _server_state(app, reader)
    assert server and replica.objects.keys() == server.keys()
    assert all(replica.objects[k]["status"] == server[k]["status"] for k in server)
    assert all(h["enterprise_id"] == str(world.own.id) for h in replica.objects.values())

    # the reader's portfolio loses `own`: the feed says so, and the replica empties
    liaison = world.user("liaison_officer")
    moved = app.test_client().put(
        f"/api/users/{liaison.id}/portfolio", json={"enterprise_ids": []}, headers=world.headers["park_manager"]
    )
    assert moved.status_code == 200
    replica.catch_up()
    assert replica.objects == {}


def test_cursor_older_than_retention_is_410(client, session, world):
    counter = session.get(FeedCounter, 1) or FeedCounter(id=1, value=100)
    counter.purged_through = 50
    session.add(counter)
    session.commit()
    response = client.get(f"/api/sync/changes?cursor={encode_cursor(10)}", headers=world.headers["inspector"])
    assert response.status_code == 410 and response.content_type == "application/problem+json"
    assert client.get("/api/sync/changes?cursor=0", headers=world.headers["inspector"]).status_code == 410
    fresh = client.get(f"/api/sync/changes?cursor={encode_cursor(60)}", headers=world.headers["inspector"])
    assert fresh.status_code == 200 and isinstance(fresh.json["next_cursor"], str)


def test_purge_drops_old_entries_and_old_cursors_get_410(client, session, world):
    from datetime import timedelta

    from inspect_service.common.time import utcnow
    from inspect_service.sync.jobs import purge_feed
    from inspect_service.sync.models import ChangeEntry

    photo = make_photo(session, world.own, world.user("inspector"))
    session.commit()
    op, _ = _hazard_op(world, photo)
    assert client.post("/api/hazards", json=op["data"], headers=world.headers["inspector"]).status_code == 201
    entries = session.exec(select(ChangeEntry).order_by(ChangeEntry.seq)).all()
    first_seq = entries[0].seq
    for entry in entries:
        entry.at = utcnow() - timedelta(days=40)
        session.add(entry)
    session.commit()
    assert purge_feed(session=session).startswith(f"purged {len(entries)} feed entries")
    session.commit()
    assert (
        client.get(
            f"/api/sync/changes?cursor={encode_cursor(first_seq - 1)}", headers=world.headers["inspector"]
        ).status_code
        == 410
    )
    latest = client.get(
        f"/api/sync/changes?cursor={encode_cursor(entries[-1].seq)}", headers=world.headers["inspector"]
    )
    assert latest.status_code == 200
