"""Tasks after generation: completed by the inspection that did them, moved with their phase, chased by the clock."""

import threading
import uuid
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from inspect_service.campaigns import jobs, service
from inspect_service.campaigns.models import CampaignEvent, InspectionTask
from inspect_service.common.time import local_date, utcnow
from inspect_service.extensions import db
from inspect_service.notifications.models import Notification
from tests.campaigns.factories import make_cadence, make_campaign, make_task
from tests.enterprises.factories import make_enterprise
from tests.hazards.factories import actor_of
from tests.inspections.factories import make_inspection
from tests.parks.factories import make_park
from tests.users.factories import make_user

DUE = date(2027, 3, 10)


def _at(local: str) -> datetime:
    return datetime.fromisoformat(local)


def _complete(client, world, task, caller, **body):
    return client.post(f"/api/tasks/{task.id}/complete", json=body, headers=world.headers[caller])


def _sent(session, task) -> list[tuple[str, uuid.UUID]]:
    rows = session.exec(select(Notification).where(Notification.object_id == task.id)).all()
    return sorted((row.reason, row.recipient_id) for row in rows)


def test_the_enterprise_completes_its_self_patrol_with_a_note(client, session, world):
    task = make_task(session, world.park, world.own, kind="self_patrol")
    session.commit()
    response = _complete(client, world, task, "enterprise_safety_officer", note="巡查完毕，未见异常")
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["status"], body["note"], body["completed_by"]) == (
        "done", "巡查完毕，未见异常", str(world.user("enterprise_safety_officer").id)
    )  # fmt: skip
    again = _complete(client, world, task, "enterprise_safety_officer")
    assert again.status_code == 409 and again.content_type == "application/problem+json"


def test_a_park_visit_is_completed_only_by_linking_its_inspection(client, session, world):
    task = make_task(session, world.park, world.own, kind="spot_check")
    mine = make_inspection(session, world.own, world.user("inspector"))
    elsewhere = make_inspection(session, world.other, world.user("inspector"))
    session.commit()
    assert _complete(client, world, task, "enterprise_safety_officer").status_code == 403
    response = _complete(client, world, task, "inspector")
    assert response.status_code == 422 and "inspection_id" in response.json["errors"]
    response = _complete(client, world, task, "inspector", inspection_id=str(elsewhere.id))
    assert response.status_code == 422 and "another enterprise" in response.json["errors"]["inspection_id"][0]
    response = _complete(client, world, task, "inspector", inspection_id=str(uuid.uuid4()))
    assert response.status_code == 422
    response = _complete(client, world, task, "inspector", inspection_id=str(mine.id))
    assert response.status_code == 200 and response.json["inspection_id"] == str(mine.id)
    second = make_task(session, world.park, world.own, kind="park_patrol")
    session.commit()
    response = _complete(client, world, second, "inspector", inspection_id=str(mine.id))
    assert response.status_code == 422 and "another task" in response.json["errors"]["inspection_id"][0]


def test_recording_an_inspection_with_its_task_completes_the_task(client, session, world):
    task = make_task(session, world.park, world.own, kind="self_check")
    session.commit()
    body = {"enterprise_id": str(world.own.id), "source": "self_check", "inspection_type": "routine",
            "started_at": utcnow().isoformat(), "task_id": str(task.id)}  # fmt: skip
    response = client.post("/api/inspections", json=body, headers=world.headers["enterprise_safety_officer"])
    assert response.status_code == 201, response.json
    session.expire_all()
    done = session.get(InspectionTask, task.id)
    assert (done.status, str(done.inspection_id)) == ("done", response.json["id"])


def test_an_inspection_naming_a_task_it_cannot_complete_is_refused_whole(client, session, world):
    foreign = make_task(session, world.foreign_park, world.foreign, kind="self_check")
    session.commit()
    body = {"enterprise_id": str(world.own.id), "source": "self_check", "inspection_type": "routine",
            "started_at": utcnow().isoformat(), "task_id": str(foreign.id)}  # fmt: skip
    response = client.post("/api/inspections", json=body, headers=world.headers["enterprise_safety_officer"])
    assert response.status_code == 422 and "task_id" in response.json["errors"]
    listed = client.get("/api/inspections", headers=world.headers["enterprise_safety_officer"]).json["items"]
    assert all(item.get("started_at") != body["started_at"] for item in listed)  # nothing half-written


