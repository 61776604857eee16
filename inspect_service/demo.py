"""Demo data: a park modelled on the campaign plan in the domain guide, and a second, smaller park."""

import io
from datetime import timedelta

from flask import current_app
from PIL import Image, ImageDraw
from sqlmodel import Session, select

from inspect_service.auth import passwords
from inspect_service.campaigns.models import PatrolCadence
from inspect_service.checklists import library as checklist_library
from inspect_service.common.time import local_date, utcnow
from inspect_service.enterprises.credit_code import check_char
from inspect_service.enterprises.models import Enterprise
from inspect_service.parks.models import Park
from inspect_service.users.models import PortfolioEntry, User

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - published demo credential
MAIN_PARK = ("示范化工产业园", "示范园")
SECOND_PARK = ("北湖科技园", "北湖园")

# name, industry, class, colour, tags, principal, safety officer
ENTERPRISES = [
    ("华瑞化工有限公司", "化工", 1, "red", ["危化", "重大危险源", "液氨"], "赵建国", "钱立"),
    ("东方精细化学品有限公司", "化工", 1, "orange", ["危化", "有限空间"], "孙明", "周斌"),
    ("锦绣纺织有限公司", "纺织", 2, "orange", ["消防重点", "纺织"], "吴芳", "郑凯"),
    ("步云鞋业有限公司", "制鞋", 2, "yellow", ["消防重点", "制鞋"], "冯涛", "陈静"),
    ("恒力起重机械有限公司", "机械制造", 2, "yellow", ["特种设备"], "褚海", "卫东"),
    ("宏达建设工程有限公司（园区二期项目部）", "建筑施工", 2, "orange", ["建筑施工"], "蒋勇", "沈洁"),
    ("金穗食品有限公司", "食品加工", 3, "blue", ["液氨", "有限空间"], "韩雪", "杨帆"),
    ("精铝五金制品有限公司", "金属制品", 3, "yellow", ["粉尘涉爆"], "朱磊", "秦川"),
    ("绿源药业有限公司", "医药制造", 3, "blue", ["危化"], "尤敏", "许亮"),
]
SECOND_ENTERPRISES = [
    ("北湖电子科技有限公司", "电子", 3, "blue", [], "何平", "吕强"),
    ("湖畔包装材料有限公司", "包装", 2, "yellow", ["粉尘涉爆"], "施红", "张伟"),
]

# username, display name, role, kind, cert, enterprise index, portfolio (enterprise indexes)
MAIN_USERS = [
    ("manager", "王主任（安委办）", "park_manager", None, None, None, None),
    ("inspector", "李检查", "inspector", "park_staff", None, None, None),
    ("liaison1", "刘蹲点", "inspector", "liaison_officer", None, None, [0, 1, 2, 3]),
    ("liaison2", "黄蹲点", "inspector", "liaison_officer", None, None, [4, 5, 6, 7, 8]),
    ("expert", "林专家", "inspector", "third_party_expert", None, None, [0]),
    ("enforcer", "马执法", "inspector", "enforcement_officer", "32050012345", None, None),
    ("officer", "钱立（华瑞化工安全员）", "enterprise_safety_officer", None, None, 0, None),
    ("principal", "赵建国（华瑞化工负责人）", "enterprise_principal", None, None, 0, None),
    ("officer2", "郑凯（锦绣纺织安全员）", "enterprise_safety_officer", None, None, 2, None),
]
SECOND_USERS = [
    ("manager-bh", "周主任（北湖园）", "park_manager", None, None, None, None),
    ("officer-bh", "吕强（北湖电子安全员）", "enterprise_safety_officer", None, None, 0, None),
]


def credit_code(region: str, serial: int) -> str:
    """A syntactically valid unified social credit code for demo enterprises."""
    body = f"91{region}MA{serial:07d}"
    return body + check_char(body)


def _user(username, display_name, role, kind, cert, park_id, enterprise_id, password_hash) -> User:
    return User(
        username=username,
        display_name=display_name,
        role=role,
        inspector_kind=kind,
        cert_no=cert,
        park_id=park_id,
        enterprise_id=enterprise_id,
        password_hash=password_hash,
        password_changed_at=utcnow(),
        phone="13800000000",
    )


