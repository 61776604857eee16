"""Valid request bodies for the write routes, built from the standard world.

Each builder takes (world, session, target): the target is the row a route's id names, or None.
"""

import itertools
import uuid
from datetime import timedelta

from inspect_service.common.time import local_date, utcnow
from inspect_service.demo import credit_code
from tests.photos.factories import new_photo
from tests.users.factories import PASSWORD, login_tokens

_serial = itertools.count(1)


def _tag() -> str:
    return uuid.uuid4().hex[:8]


def login(world, _session, _target) -> dict:
    """Good credentials of the park's inspector."""
    return {"username": world.user("inspector").username, "password": PASSWORD}


def refresh(world, session, _target) -> dict:
    """An unused refresh token of a fresh session of the park's inspector."""
    return {"refresh_token": login_tokens(session, world.user("inspector")).refresh_token}


def password_change(_world, _session, _target) -> dict:
    """The caller's current password (every world account has it) and a new one."""
    return {"current_password": PASSWORD, "new_password": "another-password-2"}


def new_park(_world, _session, _target) -> dict:
    """A park with unique names."""
    tag = _tag()
    return {"name": f"新园区{tag}", "short_name": f"新{tag}"}


def rename_park(_world, _session, _target) -> dict:
    """A new park name."""
    return {"name": "改名园区"}


def new_enterprise(_world, _session, _target) -> dict:
    """An enterprise with a valid credit code no factory uses."""
    return {"name": f"新企业{_tag()}有限公司", "credit_code": credit_code("330200", 700000 + next(_serial))}


def readdress_enterprise(_world, _session, _target) -> dict:
    """A new enterprise address."""
    return {"address": "新区大道 1 号"}


def account(world, **fields) -> dict:
    """A new park-staff inspector of the world's park; `fields` override."""
    return {
        "username": f"n{_tag()}",
        "display_name": "新用户",
        "role": "inspector",
        "inspector_kind": "park_staff",
        "park_id": str(world.park.id),
        "password": "account-password-1",
        **fields,
    }


def new_user(world, _session, _target) -> dict:
    """A new account in the world's park (valid for an admin and for the park's manager)."""
    return account(world)


def rename_user(_world, _session, _target) -> dict:
    """A new display name."""
    return {"display_name": "改名用户"}


def portfolio(world, _session, target) -> dict:
    """An enterprise of the target's park that no world account has in its portfolio."""
    enterprise = {world.park.id: world.other, world.foreign_park.id: world.foreign}.get(target.park_id)
    return {"enterprise_ids": [str(enterprise.id)] if enterprise else []}


def new_check_item(_world, _session, _target) -> dict:
    """A check item with a code no factory uses (a library item for an admin, a park item for a manager)."""
    return {"code": f"NB{next(_serial):05d}", "domain": "fire", "kind": "field", "text": "新增检查项：灭火器压力正常"}


def new_checklist_template(world, _session, _target) -> dict:
    """A template of the world's park from its library and park items (valid for an admin and the park's manager)."""
    targets = world.checklists
    return {
        "park_id": str(world.park.id),
        "name": f"新检查表{_tag()}",
        "item_ids": [str(targets.library.id), str(targets.own.id)],
    }


def rename_checklist_template(_world, _session, _target) -> dict:
    """A new template name."""
    return {"name": "改名检查表"}


def _photo(world, enterprise_id) -> str:
    """The id of the world's photo of that enterprise (`world.photos`, see tests.world.add_targets)."""
    return next(str(photo.id) for photo in vars(world.photos).values() if photo.enterprise_id == enterprise_id)


def _day(days: int = 0) -> str:
    """A date `days` after today in the world's parks (they keep the default time zone)."""
    return (local_date(utcnow(), "Asia/Shanghai") + timedelta(days=days)).isoformat()


def new_hazard(world, _session, _target) -> dict:
    """A self-check hazard of the own enterprise: the one source every role that registers hazards may use."""
    return {
        "enterprise_id": str(world.own.id), "location_text": "二号车间东侧", "domain": "fire", "nature": "object",
        "level": "general", "source": "self_check", "description": "安全出口被货物堵塞",
        "legal_basis": "《中华人民共和国消防法》第二十八条", "rectify_mode": "deadline",
        "photo_ids": [_photo(world, world.own.id)],
    }  # fmt: skip


def other_enterprise_hazard(world, session, target) -> dict:
    """A self-check hazard of the other enterprise of the park."""
    return {**new_hazard(world, session, target), "enterprise_id": str(world.other.id),
            "photo_ids": [_photo(world, world.other.id)]}  # fmt: skip


def correct_hazard(_world, _session, _target) -> dict:
    """Corrected measures (a five-point field anyone who may edit may correct; findings are the inspector's)."""
    return {"measures": "更正：清理通道并设置禁止堆放标识"}


