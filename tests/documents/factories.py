"""Document factories: signing inspectors, hazards ready for a notice, issued notices."""

from datetime import timedelta

from inspect_service.common.time import utcnow
from inspect_service.documents import notices
from tests.hazards.factories import actor_of, make_hazard
from tests.users.factories import make_user

ENFORCEMENT_EXTRAS = {"issuer_name": "某区应急管理局", "review_authority": "某区人民政府", "court": "某区人民法院"}
THIRD_PARTY_EXTRAS = {"issuer_name": "某安全技术服务有限公司", "commissioned_by": "园区安委办"}
EXTRAS = {"park": {}, "third_party": THIRD_PARTY_EXTRAS, "enforcement": ENFORCEMENT_EXTRAS}
KINDS = {"park": "park_staff", "third_party": "third_party_expert", "enforcement": "enforcement_officer"}


def make_inspectors(session, park, kind="park", portfolio=()):
    """Two inspectors of the park able to sign a notice of `kind` (certificates for every kind)."""
    return [
        make_user(session, role="inspector", park=park, inspector_kind=KINDS[kind], cert_no=f"ZF-{kind}-{n}",
                  display_name=f"检查员{n}号", portfolio=portfolio)
        for n in (1, 2)
    ]  # fmt: skip


def notice_body(enterprise, inspectors, hazards, kind="park", days=10, **overrides) -> dict:
    """A valid notice request for `hazards` (deadline in `days`, recheck two days later)."""
    deadline = (utcnow() + timedelta(days=days)).date()
    return {
        "enterprise_id": enterprise.id,
        "issuer_kind": kind,
        "items": [{"hazard_id": h.id, "deadline": deadline} for h in hazards],
        "recheck_date": deadline + timedelta(days=2),
        "inspector_ids": [u.id for u in inspectors],
        **EXTRAS[kind],
        **overrides,
    }


def issued_notice(session, enterprise, *, kind="park", count=1, inspectors=None, **hazard_fields):
    """Issue a notice of `kind` for `count` new hazards; returns (document, hazards, inspectors)."""
    from inspect_service.parks.models import Park

    park = session.get(Park, enterprise.park_id)
    inspectors = inspectors or make_inspectors(session, park, kind, portfolio=[enterprise])
    hazards = [make_hazard(session, enterprise, inspectors[0], **hazard_fields) for _ in range(count)]
    body = notice_body(enterprise, inspectors, hazards, kind)
    document = notices.issue_notice(session=session, actor=actor_of(session, inspectors[0]), body=body)
    return document, hazards, inspectors


def matrix_notice(session, world, name: str):
    """A notice of the world's `own`, `other` or `foreign` enterprise, for the authorization matrix."""
    document, _hazards, _inspectors = issued_notice(session, getattr(world, name))
    return document


def matrix_targets(session, world) -> dict:
    """An issued notice of each of the world's enterprises (`own`, `other`, `foreign`)."""
    return {name: matrix_notice(session, world, name) for name in ("own", "other", "foreign")}


def pick(world, _caller, name):
    """The world's notice `name` (authorization matrix target picker)."""
    return world.documents[name]


def _signer_ids(world) -> list[str]:
    return [str(world.user("inspector").id), str(world.user("enforcement_officer").id)]


def new_notice(world, session, _target) -> dict:
    """A park notice for a fresh registered hazard of the own enterprise, signed by the park's two inspectors."""
    hazard = make_hazard(session, world.own, world.user("inspector"))
    session.commit()
    deadline = (utcnow() + timedelta(days=20)).date()
    return {
        "enterprise_id": str(world.own.id), "issuer_kind": "park",
        "items": [{"hazard_id": str(hazard.id), "deadline": deadline.isoformat()}],
        "recheck_date": (deadline + timedelta(days=3)).isoformat(), "inspector_ids": _signer_ids(world),
    }  # fmt: skip


def recheck_opinion(world, session, _target) -> dict:
    """A notice of the own enterprise whose hazard passed its recheck, and the signers of the opinion."""
    from inspect_service.hazards import service as hazard_service

    inspector = world.user("inspector")
    signers = [inspector, world.user("enforcement_officer")]
    document, hazards, _ = issued_notice(session, world.own, inspectors=signers)
    hazards[0].status = "reply_submitted"
    session.add(hazards[0])
    hazard_service.perform(session=session, actor=actor_of(session, inspector), hazard_id=hazards[0].id,
                           action="recheck_pass", data={"note": "已整改", "photo_ids": []})  # fmt: skip
    session.commit()
    return {"notice_id": str(document.id), "inspector_ids": _signer_ids(world)}


def inspection_record(world, session, _target) -> dict:
    """A finished inspection of the own enterprise."""
    from tests.inspections.factories import make_inspection

    inspection = make_inspection(session, world.own, world.user("inspector"), ended_at=utcnow())
    session.commit()
    return {"inspection_id": str(inspection.id)}


def remediation_plan(world, session, _target) -> dict:
    """A major hazard of the own enterprise with its submitted plan."""
    plan = {"objectives": "消除隐患", "methods": "更换设备", "funds_materials": "10万元", "organisation": "治理小组",
            "time_limit": "2099-01-01", "safety_measures": "停用"}  # fmt: skip
    hazard = make_hazard(session, world.own, world.user("inspector"), level="major",
                         details={"major_report": {"situation": "x"}, "remediation_plan": plan})  # fmt: skip
    session.commit()
    return {"hazard_id": str(hazard.id)}


def statistics(_world, _session, _target) -> dict:
    """Last year's annual table."""
    return {"year": utcnow().year - 1}


def acknowledgement(_world, _session, _target) -> dict:
    """An electronic acknowledgement (no signature photo needed)."""
    return {"recipient_name": "赵建国", "recipient_role": "主要负责人", "received_at": utcnow().isoformat(),
            "method": "electronic"}  # fmt: skip


def void(_world, _session, _target) -> dict:
    """A reason to void."""
    return {"reason": "送达对象错误"}