def _park(session: Session, names, region, enterprises, users, password_hash) -> None:
    park = Park(name=names[0], short_name=names[1], settings={"liaison_park_read": False})
    session.add(park)
    session.flush()
    rows = []
    for i, (name, industry, klass, colour, tags, principal, officer) in enumerate(enterprises):
        rows.append(
            Enterprise(
                park_id=park.id,
                name=name,
                credit_code=credit_code(region, i + 1),
                industry=industry,
                enterprise_class=klass,
                risk_color=colour,
                tags=tags,
                address=f"{names[0]}{i + 1}号路",
                principal_name=principal,
                safety_officer_name=officer,
                latitude=31.3 + i / 100,
                longitude=120.6 + i / 100,
            )
        )
    session.add_all(rows)
    session.flush()
    for username, display, role, kind, cert, ent_index, portfolio in users:
        enterprise_id = rows[ent_index].id if ent_index is not None else None
        user = _user(username, display, role, kind, cert, park.id, enterprise_id, password_hash)
        session.add(user)
        session.flush()
        for index in portfolio or []:
            session.add(PortfolioEntry(user_id=user.id, enterprise_id=rows[index].id, park_id=park.id))
    session.flush()


def _cadences(session: Session, park: Park) -> None:
    """The park's patrol cadences (DOMAIN.md §2.5): frequency by risk colour, a weekly park patrol, a bulletin."""
    manager = session.exec(select(User).where(User.park_id == park.id, User.role == "park_manager")).first()
    today = local_date(utcnow(), park.timezone)
    rules = (
        ("红橙企业每日自查巡查", "self_patrol", "FREQ=DAILY", ["red", "orange"], 2, []),
        ("黄蓝企业每周自查巡查", "self_patrol", "FREQ=WEEKLY;BYDAY=FR", ["yellow", "blue"], 7, [1]),
        ("园区每周巡查（包保联络员）", "park_patrol", "FREQ=WEEKLY;BYDAY=WE", [], 7, [1]),
        ("月度督查通报", "supervision_bulletin", "FREQ=MONTHLY;BYMONTHDAY=25", [], 14, [3, 1]),
    )
    for name, kind, rrule, colours, lead, reminders in rules:
        session.add(
            PatrolCadence(
                park_id=park.id, name=name, kind=kind, rrule=rrule, starts_on=today, risk_colors=colours,
                lead_days=lead, reminder_days=reminders, created_by=manager.id,
                assignee_id=manager.id if kind == "supervision_bulletin" else None,
            )
        )  # fmt: skip
    session.flush()


# enterprise index, domain, level, description, legal basis, location
FINDINGS = [
    (
        0,
        "hazchem",
        "major",
        "液氨储罐区可燃有毒气体检测报警装置失效，未与紧急切断阀联锁",
        "《危险化学品重大危险源监督管理暂行规定》第十三条；GB 35181 第五条",
        "液氨罐区",
    ),
    (0, "fire", "general", "甲类仓库防爆灯具损坏未更换", "《中华人民共和国消防法》第十六条", "甲类仓库"),
    (
        1,
        "confined_space",
        "general",
        "有限空间作业未设置警示标识，未配备气体检测仪",
        "《工贸企业有限空间作业安全规定》第十二条",
        "污水处理池",
    ),
    (2, "fire", "general", "生产车间安全出口被原料堆放堵塞", "《中华人民共和国消防法》第二十八条", "织造车间东门"),
    (3, "electrical", "general", "配电箱内私拉乱接电线，漏电保护器缺失", "GB 50054 第五章", "成型车间配电箱"),
    (
        4,
        "special_equipment",
        "general",
        "桥式起重机超过检验有效期仍在使用",
        "《中华人民共和国特种设备安全法》第四十条",
        "总装车间",
    ),
    (5, "construction", "general", "脚手架连墙件缺失，剪刀撑设置不连续", "JGJ 130 第六章", "二期工地3号楼"),
    (
        7,
        "combustible_dust",
        "general",
        "抛光工序除尘系统未采用防爆型设备",
        "《工贸企业粉尘防爆安全规定》第十四条",
        "抛光车间",
    ),
]


