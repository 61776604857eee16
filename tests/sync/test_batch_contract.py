"""The batch contract: every kind of operation through one endpoint, each answering like its REST twin; a bad
operation is its own 422 and the rest go on; each kind's schema is in the OpenAPI document."""

import dataclasses
import uuid

import pytest
from sqlalchemy.exc import DataError, IntegrityError
from sqlmodel import select

from inspect_service.selfchecks import figures
from inspect_service.sync.operations import KINDS
from tests import bodies
from tests.documents import factories as documents
from tests.hazards.factories import hazard_fields
from tests.selfchecks import factories as self_checks
from tests.sync.factories import issues_of, jsonable, send_batch
from tests.world import targeted_world


@pytest.fixture(autouse=True)
def _isolated(savepoint_per_test):
    """One world per module, each test rolled back to a savepoint."""


@pytest.fixture(scope="module")
def world(app, module_world):
    """The standard world with its targets (hazards, notices, tasks, notifications, reports)."""
    return targeted_world(app, module_world)


def _key(name: str) -> str:
    return f"{name}-{uuid.uuid4()}"


def test_every_inspection_hazard_document_task_and_notification_kind_applies(client, world):
    inspector = world.headers["inspector"]
    inspection_id, hazard_id = str(uuid.uuid4()), str(uuid.uuid4())
    task, notice = world.tasks.own, world.documents["own"]
    notification = world.notifications.own["inspector"]
    ops = [
        {"op_id": "i", "kind": "create_inspection", "data": {**bodies.new_inspection(world, None, None),
                                                              "id": inspection_id}},
        {"op_id": "r", "kind": "add_result", "inspection_id": inspection_id,
         "data": bodies.inspection_result(world, None, None)},
        {"op_id": "u", "kind": "update_inspection", "inspection_id": inspection_id, "base_version": 1,
         "idempotency_key": _key("u"), "data": bodies.complete_inspection(world, None, None)},
        {"op_id": "h", "kind": "create_hazard",
         "data": jsonable(hazard_fields(world.own, world.photos.own, id=hazard_id))},
        {"op_id": "a", "kind": "hazard_action", "hazard_id": hazard_id, "action": "fix_on_site", "base_version": 1,
         "idempotency_key": _key("a"), "occurred_at": None,
         "data": {"action_taken": "当场清理", "after_photo_ids": [str(world.photos.own.id)]}},
        {"op_id": "d", "kind": "acknowledge_document", "document_id": str(notice.id), "idempotency_key": _key("d"),
         "data": documents.acknowledgement(world, None, None)},
        {"op_id": "t", "kind": "complete_task", "task_id": str(task.id), "base_version": task.version,
         "idempotency_key": _key("t"), "data": {"note": "巡查完毕"}},
        {"op_id": "n", "kind": "read_notification", "notification_id": str(notification.id),
         "idempotency_key": _key("n")},
    ]  # fmt: skip

    results = send_batch(client, inspector, *ops)

    assert [(r["op_id"], r["status"]) for r in results] == [
        ("i", 201), ("r", 201), ("u", 200), ("h", 201), ("a", 200), ("d", 201), ("t", 200), ("n", 200)
    ]  # fmt: skip
    by_op = {r["op_id"]: r["body"] for r in results}
    inspection = client.get(f"/api/inspections/{inspection_id}", headers=inspector).json
    assert by_op["u"] == inspection and inspection["ended_at"] is not None and len(inspection["results"]) == 1
    hazard = client.get(f"/api/hazards/{hazard_id}", headers=inspector).json
    assert by_op["a"] == hazard and hazard["status"] == "closed"
    assert by_op["d"]["doc_type"] == "receipt"
    assert client.get(f"/api/documents/{notice.id}", headers=inspector).json["acknowledged_at"] is not None
    assert by_op["t"] == client.get(f"/api/tasks/{task.id}", headers=inspector).json and by_op["t"]["status"] == "done"
    assert by_op["n"]["read_at"] is not None