def test_completing_with_a_stale_if_match_is_refused(client, session, world):
    task = make_task(session, world.park, world.own)
    session.commit()
    headers = {**world.headers["enterprise_principal"], "If-Match": '"7"'}
    assert client.post(f"/api/tasks/{task.id}/complete", json={}, headers=headers).status_code == 412


def test_mine_and_overdue_filters(client, session, world):
    liaison = world.user("liaison_officer")
    late = make_task(session, world.park, world.own, kind="park_patrol", due_in=-2, assignee_id=liaison.id)
    make_task(session, world.park, world.own, kind="park_patrol", due_in=3, assignee_id=liaison.id)
    make_task(session, world.park, world.own, kind="self_patrol", due_in=-2)
    session.commit()
    headers = world.headers["liaison_officer"]
    mine = client.get("/api/tasks", query_string={"mine": "true"}, headers=headers).json["items"]
    assert len(mine) == 2 and all(item["assignee_id"] == str(liaison.id) for item in mine)
    overdue = client.get("/api/tasks", query_string={"mine": "true", "overdue": "true"}, headers=headers).json
    assert [item["id"] for item in overdue["items"]] == [str(late.id)]
    bad = client.get("/api/tasks", query_string={"kind": "nap"}, headers=headers)
    assert bad.status_code == 422


def test_extending_a_phase_moves_its_open_tasks_and_keeps_done_ones(client, session, world):
    campaign, phase = make_campaign(session, world.park, world.user("park_manager"), days=10)
    open_task = make_task(session, world.park, world.own, kind="self_check", campaign_id=campaign.id,
                          phase_id=phase.id, due_in=10)  # fmt: skip
    done_task = make_task(session, world.park, world.other, kind="self_check", campaign_id=campaign.id,
                          phase_id=phase.id, due_in=10, status="done")  # fmt: skip
    session.commit()
    old_end = phase.end_date
    new_end = old_end + timedelta(days=5)
    response = client.post(
        f"/api/campaigns/{campaign.id}/phases/{phase.id}/extend",
        json={"reason": "汛期延长", "end_date": new_end.isoformat()},
        headers=world.headers["park_manager"],
    )
    assert response.status_code == 200, response.json
    session.expire_all()
    assert session.get(InspectionTask, open_task.id).due_date == new_end
    assert session.get(InspectionTask, done_task.id).due_date == old_end
    event = session.exec(select(CampaignEvent).where(CampaignEvent.action == "phase_extend")).one()
    assert event.payload["tasks_moved"] == 1


def test_closing_a_phase_early_brings_its_open_tasks_due_today(session, world):
    manager = world.user("park_manager")
    campaign, phase = make_campaign(session, world.park, manager, days=10)
    task = make_task(session, world.park, world.own, kind="self_check", campaign_id=campaign.id, phase_id=phase.id,
                     due_in=10)  # fmt: skip
    session.commit()
    service.change_phase(session=session, actor=actor_of(session, manager), campaign_id=campaign.id, phase_id=phase.id,
                         action="close", reason="提前完成")  # fmt: skip
    session.commit()
    session.expire_all()
    assert session.get(InspectionTask, task.id).due_date == local_date(utcnow(), world.park.timezone)


@pytest.fixture
def patrol(session, world):
    """A park patrol of `own` assigned to its liaison officer, due 2027-03-10."""
    task = make_task(session, world.park, world.own, kind="park_patrol", assignee_id=world.user("liaison_officer").id)
    task.due_date = DUE
    session.commit()
    return task


def test_a_park_task_is_reminded_to_its_assignee_then_escalated(session, world, patrol):
    liaison, manager = world.user("liaison_officer").id, world.user("park_manager").id
    jobs.send_task_reminders(session=session, now=_at("2027-03-07T08:00:00+08:00"))  # T-3
    jobs.send_task_reminders(session=session, now=_at("2027-03-07T20:00:00+08:00"))
    jobs.send_task_reminders(session=session, now=_at("2027-03-09T08:00:00+08:00"))  # T-1
    assert _sent(session, patrol) == [("reminder_t1", liaison), ("reminder_t3", liaison)]
    jobs.escalate_overdue_tasks(session=session, now=_at("2027-03-10T23:00:00+08:00"))  # still the due day
    assert len(_sent(session, patrol)) == 2
    jobs.escalate_overdue_tasks(session=session, now=_at("2027-03-18T09:00:00+08:00"))  # day 7, after an outage
    jobs.escalate_overdue_tasks(session=session, now=_at("2027-03-18T10:00:00+08:00"))
    sent = _sent(session, patrol)
    assert ("overdue_d0", liaison) in sent and ("overdue_d3", liaison) in sent and ("overdue_d7", manager) in sent
    assert len(sent) == len(set(sent)) == 5