def _winter_campaign(session: Session, park: Park) -> None:
    """A campaign running now (phases around today), opened by the clock: the console has something to show."""
    from inspect_service.auth.actor import actor_for
    from inspect_service.campaigns import service as campaign_service

    manager = session.exec(select(User).where(User.park_id == park.id, User.role == "park_manager")).first()
    today = local_date(utcnow(), park.timezone)
    phases = [
        {"kind": "self_check", "name": "企业自查自纠", "start_date": today - timedelta(days=12),
         "end_date": today + timedelta(days=8), "deliverables": "隐患清单、整改台账、五落实"},
        {"kind": "focused_rectification", "name": "集中整治和重点抽查", "start_date": today + timedelta(days=9),
         "end_date": today + timedelta(days=39), "deliverables": "重点抽查、书面报告安委办"},
        {"kind": "park_supervision", "name": "园区安委办组织督查", "start_date": today + timedelta(days=40),
         "end_date": today + timedelta(days=54), "deliverables": "四个督查组；全园通报"},
    ]  # fmt: skip
    milestones = [
        {"kind": "report", "name": "督查情况报告", "due_date": today + timedelta(days=days)} for days in (10, 40, 55)
    ]
    campaign_service.create(
        session=session,
        actor=actor_for(manager, park, None),
        campaign_in={"name": f"{today.year}年冬季安全生产专项行动", "year": today.year, "kind": "special_action",
                     "scope_domains": [], "scope_enterprise_ids": [], "phases": phases, "milestones": milestones},
    )  # fmt: skip
    campaign_service.advance_phases(session=session)


def _photo(colour: tuple[int, int, int]) -> io.BytesIO:
    image = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(image).rectangle((200, 150, 440, 330), outline=(255, 255, 255), width=8)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    buffer.seek(0)
    return buffer


def _findings(session: Session, park: Park) -> None:
    """Hazards the park's inspector found, with a photo each, through the same rules as the API."""
    from inspect_service.auth.actor import actor_for
    from inspect_service.hazards import service as hazard_service
    from inspect_service.photos import service as photo_service

    inspector = session.exec(select(User).where(User.park_id == park.id, User.username == "inspector")).one()
    actor = actor_for(inspector, park, None)
    enterprises = session.exec(select(Enterprise).where(Enterprise.park_id == park.id)).all()
    by_name = {e.name: e for e in enterprises}
    storage = current_app.extensions["storage"]
    for i, (index, domain, level, description, basis, location) in enumerate(FINDINGS):
        enterprise = by_name[ENTERPRISES[index][0]]
        photo, _ = photo_service.upload(
            session=session,
            actor=actor,
            storage=storage,
            photo_in={"enterprise_id": enterprise.id, "role": "evidence", "file": _photo((90 + 15 * i, 60, 50))},
            max_bytes=current_app.config["PHOTO_MAX_BYTES"],
        )
        hazard_service.create(
            session=session,
            actor=actor,
            hazard_in={
                "enterprise_id": enterprise.id, "location_text": location, "domain": domain, "nature": "object",
                "level": level, "source": "park_inspection", "description": description, "legal_basis": basis,
                "rectify_mode": "deadline", "photo_ids": [photo.id], "suspected_major": level == "major",
                "major_criterion_ref": "GB 35181—2017 第五条" if level == "major" else None,
            },
        )  # fmt: skip
    session.flush()


def load(*, session: Session) -> bool:
    """Load the check-item library; create the demo parks and accounts unless present (True when created)."""
    checklist_library.load_library(session=session)
    if session.exec(select(Park).where(Park.short_name == MAIN_PARK[1])).first() is not None:
        return False
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    if session.exec(select(User).where(User.username == "admin")).first() is None:
        session.add(_user("admin", "系统管理员", "admin", None, None, None, None, password_hash))
    _park(session, MAIN_PARK, "320500", ENTERPRISES, MAIN_USERS, password_hash)
    main = session.exec(select(Park).where(Park.short_name == MAIN_PARK[1])).one()
    _cadences(session, main)
    _winter_campaign(session, main)
    _findings(session, main)
    _park(session, SECOND_PARK, "320600", SECOND_ENTERPRISES, SECOND_USERS, password_hash)
    return True


def create_admin(*, session: Session, username: str, display_name: str, password: str) -> User:
    """Create an administrator account."""
    user = _user(username.lower(), display_name, "admin", None, None, None, None, passwords.hash_password(password))
    session.add(user)
    session.flush()
    return user


def accounts_text() -> str:
    """The demo accounts, one per line, for the console."""
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD}):", "  admin           admin"]
    for park, users in ((MAIN_PARK[1], MAIN_USERS), (SECOND_PARK[1], SECOND_USERS)):
        for username, display, role, kind, *_ in users:
            lines.append(f"  {username:<15} {role}{'/' + kind if kind else ''}  {display}  [{park}]")
    return "\n".join(lines)
