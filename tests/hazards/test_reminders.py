"""Reminders before the deadline and the escalation ladder after it: once each, also after an outage."""

from datetime import date, datetime

import pytest
from sqlmodel import select

from inspect_service.hazards import jobs
from inspect_service.notifications.models import Notification
from tests.hazards.factories import make_hazard

DEADLINE = date(2027, 3, 10)


def _at(local: str) -> datetime:
    return datetime.fromisoformat(local)  # aware, in Shanghai time


def _sent(session, hazard) -> list[tuple[str, str]]:
    rows = session.exec(select(Notification).where(Notification.object_id == hazard.id)).all()
    return sorted((row.reason, str(row.recipient_id)) for row in rows)


@pytest.fixture
def hazard(session, world):
    made = make_hazard(session, world.own, world.user("inspector"), status="rectifying")
    made.deadline = DEADLINE
    session.add(made)
    session.commit()
    return made


def _enterprise_users(world):
    return sorted(
        str(world.user(c).id)
        for c in ("enterprise_safety_officer", "enterprise_principal", "disabled", "expired")
        if not world.user(c).disabled
    )


def test_reminders_go_to_the_enterprise_once_per_offset(session, world, hazard):
    assert jobs.send_reminders(session=session, now=_at("2027-03-06T12:00:00+08:00")) == "sent 0 reminders"
    jobs.send_reminders(session=session, now=_at("2027-03-07T00:00:01+08:00"))  # T-3 in the park's zone
    jobs.send_reminders(session=session, now=_at("2027-03-07T18:00:00+08:00"))  # a second run sends nothing
    assert _sent(session, hazard) == [("reminder_t3", u) for u in _enterprise_users(world)]
    jobs.send_reminders(session=session, now=_at("2027-03-09T08:00:00+08:00"))  # T-1
    reasons = [reason for reason, _ in _sent(session, hazard)]
    assert reasons.count("reminder_t1") == reasons.count("reminder_t3") == len(_enterprise_users(world))


def test_after_an_outage_only_the_nearest_reminder_is_sent(session, world, hazard):
    jobs.send_reminders(session=session, now=_at("2027-03-09T08:00:00+08:00"))
    assert {reason for reason, _ in _sent(session, hazard)} == {"reminder_t1"}


def test_ladder_steps_reach_enterprise_liaison_and_manager(session, world, hazard):
    jobs.escalate_overdue(session=session, now=_at("2027-03-10T23:59:00+08:00"))  # the deadline day itself
    assert _sent(session, hazard) == []
    jobs.escalate_overdue(session=session, now=_at("2027-03-11T00:00:01+08:00"))  # day 0
    assert {reason for reason, _ in _sent(session, hazard)} == {"overdue_d0"}
    jobs.escalate_overdue(session=session, now=_at("2027-03-14T09:00:00+08:00"))  # day 3
    liaison = str(world.user("liaison_officer").id)
    assert ("overdue_d3", liaison) in _sent(session, hazard)
    jobs.escalate_overdue(session=session, now=_at("2027-03-18T09:00:00+08:00"))  # day 7
    jobs.escalate_overdue(session=session, now=_at("2027-03-18T10:00:00+08:00"))
    manager = str(world.user("park_manager").id)
    sent = _sent(session, hazard)
    assert sent.count(("overdue_d7", manager)) == 1 and len(sent) == len(set(sent))
    proposal = session.exec(select(Notification).where(Notification.reason == "overdue_d7")).first()
    assert "挂牌督办" in proposal.body


def test_after_an_outage_every_step_reached_is_sent_once(session, world, hazard):
    jobs.escalate_overdue(session=session, now=_at("2027-03-20T09:00:00+08:00"))
    jobs.escalate_overdue(session=session, now=_at("2027-03-20T09:30:00+08:00"))
    reasons = sorted({reason for reason, _ in _sent(session, hazard)})
    assert reasons == ["overdue_d0", "overdue_d3", "overdue_d7"]
    sent = _sent(session, hazard)
    assert len(sent) == len(set(sent))


def test_no_reminder_for_a_replied_hazard(session, world, hazard):
    hazard.status = "reply_submitted"
    session.add(hazard)
    session.commit()
    jobs.send_reminders(session=session, now=_at("2027-03-09T08:00:00+08:00"))
    jobs.escalate_overdue(session=session, now=_at("2027-03-20T09:00:00+08:00"))
    assert _sent(session, hazard) == []


def _configure(client, world, settings: dict):
    headers = dict(world.headers["admin"])
    current = client.get(f"/api/parks/{world.park.id}", headers=headers)
    headers["If-Match"] = current.headers["ETag"]
    return client.patch(f"/api/parks/{world.park.id}", json={"settings": settings}, headers=headers)


def test_a_park_sets_reminders_per_level_and_its_own_ladder(client, session, world, hazard):
    major = make_hazard(session, world.own, world.user("inspector"), status="rectifying", level="major")
    major.deadline = DEADLINE
    session.commit()
    ladder = [{"day": 1, "audience": "park_manager"}]
    response = _configure(client, world, {"reminder_days_by_level": {"major": [7]}, "escalation_ladder": ladder})
    assert response.status_code == 200, response.json
    session.expire_all()
    jobs.send_reminders(session=session, now=_at("2027-03-03T08:00:00+08:00"))  # T-7
    assert {reason for reason, _ in _sent(session, major)} == {"reminder_t7"}
    assert _sent(session, hazard) == []  # a general hazard keeps the default 3 and 1
    jobs.escalate_overdue(session=session, now=_at("2027-03-11T08:00:00+08:00"))  # day 0: not a step any more
    assert not [r for r, _ in _sent(session, hazard) if r.startswith("overdue")]
    jobs.escalate_overdue(session=session, now=_at("2027-03-12T08:00:00+08:00"))
    assert _sent(session, hazard) == [("overdue_d1", str(world.user("park_manager").id))]


@pytest.mark.parametrize(
    "settings",
    [
        {"escalation_ladder": [{"day": 3, "audience": "mayor"}]},
        {"escalation_ladder": [{"day": -1, "audience": "liaison"}]},
        {"reminder_days": [1, 2, 3, 4, 5, 6]},
        {"reminder_days_by_level": {"minor": [3]}},
        {"task_reminder_days": ["3"]},
    ],
)
def test_bad_reminder_settings_are_refused(settings, client, world):
    response = _configure(client, world, settings)
    assert response.status_code == 422 and response.content_type == "application/problem+json"
