"""Patrol cadences: RRULE recurrences in the park's zone become tasks `lead_days` ahead, once each."""

import uuid
from datetime import date, datetime, timedelta

import pytest
import time_machine
from sqlmodel import select

from inspect_service.campaigns import cadences, jobs
from inspect_service.campaigns.models import InspectionTask, PatrolCadence
from tests.campaigns.factories import make_cadence
from tests.enterprises.factories import make_enterprise

MONDAY = date(2027, 3, 8)


def _tasks(session, cadence) -> list[InspectionTask]:
    session.expire_all()
    rows = session.exec(select(InspectionTask).where(InspectionTask.cadence_id == cadence.id)).all()
    return sorted(rows, key=lambda t: (t.due_date, str(t.enterprise_id)))


def _at(local: str) -> datetime:
    return datetime.fromisoformat(local)


@pytest.fixture
def manager(world):
    return world.user("park_manager")


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ("FREQ=HOURLY", "FREQ"),
        ("FREQ=DAILY;BYHOUR=9", "BYHOUR"),
        ("FREQ=YEARLY;BYWEEKNO=60", "BYWEEKNO"),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "never occurs"),
        ("FREQ=MONTHLY;BYMONTH=4,6;BYMONTHDAY=31", "never occurs"),
        ("DTSTART:20270101T000000\nFREQ=DAILY", "KEY=VALUE"),
        ("FREQ=WEEKLY;BYDAY=XX", "RRULE"),
        ("every monday", "KEY=VALUE"),
        ("FREQ=DAILY;COUNT=abc", "RRULE"),
    ],
)
def test_bad_rules_are_refused_with_the_reason(rule, reason, client, world):
    body = {"name": "巡查", "kind": "self_patrol", "rrule": rule, "starts_on": "2027-03-01"}
    response = client.post("/api/patrol-cadences", json=body, headers=world.headers["park_manager"])
    assert response.status_code == 422, response.json
    assert response.content_type == "application/problem+json"
    assert reason in response.json["errors"]["rrule"][0]


def test_a_possible_month_day_and_far_dates(client, world):
    base = {"name": "巡查", "kind": "self_patrol", "starts_on": "2027-03-01"}
    headers = world.headers["park_manager"]
    leap = client.post("/api/patrol-cadences", json={**base, "rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"},
                       headers=headers)  # fmt: skip
    assert leap.status_code == 201, leap.json
    ancient = client.post("/api/patrol-cadences", json={**base, "rrule": "FREQ=DAILY", "starts_on": "0001-01-01"},
                          headers=headers)  # fmt: skip
    assert ancient.status_code == 422 and "starts_on" in ancient.json["errors"]


def test_a_cadence_ends_after_it_starts_and_assigns_only_park_staff(client, world):
    base = {"name": "巡查", "kind": "park_patrol", "rrule": "FREQ=WEEKLY", "starts_on": "2027-03-01"}
    headers = world.headers["park_manager"]
    response = client.post("/api/patrol-cadences", json={**base, "ends_on": "2027-02-01"}, headers=headers)
    assert response.status_code == 422 and "ends_on" in response.json["errors"]
    officer = str(world.user("enterprise_safety_officer").id)
    response = client.post("/api/patrol-cadences", json={**base, "assignee_id": officer}, headers=headers)
    assert response.status_code == 422 and "assignee_id" in response.json["errors"]
    foreign = str(world.user("foreign_manager").id)
    response = client.post("/api/patrol-cadences", json={**base, "assignee_id": foreign}, headers=headers)
    assert response.status_code == 422 and "assignee_id" in response.json["errors"]


def test_occurrences_follow_the_rule_within_its_dates(session, world, manager):
    cadence = make_cadence(session, world.park, manager, rrule="FREQ=WEEKLY;BYDAY=MO,TH", starts_on=MONDAY)
    cadence.ends_on = MONDAY + timedelta(days=14)
    found = cadences.occurrences(cadence, MONDAY - timedelta(days=30), MONDAY + timedelta(days=60))
    assert found == [date(2027, 3, 8), date(2027, 3, 11), date(2027, 3, 15), date(2027, 3, 18), date(2027, 3, 22)]
    monthly = make_cadence(session, world.park, manager, rrule="FREQ=MONTHLY;BYMONTHDAY=25", starts_on=MONDAY)
    assert cadences.occurrences(monthly, MONDAY, date(2027, 6, 30)) == [date(2027, m, 25) for m in (3, 4, 5, 6)]


