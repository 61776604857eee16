"""The monthly report through the API: drafted and submitted by the safety officer, signed off or returned by the
principal, with its history; 403 for a role that never may, 409 in the wrong state, 404 out of scope."""

from datetime import date, timedelta

import pytest
import time_machine

from inspect_service.common.concurrency import etag
from tests.hazards.factories import make_hazard
from tests.selfchecks.factories import make_report
from tests.users.factories import bearer, login_tokens, make_user

URL = "/api/self-check-reports"
APRIL_3 = "2027-04-03 09:00:00+08:00"
SUMMARY = "3月开展全面自查两次，专项检查一次。"


@pytest.fixture
def clock():
    with time_machine.travel(APRIL_3, tick=False) as traveller:
        yield traveller


@pytest.fixture
def auth(session, world, clock):
    """Headers of a caller, minted at the travelled-to time; each call moves the frozen clock on a millisecond, so
    every request happens at its own moment (and the history's order is the order of the requests)."""

    def headers(caller: str) -> dict:
        clock.shift(timedelta(milliseconds=1))
        return bearer(login_tokens(session, world.user(caller)).access_token)

    return headers


def _draft(client, auth, period="2027-03", **fields):
    response = client.post(URL, json={"period": period, "checks_summary": SUMMARY, **fields}, headers=auth(OFFICER))
    assert response.status_code == 201, response.json
    return response.json


OFFICER, PRINCIPAL = "enterprise_safety_officer", "enterprise_principal"


def _act(client, auth, report, action, caller, body=None, **headers):
    return client.post(f"{URL}/{report['id']}/{action}", json=body or {}, headers={**auth(caller), **headers})


def test_officer_drafts_edits_submits_and_principal_signs_off(client, session, world, auth):
    report = _draft(client, auth)
    assert (report["status"], report["period"], report["due_date"], report["timeliness"]) == (
        "draft", "2027-03", "2027-04-10", "not_due"
    )  # fmt: skip
    path = f"{URL}/{report['id']}"
    change = {"rectification_summary": "已整改8项。"}
    assert client.patch(path, json=change, headers=auth(OFFICER)).status_code == 428
    stale = client.patch(path, json=change, headers={**auth(OFFICER), "If-Match": etag(report["version"] + 1)})
    assert stale.status_code == 412
    edited = client.patch(path, json=change, headers={**auth(OFFICER), "If-Match": etag(report["version"])})
    assert edited.status_code == 200 and edited.json["rectification_summary"] == "已整改8项。"

    submitted = _act(client, auth, report, "submit", OFFICER)
    assert submitted.status_code == 200, submitted.json
    assert (submitted.json["status"], submitted.json["late"], submitted.json["timeliness"]) == (
        "submitted", False, "on_time"
    )  # fmt: skip
    signed = _act(client, auth, report, "sign_off", PRINCIPAL, {"comment": "同意。"})
    assert signed.status_code == 200
    assert signed.json["status"] == "signed_off"
    assert signed.json["signed_off_by"] == str(world.user(PRINCIPAL).id)
    events = client.get(path, headers=auth("park_manager")).json["events"]
    assert [(e["action"], e["from_status"], e["to_status"]) for e in events] == [
        ("create", None, "draft"), ("update", "draft", "draft"), ("submit", "draft", "submitted"),
        ("sign_off", "submitted", "signed_off"),
    ]  # fmt: skip


def test_figures_are_frozen_once_submitted(client, session, world, auth):
    report = _draft(client, auth)
    assert report["figures"]["found"]["total"] == 0
    hazard = make_hazard(session, world.own, world.user("inspector"))
    hazard.found_at = hazard.created_at = hazard.created_at.replace(year=2027, month=3, day=15)
    session.add(hazard)
    session.commit()
    submitted = _act(client, auth, report, "submit", OFFICER).json
    assert submitted["figures"]["found"]["total"] == 1  # recomputed at submission
    later = make_hazard(session, world.own, world.user("inspector"))
    later.found_at = later.created_at = hazard.found_at
    session.add(later)
    session.commit()
    assert client.get(f"{URL}/{report['id']}", headers=auth(OFFICER)).json["figures"] == submitted["figures"]


def test_principal_returns_with_a_reason_and_officer_resubmits(client, world, auth, clock):
    report = _draft(client, auth)
    first = _act(client, auth, report, "submit", OFFICER).json
    assert _act(client, auth, report, "return", PRINCIPAL).status_code == 422  # a reason is required
    returned = _act(client, auth, report, "return", PRINCIPAL, {"reason": "管控措施不具体。"})
    assert returned.status_code == 200
    assert (returned.json["status"], returned.json["return_reason"]) == ("returned", "管控措施不具体。")
    path = f"{URL}/{report['id']}"
    edit = {"open_hazards_measures": "设置警戒区并专人看守。"}
    edited = client.patch(path, json=edit, headers={**auth(OFFICER), "If-Match": etag(returned.json["version"])})
    assert edited.status_code == 200
    clock.move_to("2027-04-12 09:00:00+08:00")  # after the due date: the first submission was on time
    again = _act(client, auth, report, "submit", OFFICER).json
    assert (again["status"], again["late"], again["return_reason"]) == ("submitted", False, None)
    assert again["first_submitted_at"] == first["first_submitted_at"] != again["submitted_at"]
    actions = [e["action"] for e in again["events"]]
    assert actions == ["create", "submit", "return", "update", "submit"]


