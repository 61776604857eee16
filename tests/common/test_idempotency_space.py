"""One Idempotency-Key space per user: a key used on a REST action and then in a sync batch operation (or the
reverse) replays the stored result, for the same canonical request; another request under the key is a 422."""

import uuid

import pytest
from sqlmodel import select

from inspect_service.common.offline import fingerprint
from inspect_service.documents.models import Document
from inspect_service.hazards.models import HazardEvent
from tests import bodies
from tests.documents.factories import acknowledgement, issued_notice
from tests.hazards.factories import make_hazard
from tests.inspections.factories import make_inspection
from tests.notifications.factories import make_notification
from tests.sync.factories import action_op, issues_of, notice_body, send_batch
from tests.world import targeted_world


@pytest.fixture(autouse=True)
def _isolated(savepoint_per_test):
    """One world per module, each test rolled back to a savepoint."""


@pytest.fixture(scope="module")
def world(app, module_world):
    """The standard world with its targets."""
    return targeted_world(app, module_world)


def _events(session, hazard, action: str) -> int:
    rows = session.exec(select(HazardEvent).where(HazardEvent.hazard_id == hazard.id, HazardEvent.action == action))
    return len(rows.all())


def _receipts(session, notice) -> int:
    session.expire_all()
    return len(session.exec(select(Document).where(Document.subject_id == notice.id)).all())


def test_hazard_action_over_rest_then_in_a_batch_replays_the_rest_response(client, session, world):
    hazard = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    key, body = f"k-{uuid.uuid4()}", notice_body(world)
    rest = client.post(
        f"/api/hazards/{hazard.id}/issue_notice",
        json=body,
        headers={**world.headers["inspector"], "Idempotency-Key": key},
    )
    assert rest.status_code == 200, rest.json

    (result,) = send_batch(
        client, world.headers["inspector"], action_op(hazard, "issue_notice", body, key=key, base_version=1)
    )

    assert (result["status"], result["body"], result["problem"]) == (200, rest.json, None)
    assert _events(session, hazard, "issue_notice") == 1
    session.refresh(hazard)
    assert hazard.version == rest.json["version"] == 2


def test_hazard_action_in_a_batch_then_over_rest_replays_the_batch_result(client, session, world):
    hazard = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    key, body = f"k-{uuid.uuid4()}", notice_body(world)
    (result,) = send_batch(client, world.headers["inspector"], action_op(hazard, "issue_notice", body, key=key))
    assert result["status"] == 200

    rest = client.post(
        f"/api/hazards/{str(hazard.id).upper()}/issue_notice",
        json=body,
        headers={**world.headers["inspector"], "Idempotency-Key": key},
    )

    assert rest.status_code == 200 and rest.headers.get("Idempotent-Replayed") == "true"
    assert rest.json == result["body"] and rest.headers["ETag"] == f'"{result["body"]["version"]}"'
    assert _events(session, hazard, "issue_notice") == 1


def test_device_time_in_the_rest_body_matches_the_batch_operation_field(client, session, world):
    hazard = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    key, moment = f"k-{uuid.uuid4()}", hazard.created_at.isoformat()
    body = notice_body(world)
    rest = client.post(
        f"/api/hazards/{hazard.id}/issue_notice",
        json={**body, "occurred_at": moment},
        headers={**world.headers["inspector"], "Idempotency-Key": key},
    )
    assert rest.status_code == 200, rest.json
    op = action_op(hazard, "issue_notice", body, key=key, occurred_at=moment)
    (result,) = send_batch(client, world.headers["inspector"], op)
    assert (result["status"], result["body"]) == (200, rest.json)


def test_document_acknowledge_over_rest_then_in_a_batch_replays(client, session, world):
    notice, _hazards, _inspectors = issued_notice(session, world.own)
    session.commit()
    key, body = f"k-{uuid.uuid4()}", acknowledgement(world, None, None)
    principal = world.headers["enterprise_principal"]
    rest = client.post(
        f"/api/documents/{notice.id}/acknowledge", json=body, headers={**principal, "Idempotency-Key": key}
    )
    assert rest.status_code == 201, rest.json

    op = {"op_id": f"op-{key}", "kind": "acknowledge_document", "document_id": str(notice.id),
          "idempotency_key": key, "data": body}  # fmt: skip
    (result,) = send_batch(client, principal, op)

    assert (result["status"], result["body"]) == (201, rest.json) and rest.json["doc_type"] == "receipt"
    assert _receipts(session, notice) == 1


def test_document_acknowledge_in_a_batch_then_over_rest_replays(client, session, world):
    notice, _hazards, _inspectors = issued_notice(session, world.own)
    session.commit()
    key, body = f"k-{uuid.uuid4()}", acknowledgement(world, None, None)
    principal = world.headers["enterprise_principal"]
    op = {"op_id": f"op-{key}", "kind": "acknowledge_document", "document_id": str(notice.id),
          "idempotency_key": key, "data": body}  # fmt: skip
    (result,) = send_batch(client, principal, op)
    assert result["status"] == 201

    rest = client.post(
        f"/api/documents/{notice.id}/acknowledge", json=body, headers={**principal, "Idempotency-Key": key}
    )

    assert rest.status_code == 201 and rest.headers.get("Idempotent-Replayed") == "true"
    assert rest.json == result["body"]
    assert _receipts(session, notice) == 1


