"""Valid request bodies for the write routes, built from the standard world.

Each builder takes (world, session, target): the target is the row a route's id names, or None.
"""

import itertools
import uuid

from inspect_service.demo import credit_code
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
