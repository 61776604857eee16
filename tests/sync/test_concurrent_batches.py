"""Two phones' batches on the same park at once, on a database that really commits: no 500, no lost or
doubled operation, hazard numbers without gaps."""

import sqlite3
import threading
import uuid
from datetime import timedelta

import psycopg
import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from inspect_service.common.retry import ATTEMPTS, hold_number_lock, is_retryable, lock_nowait, retry_transaction
from inspect_service.common.time import utcnow
from inspect_service.extensions import db
from inspect_service.hazards.models import Hazard, HazardEvent
from inspect_service.sync import batch as batch_service
from tests.hazards.factories import as_json, hazard_fields, live_world_with_photo, make_photo

TRIALS = {"postgres": 100, "sqlite": 10}


@pytest.fixture(scope="module")
def live(live_app):
    """A committed world on the live database with a photo of the own enterprise."""
    return live_world_with_photo(live_app)


def _create_op(world, photo) -> dict:
    hazard_id = str(uuid.uuid4())
    return {
        "op_id": f"c-{hazard_id}",
        "kind": "create_hazard",
        "data": as_json(hazard_fields(world.own, photo, id=hazard_id)),
    }


def _notice_op(world, hazard_id: str) -> dict:
    today = utcnow().date()
    return {
        "op_id": f"n-{hazard_id}",
        "kind": "hazard_action",
        "hazard_id": hazard_id,
        "action": "issue_notice",
        "idempotency_key": f"notice-{hazard_id}",
        "data": {
            "issuer_kind": "park",
            "deadline": str(today + timedelta(days=10)),
            "recheck_date": str(today + timedelta(days=12)),
            "inspector_ids": [str(world.user("inspector").id), str(world.user("liaison_officer").id)],
        },
    }


def _void_op(hazard_id: str) -> dict:
    return {
        "op_id": f"v-{hazard_id}",
        "kind": "hazard_action",
        "hazard_id": hazard_id,
        "action": "void",
        "idempotency_key": f"void-{hazard_id}",
        "data": {"reason": "mistaken"},
    }


def _race(app, requests: list[tuple[dict, dict]]) -> list:
    """Send each (headers, batch) from its own thread, all released at once; the responses in order."""
    start, responses = threading.Barrier(len(requests)), [None] * len(requests)

    def send(n: int) -> None:
        headers, body = requests[n]
        client = app.test_client()
        start.wait(10)
        responses[n] = client.post("/api/sync/batch", json=body, headers=headers)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return responses


def test_crossed_batches_on_one_park_all_answer_and_number_without_gaps(live, backend):
    app, world, photo = live
    client, created, notices = app.test_client(), [], 0
    inspector, manager = world.headers["inspector"], world.headers["park_manager"]
    for _ in range(TRIALS[backend]):
        target = _create_op(world, photo)
        assert client.post("/api/hazards", json=target["data"], headers=inspector).status_code == 201
        hazard_id = target["data"]["id"]
        phone_a = [_create_op(world, photo), _notice_op(world, hazard_id)]
        phone_b = [_void_op(hazard_id), _create_op(world, photo)]
        a, b = _race(app, [(inspector, {"operations": phone_a}), (manager, {"operations": phone_b})])
        assert (a.status_code, b.status_code) == (200, 200), (a.get_data(as_text=True), b.get_data(as_text=True))
        statuses = [r["status"] for r in a.json["results"]] + [r["status"] for r in b.json["results"]]
        assert statuses[0] == 201 and statuses[3] == 201 and statuses[2] == 200
        assert statuses[1] in (200, 409)  # the notice came first, or the hazard was already voided
        created += [target["data"]["id"], phone_a[0]["data"]["id"], phone_b[1]["data"]["id"]]
        notices += statuses[1] == 200
    with app.app_context():
        session = db.new_session()
        numbers = session.exec(select(Hazard.hazard_no).where(Hazard.park_id == world.park.id)).all()
        states = session.exec(select(Hazard.status).where(Hazard.id.in_([uuid.UUID(i) for i in created]))).all()
        actions = session.exec(select(HazardEvent.action).where(HazardEvent.park_id == world.park.id)).all()
        session.close()
    year = utcnow().year  # the park's year; the test does not run across New Year's Eve in Shanghai
    assert sorted(numbers) == [f"YH-{year}-{n:06d}" for n in range(1, len(created) + 1)]  # no gap, no duplicate
    assert len(states) == len(created) and states.count("voided") == TRIALS[backend]
    # each operation applied exactly once, however often its batch was re-run
    assert sorted(actions) == sorted(
        ["register"] * len(created) + ["void"] * TRIALS[backend] + ["issue_notice"] * notices
    )


