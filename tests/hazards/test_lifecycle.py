"""The transition table, exhaustively: every state × action × role, against DOMAIN.md §4.2."""

from datetime import timedelta

import pytest
from sqlmodel import select

from inspect_service.common.time import local_date, utcnow
from inspect_service.errors import Conflict, Forbidden
from inspect_service.hazards import service
from inspect_service.hazards.lifecycle import ACTIONS
from inspect_service.hazards.models import HazardEvent
from tests.hazards.factories import MAJOR_DETAILS, actor_of, make_hazard, make_photo

STATES = ("registered", "notice_issued", "rectifying", "extension_requested", "reply_submitted", "escalated",
          "closed", "voided")  # fmt: skip
OPEN = {"registered", "notice_issued", "rectifying", "extension_requested", "reply_submitted"}
INSPECTORS = {"inspector", "liaison_officer", "third_party_expert", "enforcement_officer"}
CALLERS = ("admin", "park_manager", *sorted(INSPECTORS), "enterprise_safety_officer", "enterprise_principal")
SAME = None  # the action keeps the state

# action: (states it applies to, callers who may take it, resulting state) — typed from the domain guide.
EXPECTED = {
    "fix_on_site": ({"registered"}, INSPECTORS | {"park_manager", "enterprise_safety_officer"}, "closed"),
    "issue_notice": ({"registered"}, INSPECTORS, "notice_issued"),
    "assign": ({"registered"}, {"enterprise_safety_officer"}, "rectifying"),
    "acknowledge": (
        {"notice_issued"},
        INSPECTORS | {"enterprise_principal", "enterprise_safety_officer"},
        "rectifying",
    ),
    "record_refusal": ({"notice_issued"}, INSPECTORS, "rectifying"),
    "request_extension": ({"rectifying"}, {"enterprise_safety_officer", "enterprise_principal"}, "extension_requested"),
    "approve_extension": ({"extension_requested"}, INSPECTORS | {"park_manager"}, "rectifying"),
    "deny_extension": ({"extension_requested"}, INSPECTORS | {"park_manager"}, "rectifying"),
    "submit_reply": ({"rectifying"}, {"enterprise_safety_officer", "enterprise_principal"}, "reply_submitted"),
    "return_reply": ({"reply_submitted"}, INSPECTORS, "rectifying"),
    "recheck_pass": ({"reply_submitted", "rectifying"}, INSPECTORS, "closed"),
    "recheck_fail": ({"reply_submitted", "rectifying"}, INSPECTORS, "rectifying"),
    "escalate": (OPEN, {"park_manager"}, "escalated"),
    "record_outcome": ({"escalated"}, {"park_manager"}, "rectifying"),
    "void": (OPEN | {"escalated"}, {"park_manager"}, "voided"),
    "report_major": (
        {"registered", "notice_issued", "rectifying"},
        INSPECTORS | {"enterprise_principal", "park_manager"},
        SAME,
    ),
    "submit_plan": ({"notice_issued", "rectifying", "extension_requested"}, {"enterprise_principal"}, SAME),
    "record_assessment": ({"rectifying", "reply_submitted"}, INSPECTORS | {"enterprise_principal"}, SAME),
    "apply_resume": ({"rectifying", "reply_submitted"}, {"enterprise_principal"}, SAME),
    "write_off": ({"rectifying", "reply_submitted"}, {"park_manager"}, "closed"),
    "delist": ({"rectifying", "reply_submitted", "escalated"}, {"park_manager"}, "closed"),
}
MAJOR_ONLY = {"report_major", "submit_plan", "record_assessment", "apply_resume", "write_off", "delist"}


def test_expectations_cover_every_action():
    assert set(EXPECTED) == set(ACTIONS)
    assert {name for name, action in ACTIONS.items() if action.major_only} == MAJOR_ONLY


