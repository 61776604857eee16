"""Check item and checklist template factories."""

import itertools
from dataclasses import dataclass

from inspect_service.checklists.models import CheckItem, ChecklistTemplate

_serial = itertools.count(1)


def make_check_item(session, park=None, **fields) -> CheckItem:
    """Insert a check item: a park's own when `park` is given, else a library item; codes are unique."""
    item = CheckItem(
        **{
            "park_id": park.id if park else None,
            "code": f"T{next(_serial):05d}",
            "domain": "fire",
            "kind": "field",
            "text": "测试检查项：消防器材完好有效",
            "legal_basis": "《中华人民共和国消防法》第十六条",
            **fields,
        }
    )
    session.add(item)
    session.flush()
    return item


def make_template(session, park, creator, items, **fields) -> ChecklistTemplate:
    """Insert a template of `park` holding `items` in order."""
    template = ChecklistTemplate(
        **{
            "park_id": park.id,
            "name": f"测试检查表{next(_serial):05d}",
            "item_ids": [str(item.id) for item in items],
            "created_by": creator.id,
            **fields,
        }
    )
    session.add(template)
    session.flush()
    return template


@dataclass
class MatrixTargets:
    """Checklist rows for the authorization matrix: a library item, one item and one template per park."""

    library: CheckItem
    own: CheckItem
    foreign: CheckItem
    own_template: ChecklistTemplate
    foreign_template: ChecklistTemplate


def matrix_targets(session, world) -> MatrixTargets:
    """Insert the checklist rows the authorization matrix aims at."""
    library_item = make_check_item(session)
    own, foreign = make_check_item(session, world.park), make_check_item(session, world.foreign_park)
    return MatrixTargets(
        library=library_item,
        own=own,
        foreign=foreign,
        own_template=make_template(session, world.park, world.user("park_manager"), [library_item, own]),
        foreign_template=make_template(session, world.foreign_park, world.user("foreign_manager"), [foreign]),
    )
