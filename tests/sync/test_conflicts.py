"""Version conflicts in a batch: a stale base_version is a 409 carrying the object now and changes nothing; the
phone's own chain of operations is not a conflict; replays come before the version check."""

import uuid

import pytest
from sqlmodel import select

from inspect_service.hazards.models import Hazard, HazardEvent
from inspect_service.sync import batch as batch_service
from tests import bodies
from tests.hazards.factories import hazard_fields, make_hazard
from tests.state import db_state
from tests.sync.factories import action_op, issues_of, jsonable, notice_body, send_batch
from tests.world import targeted_world

VOID = {"reason": "mistaken"}


@pytest.fixture(autouse=True)
def _isolated(savepoint_per_test):
    """One world per module, each test rolled back to a savepoint."""


@pytest.fixture(scope="module")
def world(app, module_world):
    """The standard world with its targets."""
    return targeted_world(app, module_world)


def _moved_by_someone_else(client, world, hazard) -> dict:
    """The park manager corrects the hazard over REST: its version moves on."""
    response = client.patch(
        f"/api/hazards/{hazard.id}", json={"measures": "加装防护栏"},
        headers={**world.headers["park_manager"], "If-Match": f'"{hazard.version}"'},
    )  # fmt: skip
    assert response.status_code == 200, response.json
    return response.json


def test_stale_base_version_is_409_with_the_object_now_changes_nothing_and_is_recorded(client, session, world):
    hazard = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    seen = hazard.version
    now = _moved_by_someone_else(client, world, hazard)
    before = db_state(session)

    op = action_op(hazard, "issue_notice", notice_body(world), base_version=seen)
    (result,) = send_batch(client, world.headers["inspector"], op)

    assert result["status"] == 409 and result["body"] is None
    problem = result["problem"]
    assert problem["type"] == "/problems/version-conflict" and problem["status"] == 409 and problem["title"]
    assert problem["current"] == client.get(f"/api/hazards/{hazard.id}", headers=world.headers["inspector"]).json
    assert problem["current"]["version"] == now["version"] == seen + 1 and problem["current"]["status"] == "registered"
    after = db_state(session)
    changed = {table for table in after if after[table] != before[table]}
    assert changed == {"sync_issue"}, "only the issue is written; the hazard, its events and the key are not"
    (issue,) = [i for i in issues_of(session, world.user("inspector")) if i.op_id == op["op_id"]]
    assert (issue.kind, issue.status, issue.op_kind) == ("conflict", "open", "hazard_action")
    assert (issue.object_type, issue.object_id, issue.park_id) == ("hazard", hazard.id, world.park.id)
    assert (
        issue.problem["current"]["version"] == seen + 1 and issue.operation["idempotency_key"] == op["idempotency_key"]
    )


def test_lifecycle_action_without_base_version_is_not_checked(client, session, world):
    hazard = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    _moved_by_someone_else(client, world, hazard)
    (result,) = send_batch(client, world.headers["inspector"], action_op(hazard, "issue_notice", notice_body(world)))
    assert result["status"] == 200 and result["body"]["status"] == "notice_issued"


def test_the_phones_own_chain_in_one_batch_is_not_a_conflict(client, session, world):
    hazard_id = str(uuid.uuid4())
    create = {"op_id": "create", "kind": "create_hazard",
              "data": jsonable(hazard_fields(world.own, world.photos.own, id=hazard_id))}  # fmt: skip
    target = type("Target", (), {"id": hazard_id})
    acknowledge = bodies.hazard_action("acknowledge")(world, None, world.hazards["own"]["notice_issued"])
    extension = bodies.hazard_action("request_extension")(world, None, world.hazards["own"]["rectifying"])
    ops = [
        create,
        action_op(target, "issue_notice", notice_body(world), base_version=1),
        action_op(target, "acknowledge", acknowledge, base_version=1),  # the phone saw version 1 for both
        action_op(target, "request_extension", extension, base_version=1),  # a rule refusal, not a conflict
    ]

    results = send_batch(client, world.headers["inspector"], *ops)

    assert [r["status"] for r in results[:3]] == [201, 200, 200]
    assert results[2]["body"]["status"] == "rectifying" and results[2]["body"]["version"] == 3
    assert results[3]["status"] == 403 and results[3]["problem"]["type"] != "/problems/version-conflict"


def test_a_stale_base_version_after_the_phones_own_chain_is_still_a_conflict(client, session, world):
    hazard = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    stale = hazard.version - 1  # older than anything this batch moved it from
    results = send_batch(
        client, world.headers["inspector"],
        action_op(hazard, "issue_notice", notice_body(world), base_version=hazard.version),
        action_op(hazard, "void", VOID, base_version=stale),
    )  # fmt: skip
    assert [r["status"] for r in results] == [200, 409]
    assert results[1]["problem"]["current"]["version"] == hazard.version + 1