@pytest.mark.parametrize("base_version", [None, "absent"])
def test_inspection_created_offline_is_signed_in_the_same_batch_without_a_base_version(base_version, client, world):
    inspector = world.headers["inspector"]
    inspection_id = str(uuid.uuid4())
    create = {"op_id": "new", "kind": "create_inspection",
              "data": {**bodies.new_inspection(world, None, None), "id": inspection_id}}  # fmt: skip
    update = {"op_id": "sign", "kind": "update_inspection", "inspection_id": inspection_id,
              "idempotency_key": _key("sign"), "data": bodies.complete_inspection(world, None, None)}  # fmt: skip
    if base_version != "absent":
        update["base_version"] = base_version

    results = send_batch(client, inspector, create, update)

    assert [(r["op_id"], r["status"]) for r in results] == [("new", 201), ("sign", 200)], results
    inspection = client.get(f"/api/inspections/{inspection_id}", headers=inspector).json
    assert (inspection["site_rep_name"], inspection["site_rep_role"]) == ("李四", "安全主管")
    assert inspection["ended_at"] is not None and inspection["version"] == 2 and results[1]["body"] == inspection


def test_self_check_report_drafted_offline_is_edited_in_the_same_batch_without_a_base_version(client, world):
    officer = world.headers["enterprise_safety_officer"]
    report_id = str(figures.report_id(world.own.id, figures.add_months(self_checks.this_month(), -1)))
    edit = self_checks.edit_report(world, None, None)

    results = send_batch(
        client, officer,
        {"op_id": "c", "kind": "create_self_check_report", "data": self_checks.new_report(world, None, None)},
        {"op_id": "u", "kind": "update_self_check_report", "report_id": report_id, "idempotency_key": _key("u"),
         "data": edit},
    )  # fmt: skip

    assert [(r["op_id"], r["status"]) for r in results] == [("c", 201), ("u", 200)], results
    report = client.get(f"/api/self-check-reports/{report_id}", headers=officer).json
    assert report["rectification_summary"] == edit["rectification_summary"] and report["version"] == 2


def test_every_self_check_report_kind_applies(client, world):
    officer, principal = world.headers["enterprise_safety_officer"], world.headers["enterprise_principal"]
    body = self_checks.new_report(world, None, None)
    report_id = str(figures.report_id(world.own.id, figures.add_months(self_checks.this_month(), -1)))
    submitted = world.self_check_reports.submitted["own"]

    drafted = send_batch(
        client, officer,
        {"op_id": "c", "kind": "create_self_check_report", "data": body},
        {"op_id": "u", "kind": "update_self_check_report", "report_id": report_id, "base_version": 1,
         "idempotency_key": _key("u"), "data": self_checks.edit_report(world, None, None)},
        {"op_id": "s", "kind": "self_check_report_action", "report_id": report_id, "action": "submit",
         "base_version": 1, "idempotency_key": _key("s"), "data": {}},
    )  # fmt: skip
    signed = send_batch(
        client, principal,
        {"op_id": "o", "kind": "self_check_report_action", "report_id": str(submitted.id), "action": "sign_off",
         "base_version": submitted.version, "idempotency_key": _key("o"), "data": {"comment": "同意"}},
    )  # fmt: skip

    assert [(r["op_id"], r["status"]) for r in drafted + signed] == [("c", 201), ("u", 200), ("s", 200), ("o", 200)]
    report = client.get(f"/api/self-check-reports/{report_id}", headers=officer).json
    assert drafted[2]["body"] == report and report["status"] == "submitted" and report["version"] == 3
    assert report["rectification_summary"] == self_checks.edit_report(world, None, None)["rectification_summary"]
    assert signed[0]["body"]["status"] == "signed_off"


