"""Inspection tasks generated when phases open: self-check for all, a reproducible spot-check draw, supervision
groups; the tasks list is scoped like its enterprises and the draw is for the park's staff."""

import math
import uuid
from datetime import date, datetime

from sqlmodel import select

from inspect_service.campaigns import service, tasks
from inspect_service.campaigns.models import InspectionTask, Phase, SamplingDraw
from inspect_service.enterprises.models import Enterprise
from inspect_service.parks.models import Park
from tests.enterprises.factories import make_enterprise
from tests.users.factories import make_user

SELF_CHECK = datetime.fromisoformat("2027-06-20T04:00:00+00:00")
SPOT_CHECK = datetime.fromisoformat("2027-07-12T04:00:00+00:00")
SUPERVISION = datetime.fromisoformat("2027-09-02T04:00:00+00:00")


def _plan(client, world, **extra):
    body = {"name": "2027年安全生产大检查", "year": 2027, "kind": "grand_inspection", "template": "grand_inspection"}
    response = client.post("/api/campaigns", json={**body, **extra}, headers=world.headers["park_manager"])
    assert response.status_code == 201, response.json
    return response.json


def _tasks(session, campaign_id, kind):
    session.expire_all()
    query = select(InspectionTask).where(
        InspectionTask.campaign_id == uuid.UUID(str(campaign_id)), InspectionTask.kind == kind
    )
    return session.exec(query).all()


def _phase(session, campaign_id, kind):
    query = select(Phase).where(Phase.campaign_id == uuid.UUID(str(campaign_id)), Phase.kind == kind)
    return session.exec(query).one()


def test_self_check_opens_one_task_per_enterprise_in_scope(client, session, world):
    campaign = _plan(client, world)
    service.advance_phases(session=session, now=SELF_CHECK)
    rows = _tasks(session, campaign["id"], "self_check")
    assert {r.enterprise_id for r in rows} == {world.own.id, world.other.id}  # not the foreign park's
    by_enterprise = {r.enterprise_id: r for r in rows}
    liaison = world.user("liaison_officer").id  # the expert holds `own` too, but is not its liaison officer
    assert (by_enterprise[world.own.id].assignee_id, by_enterprise[world.other.id].assignee_id) == (liaison, None)
    assert all(r.due_date == date(2027, 7, 10) and r.status == "open" and r.inspection_id is None for r in rows)
    # a second run (and a second generation for the same phase) creates nothing
    service.advance_phases(session=session, now=SELF_CHECK)
    assert tasks.generate_tasks(session=session, phase=_phase(session, campaign["id"], "self_check")) == 0
    assert len(_tasks(session, campaign["id"], "self_check")) == 2


def test_a_scoped_campaign_tasks_only_its_enterprises(client, session, world):
    campaign = _plan(client, world, scope_enterprise_ids=[str(world.other.id)])
    service.advance_phases(session=session, now=SELF_CHECK)
    assert [r.enterprise_id for r in _tasks(session, campaign["id"], "self_check")] == [world.other.id]


def _spot_park(session, world):
    made = {cls: [make_enterprise(session, world.park, enterprise_class=cls) for _ in range(10)] for cls in (1, 2, 3)}
    red = make_enterprise(session, world.park, enterprise_class=3, risk_color="red")
    orange = make_enterprise(session, world.park, enterprise_class=2, risk_color="orange")
    session.commit()
    return made, red, orange


def test_spot_check_draw_follows_the_plan_and_is_reproducible(client, session, world):
    made, red, orange = _spot_park(session, world)
    campaign = _plan(client, world)
    service.advance_phases(session=session, now=SPOT_CHECK)
    phase = _phase(session, campaign["id"], "focused_rectification")
    recorded = session.exec(select(SamplingDraw).where(SamplingDraw.phase_id == phase.id)).one()
    selected = set(recorded.selected_enterprise_ids)
    assert recorded.selected_enterprise_ids == sorted(selected)
    assert {str(e.id) for e in made[1]} <= selected  # class 1: all
    class_2 = [e for e in made[2] if str(e.id) in selected]
    assert len(class_2) == math.ceil(0.5 * 11) - 1  # half of 11, the orange one counted in
    assert str(red.id) in selected and str(orange.id) in selected  # must-include whatever the draw
    class_3 = [*made[3], world.own, world.other]  # the world's enterprises are class 3 too
    assert len([e for e in class_3 if str(e.id) in selected]) == math.ceil(0.1 * 13) - 1
    assert recorded.rules == tasks.DEFAULT_SAMPLING
    everyone = session.exec(select(Enterprise).where(Enterprise.park_id == world.park.id)).all()
    assert tasks.draw(everyone, recorded.rules, recorded.seed) == recorded.selected_enterprise_ids
    spot = _tasks(session, campaign["id"], "spot_check")
    assert sorted(str(r.enterprise_id) for r in spot) == recorded.selected_enterprise_ids
    assert {r.due_date for r in spot} == {date(2027, 8, 31)}
    # idempotent: no second draw, no new tasks
    assert tasks.generate_tasks(session=session, phase=phase) == 0
    assert len(session.exec(select(SamplingDraw).where(SamplingDraw.phase_id == phase.id)).all()) == 1
    # the same seed over the same enterprises gives the same ids; another seed may differ but keeps the rules
    assert tasks.draw(reversed(everyone), recorded.rules, recorded.seed) == recorded.selected_enterprise_ids
    assert len(tasks.draw(everyone, recorded.rules, recorded.seed + 1)) == len(selected)


