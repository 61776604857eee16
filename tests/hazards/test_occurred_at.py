"""Device time (occurred_at) of hazard actions: stored beside the server time, bounded, counted by the reports."""

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlmodel import func, select

from inspect_service.common.time import utcnow
from inspect_service.errors import Unprocessable
from inspect_service.hazards import service
from inspect_service.hazards.models import Hazard, HazardEvent
from inspect_service.reports import metrics
from tests.hazards.factories import actor_of, as_json, hazard_fields, make_hazard, make_photo

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def photo(session, world):
    made = make_photo(session, world.own, world.user("inspector"), role="after")
    session.commit()
    return made


def _registered(client, world, photo, found_at: datetime) -> dict:
    body = as_json(hazard_fields(world.own, photo, found_at=found_at.isoformat()))
    response = client.post("/api/hazards", json=body, headers=world.headers["inspector"])
    assert response.status_code == 201, response.json
    return response.json


def _fix(client, world, hazard_id, photo, **extra):
    body = {"action_taken": "当场清理", "after_photo_ids": [str(photo.id)], **extra}
    headers = {**world.headers["inspector"], "Idempotency-Key": str(uuid.uuid4())}
    return client.post(f"/api/hazards/{hazard_id}/fix_on_site", json=body, headers=headers)


def test_device_time_is_stored_beside_the_server_time(client, session, world, photo):
    found = utcnow() - timedelta(hours=3)
    hazard = _registered(client, world, photo, found)
    device = (utcnow() - timedelta(hours=2)).astimezone(SHANGHAI)
    response = _fix(client, world, hazard["id"], photo, occurred_at=device.isoformat())
    assert response.status_code == 200, response.json
    last = response.json["events"][-1]
    assert last["action"] == "fix_on_site"
    assert datetime.fromisoformat(last["occurred_at"]) == device
    assert datetime.fromisoformat(last["at"]) > device + timedelta(hours=1)  # the server's receipt, kept apart
    assert datetime.fromisoformat(response.json["closed_at"]) == device  # the closure dates from when it happened
    event = session.exec(select(HazardEvent).where(HazardEvent.hazard_id == uuid.UUID(hazard["id"]))
                         .where(HazardEvent.action == "fix_on_site")).one()  # fmt: skip
    assert event.occurred_at == device and event.at > event.occurred_at
    fetched = client.get(f"/api/hazards/{hazard['id']}", headers=world.headers["inspector"]).json
    assert [e["occurred_at"] for e in fetched["events"]] == [None, last["occurred_at"]]


def test_without_device_time_the_event_has_none_and_closes_at_receipt(client, world, photo):
    hazard = _registered(client, world, photo, utcnow() - timedelta(hours=1))
    response = _fix(client, world, hazard["id"], photo)
    assert response.status_code == 200
    assert response.json["events"][-1]["occurred_at"] is None
    assert response.json["closed_at"] == response.json["events"][-1]["at"]


@pytest.mark.parametrize(
    "offset, ok",
    [(timedelta(minutes=10), False), (timedelta(minutes=3), True), (-timedelta(hours=4), False)],
    ids=["future", "within-skew", "before-the-hazard-was-found"],
)
def test_device_time_is_bounded_by_receipt_and_the_hazards_finding(client, world, photo, offset, ok):
    hazard = _registered(client, world, photo, utcnow() - timedelta(hours=3))
    response = _fix(client, world, hazard["id"], photo, occurred_at=(utcnow() + offset).isoformat())
    if ok:
        assert response.status_code == 200
        return
    assert response.status_code == 422 and response.content_type == "application/problem+json"
    assert list(response.json["errors"]) == ["occurred_at"]
    after = client.get(f"/api/hazards/{hazard['id']}", headers=world.headers["inspector"]).json
    assert after["status"] == "registered" and len(after["events"]) == 1


def test_naive_device_time_is_422(client, world, photo):
    hazard = _registered(client, world, photo, utcnow() - timedelta(hours=3))
    naive = (utcnow() - timedelta(hours=1)).replace(tzinfo=None).isoformat()
    response = _fix(client, world, hazard["id"], photo, occurred_at=naive)
    assert response.status_code == 422 and "occurred_at" in response.json["errors"]


def test_the_service_keyword_checks_and_stores_device_time(session, world):
    actor = actor_of(session, world.user("park_manager"))
    hazard = make_hazard(session, world.own, world.user("inspector"), found_at=utcnow() - timedelta(hours=1))
    data = {"reason": "mistaken"}
    with pytest.raises(Unprocessable) as naive:
        service.perform(session=session, actor=actor, hazard_id=hazard.id, action="void", data=data,
                        occurred_at=datetime(2026, 1, 1, 9, 0))  # fmt: skip
    assert list(naive.value.errors) == ["occurred_at"]
    with pytest.raises(Unprocessable) as garbled:
        service.perform(session=session, actor=actor, hazard_id=hazard.id, action="void", data=data,
                        occurred_at="yesterday")  # fmt: skip
    assert list(garbled.value.errors) == ["occurred_at"]
    device = utcnow() - timedelta(seconds=30)
    service.perform(session=session, actor=actor, hazard_id=hazard.id, action="void", data=data,
                    occurred_at=device.isoformat())  # fmt: skip
    event = session.exec(select(HazardEvent).where(HazardEvent.hazard_id == hazard.id)).one()
    assert event.occurred_at == device and "occurred_at" not in event.payload


def _recheck(session, world, hazard, occurred_at=None):
    actor = actor_of(session, world.user("inspector"))
    service.perform(session=session, actor=actor, hazard_id=hazard.id, action="recheck_pass",
                    data={"note": "已整改到位", "photo_ids": []}, occurred_at=occurred_at)  # fmt: skip


