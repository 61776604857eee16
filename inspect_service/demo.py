"""Demo data: a park modelled on the campaign plan in the domain guide, and a second, smaller park."""

from sqlmodel import Session, select

from inspect_service.auth import passwords
from inspect_service.checklists import library as checklist_library
from inspect_service.common.time import utcnow
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


def load(*, session: Session) -> bool:
    """Load the check-item library; create the demo parks and accounts unless present (True when created)."""
    checklist_library.load_library(session=session)
    if session.exec(select(Park).where(Park.short_name == MAIN_PARK[1])).first() is not None:
        return False
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    if session.exec(select(User).where(User.username == "admin")).first() is None:
        session.add(_user("admin", "系统管理员", "admin", None, None, None, None, password_hash))
    _park(session, MAIN_PARK, "320500", ENTERPRISES, MAIN_USERS, password_hash)
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
