"""Reminders before a report's due date and the escalation ladder while it is missing: each step once, on the
park's local day, also after an outage and under concurrent sweeps."""

import threading
from datetime import date

import pytest
import time_machine
from sqlalchemy import event
from sqlmodel import select

from inspect_service import scheduler
from inspect_service.extensions import db
from inspect_service.notifications.models import Notification
from inspect_service.parks.models import Park
from inspect_service.selfchecks import figures, jobs
from tests.enterprises.factories import make_enterprise
from tests.parks.factories import make_park
from tests.selfchecks.factories import make_report
from tests.users.factories import make_user

MARCH = date(2027, 3, 1)
JOB = "selfchecks.chase_reports"


def _sweep(session, when: str) -> str:
    with time_machine.travel(when, tick=False):
        return jobs.sweep(session=session)


def _sent(session, enterprise, period=MARCH) -> list[tuple[str, str]]:
    rows = session.exec(
        select(Notification).where(
            Notification.object_type == "self_check_report",
            Notification.object_id == figures.report_id(enterprise.id, period),
        )
    ).all()
    return sorted((row.reason, str(row.recipient_id)) for row in rows)


def _enterprise_users(world) -> list[str]:
    callers = ("enterprise_safety_officer", "enterprise_principal", "expired")  # "disabled" is disabled
    return sorted(str(world.user(caller).id) for caller in callers)


def test_reminders_before_the_due_date_go_to_officer_and_principal_once(session, world):
    assert _sweep(session, "2027-04-06 12:00:00+08:00").startswith("sent 0 reminders")  # T-4 (February's ladder runs)
    first = _sweep(session, "2027-04-07 00:00:01+08:00")  # T-3 in the park's zone (still the 6th in UTC)
    again = _sweep(session, "2027-04-07 18:00:00+08:00")
    assert _sent(session, world.own) == [("reminder_t3", user) for user in _enterprise_users(world)]
    assert first.startswith("sent 4 reminders")  # three of the own enterprise, the other park's officer
    assert again == "sent 0 reminders, 0 escalations"
    _sweep(session, "2027-04-09 08:00:00+08:00")  # T-1
    reasons = [reason for reason, _ in _sent(session, world.own)]
    assert reasons.count("reminder_t1") == reasons.count("reminder_t3") == 3
    note = session.exec(select(Notification).where(Notification.reason == "reminder_t1")).first()
    assert "2027年3月" in note.title and "2027-04-10" in note.body
    assert note.payload == {"period": "2027-03", "enterprise_id": str(note.enterprise_id), "due_date": "2027-04-10"}


def test_a_submitted_report_stops_the_chase_and_a_draft_does_not(session, world):
    make_report(session, world.own, world.user("enterprise_safety_officer"), period=MARCH, status="submitted")
    make_report(session, world.foreign, world.user("foreign_officer"), period=MARCH)  # a draft: still missing
    session.commit()
    _sweep(session, "2027-04-09 08:00:00+08:00")
    _sweep(session, "2027-04-20 08:00:00+08:00")
    assert _sent(session, world.own) == []
    foreign_officer = str(world.user("foreign_officer").id)
    assert ("reminder_t1", foreign_officer) in _sent(session, world.foreign)
    assert ("overdue_d0", foreign_officer) in _sent(session, world.foreign)


def test_the_ladder_starts_after_the_due_day_in_the_park_zone(session, world):
    _sweep(session, "2027-04-10 23:59:59+08:00")  # the due day itself: reminders only
    assert {reason for reason, _ in _sent(session, world.own)} == {"reminder_t1"}
    _sweep(session, "2027-04-11 00:00:01+08:00")  # day 0 — 16:00:01 UTC on the 10th
    assert [(r, u) for r, u in _sent(session, world.own) if r.startswith("overdue")] == [
        ("overdue_d0", user) for user in _enterprise_users(world)
    ]
    _sweep(session, "2027-04-14 09:00:00+08:00")  # day 3: the liaison officer of the enterprise
    liaison = str(world.user("liaison_officer").id)
    assert ("overdue_d3", liaison) in _sent(session, world.own)
    assert ("overdue_d3", liaison) not in _sent(session, world.other)  # not in their portfolio
    _sweep(session, "2027-04-18 09:00:00+08:00")  # day 7: the park manager, with a proposal
    _sweep(session, "2027-04-18 10:00:00+08:00")
    manager = str(world.user("park_manager").id)
    for enterprise in (world.own, world.other):
        sent = _sent(session, enterprise)
        assert sent.count(("overdue_d7", manager)) == 1 and len(sent) == len(set(sent))
    proposal = session.exec(
        select(Notification).where(
            Notification.reason == "overdue_d7", Notification.object_id == figures.report_id(world.own.id, MARCH)
        )
    ).one()
    assert "约谈" in proposal.body and "逾期第8天" in proposal.body and "2027年3月" in proposal.title


