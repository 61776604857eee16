"""A small park mid-campaign for console tests: a manager, inspectors, a liaison officer, two enterprises, a
campaign whose second phase is open today, milestones ahead, and hazards (overdue majors among them) with a photo."""

import itertools
import uuid
from dataclasses import dataclass
from datetime import timedelta

from inspect_service.campaigns.models import Campaign, Milestone, Phase
from inspect_service.common.time import local_date, utcnow
from tests.enterprises.factories import make_enterprise
from tests.hazards.factories import make_hazard
from tests.inspections.factories import make_inspection
from tests.parks.factories import make_park
from tests.photos.factories import upload_photo
from tests.users.factories import make_user


@dataclass
class Scenario:
    """What was inserted."""

    park: object
    chemicals: object  # the enterprise with the overdue major hazards
    textiles: object  # another enterprise of the park
    manager: object
    inspector: object
    cosigner: object
    liaison: object
    textiles_officer: object
    campaign: object
    phases: list
    photo: object
    notice_target: object  # an overdue major hazard still only registered: a notice can be issued for it
    overdue_majors: list
    others: list


def _hazard(
    session,
    enterprise,
    user,
    *,
    text: str,
    domain: str = "fire",
    source: str = "park_inspection",
    place: str = "生产车间",
    **fields,
):
    """A hazard in a given state (tests.hazards.factories.make_hazard) with its own description, domain and source."""
    hazard = make_hazard(session, enterprise, user, **fields)
    hazard.description, hazard.domain, hazard.source, hazard.location_text = text, domain, source, place
    hazard.hazard_no = f"YH-{hazard.created_at.year}-{next(_SERIAL):06d}"
    session.add(hazard)
    session.flush()
    return hazard


_SERIAL = itertools.count(int(uuid.uuid4().int % 900000) + 1)


def _campaign(session, park, manager, today):
    now = utcnow()
    campaign = Campaign(park_id=park.id, name=f"{today.year}年安全生产大检查", year=today.year,
                        kind="grand_inspection", created_by=manager.id, created_at=now, updated_at=now)  # fmt: skip
    session.add(campaign)
    session.flush()
    spans = (("self_check", "企业自查自纠", -30, -10, "closed"),
             ("focused_rectification", "集中整治和重点抽查", -9, 10, "open"),
             ("park_supervision", "园区安委办组织督查", 11, 30, "planned"))  # fmt: skip
    phases = []
    for position, (kind, name, start, end, status) in enumerate(spans, 1):
        dates = {"start_date": today + timedelta(days=start), "end_date": today + timedelta(days=end)}
        phase = Phase(campaign_id=campaign.id, park_id=park.id, kind=kind, name=name, position=position,
                      status=status, **dates)  # fmt: skip
        session.add(phase)
        phases.append(phase)
    for kind, name, days in (("self_check_report", "企业自查自纠情况月报", -3), ("report", "督查情况报告", 5),
                             ("report", "督查情况报告（终）", 20)):  # fmt: skip
        session.add(Milestone(campaign_id=campaign.id, park_id=park.id, kind=kind, name=name,
                              due_date=today + timedelta(days=days)))  # fmt: skip
    session.flush()
    return campaign, phases


def build(session, storage) -> Scenario:
    """Insert the scenario and commit."""
    tag = uuid.uuid4().hex[:6]
    park = make_park(session)
    today = local_date(utcnow(), park.timezone)
    chemicals = make_enterprise(session, park, name=f"华瑞化工有限公司{tag}", enterprise_class=1, risk_color="red")
    textiles = make_enterprise(session, park, name=f"锦绣纺织有限公司{tag}", enterprise_class=2, risk_color="orange")
    manager = make_user(session, role="park_manager", park=park, display_name="王主任", username=f"manager-{tag}")
    inspector = make_user(session, role="inspector", park=park, inspector_kind="park_staff", display_name="李检查",
                          username=f"inspector-{tag}", cert_no="JC-001")  # fmt: skip
    cosigner = make_user(session, role="inspector", park=park, inspector_kind="park_staff", display_name="张检查",
                         username=f"cosigner-{tag}", cert_no="JC-002")  # fmt: skip
    liaison = make_user(session, role="inspector", park=park, inspector_kind="liaison_officer", display_name="刘蹲点",
                        username=f"liaison-{tag}", portfolio=[chemicals, textiles])  # fmt: skip
    textiles_officer = make_user(session, role="enterprise_safety_officer", park=park, enterprise=textiles,
                                 display_name="郑凯", username=f"officer-{tag}")  # fmt: skip
    campaign, phases = _campaign(session, park, manager, today)
    session.commit()
    photo = upload_photo(session, storage, chemicals, inspector)
    photos = {"details": {"photo_ids": [str(photo.id)]}}
    notice_target = _hazard(session, chemicals, inspector, level="major", deadline_days=-4, domain="hazchem",
                            text="液氨储罐区可燃气体报警仪失效", place="液氨储罐区",
                            measures="更换报警探头并联动切断阀", responsible_person="钱立", **photos)  # fmt: skip
    listed = _hazard(session, chemicals, inspector, status="rectifying", level="major", deadline_days=-6,
                     domain="special_equipment", text="反应釜安全阀超期未校验", is_listed=True, **photos)  # fmt: skip
    others = [
        _hazard(session, chemicals, inspector, status="rectifying", deadline_days=10, domain="electrical",
                text="配电箱未接地", source="self_check"),
        _hazard(session, textiles, inspector, status="notice_issued", deadline_days=-2, text="疏散通道堆放布料"),
        _hazard(session, textiles, inspector, status="rectifying", level="major", deadline_days=15,
                text="车间与仓库未有效分隔", source="covert_supervision"),
        _hazard(session, textiles, inspector, status="closed", closure_type="recheck_pass", closed_at=utcnow(),
                text="灭火器过期"),
    ]  # fmt: skip
    make_inspection(session, chemicals, inspector)
    session.commit()
    return Scenario(park=park, chemicals=chemicals, textiles=textiles, manager=manager, inspector=inspector,
                    cosigner=cosigner, liaison=liaison, textiles_officer=textiles_officer, campaign=campaign,
                    phases=phases, photo=photo, notice_target=notice_target, overdue_majors=[notice_target, listed],
                    others=others)  # fmt: skip