def test_a_hazard_rectified_offline_on_the_30th_counts_in_a_report_dated_the_31st(session, world):
    inspector = world.user("inspector")
    with time_machine.travel(datetime(2026, 8, 20, 9, 0, tzinfo=SHANGHAI), tick=False):
        offline = make_hazard(session, world.own, inspector, status="reply_submitted", found_at=utcnow())
        online = make_hazard(session, world.own, inspector, status="reply_submitted", found_at=utcnow())
    with time_machine.travel(datetime(2026, 9, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
        _recheck(session, world, offline, occurred_at=datetime(2026, 8, 30, 15, 0, tzinfo=SHANGHAI))
        _recheck(session, world, online)  # synced the same day, but done that day too
    august = {"start": date(2026, 8, 1), "end": date(2026, 8, 31), "today": date(2026, 9, 2)}
    result = metrics.compute(session, world.park, **august)
    assert (result.total.found, result.total.rectified) == (2, 1)
    assert session.get(Hazard, offline.id).closed_at == datetime(2026, 8, 30, 7, 0, tzinfo=UTC)
    w = metrics.window(session, world.park, **august)
    rechecks = select(func.count()).select_from(HazardEvent).join(Hazard, Hazard.id == HazardEvent.hazard_id)
    assert session.exec(rechecks.where(*metrics.event_filters(w, "recheck_pass"))).one() == 1
    september = metrics.compute(session, world.park, start=date(2026, 8, 1), end=date(2026, 9, 2),
                                today=date(2026, 9, 2))  # fmt: skip
    assert september.total.rectified == 2


def test_the_feed_keeps_server_order_whatever_the_device_clocks_say(client, world, photo):
    first = _registered(client, world, photo, utcnow() - timedelta(hours=5))
    second = _registered(client, world, photo, utcnow() - timedelta(hours=5))
    cursor = client.get("/api/sync/changes", headers=world.headers["inspector"]).json["next_cursor"]
    assert _fix(client, world, first["id"], photo, occurred_at=utcnow().isoformat()).status_code == 200
    early = (utcnow() - timedelta(hours=4)).isoformat()
    assert _fix(client, world, second["id"], photo, occurred_at=early).status_code == 200
    feed = client.get(f"/api/sync/changes?cursor={cursor}", headers=world.headers["inspector"]).json
    hazard_ids = [item["id"] for item in feed["items"] if item["entity"] == "hazard"]
    assert hazard_ids == [first["id"], second["id"]]  # server order, though the second happened first


def test_the_history_keeps_server_order_whatever_the_device_clocks_say(session, world):
    inspector = world.user("inspector")
    actor = actor_of(session, inspector)
    start = datetime(2026, 8, 20, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=False):
        hazard = make_hazard(session, world.own, inspector, status="rectifying", found_at=utcnow())
    with time_machine.travel(start + timedelta(hours=3), tick=False):
        service.perform(session=session, actor=actor, hazard_id=hazard.id, action="recheck_fail",
                        data={"note": "未整改", "new_deadline": date(2026, 9, 30), "photo_ids": []},
                        occurred_at=start + timedelta(hours=2))  # fmt: skip
    with time_machine.travel(start + timedelta(hours=4), tick=False):
        _recheck(session, world, hazard, occurred_at=start + timedelta(hours=1))
    events = service.get_view(session=session, actor=actor, hazard_id=hazard.id)["events"]
    assert [e.action for e in events] == ["recheck_fail", "recheck_pass"]
    assert events[0].occurred_at > events[1].occurred_at and events[0].at < events[1].at


@pytest.mark.parametrize("before, ok", [(timedelta(minutes=2), True), (timedelta(minutes=10), False)])
def test_device_time_may_precede_the_hazard_by_the_clock_skew_only(before, ok, session, world):
    actor = actor_of(session, world.user("park_manager"))
    hazard = make_hazard(session, world.own, world.user("inspector"))
    data, device = {"reason": "mistaken"}, hazard.created_at - before
    if not ok:
        with pytest.raises(Unprocessable) as refused:
            service.perform(session=session, actor=actor, hazard_id=hazard.id, action="void", data=data,
                            occurred_at=device)  # fmt: skip
        assert list(refused.value.errors) == ["occurred_at"]
        return
    service.perform(session=session, actor=actor, hazard_id=hazard.id, action="void", data=data, occurred_at=device)
    event = session.exec(select(HazardEvent).where(HazardEvent.hazard_id == hazard.id)).one()
    assert event.occurred_at == device


def test_a_notice_acknowledged_through_the_batch_dates_its_hazard_events_by_the_operations_device_time(
    client, session, world
):
    from tests.documents.factories import acknowledgement, issued_notice
    from tests.sync.factories import send_batch

    notice, hazards, _inspectors = issued_notice(session, world.own, count=2)
    session.commit()
    device = utcnow().astimezone(SHANGHAI)
    op = {"op_id": "ack", "kind": "acknowledge_document", "document_id": str(notice.id),
          "idempotency_key": f"ack-{uuid.uuid4()}", "occurred_at": device.isoformat(),
          "data": acknowledgement(world, None, None)}  # fmt: skip

    (result,) = send_batch(client, world.headers["enterprise_principal"], op)

    assert result["status"] == 201, result
    session.expire_all()
    events = session.exec(select(HazardEvent).where(HazardEvent.hazard_id.in_([h.id for h in hazards]),
                                                    HazardEvent.action == "acknowledge")).all()  # fmt: skip
    assert len(events) == 2 and all(event.occurred_at == device for event in events)
