"""Sync issues: who sees them, filters and pages, resolving over the API and on the console page."""

import re
import uuid

import pytest
from sqlmodel import select

from inspect_service.sync.models import SyncIssue
from tests import bodies
from tests.hazards.factories import make_hazard
from tests.sync.factories import action_op, issues_of, make_issue, send_batch
from tests.users.factories import make_user
from tests.web.console import post_form, sign_in
from tests.world import targeted_world


@pytest.fixture(autouse=True)
def _isolated(savepoint_per_test):
    """One world per module, each test rolled back to a savepoint."""


@pytest.fixture(scope="module")
def world(app, module_world):
    """The standard world with its targets (each caller already has one issue of their own)."""
    return targeted_world(app, module_world)


def _listed(client, headers, **query) -> set[str]:
    response = client.get("/api/sync/issues", query_string={"limit": 200, **query}, headers=headers)
    assert response.status_code == 200, response.json
    return {item["id"] for item in response.json["items"]}


def test_refused_operation_is_listed_for_its_author_and_the_park_manager_only(client, session, world):
    op_id = f"op-{uuid.uuid4()}"
    (result,) = send_batch(client, world.headers["liaison_officer"], {"op_id": op_id, "kind": "teleport"})
    assert result["status"] == 422
    issue = session.exec(select(SyncIssue).where(SyncIssue.op_id == op_id)).one()
    issue_id = str(issue.id)

    for caller in ("liaison_officer", "park_manager"):
        assert issue_id in _listed(client, world.headers[caller]), caller
        shown = client.get(f"/api/sync/issues/{issue_id}", headers=world.headers[caller])
        assert shown.status_code == 200 and shown.json["op_kind"] == "teleport"
        assert shown.json["author_name"] == world.user("liaison_officer").display_name
        assert shown.json["problem"]["errors"] == result["problem"]["errors"]
        assert shown.json["operation"] == {"op_id": op_id, "kind": "teleport"}
    outsiders = ("inspector", "enterprise_safety_officer", "admin", "foreign_manager", "foreign_officer")
    for caller in outsiders:
        assert issue_id not in _listed(client, world.headers[caller]), caller
        missing = client.get(f"/api/sync/issues/{issue_id}", headers=world.headers[caller])
        assert missing.status_code == 404 and missing.mimetype == "application/problem+json", caller
        refused = client.post(f"/api/sync/issues/{issue_id}/resolve", json={}, headers=world.headers[caller])
        assert refused.status_code == 404, caller


def test_list_filters_by_status_and_kind_and_pages_newest_first(client, session, world):
    author = make_user(session, role="inspector", park=world.park, inspector_kind="park_staff")
    issues = [
        make_issue(session, author, kind="conflict"),
        make_issue(session, author, kind="rejected"),
        make_issue(session, author, kind="rejected", status="resolved"),
    ]
    session.commit()
    ids = [str(issue.id) for issue in issues]
    manager = world.headers["park_manager"]
    assert {ids[0], ids[1]} <= _listed(client, manager, status="open")
    assert ids[2] not in _listed(client, manager, status="open")
    assert ids[0] in _listed(client, manager, kind="conflict") and ids[1] not in _listed(
        client, manager, kind="conflict"
    )
    assert ids[2] in _listed(client, manager, status="resolved", kind="rejected")

    seen, cursor = [], None
    while True:
        query = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/sync/issues", query_string=query, headers=manager).json
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and set(ids) <= set(seen)
    assert seen.index(ids[2]) < seen.index(ids[0]), "newest first"
    assert client.get("/api/sync/issues?status=lost", headers=manager).status_code == 422
    assert client.get("/api/sync/issues?cursor=bogus", headers=manager).status_code == 422