@pytest.mark.parametrize(
    ("action", "caller", "body"),
    [
        ("submit", PRINCIPAL, {}),
        ("submit", "park_manager", {}),
        ("submit", "liaison_officer", {}),
        ("sign_off", OFFICER, {}),
        ("return", OFFICER, {"reason": "x"}),
        ("sign_off", "admin", {}),
    ],
)
def test_role_that_never_may_gets_403(client, auth, action, caller, body):
    report = _draft(client, auth)
    if action != "submit":
        _act(client, auth, report, "submit", OFFICER)
    response = _act(client, auth, report, action, caller, body)
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("caller", [PRINCIPAL, "park_manager", "inspector", "admin"])
def test_only_the_safety_officer_drafts_and_edits(client, auth, caller):
    assert client.post(URL, json={"period": "2027-03"}, headers=auth(caller)).status_code == 403
    report = _draft(client, auth)
    path = f"{URL}/{report['id']}"
    response = client.patch(path, json={"remarks": "x"}, headers={**auth(caller), "If-Match": etag(report["version"])})
    assert response.status_code == 403


def test_wrong_state_gets_409_with_the_allowed_actions(client, auth):
    report = _draft(client, auth)
    early = _act(client, auth, report, "sign_off", PRINCIPAL)
    assert early.status_code == 409 and early.json["allowed_actions"] == []
    submitted = _act(client, auth, report, "submit", OFFICER).json
    twice = _act(client, auth, report, "submit", OFFICER)
    assert twice.status_code == 409
    assert _act(client, auth, report, "submit", PRINCIPAL).status_code == 403  # the role is judged first
    patch = client.patch(
        f"{URL}/{report['id']}",
        json={"remarks": "x"},
        headers={**auth(OFFICER), "If-Match": etag(submitted["version"])},
    )
    assert patch.status_code == 409
    _act(client, auth, report, "sign_off", PRINCIPAL)
    late_return = _act(client, auth, report, "return", PRINCIPAL, {"reason": "x"})
    assert late_return.status_code == 409 and late_return.json["allowed_actions"] == []


def test_out_of_scope_answers_like_a_missing_report(client, session, world, auth):
    other = make_report(session, world.other, world.user(OFFICER), period=date(2027, 2, 1))
    foreign = make_report(session, world.foreign, world.user("foreign_officer"), period=date(2027, 2, 1))
    session.commit()
    missing = client.get(f"{URL}/00000000-0000-4000-8000-000000000000", headers=auth(OFFICER))
    assert missing.status_code == 404
    for caller, report in (
        (OFFICER, other), (PRINCIPAL, other), ("liaison_officer", other), ("park_manager", foreign),
        ("inspector", foreign),
    ):  # fmt: skip
        response = client.get(f"{URL}/{report.id}", headers=auth(caller))
        assert (response.status_code, response.json) == (404, missing.json), caller
        acted = client.post(f"{URL}/{report.id}/submit", json={}, headers=auth(caller))
        assert acted.status_code == 404, caller
    assert client.get(f"{URL}/{other.id}", headers=auth("park_manager")).status_code == 200
    assert client.get(f"{URL}/{foreign.id}", headers=auth("admin")).status_code == 200


def test_one_report_per_enterprise_and_month(client, auth):
    _draft(client, auth)
    second = client.post(URL, json={"period": "2027-03"}, headers=auth(OFFICER))
    assert second.status_code == 409
    assert second.mimetype == "application/problem+json"


@pytest.mark.parametrize("period", ["2027-05", "2027-13", "2027-3", "27-03", "1999-12", "２０２７-03", "", 202703])
def test_a_future_or_malformed_month_is_422(client, auth, period):
    response = client.post(URL, json={"period": period}, headers=auth(OFFICER))
    assert response.status_code == 422
    assert "period" in response.json["errors"]


def test_a_month_is_submitted_only_after_it_ends(client, auth):
    report = _draft(client, auth, period="2027-04")
    response = _act(client, auth, report, "submit", OFFICER)
    assert response.status_code == 409


def test_submission_needs_the_checks_summary(client, auth):
    report = _draft(client, auth, checks_summary="   ")
    response = _act(client, auth, report, "submit", OFFICER)
    assert response.status_code == 422
    assert "checks_summary" in response.json["errors"]


