"""Campaigns: the park plan as a template, phases on the park's clock, changes with a reason."""

import uuid
from datetime import datetime

from sqlmodel import select

from inspect_service.campaigns import service
from inspect_service.campaigns.models import CampaignEvent, Phase


def _plan(client, world, year=2027):
    body = {"name": f"{year}年安全生产大检查", "year": year, "kind": "grand_inspection", "template": "grand_inspection"}
    return client.post("/api/campaigns", json=body, headers=world.headers["park_manager"])


def test_template_reproduces_the_park_plan(client, world):
    response = _plan(client, world)
    assert response.status_code == 201, response.json
    phases = response.json["phases"]
    assert [(p["kind"], p["start_date"], p["end_date"], p["status"]) for p in phases] == [
        ("self_check", "2027-06-20", "2027-07-10", "planned"),
        ("focused_rectification", "2027-07-11", "2027-08-31", "planned"),
        ("park_supervision", "2027-09-01", "2027-09-20", "planned"),
    ]
    reports = sorted(m["due_date"] for m in response.json["milestones"] if m["kind"] == "report")
    assert reports == ["2027-07-20", "2027-08-20", "2027-09-10"]
    monthly = sorted(m["due_date"] for m in response.json["milestones"] if m["kind"] == "self_check_report")
    assert monthly == ["2027-07-10", "2027-08-10", "2027-09-10"]


def _statuses(session, campaign_id):
    campaign_id = uuid.UUID(str(campaign_id))
    session.expire_all()
    rows = session.exec(select(Phase).where(Phase.campaign_id == campaign_id).order_by(Phase.position)).all()
    return [p.status for p in rows]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_phases_open_and_close_on_the_park_local_day(client, session, world):
    campaign = _plan(client, world).json
    cid = campaign["id"]
    # 2027-06-19 23:59 in Shanghai is 15:59 UTC: not yet the first day
    service.advance_phases(session=session, now=_at("2027-06-19T15:59:00+00:00"))
    assert _statuses(session, cid) == ["planned", "planned", "planned"]
    # 2027-06-20 00:00:30 in Shanghai is still 2027-06-19 in UTC: the phase opens by the park's date
    assert service.advance_phases(session=session, now=_at("2027-06-19T16:00:30+00:00")).startswith("opened 1")
    assert _statuses(session, cid) == ["open", "planned", "planned"]
    assert service.advance_phases(session=session, now=_at("2027-06-19T16:05:00+00:00")) == "opened 0, closed 0 phases"
    service.advance_phases(session=session, now=_at("2027-07-10T16:00:01+00:00"))  # 07-11 in Shanghai
    assert _statuses(session, cid) == ["closed", "open", "planned"]
    events = session.exec(select(CampaignEvent.action).where(CampaignEvent.campaign_id == uuid.UUID(cid))).all()
    assert sorted(events) == ["create", "phase_closed", "phase_opened", "phase_opened"]


def test_a_scheduler_outage_closes_what_passed_and_opens_what_is_current(client, session, world):
    cid = _plan(client, world).json["id"]
    service.advance_phases(session=session, now=_at("2027-09-05T04:00:00+00:00"))
    assert _statuses(session, cid) == ["closed", "closed", "open"]


def test_manager_closes_early_and_extends_with_reasons(client, session, world):
    campaign = _plan(client, world).json
    first, second = campaign["phases"][0]["id"], campaign["phases"][1]["id"]
    headers = world.headers["park_manager"]
    base = f"/api/campaigns/{campaign['id']}/phases"
    too_far = client.post(f"{base}/{first}/extend", json={"end_date": "2027-07-15", "reason": "汛期"}, headers=headers)
    assert too_far.status_code == 422  # would overlap the next phase
    extended = client.post(f"{base}/{second}/extend", json={"end_date": "2027-08-31", "reason": "x"}, headers=headers)
    assert extended.status_code == 422  # not later than the current end
    ok = client.post(f"{base}/{second}/extend", json={"end_date": "2027-08-25", "reason": "x"}, headers=headers)
    assert ok.status_code == 422  # earlier: use close
    closed = client.post(f"{base}/{first}/close", json={"reason": "提前完成"}, headers=headers)
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    again = client.post(f"{base}/{first}/close", json={"reason": "x"}, headers=headers)
    assert again.status_code == 409
    history = client.get(f"/api/campaigns/{campaign['id']}", headers=headers).json["events"]
    assert history[-1]["action"] == "phase_close" and history[-1]["payload"]["reason"] == "提前完成"


def test_bad_campaigns_are_422(client, world):
    headers = world.headers["park_manager"]
    no_phases = {"name": "专项行动", "year": 2027, "kind": "special_action"}
    assert client.post("/api/campaigns", json=no_phases, headers=headers).status_code == 422
    overlapping = {
        **no_phases,
        "phases": [
            {"kind": "self_check", "name": "一", "start_date": "2027-05-01", "end_date": "2027-05-20"},
            {"kind": "other", "name": "二", "start_date": "2027-05-15", "end_date": "2027-06-01"},
        ],
    }
    assert client.post("/api/campaigns", json=overlapping, headers=headers).status_code == 422
    assert (
        client.post(
            "/api/campaigns", json={**no_phases, "template": "grand_inspection", "year": 1999}, headers=headers
        ).status_code
        == 422
    )


def test_campaigns_belong_to_their_park(client, world):
    campaign = _plan(client, world).json
    url = f"/api/campaigns/{campaign['id']}"
    assert client.get(url, headers=world.headers["enterprise_safety_officer"]).status_code == 200
    assert client.get(url, headers=world.headers["foreign_manager"]).status_code == 404
    assert _plan(client, world).status_code == 201
    for caller in ("inspector", "enterprise_principal", "admin"):
        assert (
            client.post(
                "/api/campaigns",
                json={"name": "x", "year": 2027, "kind": "special_action", "template": "grand_inspection"},
                headers=world.headers[caller],
            ).status_code
            == 403
        )
    phase = campaign["phases"][0]["id"]
    assert (
        client.post(
            f"{url}/phases/{phase}/close", json={"reason": "x"}, headers=world.headers["foreign_manager"]
        ).status_code
        == 404
    )
    assert client.get("/api/campaigns", headers=world.headers["foreign_manager"]).json["items"] == []