def valid_data(action: str, world, caller: str, photo) -> dict:
    today = local_date(utcnow(), "Asia/Shanghai")
    later = today + timedelta(days=60)
    actor_id = world.user(caller).id
    second = world.user("inspector" if caller != "inspector" else "enforcement_officer").id
    return {
        "fix_on_site": {"action_taken": "当场清理", "after_photo_ids": [photo.id]},
        "issue_notice": {"issuer_kind": "park", "deadline": today + timedelta(days=20),
                         "recheck_date": today + timedelta(days=25), "inspector_ids": [actor_id, second]},
        "assign": {"responsible_person": "张三", "measures": "清理通道", "funds": "500.00",
                   "deadline": today + timedelta(days=20), "contingency_plan": "专人值守"},
        "acknowledge": {"recipient_name": "赵建国", "recipient_role": "主要负责人", "received_at": utcnow(),
                        "method": "electronic"},
        "record_refusal": {"evidence_photo_ids": [photo.id], "witness_name": "王五"},
        "request_extension": {"reason": "设备采购周期长", "proposed_deadline": later, "interim_measures": "警示隔离"},
        "approve_extension": {"new_deadline": later},
        "deny_extension": {"reason": "理由不充分"},
        "submit_reply": {"measures": "已清理", "completed_on": today, "cost": "100.00", "after_photo_ids": [photo.id],
                         "before_photo_ids": []},
        "return_reply": {"missing": "缺少整改后照片"},
        "recheck_pass": {"note": "整改合格", "photo_ids": []},
        "recheck_fail": {"note": "未整改到位", "new_deadline": today + timedelta(days=10), "photo_ids": []},
        "escalate": {"escalation_type": "interview", "target": "区应急管理局", "evidence_photo_ids": []},
        "record_outcome": {"external_doc_no": "应急约〔2026〕1号", "decision": "约谈后限期整改",
                           "outcome": "rectifying", "new_deadline": today + timedelta(days=15)},
        "void": {"reason": "mistaken", "note": "误报"},
        "report_major": {"situation": "储罐区可燃气体报警失效", "harm": "可能引发爆炸", "plan_summary": "停用并更换",
                         "reported_to": "区应急管理局"},
        "submit_plan": {"objectives": "消除隐患", "methods": "更换报警器", "funds_materials": "五万元",
                        "organisation": "设备部", "time_limit": later, "safety_measures": "停用储罐"},
        "record_assessment": {"assessor": "省安科院", "conclusion": "符合要求", "passed": True},
        "apply_resume": {"application": "申请恢复生产"},
        "write_off": {"acceptance_note": "验收合格", "accepted_on": today},
        "delist": {"acceptance_note": "验收合格", "accepted_on": today, "notice_no": "挂牌〔2026〕3号"},
    }[action]  # fmt: skip


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_every_state_action_role(session, world, action, caller):
    states, roles, target = EXPECTED[action]
    user = world.user(caller)
    actor = actor_of(session, user)
    photo = make_photo(session, world.own, world.user("inspector"))
    major = action in MAJOR_ONLY
    for state in STATES:
        hazard = make_hazard(
            session,
            world.own,
            world.user("inspector"),
            status=state,
            level="major" if major else "general",
            is_listed=major,
            details=dict(MAJOR_DETAILS) if major else {},
        )
        data = valid_data(action, world, caller, photo)
        if caller not in roles:
            with pytest.raises(Forbidden):
                service.perform(session=session, actor=actor, hazard_id=hazard.id, action=action, data=data)
            continue
        if state not in states:
            with pytest.raises(Conflict) as refused:
                service.perform(session=session, actor=actor, hazard_id=hazard.id, action=action, data=data)
            allowed = refused.value.extra["allowed_actions"]
            assert action not in allowed
            assert all(state in EXPECTED[a][0] and caller in EXPECTED[a][1] for a in allowed), (state, allowed)
            continue
        done = service.perform(session=session, actor=actor, hazard_id=hazard.id, action=action, data=data)
        assert done.status == (state if target is SAME else target), (state, done.status)
        event = session.exec(select(HazardEvent).where(HazardEvent.hazard_id == hazard.id)).one()
        assert (event.action, event.from_status, event.to_status, event.actor_id) == (
            action,
            state,
            done.status,
            user.id,
        )


def test_major_only_actions_refuse_general_hazards(session, world):
    hazard = make_hazard(session, world.own, world.user("inspector"), status="rectifying")
    actor = actor_of(session, world.user("park_manager"))
    with pytest.raises(Conflict):
        service.perform(
            session=session,
            actor=actor,
            hazard_id=hazard.id,
            action="write_off",
            data={"acceptance_note": "x", "accepted_on": utcnow().date()},
        )


def test_major_reply_needs_principal_and_plan(session, world):
    photo = make_photo(session, world.own, world.user("inspector"))
    hazard = make_hazard(session, world.own, world.user("inspector"), status="rectifying", level="major")
    data = valid_data("submit_reply", world, "enterprise_principal", photo)
    with pytest.raises(Forbidden):  # the safety officer alone may not reply for a major hazard
        service.perform(
            session=session,
            actor=actor_of(session, world.user("enterprise_safety_officer")),
            hazard_id=hazard.id,
            action="submit_reply",
            data=data,
        )
    principal = actor_of(session, world.user("enterprise_principal"))
    from inspect_service.errors import Unprocessable

    with pytest.raises(Unprocessable):  # no remediation plan yet
        service.perform(session=session, actor=principal, hazard_id=hazard.id, action="submit_reply", data=data)
