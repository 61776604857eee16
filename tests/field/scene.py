"""A park for the field app's browser tests: a liaison inspector with a task due today, a checklist with a ★ item,
an enterprise with its safety officer, a notice served on it, hazards to rectify, a manager, and a neighbour."""

import uuid
from dataclasses import dataclass

from inspect_service.campaigns.models import InspectionTask
from inspect_service.documents.models import Document
from inspect_service.notifications import service as notification_service
from tests.campaigns.factories import make_task
from tests.checklists.factories import make_check_item, make_template
from tests.documents.factories import issued_notice
from tests.enterprises.factories import make_enterprise
from tests.hazards.factories import make_hazard
from tests.parks.factories import make_park
from tests.photos.factories import upload_photo
from tests.users.factories import make_user


@dataclass
class FieldScene:
    """What was inserted (rows are detached after commit: use their ids)."""

    park: object
    plant: object  # the enterprise the inspector visits and whose officer works in the app
    neighbour: object  # another enterprise of the park
    manager: object
    inspector: object
    cosigner: object
    officer: object
    principal: object
    neighbour_officer: object
    task: InspectionTask
    patrol: InspectionTask  # the enterprise's own self-patrol, due today
    template: object
    pass_item: object
    star_item: object
    notice: Document
    noticed: object  # the hazard the notice serves
    to_reply: object  # a hazard rectifying, for the officer's reply
    to_void: object  # a hazard rectifying, voided by the manager while a reply to it waits offline


def build(session, storage) -> FieldScene:
    """Insert the scene and commit."""
    tag = uuid.uuid4().hex[:6]
    park = make_park(session)
    plant = make_enterprise(session, park, name=f"华瑞化工有限公司{tag}", address="园区纬三路 18 号",
                            latitude=31.2304, longitude=121.4737, enterprise_class=1, risk_color="red")  # fmt: skip
    neighbour = make_enterprise(session, park, name=f"锦绣纺织有限公司{tag}", address="园区经二路 6 号")
    manager = make_user(session, role="park_manager", park=park, display_name="王主任", username=f"fm-{tag}")
    inspector = make_user(session, role="inspector", park=park, inspector_kind="liaison_officer", display_name="刘蹲点",
                          username=f"fi-{tag}", cert_no="JC-101", portfolio=[plant])  # fmt: skip
    cosigner = make_user(session, role="inspector", park=park, inspector_kind="park_staff", display_name="张检查",
                         username=f"fc-{tag}", cert_no="JC-102", portfolio=[plant])  # fmt: skip
    officer = make_user(session, role="enterprise_safety_officer", park=park, enterprise=plant, display_name="钱立",
                        username=f"fo-{tag}")  # fmt: skip
    principal = make_user(session, role="enterprise_principal", park=park, enterprise=plant, display_name="赵建国",
                          username=f"fp-{tag}")  # fmt: skip
    neighbour_officer = make_user(session, role="enterprise_safety_officer", park=park, enterprise=neighbour,
                                  display_name="郑凯", username=f"fn-{tag}")  # fmt: skip
    task = make_task(session, park, plant, kind="spot_check", due_in=0, assignee_id=inspector.id)
    patrol = make_task(session, park, plant, kind="self_patrol", due_in=0)
    pass_item = make_check_item(session, park, text="灭火器配置齐全、在有效期内", domain="fire")
    star_item = make_check_item(
        session,
        park,
        text="安全出口、疏散通道畅通",
        domain="fire",
        legal_basis="《中华人民共和国消防法》第二十八条",
        major_criterion_ref="GB 35181-2017 第四条",
    )
    template = make_template(session, park, manager, [pass_item, star_item], name="消防专项检查表")
    session.commit()
    photo = upload_photo(session, storage, plant, inspector)
    details = {"details": {"photo_ids": [str(photo.id)]}}
    notice, (noticed,), _signers = issued_notice(session, plant, inspectors=[inspector, cosigner], **details)
    to_reply = make_hazard(session, plant, inspector, status="rectifying", deadline_days=5, **details)
    to_reply.description = "配电箱门未关闭、无警示标识"
    to_void = make_hazard(session, plant, inspector, status="rectifying", deadline_days=8, **details)
    to_void.description = "消防水池液位计损坏"
    session.add_all([to_reply, to_void])
    notification_service.enqueue(session=session, park_id=park.id, recipient_id=officer.id, reason="hazard_reminder",
                                 object_type="hazard", object_id=to_reply.id, due_date=to_reply.deadline,
                                 title="隐患整改即将到期", body="配电箱门未关闭、无警示标识：请按期整改",
                                 enterprise_id=plant.id)  # fmt: skip
    session.commit()
    return FieldScene(park=park, plant=plant, neighbour=neighbour, manager=manager, inspector=inspector,
                      cosigner=cosigner, officer=officer, principal=principal, neighbour_officer=neighbour_officer,
                      task=task, patrol=patrol, template=template, pass_item=pass_item, star_item=star_item,
                      notice=notice, noticed=noticed, to_reply=to_reply, to_void=to_void)  # fmt: skip