def test_manager_resolves_with_a_note_and_a_second_resolve_is_409(client, session, world):
    issue = make_issue(session, world.user("inspector"))
    session.commit()
    path = f"/api/sync/issues/{issue.id}/resolve"

    response = client.post(path, json={"note": "已电话联系，重新办理"}, headers=world.headers["park_manager"])

    assert response.status_code == 200, response.json
    body = response.json
    assert (body["status"], body["resolution_note"]) == ("resolved", "已电话联系，重新办理")
    assert body["resolved_by"] == str(world.user("park_manager").id) and body["resolved_at"] and body["version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert client.get(f"/api/sync/issues/{issue.id}", headers=world.headers["inspector"]).json == body
    again = client.post(path, json={}, headers=world.headers["inspector"])
    assert again.status_code == 409 and again.mimetype == "application/problem+json"


def test_author_resolves_their_own_and_a_retry_with_the_key_replays(client, session, world):
    issue = make_issue(session, world.user("enterprise_principal"))
    session.commit()
    headers = {**world.headers["enterprise_principal"], "Idempotency-Key": f"resolve-{uuid.uuid4()}"}
    first = client.post(f"/api/sync/issues/{issue.id}/resolve", json={"note": ""}, headers=headers)
    again = client.post(f"/api/sync/issues/{issue.id}/resolve", json={"note": ""}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.headers.get("Idempotent-Replayed") == "true" and again.json == first.json
    assert first.json["resolved_by"] == str(world.user("enterprise_principal").id)


@pytest.mark.parametrize("body", [{"note": "x" * 2001}, {"status": "resolved"}, {"resolved_by": str(uuid.uuid4())}])
def test_resolve_body_is_bounded_and_strict(body, client, session, world):
    issue = make_issue(session, world.user("inspector"))
    session.commit()
    response = client.post(f"/api/sync/issues/{issue.id}/resolve", json=body, headers=world.headers["park_manager"])
    assert response.status_code == 422
    session.refresh(issue)
    assert issue.status == "open"


ROW = re.compile(r'<tr data-issue="([^"]+)"')


def test_console_page_lists_open_issues_and_resolves_one(app, session, world):
    author = make_user(session, role="inspector", park=world.park, inspector_kind="park_staff")
    issue = make_issue(session, author, kind="conflict")
    done = make_issue(session, author, status="resolved")
    foreign = make_issue(session, world.user("foreign_officer"))
    session.commit()
    client = app.test_client()
    sign_in(client, session, world.user("park_manager"))

    page = client.get("/console/sync-issues")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    rows = set(ROW.findall(html))
    assert str(issue.id) in rows and str(done.id) not in rows and str(foreign.id) not in rows
    assert author.display_name in html and "版本冲突" in html and "标记已处理" in html and "隐患操作" in html
    assert 'href="/console/sync-issues"' in html, "linked from the console navigation"

    resolved = post_form(
        client, f"/console/sync-issues/{issue.id}/resolve", {"note": "已处理", "version": issue.version}
    )

    assert resolved.status_code == 302 and resolved.headers["Location"].endswith("/console/sync-issues")
    session.refresh(issue)
    assert (issue.status, issue.resolution_note, issue.resolved_by) == (
        "resolved",
        "已处理",
        world.user("park_manager").id,
    )
    assert str(issue.id) not in set(ROW.findall(client.get("/console/sync-issues").get_data(as_text=True)))
    history = client.get("/console/sync-issues?status=resolved").get_data(as_text=True)
    assert str(issue.id) in set(ROW.findall(history))


def test_console_resolve_of_a_stale_page_is_412_and_changes_nothing(app, session, world):
    issue = make_issue(session, world.user("inspector"))
    session.commit()
    client = app.test_client()
    sign_in(client, session, world.user("inspector"))
    response = post_form(client, f"/console/sync-issues/{issue.id}/resolve", {"version": issue.version + 1})
    assert response.status_code == 412 and response.mimetype == "text/html"
    session.refresh(issue)
    assert issue.status == "open"


ESCAPE_TEXT = '漏点\\u0000在"阀门"处'  # a backslash, "u0000" and quotes as plain text, as a user may type them


def test_conflict_on_a_hazard_whose_text_looks_like_a_json_escape_is_recorded(client, session, world):
    hazard = make_hazard(session, world.own, world.user("inspector"))
    hazard.description = ESCAPE_TEXT
    session.commit()
    op = action_op(hazard, "void", {"reason": "mistaken"}, base_version=hazard.version - 1)

    (result,) = send_batch(client, world.headers["inspector"], op)

    assert result["status"] == 409 and result["problem"]["current"]["description"] == ESCAPE_TEXT
    (issue,) = [i for i in issues_of(session, world.user("inspector")) if i.op_id == op["op_id"]]
    assert issue.kind == "conflict" and issue.problem["current"]["description"] == ESCAPE_TEXT


def test_nul_and_lone_surrogates_are_stripped_from_a_stored_operation(client, session, world):
    op = {"op_id": "op-odd-text", "kind": "teleport", "data": {"note\x00": "a\x00b\ud800c", "n": [1.5, "\udfff"]}}
    (result,) = send_batch(client, world.headers["inspector"], op)
    assert result["status"] == 422
    (issue,) = [i for i in issues_of(session, world.user("inspector")) if i.op_id == "op-odd-text"]
    assert issue.operation["data"] == {"note": "abc", "n": [1.5, ""]}


def test_an_issue_that_cannot_be_built_is_kept_minimal_and_the_batch_goes_on(client, session, world, monkeypatch):
    from inspect_service.sync import issues

    def broken(_problem):
        raise ValueError("cannot keep this problem")

    monkeypatch.setattr(issues, "_bounded_problem", broken)
    hazard_id = str(uuid.uuid4())
    ops = [
        {"op_id": "op-unbuildable", "kind": "teleport"},
        {"op_id": "op-after", "kind": "create_inspection", "data": bodies.new_inspection(world, None, None)},
    ]

    results = send_batch(client, world.headers["inspector"], *ops)

    assert [r["status"] for r in results] == [422, 201] and hazard_id not in str(results)
    (issue,) = [i for i in issues_of(session, world.user("inspector")) if i.op_id == "op-unbuildable"]
    assert issue.kind == "rejected" and issue.problem["status"] == 422 and issue.problem["truncated"] is True


def test_console_lists_issues_with_odd_actions_and_deeply_nested_errors(app, client, session, world):
    hazard = world.hazards["own"]["registered"]
    inspection = world.inspections.own
    result = {**bodies.inspection_result(world, None, None), "result": "fail",
              "hazard": {"photo_ids": ["not-a-uuid"]}}  # fmt: skip
    ops = [
        {**action_op(hazard, "void", {}), "op_id": "op-action-list", "action": ["x"]},
        {**action_op(hazard, "void", {}), "op_id": "op-action-map", "action": {}},
        {"op_id": "op-nested", "kind": "add_result", "inspection_id": str(inspection.id), "data": result},
    ]
    results = send_batch(client, world.headers["inspector"], *ops)
    assert [r["status"] for r in results] == [422, 422, 422]
    assert results[2]["problem"]["errors"]["hazard"]["photo_ids"] == {"0": ["Not a valid UUID."]}
    recorded = {i.op_id: i for i in issues_of(session, world.user("inspector"))}
    assert "action" not in recorded["op-action-list"].operation and "action" not in recorded["op-action-map"].operation
    old = make_issue(session, world.user("inspector"))
    old.operation = {**old.operation, "action": ["x"]}  # stored before the fix
    session.commit()
    console = app.test_client()
    sign_in(console, session, world.user("park_manager"))

    page = console.get("/console/sync-issues?limit=200")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    rows = set(ROW.findall(html))
    assert {str(recorded[op["op_id"]].id) for op in ops} | {str(old.id)} <= rows
    assert "Not a valid UUID." in html or "UUID" in html