def test_a_key_reused_for_another_request_is_422_both_ways(client, session, world):
    hazard = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    key, body = f"k-{uuid.uuid4()}", notice_body(world)
    headers = {**world.headers["inspector"], "Idempotency-Key": key}
    assert client.post(f"/api/hazards/{hazard.id}/issue_notice", json=body, headers=headers).status_code == 200

    other = {**body, "note": "另一份通知"}
    (result,) = send_batch(client, world.headers["inspector"], action_op(hazard, "issue_notice", other, key=key))
    assert result["status"] == 422 and "Idempotency-Key" in result["problem"]["errors"]
    assert [i.kind for i in issues_of(session, world.user("inspector")) if i.op_id == f"op-{key}"] == ["rejected"]

    second = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    batch_key = f"k-{uuid.uuid4()}"
    (applied,) = send_batch(client, world.headers["inspector"], action_op(second, "issue_notice", body, key=batch_key))
    assert applied["status"] == 200
    rest = client.post(
        f"/api/hazards/{second.id}/issue_notice",
        json={**body, "note": "另一份通知"},
        headers={**world.headers["inspector"], "Idempotency-Key": batch_key},
    )
    assert rest.status_code == 422 and "Idempotency-Key" in rest.json["errors"]
    assert _events(session, second, "issue_notice") == 1


def _update_op(inspection, key: str, data: dict) -> dict:
    return {"op_id": f"op-{key}", "kind": "update_inspection", "inspection_id": str(inspection.id),
            "base_version": inspection.version, "idempotency_key": key, "data": data}  # fmt: skip


def test_inspection_update_over_rest_then_in_a_batch_replays_and_back(client, session, world):
    inspector = world.headers["inspector"]
    first, second = (make_inspection(session, world.own, world.user("inspector")) for _ in range(2))
    session.commit()
    body, key, batch_key = bodies.complete_inspection(world, None, None), f"k-{uuid.uuid4()}", f"k-{uuid.uuid4()}"
    rest = client.patch(
        f"/api/inspections/{first.id}", json=body, headers={**inspector, "Idempotency-Key": key, "If-Match": '"1"'}
    )
    assert rest.status_code == 200, rest.json
    (result,) = send_batch(client, inspector, _update_op(first, key, body))
    assert (result["status"], result["body"]) == (200, rest.json) and rest.json["version"] == 2

    (applied,) = send_batch(client, inspector, _update_op(second, batch_key, body))
    again = client.patch(
        f"/api/inspections/{second.id}", json=body,
        headers={**inspector, "Idempotency-Key": batch_key, "If-Match": '"1"'},
    )  # fmt: skip
    assert applied["status"] == 200 and again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json == applied["body"] and again.json["version"] == 2


def test_notification_read_over_rest_then_in_a_batch_replays_and_back(client, session, world):
    inspector = world.headers["inspector"]
    first, second = (make_notification(session, world.user("inspector")) for _ in range(2))
    session.commit()
    key, batch_key = f"k-{uuid.uuid4()}", f"k-{uuid.uuid4()}"
    rest = client.post(f"/api/notifications/{first.id}/read", headers={**inspector, "Idempotency-Key": key})
    assert rest.status_code == 200 and rest.json["read_at"], rest.json
    op = {"op_id": f"op-{key}", "kind": "read_notification", "notification_id": str(first.id), "idempotency_key": key}
    (result,) = send_batch(client, inspector, op)
    assert (result["status"], result["body"]) == (200, rest.json)

    op = {**op, "op_id": f"op-{batch_key}", "notification_id": str(second.id), "idempotency_key": batch_key}
    (applied,) = send_batch(client, inspector, op)
    again = client.post(f"/api/notifications/{second.id}/read", headers={**inspector, "Idempotency-Key": batch_key})
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json == applied["body"]


def test_a_lone_surrogate_in_a_rest_action_with_a_key_is_422(client, session, world):
    hazard = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    headers = {**world.headers["inspector"], "Idempotency-Key": f"k-{uuid.uuid4()}"}

    response = client.post(f"/api/hazards/{hazard.id}/void", json={"reason": "mistaken", "note": "x\ud800"},
                           headers=headers)  # fmt: skip

    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert response.json["errors"] == {"note": ["Unpaired surrogate characters are not allowed."]}
    assert _events(session, hazard, "void") == 0


def test_fingerprint_of_text_is_unchanged_and_a_lone_surrogate_hashes():
    import hashlib
    import json

    payload = {"method": "POST", "path": "/x", "body": {"note": "整改完毕 ✓"}}
    old = hashlib.sha256(
        json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    ).hexdigest()
    assert fingerprint(payload) == old
    assert fingerprint({"body": "\ud800"}) != fingerprint({"body": "\ud801"})