def test_after_an_outage_every_step_reached_is_sent_once(session, world):
    _sweep(session, "2027-04-20 09:00:00+08:00")
    _sweep(session, "2027-04-20 09:30:00+08:00")
    sent = _sent(session, world.own)
    assert sorted({reason for reason, _ in sent}) == ["overdue_d0", "overdue_d3", "overdue_d7"]
    assert len(sent) == len(set(sent)) == 3 + 1 + 1  # enterprise users, liaison officer, park manager


def test_park_settings_move_the_due_day_and_the_steps(session, world):
    park = session.get(Park, world.park.id)
    park.settings = {
        **park.settings,
        "self_check_report_due_day": 5,
        "self_check_report_reminder_days": [2],
        "self_check_report_escalation_ladder": [{"day": 0, "audience": "park_manager"}],
    }
    session.commit()
    _sweep(session, "2027-04-03 08:00:00+08:00")  # T-2 of the 5th
    _sweep(session, "2027-04-06 08:00:00+08:00")  # day 0 after the 5th
    manager = str(world.user("park_manager").id)
    reasons = {(reason, user == manager) for reason, user in _sent(session, world.own)}
    assert reasons == {("reminder_t2", False), ("overdue_d0", True)}


def test_old_months_are_not_chased(session, world):
    _sweep(session, "2027-06-25 09:00:00+08:00")  # May's report is missing; March's and April's are past the window
    assert _sent(session, world.own) == [] and _sent(session, world.own, date(2027, 4, 1)) == []
    assert {reason for reason, _ in _sent(session, world.own, date(2027, 5, 1))} == {
        "overdue_d0", "overdue_d3", "overdue_d7"
    }  # fmt: skip


def _statements(session, when: str) -> int:
    engine, seen = session.get_bind().engine, []

    def count(*_args):
        seen.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        _sweep(session, when)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_sweep_cost_does_not_grow_with_enterprises_or_past_months(session, world):
    small = _statements(session, "2027-04-20 09:00:00+08:00")
    author = world.user("enterprise_safety_officer")
    for park in (world.park, world.foreign_park):  # many more enterprises, each with two years of reports
        for _ in range(20):
            enterprise = make_enterprise(session, park)
            for months in range(24):
                make_report(session, enterprise, author, period=figures.add_months(date(2025, 2, 1), months),
                            status="signed_off")  # fmt: skip
    session.commit()
    large = _statements(session, "2027-04-20 09:00:00+08:00")
    assert large == small  # the same set-based statements, whatever the number of enterprises and months
    managers = session.exec(select(Notification).where(Notification.reason == "overdue_d7")).all()
    assert len(managers) == (2 + 20) + (1 + 20)  # March is missing everywhere; every enterprise was chased


@pytest.fixture
def live_park(live_app):
    """A park of its own in the live database: enterprises with an officer and a principal, and a manager."""
    with live_app.app_context(), db.session_scope() as session:
        park = make_park(session)
        manager = make_user(session, role="park_manager", park=park)
        enterprises = [make_enterprise(session, park) for _ in range(6)]
        for enterprise in enterprises:
            for role in ("enterprise_safety_officer", "enterprise_principal"):
                make_user(session, role=role, park=park, enterprise=enterprise)
    return park, manager, enterprises


def test_two_concurrent_sweeps_send_each_step_once(live_app, live_park):
    park, _manager, enterprises = live_park
    start, results = threading.Barrier(2), []

    def sweep():
        start.wait(10)
        results.append(scheduler.run_job(live_app, JOB))

    with time_machine.travel("2027-04-20 09:00:00+08:00", tick=True):
        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    with live_app.app_context(), db.session_scope() as session:
        rows = session.exec(select(Notification).where(Notification.park_id == park.id)).all()
    keys = [(row.recipient_id, row.reason, row.object_id, row.due_date) for row in rows]
    assert len(results) == 2
    assert len(keys) == len(set(keys)) == len(enterprises) * (2 + 1)  # d0: officer + principal; d7: the manager
    sent = sum(int(result.split()[3]) for result in results)  # "sent R reminders, E escalations"
    assert sent == len(keys)  # what one run wrote, the other did not write again