def test_replay_comes_first_a_retried_operation_never_conflicts(client, session, world):
    hazard = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    seen = hazard.version
    op = action_op(hazard, "issue_notice", notice_body(world), base_version=seen)
    (first,) = send_batch(client, world.headers["inspector"], op)
    assert first["status"] == 200
    refreshed = session.get(Hazard, hazard.id)
    session.refresh(refreshed)
    _moved_by_someone_else(client, world, refreshed)  # the object moves on after the op was applied

    # the response was lost: the phone sends the same op again, and a later op of its own chain with it
    follow = action_op(hazard, "acknowledge", bodies.hazard_action("acknowledge")(world, None, hazard),
                       base_version=seen)  # fmt: skip
    again = send_batch(client, world.headers["inspector"], op, follow)

    assert again[0] == first, "the stored result, not a conflict"
    assert again[1]["status"] == 409, "the chain continues from the replayed version; someone else moved it since"
    events = session.exec(select(HazardEvent).where(HazardEvent.hazard_id == hazard.id)).all()
    assert [e.action for e in events].count("issue_notice") == 1
    assert [i.op_id for i in issues_of(session, world.user("inspector")) if i.op_id == op["op_id"]] == []


def test_replay_of_an_earlier_batch_carries_the_chain_into_this_one(client, session, world):
    hazard = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    seen = hazard.version
    notice = action_op(hazard, "issue_notice", notice_body(world), base_version=seen)
    assert send_batch(client, world.headers["inspector"], notice)[0]["status"] == 200
    follow = action_op(hazard, "acknowledge", bodies.hazard_action("acknowledge")(world, None, hazard),
                       base_version=seen)  # fmt: skip
    replayed, acknowledged = send_batch(client, world.headers["inspector"], notice, follow)
    assert (replayed["status"], acknowledged["status"]) == (200, 200)
    assert acknowledged["body"]["status"] == "rectifying"


def test_retried_batch_records_each_refused_operation_once(client, session, world):
    hazard = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    _moved_by_someone_else(client, world, hazard)
    conflicting = action_op(hazard, "issue_notice", notice_body(world), base_version=hazard.version)
    refused = {"op_id": f"bad-{uuid.uuid4()}", "kind": "teleport"}
    for _ in range(3):
        results = send_batch(client, world.headers["inspector"], conflicting, refused)
        assert [r["status"] for r in results] == [409, 422]
    recorded = [
        i for i in issues_of(session, world.user("inspector")) if i.op_id in (conflicting["op_id"], refused["op_id"])
    ]
    assert sorted((i.op_id, i.kind) for i in recorded) == sorted(
        [(conflicting["op_id"], "conflict"), (refused["op_id"], "rejected")]
    )


def test_batch_key_replay_records_no_new_issue(client, session, world):
    refused = {"op_id": f"bad-{uuid.uuid4()}", "kind": "teleport"}
    headers = {**world.headers["inspector"], "Idempotency-Key": f"batch-{uuid.uuid4()}"}
    first = client.post("/api/sync/batch", json={"operations": [refused]}, headers=headers)
    again = client.post("/api/sync/batch", json={"operations": [refused]}, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json == first.json
    assert len([i for i in issues_of(session, world.user("inspector")) if i.op_id == refused["op_id"]]) == 1


def test_version_moved_between_check_and_row_lock_is_a_version_conflict(client, session, world, monkeypatch):
    hazard = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    _moved_by_someone_else(client, world, hazard)
    # the check passes (as if read before the concurrent change); the service's check under the row lock refuses
    monkeypatch.setattr(batch_service, "_checked_version", lambda *args: hazard.version)
    (result,) = send_batch(
        client, world.headers["inspector"],
        action_op(hazard, "issue_notice", notice_body(world), base_version=hazard.version),
    )  # fmt: skip
    assert result["status"] == 409 and result["problem"]["type"] == "/problems/version-conflict"
    assert result["problem"]["current"]["version"] == hazard.version + 1


@pytest.mark.parametrize("kind", ["update_inspection", "complete_task", "update_self_check_report"])
def test_stale_base_version_conflicts_on_every_versioned_kind(kind, client, session, world):
    targets = {
        "update_inspection": ("inspector", "inspection_id", world.inspections.own, bodies.complete_inspection(
            world, None, None)),
        "complete_task": ("inspector", "task_id", world.tasks.own, {"note": "巡查完毕"}),
        "update_self_check_report": ("enterprise_safety_officer", "report_id",
                                     world.self_check_reports.draft["own"], {"remarks": "补充说明"}),
    }  # fmt: skip
    caller, field, target, data = targets[kind]
    op = {"op_id": f"{kind}-{uuid.uuid4()}", "kind": kind, field: str(target.id), "base_version": target.version + 5,
          "idempotency_key": f"k-{uuid.uuid4()}", "data": data}  # fmt: skip
    (result,) = send_batch(client, world.headers[caller], op)
    assert result["status"] == 409 and result["problem"]["current"]["id"] == str(target.id)
    assert result["problem"]["current"]["version"] == target.version