def test_a_done_task_is_neither_reminded_nor_escalated(session, world, patrol):
    patrol.status = "done"
    session.commit()
    jobs.send_task_reminders(session=session, now=_at("2027-03-09T08:00:00+08:00"))
    jobs.escalate_overdue_tasks(session=session, now=_at("2027-03-20T08:00:00+08:00"))
    assert _sent(session, patrol) == []


def test_the_enterprise_is_chased_for_its_own_tasks_and_park_settings_apply(session, world):
    park = session.get(type(world.park), world.park.id)
    park.settings = {**park.settings, "task_reminder_days": [5], "task_escalation_ladder": [[1, "enterprise"]]}
    task = make_task(session, world.park, world.own, kind="self_check", assignee_id=world.user("liaison_officer").id)
    task.due_date = DUE
    session.commit()
    officers = {world.user("enterprise_safety_officer").id, world.user("enterprise_principal").id}
    jobs.send_task_reminders(session=session, now=_at("2027-03-04T08:00:00+08:00"))  # T-6: too early
    assert _sent(session, task) == []
    jobs.send_task_reminders(session=session, now=_at("2027-03-05T08:00:00+08:00"))  # T-5
    assert {recipient for reason, recipient in _sent(session, task) if reason == "reminder_t5"} >= officers
    count = len(_sent(session, task))
    jobs.send_task_reminders(session=session, now=_at("2027-03-07T08:00:00+08:00"))  # T-3: not configured here
    jobs.send_task_reminders(session=session, now=_at("2027-03-09T08:00:00+08:00"))  # T-1: not configured here
    assert len(_sent(session, task)) == count
    jobs.escalate_overdue_tasks(session=session, now=_at("2027-03-11T08:00:00+08:00"))  # day 0: not on this ladder
    assert not [r for r, _ in _sent(session, task) if r.startswith("overdue")]
    jobs.escalate_overdue_tasks(session=session, now=_at("2027-03-12T08:00:00+08:00"))
    assert {recipient for reason, recipient in _sent(session, task) if reason == "overdue_d1"} >= officers


def test_a_cadence_sets_its_own_reminders_and_may_not_escalate(session, world):
    manager = world.user("park_manager")
    quiet = make_cadence(session, world.park, manager, kind="self_patrol", rrule="FREQ=DAILY", starts_on=DUE,
                         reminder_days=[], escalate=False)  # fmt: skip
    task = make_task(session, world.park, world.own, kind="self_patrol", cadence_id=quiet.id)
    task.due_date = DUE
    session.commit()
    jobs.send_task_reminders(session=session, now=_at("2027-03-09T08:00:00+08:00"))
    jobs.escalate_overdue_tasks(session=session, now=_at("2027-03-20T08:00:00+08:00"))
    assert _sent(session, task) == []


def test_an_unassigned_park_task_answers_to_the_park_managers(session, world):
    task = make_task(session, world.park, None, kind="supervision_bulletin")
    task.due_date = DUE
    session.commit()
    jobs.send_task_reminders(session=session, now=_at("2027-03-09T08:00:00+08:00"))
    assert _sent(session, task) == [("reminder_t1", world.user("park_manager").id)]


def test_two_concurrent_task_sweeps_send_each_notification_once(live_app):
    with live_app.app_context(), db.session_scope() as session:
        park = make_park(session)
        make_user(session, role="park_manager", park=park)
        enterprises = [make_enterprise(session, park) for _ in range(20)]
        liaison = make_user(
            session, role="inspector", park=park, inspector_kind="liaison_officer", portfolio=enterprises
        )
        task_ids = []
        for enterprise in enterprises:
            task = make_task(session, park, enterprise, kind="park_patrol", assignee_id=liaison.id)
            task.due_date = DUE
            task_ids.append(task.id)
    start, errors = threading.Barrier(2), []

    def sweep():
        try:
            with live_app.app_context(), db.session_scope() as session:
                start.wait(5)
                jobs.escalate_overdue_tasks(session=session, now=_at("2027-03-18T09:00:00+08:00"))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with live_app.app_context(), db.session_scope() as session:
        rows = session.exec(select(Notification).where(Notification.object_id.in_(task_ids))).all()
        keys = [(r.recipient_id, r.reason, r.object_id) for r in rows]
        assert len(keys) == len(set(keys)) == 20 * 3  # d0 and d3 to the liaison, d7 to the manager, per task