def test_daily_self_patrol_of_red_enterprises_is_generated_lead_days_ahead_once(session, world, manager):
    red = make_enterprise(session, world.park, risk_color="red")
    cadence = make_cadence(
        session, world.park, manager, kind="self_patrol", rrule="FREQ=DAILY", starts_on=MONDAY,
        risk_colors=["red"], lead_days=2,
    )  # fmt: skip
    session.commit()
    summary = jobs.generate_patrol_tasks(session=session, now=_at("2027-03-08T00:30:00+08:00"))  # Mon in Shanghai
    rows = _tasks(session, cadence)
    assert summary == "generated 3 patrol tasks"
    assert [(t.enterprise_id, t.due_date) for t in rows] == [(red.id, MONDAY + timedelta(days=d)) for d in range(3)]
    assert all(t.kind == "self_patrol" and t.status == "open" and t.campaign_id is None for t in rows)
    assert (
        jobs.generate_patrol_tasks(session=session, now=_at("2027-03-08T18:00:00+08:00")) == "generated 0 patrol tasks"
    )
    jobs.generate_patrol_tasks(session=session, now=_at("2027-03-09T00:30:00+08:00"))  # the next day adds one
    assert [t.due_date for t in _tasks(session, cadence)][-1] == MONDAY + timedelta(days=3)
    assert len(_tasks(session, cadence)) == 4


def test_the_local_day_decides_not_utc(session, world, manager):
    cadence = make_cadence(session, world.park, manager, rrule="FREQ=WEEKLY;BYDAY=MO", starts_on=MONDAY, lead_days=0)
    session.commit()
    jobs.generate_patrol_tasks(session=session, now=_at("2027-03-07T23:50:00+08:00"))  # Sunday in Shanghai
    assert _tasks(session, cadence) == []
    jobs.generate_patrol_tasks(session=session, now=_at("2027-03-08T00:10:00+08:00"))  # Monday there, Sunday in UTC
    assert {t.due_date for t in _tasks(session, cadence)} == {MONDAY}


def test_frequency_depends_on_risk_colour_through_one_cadence_per_colour(session, world, manager):
    red = make_enterprise(session, world.park, risk_color="red")
    blue = make_enterprise(session, world.park, risk_color="blue")
    daily = make_cadence(session, world.park, manager, rrule="FREQ=DAILY", starts_on=MONDAY, risk_colors=["red"],
                         lead_days=6)  # fmt: skip
    weekly = make_cadence(session, world.park, manager, rrule="FREQ=WEEKLY;BYDAY=MO", starts_on=MONDAY,
                          risk_colors=["blue"], lead_days=6)  # fmt: skip
    session.commit()
    jobs.generate_patrol_tasks(session=session, now=_at("2027-03-08T09:00:00+08:00"))
    assert {t.enterprise_id for t in _tasks(session, daily)} == {red.id}
    assert len(_tasks(session, daily)) == 7
    assert blue.id in {t.enterprise_id for t in _tasks(session, weekly)}
    assert {t.due_date for t in _tasks(session, weekly)} == {MONDAY}


def test_park_patrol_goes_to_the_liaison_officer_and_the_bulletin_is_one_park_task(session, world, manager):
    patrol = make_cadence(session, world.park, manager, kind="park_patrol", rrule="FREQ=WEEKLY;BYDAY=MO",
                          starts_on=MONDAY, lead_days=0)  # fmt: skip
    bulletin = make_cadence(session, world.park, manager, kind="supervision_bulletin", starts_on=MONDAY, lead_days=0,
                            rrule="FREQ=MONTHLY;BYMONTHDAY=8", assignee_id=manager.id)  # fmt: skip
    session.commit()
    jobs.generate_patrol_tasks(session=session, now=_at("2027-03-08T09:00:00+08:00"))
    by_enterprise = {t.enterprise_id: t.assignee_id for t in _tasks(session, patrol)}
    assert by_enterprise[world.own.id] == world.user("liaison_officer").id
    assert by_enterprise[world.other.id] is None and world.foreign.id not in by_enterprise
    (task,) = _tasks(session, bulletin)
    assert (task.enterprise_id, task.assignee_id, task.due_date) == (None, manager.id, MONDAY)