def test_unknown_kind_and_bad_operations_are_their_own_422_and_later_ops_apply(client, session, world):
    hazard_id = str(uuid.uuid4())
    valid = jsonable(hazard_fields(world.own, world.photos.own, id=hazard_id))
    ops = [
        {"op_id": "unknown", "kind": "teleport", "data": {}},
        {"op_id": "no-kind", "data": {}},
        {"op_id": "odd-kind", "kind": 5, "data": "x"},
        {"op_id": "bad-data", "kind": "create_hazard", "data": {**valid, "domain": "nowhere"}},
        {"op_id": "not-a-map", "kind": "create_hazard", "data": ["x"]},
        {"op_id": "no-key", "kind": "hazard_action", "hazard_id": hazard_id, "action": "void", "data": {}},
        {"op_id": "bad-action", "kind": "hazard_action", "hazard_id": hazard_id, "action": "explode",
         "idempotency_key": _key("x"), "data": {}},
        {"op_id": "stray-field", "kind": "create_hazard", "data": valid, "user_id": str(uuid.uuid4())},
        {"op_id": "bad-version", "kind": "update_inspection", "inspection_id": str(world.inspections.own.id),
         "base_version": "one", "idempotency_key": _key("v"), "data": {}},
        {"op_id": "good", "kind": "create_hazard", "data": valid},
    ]  # fmt: skip

    results = send_batch(client, world.headers["inspector"], *ops)

    statuses = {r["op_id"]: r["status"] for r in results}
    assert statuses == {op["op_id"]: 422 for op in ops[:-1]} | {"good": 201}
    errors = {r["op_id"]: r["problem"]["errors"] for r in results if r["problem"]}
    assert list(errors["unknown"]) == ["kind"] and list(errors["no-kind"]) == ["kind"]
    assert list(errors["bad-data"]) == ["domain"] and errors["not-a-map"] == {"data": ["Not a valid mapping type."]}
    assert list(errors["no-key"]) == ["idempotency_key"] and list(errors["bad-action"]) == ["action"]
    assert list(errors["stray-field"]) == ["user_id"] and list(errors["bad-version"]) == ["base_version"]
    assert all(r["problem"]["type"] == "/problems/validation-error" for r in results if r["problem"])
    recorded = [i for i in issues_of(session, world.user("inspector")) if i.op_id in statuses]
    assert sorted(i.op_id for i in recorded) == sorted(op["op_id"] for op in ops[:-1])
    assert {i.kind for i in recorded} == {"rejected"}
    assert client.get(f"/api/hazards/{hazard_id}", headers=world.headers["inspector"]).status_code == 200


@pytest.mark.parametrize(
    "operations",
    [
        pytest.param([{"kind": "create_hazard", "data": {}}], id="no-op-id"),
        pytest.param(["create_hazard"], id="not-an-object"),
        pytest.param({"op_id": "x"}, id="not-a-list"),
        pytest.param([{"op_id": "x" * 65, "kind": "create_hazard"}], id="op-id-too-long"),
        pytest.param([], id="empty"),
    ],
)
def test_bad_envelope_refuses_the_whole_batch(operations, client, session, world):
    response = client.post("/api/sync/batch", json={"operations": operations}, headers=world.headers["inspector"])
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert "operations" in response.json["errors"]
    assert [i for i in issues_of(session, world.user("inspector")) if not i.op_id.startswith("op-")] == []


def test_openapi_publishes_each_kinds_operation_schema(client):
    schemas = client.get("/api/openapi.json").json["components"]["schemas"]
    for name in KINDS:
        component = schemas[f"SyncOp_{name}"]
        assert component["properties"]["kind"]["enum"] == [name]
        assert {"op_id", "kind"} <= set(component["required"])
    assert schemas["SyncOp_create_hazard"]["properties"]["data"]["$ref"] == "#/components/schemas/HazardCreate"
    assert schemas["SyncOp_hazard_action"]["required"] == ["action", "hazard_id", "idempotency_key", "kind", "op_id"]
    assert "base_version" not in schemas["SyncOp_update_inspection"]["required"]
    assert "base_version" not in schemas["SyncOp_update_self_check_report"]["required"]
    assert set(KINDS) == {
        "create_inspection", "update_inspection", "add_result", "create_hazard", "hazard_action",
        "acknowledge_document", "complete_task", "create_self_check_report", "update_self_check_report",
        "self_check_report_action", "read_notification",
    }  # fmt: skip