def _action_bodies(world, target) -> dict:
    """A valid body of every lifecycle action on `target` (in the state `action_target` names)."""
    photo = _photo(world, target.enterprise_id)
    return {
        "fix_on_site": {"action_taken": "当场清理", "after_photo_ids": [photo]},
        # The signers must include the caller: the park's inspector and enforcement officer sign.
        "issue_notice": {"issuer_kind": "park", "deadline": _day(20), "recheck_date": _day(25),
                         "inspector_ids": [str(world.user("inspector").id), str(world.user("enforcement_officer").id)]},
        "assign": {"responsible_person": "张三", "measures": "清理通道", "funds": "500.00", "deadline": _day(20),
                   "contingency_plan": "专人值守"},
        "acknowledge": {"recipient_name": "赵建国", "recipient_role": "主要负责人", "received_at": utcnow().isoformat(),
                        "method": "electronic"},
        "record_refusal": {"evidence_photo_ids": [photo], "witness_name": "王五"},
        "request_extension": {"reason": "设备采购周期长", "proposed_deadline": _day(60),
                              "interim_measures": "警示隔离"},
        "approve_extension": {"new_deadline": _day(60)},
        "deny_extension": {"reason": "理由不充分"},
        "submit_reply": {"measures": "已清理", "completed_on": _day(), "cost": "100.00", "after_photo_ids": [photo]},
        "return_reply": {"missing": "缺少整改后照片"},
        "recheck_pass": {"note": "整改合格", "photo_ids": [photo]},
        "recheck_fail": {"note": "未整改到位", "new_deadline": _day(10)},
        "escalate": {"escalation_type": "interview", "target": "区应急管理局"},
        "record_outcome": {"external_doc_no": "应急约〔2026〕1号", "decision": "约谈后限期整改",
                           "outcome": "rectifying", "new_deadline": _day(15)},
        "void": {"reason": "mistaken", "note": "误报"},
        "report_major": {"situation": "储罐区可燃气体报警失效", "harm": "可能引发爆炸", "plan_summary": "停用并更换",
                         "reported_to": "区应急管理局"},
        "submit_plan": {"objectives": "消除隐患", "methods": "更换报警器", "funds_materials": "五万元",
                        "organisation": "设备部", "time_limit": _day(60), "safety_measures": "停用储罐"},
        "record_assessment": {"assessor": "省安科院", "conclusion": "符合要求", "passed": True},
        "apply_resume": {"application": "申请恢复生产"},
        "write_off": {"acceptance_note": "验收合格", "accepted_on": _day()},
        "delist": {"acceptance_note": "验收合格", "accepted_on": _day(), "notice_no": "挂牌〔2026〕3号"},
    }  # fmt: skip


def hazard_action(action: str):
    """The body builder of a lifecycle action (photos of the target hazard's enterprise)."""

    def build(world, _session, target) -> dict:
        return _action_bodies(world, target)[action]

    build.__name__ = build.__qualname__ = action
    return build


def new_inspection(world, _session, _target) -> dict:
    """A self-check inspection of the own enterprise: the one source every role that records inspections may use."""
    return {"enterprise_id": str(world.own.id), "source": "self_check", "inspection_type": "routine",
            "started_at": utcnow().isoformat()}  # fmt: skip


def other_enterprise_inspection(world, session, target) -> dict:
    """A self-check inspection of the other enterprise of the park."""
    return {**new_inspection(world, session, target), "enterprise_id": str(world.other.id)}


def other_enterprise_photo(world, session, target) -> dict:
    """A multipart form uploading a small JPEG of the other enterprise of the park."""
    return {**new_photo(world, session, target), "enterprise_id": str(world.other.id)}


def complete_inspection(_world, _session, _target) -> dict:
    """The inspection's end time and site representative."""
    return {"ended_at": utcnow().isoformat(), "site_rep_name": "李四", "site_rep_role": "安全主管"}


def inspection_result(world, _session, _target) -> dict:
    """A passed library item (valid in every park's inspections)."""
    return {"check_item_id": str(world.checklists.library.id), "result": "pass", "note": "符合要求"}


def sync_batch(world, _session, _target) -> dict:
    """Two operations on the own enterprise: a self-check inspection (taken by every role that records inspections)
    and the acknowledgement of its notice-issued hazard (taken by the principal, who records none)."""
    return {
        "operations": [
            {"op_id": "inspection", "kind": "create_inspection", "data": new_inspection(world, None, None)},
            {
                "op_id": "acknowledge",
                "kind": "hazard_action",
                "hazard_id": str(world.hazards["own"]["notice_issued"].id),
                "action": "acknowledge",
                "idempotency_key": f"ack-{_tag()}",
                "data": _action_bodies(world, world.hazards["own"]["notice_issued"])["acknowledge"],
            },
        ]
    }


def new_campaign(_world, _session, _target) -> dict:
    """Next year's grand inspection from the park plan."""
    year = local_date(utcnow(), "Asia/Shanghai").year + 1
    return {"name": f"{year}年安全生产大检查", "year": year, "kind": "grand_inspection", "template": "grand_inspection"}


def new_cadence(_world, _session, _target) -> dict:
    """A daily self-patrol of red and orange enterprises, two days ahead, reminded the day before."""
    start = local_date(utcnow(), "Asia/Shanghai").isoformat()
    return {"name": "重点企业每日自查", "kind": "self_patrol", "rrule": "FREQ=DAILY", "starts_on": start,
            "risk_colors": ["red", "orange"], "lead_days": 2, "reminder_days": [1]}  # fmt: skip


def change_cadence(_world, _session, _target) -> dict:
    """Patrol on Mondays instead."""
    return {"rrule": "FREQ=WEEKLY;BYDAY=MO", "lead_days": 10}


def close_phase(_world, _session, _target) -> dict:
    """Close the phase early, with the reason."""
    return {"reason": "提前完成集中整治"}


def extend_phase(_world, _session, target) -> dict:
    """Extend the (last) phase by ten days, with the reason."""
    return {"reason": "汛期顺延", "end_date": (target.end_date + timedelta(days=10)).isoformat()}