def test_late_turns_at_the_end_of_the_due_day_in_the_park_zone(client, session, world, auth, clock):
    on_time = _draft(client, auth)
    colleague = make_user(session, role=OFFICER, park=world.park, enterprise=world.other)
    session.commit()
    other_headers = bearer(login_tokens(session, colleague).access_token)
    late = client.post(URL, json={"period": "2027-03", "checks_summary": SUMMARY}, headers=other_headers).json
    clock.move_to("2027-04-10 23:59:59+08:00")  # 15:59:59 UTC: still the due day in Shanghai
    assert _act(client, auth, on_time, "submit", OFFICER).json["late"] is False
    clock.move_to("2027-04-11 00:00:01+08:00")  # 16:00:01 UTC on the 10th: late in Shanghai
    other_headers = bearer(login_tokens(session, colleague).access_token)
    response = client.post(f"{URL}/{late['id']}/submit", json={}, headers=other_headers)
    assert (response.json["late"], response.json["timeliness"]) == (True, "late")


def test_the_park_sets_the_due_day(client, session, world, auth, clock):
    from inspect_service.parks.models import Park

    park = session.get(Park, world.park.id)
    park.settings = {**park.settings, "self_check_report_due_day": 5}
    session.commit()
    report = _draft(client, auth)
    assert report["due_date"] == "2027-04-05"
    clock.move_to("2027-04-06 08:00:00+08:00")
    assert _act(client, auth, report, "submit", OFFICER).json["late"] is True


def test_a_retried_submission_replays_the_stored_answer(client, auth):
    report = _draft(client, auth)
    first = _act(client, auth, report, "submit", OFFICER, **{"Idempotency-Key": "submit-march"})
    retry = _act(client, auth, report, "submit", OFFICER, **{"Idempotency-Key": "submit-march"})
    assert (first.status_code, retry.status_code) == (200, 200)
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json == first.json
    assert [e["action"] for e in retry.json["events"]].count("submit") == 1


def test_list_filters_by_month_and_status(client, session, world, auth):
    submitted = _draft(client, auth)
    _act(client, auth, submitted, "submit", OFFICER)
    draft = _draft(client, auth, period="2027-02")
    other = make_report(session, world.other, world.user(OFFICER), period=date(2027, 3, 1))
    session.commit()

    def ids(caller, **query):
        response = client.get(URL, query_string=query, headers=auth(caller))
        assert response.status_code == 200
        return {item["id"] for item in response.json["items"]}

    assert ids(OFFICER) == {submitted["id"], draft["id"]}
    assert ids(OFFICER, period="2027-03") == {submitted["id"]}
    assert ids("park_manager", period="2027-03") == {submitted["id"], str(other.id)}
    assert ids("park_manager", status="draft") == {draft["id"], str(other.id)}
    assert ids("park_manager", status="submitted", enterprise_id=str(world.own.id)) == {submitted["id"]}


def test_the_report_cannot_have_been_posted_in_the_future(client, auth):
    response = client.post(
        URL, json={"period": "2027-03", "published_internally_on": "2027-04-04"}, headers=auth(OFFICER)
    )
    assert response.status_code == 422 and "published_internally_on" in response.json["errors"]
    report = _draft(client, auth, published_internally_on="2027-04-03")
    assert report["published_internally_on"] == "2027-04-03"


@pytest.mark.parametrize(
    ("settings", "status"),
    [
        ({"self_check_report_due_day": 5, "self_check_report_reminder_days": [5, 2]}, 200),
        ({"self_check_report_escalation_ladder": [{"day": 0, "audience": "park_manager"}]}, 200),
        ({"self_check_report_due_day": 29}, 422),
        ({"self_check_report_due_day": "5"}, 422),
        ({"self_check_report_reminder_days": [-1]}, 422),
    ],
)
def test_the_park_settings_for_reports_are_validated(client, world, auth, settings, status):
    park = client.get(f"/api/parks/{world.park.id}", headers=auth("admin"))
    headers = {**auth("admin"), "If-Match": park.headers["ETag"]}
    response = client.patch(f"/api/parks/{world.park.id}", json={"settings": settings}, headers=headers)
    assert response.status_code == status, response.json
    if status == 200:
        assert settings.items() <= response.json["settings"].items()


def test_answers_match_the_openapi_document(app, client, world, auth):
    import schemathesis
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

    report = _draft(client, auth)
    _act(client, auth, report, "submit", OFFICER)
    api = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    calls = [
        ("/api/self-check-reports/{report_id}", "GET", {"report_id": report["id"]}, {}),
        ("/api/self-check-reports", "GET", {}, {"period": "2027-03"}),
        ("/api/self-check-reports/status", "GET", {}, {"period": "2027-03"}),
    ]
    for path, method, path_parameters, query in calls:
        case = api[path][method].Case(path_parameters=path_parameters, query=query)
        # Schemathesis's WSGI transport does not decode gzip, which large JSON answers now use when accepted.
        response = case.call(headers={**auth("park_manager"), "Accept-Encoding": "identity"})
        assert response.status_code == 200
        assert response.json()["items" if "items" in response.json() else "id"]
        case.validate_response(response, checks=[response_schema_conformance, status_code_conformance])