def test_a_lone_surrogate_or_nul_in_one_operation_is_its_own_422_and_the_others_apply(client, session, world):
    hazard_id = str(uuid.uuid4())
    valid = jsonable(hazard_fields(world.own, world.photos.own, id=hazard_id))
    ops = [
        {"op_id": "surrogate", "kind": "create_hazard", "data": {**valid, "id": str(uuid.uuid4()),
                                                                   "description": "漏\ud800水"}},
        {"op_id": "nul", "kind": "create_hazard", "data": {**valid, "id": str(uuid.uuid4()), "measures": "a\x00"}},
        {"op_id": "good", "kind": "create_hazard", "data": valid},
    ]  # fmt: skip
    headers = {**world.headers["inspector"], "Idempotency-Key": _key("batch")}

    response = client.post("/api/sync/batch", json={"operations": ops}, headers=headers)

    assert response.status_code == 200, response.json
    results = {r["op_id"]: r for r in response.json["results"]}
    assert [results[name]["status"] for name in ("surrogate", "nul", "good")] == [422, 422, 201]
    assert results["surrogate"]["problem"]["errors"] == {
        "description": ["Unpaired surrogate characters are not allowed."]
    }
    assert results["nul"]["problem"]["errors"] == {"measures": ["NUL characters are not allowed."]}
    recorded = {i.op_id: i for i in issues_of(session, world.user("inspector"))}
    assert recorded["surrogate"].operation["data"]["description"] == "漏水"
    assert client.get(f"/api/hazards/{hazard_id}", headers=world.headers["inspector"]).status_code == 200
    again = client.post("/api/sync/batch", json={"operations": ops}, headers=headers)
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json == response.json


def _failing(monkeypatch, error_of):
    """Make create_inspection's runner raise `error_of(session)` (a real database error where it can)."""
    kind = KINDS["create_inspection"]
    calls = []

    def run(session, actor, op, data, version):
        calls.append(op)
        raise error_of(session)

    monkeypatch.setitem(KINDS, "create_inspection", dataclasses.replace(kind, run=run))
    return calls


def _foreign_key_violation(session):
    from inspect_service.sync.models import SyncIssue

    try:
        session.add(SyncIssue(park_id=uuid.uuid4(), author_id=uuid.uuid4(), kind="rejected", op_id="fk",
                              op_kind="x", operation={}, problem={}))  # fmt: skip
        session.flush()
    except IntegrityError as error:
        return error
    raise AssertionError("no foreign key violation")


def _own_id_clash(session):
    from inspect_service.sync.models import SyncIssue

    taken = session.exec(select(SyncIssue.id, SyncIssue.park_id, SyncIssue.author_id)).first()  # not the entity
    try:
        session.add(SyncIssue(id=taken.id, park_id=taken.park_id, author_id=taken.author_id, kind="rejected",
                              op_id=f"x-{uuid.uuid4()}", op_kind="x", operation={}, problem={}))  # fmt: skip
        session.flush()
    except IntegrityError as error:
        return error
    raise AssertionError("no primary key clash")


@pytest.mark.parametrize(
    ("error_of", "status", "attempts"),
    [
        pytest.param(_foreign_key_violation, 422, 2, id="foreign-key"),
        pytest.param(_own_id_clash, 409, 2, id="own-id"),
        pytest.param(lambda _s: DataError("INSERT", {}, Exception("value out of range")), 422, 1, id="data-error"),
        pytest.param(lambda _s: UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates"), 422, 1, id="unicode"),
    ],
)
def test_database_refusals_are_the_operations_own_answer(error_of, status, attempts, client, world, monkeypatch):
    calls = _failing(monkeypatch, error_of)
    ops = [
        {"op_id": "failing", "kind": "create_inspection", "data": bodies.new_inspection(world, None, None)},
        {"op_id": "after", "kind": "create_hazard",
         "data": jsonable(hazard_fields(world.own, world.photos.own, id=str(uuid.uuid4())))},
    ]  # fmt: skip

    failing, after = send_batch(client, world.headers["inspector"], *ops)

    assert (failing["status"], after["status"], len(calls)) == (status, 201, attempts)
    expected = "/problems/conflict" if status == 409 else "/problems/validation-error"
    assert failing["problem"]["type"] == expected
    if failing["op_id"] == "failing" and attempts == 2 and status == 422:
        assert "does not exist or conflicts with a constraint" in failing["problem"]["detail"]