def _deadlock() -> OperationalError:
    return OperationalError("UPDATE number_counter …", {}, psycopg.errors.DeadlockDetected("deadlock detected"))


def test_batch_aborted_by_a_deadlock_is_rerun_from_scratch_once_applied(client, session, world, monkeypatch):
    photo = make_photo(session, world.own, world.user("inspector"))
    session.commit()
    real, calls = batch_service.apply_batch, []

    def first_attempt_deadlocks(**kwargs):
        results = real(**kwargs)  # the whole batch applied, then the database aborts the transaction
        calls.append(len(results))
        if len(calls) == 1:
            raise _deadlock()
        return results

    monkeypatch.setattr(batch_service, "apply_batch", first_attempt_deadlocks)
    body = {"operations": [_create_op(world, photo), _create_op(world, photo)]}
    headers = {**world.headers["inspector"], "Idempotency-Key": "batch-retried"}
    first = client.post("/api/sync/batch", json=body, headers=headers)
    assert first.status_code == 200 and calls == [2, 2]
    assert [r["status"] for r in first.json["results"]] == [201, 201]  # created on the second attempt, not replayed
    replay = client.post("/api/sync/batch", json=body, headers=headers)
    assert replay.headers.get("Idempotent-Replayed") == "true" and replay.json == first.json and calls == [2, 2]
    ids = [uuid.UUID(op["data"]["id"]) for op in body["operations"]]
    assert len(session.exec(select(Hazard).where(Hazard.id.in_(ids))).all()) == 2


def test_batch_that_keeps_deadlocking_answers_503_problem_with_retry_after(client, world, monkeypatch):
    calls = []

    def always_deadlocks(**_kwargs):
        calls.append(1)
        raise _deadlock()

    monkeypatch.setattr(batch_service, "apply_batch", always_deadlocks)
    ops = {"operations": [{"op_id": "x", "kind": "create_hazard", "data": {}}]}
    response = client.post("/api/sync/batch", json=ops, headers=world.headers["inspector"])
    assert response.status_code == 503 and response.content_type == "application/problem+json"
    assert response.headers["Retry-After"] == "1" and response.json["type"] == "/problems/busy"
    assert len(calls) == ATTEMPTS


@pytest.mark.parametrize(
    ("orig", "retried"),
    [
        (psycopg.errors.DeadlockDetected("deadlock detected"), True),
        (psycopg.errors.SerializationFailure("could not serialize access"), True),
        (psycopg.errors.LockNotAvailable("could not obtain lock"), True),
        (sqlite3.OperationalError("database is locked"), True),
        (psycopg.errors.UndefinedTable("no such table"), False),
        (sqlite3.OperationalError("no such table: x"), False),
    ],
)
def test_only_concurrency_failures_are_retried(orig, retried):
    assert is_retryable(OperationalError("SELECT 1", {}, orig)) is retried


def test_only_a_first_attempt_holding_a_number_skips_waiting_for_rows(app):
    seen = []

    @retry_transaction
    def view():
        session = db.session
        before = lock_nowait(session)
        hold_number_lock(session)
        seen.append((before, lock_nowait(session)))
        if len(seen) == 1:
            raise _deadlock()
        return "done"

    with app.test_request_context():
        assert view() == "done"
        assert not lock_nowait(db.session)  # outside a retried view: wait as usual
    assert seen == [(False, True), (False, False)]  # the re-run waits in line
