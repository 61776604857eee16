"""The month's status per enterprise for park staff: enterprises without a report included, missing and late
visible, filtered, keyset-paginated, scoped."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from inspect_service.parks.models import Park
from tests.enterprises.factories import make_enterprise
from tests.selfchecks.factories import make_report
from tests.users.factories import bearer, login_tokens

URL = "/api/self-check-reports/status"
MARCH = date(2027, 3, 1)
AFTER_DUE = "2027-04-11 09:00:00+08:00"


def _submitted(session, enterprise, author, *, on: str, late: bool, status="submitted"):
    report = make_report(session, enterprise, author, period=MARCH, status=status)
    report.first_submitted_at = report.submitted_at = datetime.fromisoformat(on).astimezone(UTC)
    report.late = late
    session.add(report)
    return report


@pytest.fixture
def month(session, world):
    """Own: on time; other: no report; a draft; a late one; a signed-off one; and one in the other park."""
    author = world.user("enterprise_safety_officer")
    names = {"draft": "丙化工有限公司", "late": "丁机械有限公司", "signed": "戊纺织有限公司"}
    extra = {key: make_enterprise(session, world.park, name=name) for key, name in names.items()}
    _submitted(session, world.own, author, on="2027-04-08T10:00:00+08:00", late=False)
    make_report(session, extra["draft"], author, period=MARCH)
    _submitted(session, extra["late"], author, on="2027-04-11T08:00:00+08:00", late=True)
    _submitted(session, extra["signed"], author, on="2027-04-02T10:00:00+08:00", late=False, status="signed_off")
    session.commit()
    return {"own": world.own, "other": world.other, **extra, "foreign": world.foreign}


def _get(client, session, world, caller, **query):
    headers = bearer(login_tokens(session, world.user(caller)).access_token)
    return client.get(URL, query_string=query, headers=headers)


def _names(month, rows) -> set[str]:
    by_id = {str(enterprise.id): key for key, enterprise in month.items()}
    return {by_id[row["enterprise_id"]] for row in rows}


def test_every_enterprise_of_the_park_is_listed_with_its_status(client, session, world, month):
    with time_machine.travel(AFTER_DUE, tick=False):
        response = _get(client, session, world, "park_manager", period="2027-03", limit=200)
    assert response.status_code == 200
    rows = {row["enterprise_id"]: row for row in response.json["items"]}
    assert _names(month, rows.values()) == {"own", "other", "draft", "late", "signed"}
    status = {key: (rows[str(e.id)]["status"], rows[str(e.id)]["timeliness"]) for key, e in month.items()
              if str(e.id) in rows}  # fmt: skip
    assert status == {
        "own": ("submitted", "on_time"), "other": ("none", "missing"), "draft": ("draft", "missing"),
        "late": ("submitted", "late"), "signed": ("signed_off", "on_time"),
    }  # fmt: skip
    other = rows[str(world.other.id)]
    assert (other["report_id"], other["due_date"], other["period"]) == (None, "2027-04-10", "2027-03")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("missing", {"other", "draft"}),
        ("late", {"late"}),
        ("on_time", {"own", "signed"}),
        ("none", {"other"}),
        ("draft", {"draft"}),
        ("submitted", {"own", "late"}),
        ("signed_off", {"signed"}),
        ("not_due", set()),
    ],
)
def test_status_filter(client, session, world, month, status, expected):
    with time_machine.travel(AFTER_DUE, tick=False):
        response = _get(client, session, world, "park_manager", period="2027-03", status=status)
    assert response.status_code == 200
    assert _names(month, response.json["items"]) == expected


def test_nothing_is_missing_until_the_due_day_has_ended_in_the_park_zone(client, session, world, month):
    with time_machine.travel("2027-04-10 23:59:59+08:00", tick=False):
        missing = _get(client, session, world, "park_manager", period="2027-03", status="missing").json["items"]
        not_due = _get(client, session, world, "park_manager", period="2027-03", status="not_due").json["items"]
    assert missing == [] and _names(month, not_due) == {"other", "draft"}
    with time_machine.travel("2027-04-11 00:00:01+08:00", tick=False):  # still the 10th in UTC
        missing = _get(client, session, world, "park_manager", period="2027-03", status="missing").json["items"]
    assert _names(month, missing) == {"other", "draft"}


def test_each_park_is_judged_by_its_own_due_day(client, session, world, month):
    foreign = session.get(Park, world.foreign_park.id)
    foreign.settings = {**foreign.settings, "self_check_report_due_day": 5}
    session.commit()
    with time_machine.travel("2027-04-06 09:00:00+08:00", tick=False):
        rows = _get(client, session, world, "admin", period="2027-03", status="missing", limit=200).json["items"]
    assert _names(month, rows) == {"foreign"}
    assert rows[0]["due_date"] == "2027-04-05"


def test_pages_walk_every_enterprise_once_in_name_order(client, session, world, month):
    with time_machine.travel(AFTER_DUE, tick=False):
        whole = _get(client, session, world, "park_manager", period="2027-03", limit=200).json
        seen, cursor = [], None
        while True:
            query = {"period": "2027-03", "limit": 2, **({"cursor": cursor} if cursor else {})}
            page = _get(client, session, world, "park_manager", **query).json
            assert len(page["items"]) <= 2
            seen += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                break
    assert whole["next_cursor"] is None
    assert [row["enterprise_id"] for row in seen] == [row["enterprise_id"] for row in whole["items"]]
    names = [row["enterprise_name"] for row in seen]
    assert names == sorted(names) and len(seen) == 5


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        ("liaison_officer", {"own"}),
        ("third_party_expert", {"own"}),
        ("inspector", {"own", "other", "draft", "late", "signed"}),
        ("admin", {"own", "other", "draft", "late", "signed", "foreign"}),
    ],
)
def test_staff_see_their_scope(client, session, world, month, caller, expected):
    with time_machine.travel(AFTER_DUE, tick=False):
        response = _get(client, session, world, caller, period="2027-03", limit=200)
    assert _names(month, response.json["items"]) == expected


@pytest.mark.parametrize("caller", ["enterprise_safety_officer", "enterprise_principal"])
def test_enterprise_users_are_refused(client, session, world, caller):
    assert _get(client, session, world, caller).status_code == 403


def test_the_default_month_is_the_previous_one(client, session, world, month):
    with time_machine.travel(AFTER_DUE, tick=False):
        rows = _get(client, session, world, "park_manager").json["items"]
    assert {row["period"] for row in rows} == {"2027-03"}


@pytest.mark.parametrize("query", [{"period": "2027-00"}, {"status": "lost"}, {"cursor": "bm90IGEgY3Vyc29y"}])
def test_bad_arguments_are_422(client, session, world, query):
    response = _get(client, session, world, "park_manager", **query)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_listing_a_month_costs_one_page_query(app, client, session, world, month):
    from sqlalchemy import event

    from inspect_service.extensions import db

    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    for _ in range(30):
        make_enterprise(session, world.park)
    session.commit()
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        with time_machine.travel(AFTER_DUE, tick=False):
            headers = bearer(login_tokens(session, world.user("park_manager")).access_token)
            statements.clear()
            response = client.get(URL, query_string={"period": "2027-03", "limit": 10}, headers=headers)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200 and len(response.json["items"]) == 10
    assert len([s for s in statements if "enterprise" in s and "self_check_report" in s]) == 1