def test_park_settings_override_the_sampling_rules(client, session, world):
    made, _red, _orange = _spot_park(session, world)
    park = session.get(Park, world.park.id)
    park.settings = {**park.settings, "sampling": {"2": {"mode": "all"}, "3": {"mode": "none"}}}
    session.add(park)
    session.commit()
    campaign = _plan(client, world)
    service.advance_phases(session=session, now=SPOT_CHECK)
    phase = _phase(session, campaign["id"], "focused_rectification")
    recorded = session.exec(select(SamplingDraw).where(SamplingDraw.phase_id == phase.id)).one()
    assert recorded.rules["2"] == {"mode": "all"} and recorded.rules["1"] == {"mode": "all"}
    selected = set(recorded.selected_enterprise_ids)
    assert {str(e.id) for e in made[1] + made[2]} <= selected
    assert not {str(e.id) for e in made[3]} & selected  # only the red class-3 enterprise (must-include)
    assert len(selected) == 10 + 11 + 1


def test_supervision_tasks_go_to_the_groups_by_tags(client, session, world):
    hazchem = make_enterprise(session, world.park, tags=["危化"])
    textiles = make_enterprise(session, world.park, tags=["纺织"])
    lifts = make_enterprise(session, world.park, tags=["特种设备"])
    site = make_enterprise(session, world.park, industry="建筑施工")
    both = make_enterprise(session, world.park, tags=["消防重点", "特种设备"])
    session.commit()
    campaign = _plan(client, world)
    service.advance_phases(session=session, now=SUPERVISION)
    groups = {r.enterprise_id: r.group for r in _tasks(session, campaign["id"], "supervision")}
    assert groups == {
        hazchem.id: "hazchem",
        textiles.id: "fire",
        lifts.id: "special_equipment",
        site.id: "construction",
        both.id: "fire",  # one supervision task per enterprise: the first group it belongs to
    }  # own and other (no tags) get none
    # the outage also opened nothing twice: the two earlier phases closed without being opened
    assert _tasks(session, campaign["id"], "self_check") == []


def test_tasks_list_is_scoped_like_enterprises(client, session, world):
    campaign = _plan(client, world)
    service.advance_phases(session=session, now=SELF_CHECK)
    session.commit()
    url = f"/api/campaigns/{campaign['id']}/tasks"

    def seen(caller, **query):
        response = client.get(url, query_string=query, headers=world.headers[caller])
        assert response.status_code == 200, response.json
        return {item["enterprise_id"] for item in response.json["items"]}

    both = {str(world.own.id), str(world.other.id)}
    assert seen("park_manager") == seen("inspector") == seen("admin") == both
    assert seen("enterprise_safety_officer") == seen("liaison_officer") == {str(world.own.id)}
    assert seen("park_manager", kind="spot_check") == set()
    assert client.get(url, headers=world.headers["foreign_manager"]).status_code == 404
    assert client.get(url, headers=world.headers["foreign_officer"]).status_code == 404
    first = client.get(url, query_string={"limit": 1}, headers=world.headers["park_manager"]).json
    rest = client.get(
        url, query_string={"limit": 1, "cursor": first["next_cursor"]}, headers=world.headers["park_manager"]
    ).json
    assert {first["items"][0]["id"], rest["items"][0]["id"]} == {
        str(r.id) for r in _tasks(session, campaign["id"], "self_check")
    }
    assert rest["next_cursor"] is None


def test_draw_is_for_the_park_staff(client, session, world):
    campaign = _plan(client, world)
    phases = {p["kind"]: p["id"] for p in campaign["phases"]}
    base = f"/api/campaigns/{campaign['id']}/phases"
    spot = f"{base}/{phases['focused_rectification']}/draw"
    assert client.get(spot, headers=world.headers["park_manager"]).status_code == 404  # not drawn yet
    service.advance_phases(session=session, now=SPOT_CHECK)
    session.commit()
    response = client.get(spot, headers=world.headers["park_manager"])
    assert response.status_code == 200
    assert set(response.json) >= {"seed", "rules", "selected_enterprise_ids"}
    assert client.get(f"{base}/{phases['self_check']}/draw", headers=world.headers["park_manager"]).status_code == 404
    for caller in ("liaison_officer", "third_party_expert", "enterprise_safety_officer"):
        assert client.get(spot, headers=world.headers[caller]).status_code == 403
    assert client.get(spot, headers=world.headers["foreign_manager"]).status_code == 404


def test_liaison_with_two_enterprises_is_assigned_both(client, session, world):
    colleague = make_user(
        session, role="inspector", park=world.park, inspector_kind="liaison_officer", portfolio=[world.other]
    )
    session.commit()
    campaign = _plan(client, world)
    service.advance_phases(session=session, now=SELF_CHECK)
    assignees = {r.enterprise_id: r.assignee_id for r in _tasks(session, campaign["id"], "self_check")}
    assert assignees == {world.own.id: world.user("liaison_officer").id, world.other.id: colleague.id}