def test_park_level_tasks_are_hidden_from_enterprise_users(client, session, world, manager):
    bulletin = make_cadence(session, world.park, manager, kind="supervision_bulletin", starts_on=MONDAY, lead_days=0,
                            rrule="FREQ=MONTHLY;BYMONTHDAY=8")  # fmt: skip
    session.commit()
    jobs.generate_patrol_tasks(session=session, now=_at("2027-03-08T09:00:00+08:00"))
    (task,) = _tasks(session, bulletin)
    for caller, status in (("park_manager", 200), ("enterprise_safety_officer", 404), ("liaison_officer", 404)):
        response = client.get(f"/api/tasks/{task.id}", headers=world.headers[caller])
        assert response.status_code == status, caller


def test_an_inactive_cadence_generates_nothing_and_a_change_needs_if_match(client, session, world, manager):
    cadence = make_cadence(session, world.park, manager, rrule="FREQ=DAILY", starts_on=MONDAY)
    session.commit()
    headers = world.headers["park_manager"]
    response = client.patch(f"/api/patrol-cadences/{cadence.id}", json={"active": False}, headers=headers)
    assert response.status_code == 428
    response = client.patch(
        f"/api/patrol-cadences/{cadence.id}", json={"active": False}, headers={**headers, "If-Match": '"1"'}
    )
    assert response.status_code == 200 and response.json["active"] is False
    jobs.generate_patrol_tasks(session=session, now=_at("2027-03-08T09:00:00+08:00"))
    assert _tasks(session, cadence) == []


def test_generation_is_idempotent_under_a_rerun_of_the_same_window(session, world, manager):
    cadence = make_cadence(session, world.park, manager, rrule="FREQ=DAILY", starts_on=MONDAY, lead_days=3)
    session.commit()
    jobs.generate_patrol_tasks(session=session, now=_at("2027-03-08T09:00:00+08:00"))
    first = len(_tasks(session, cadence))
    session.exec(select(PatrolCadence).where(PatrolCadence.id == cadence.id)).one().generated_through = None
    session.commit()  # as if the bookkeeping were lost: the unique occurrence keys still hold
    assert (
        jobs.generate_patrol_tasks(session=session, now=_at("2027-03-08T09:00:00+08:00")) == "generated 0 patrol tasks"
    )
    assert len(_tasks(session, cadence)) == first == 2 * 4  # own and other, four days


def test_enterprise_users_cannot_read_the_parks_cadences(client, session, world, manager):
    cadence = make_cadence(session, world.park, manager)
    session.commit()
    assert (
        client.get(f"/api/patrol-cadences/{cadence.id}", headers=world.headers["enterprise_principal"]).status_code
        == 403
    )
    missing = client.get(f"/api/patrol-cadences/{uuid.uuid4()}", headers=world.headers["inspector"])
    assert missing.status_code == 404


@time_machine.travel(datetime.fromisoformat("2027-03-08T01:00:00+08:00"), tick=False)
def test_the_scheduler_job_is_registered_and_runs_by_the_clock(app, session, world, manager):
    from inspect_service.scheduler import jobs_by_id

    cadence = make_cadence(session, world.park, manager, rrule="FREQ=DAILY", starts_on=MONDAY, lead_days=1)
    session.commit()
    job = jobs_by_id()["campaigns.generate_patrol_tasks"]
    assert job.func(session=session) == "generated 4 patrol tasks"
    assert {t.due_date for t in _tasks(session, cadence)} == {MONDAY, MONDAY + timedelta(days=1)}


def test_the_demo_park_patrols_by_risk_colour(app, session):
    from inspect_service import demo
    from inspect_service.enterprises.models import Enterprise
    from inspect_service.parks.models import Park

    with app.app_context():
        demo.load(session=session)
    park = session.exec(select(Park).where(Park.short_name == demo.MAIN_PARK[1])).one()
    rules = session.exec(select(PatrolCadence).where(PatrolCadence.park_id == park.id)).all()
    assert {r.kind for r in rules} == {"self_patrol", "park_patrol", "supervision_bulletin"}
    jobs.generate_patrol_tasks(session=session)
    daily = next(r for r in rules if r.rrule == "FREQ=DAILY")
    red_or_orange = set(
        session.exec(
            select(Enterprise.id).where(Enterprise.park_id == park.id, Enterprise.risk_color.in_(["red", "orange"]))
        ).all()
    )
    assert red_or_orange and {t.enterprise_id for t in _tasks(session, daily)} == red_or_orange
    assert len(_tasks(session, daily)) == 3 * len(red_or_orange)  # today and two days ahead
