"""Checklist rules: everyone reads the library; parks keep their own items and templates."""

import uuid
from collections.abc import Iterable

from sqlalchemy import or_
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor, require_role
from inspect_service.checklists.models import CheckItem, ChecklistTemplate
from inspect_service.common.concurrency import check_version
from inspect_service.common.db import flush_or_conflict
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.common.time import utcnow
from inspect_service.errors import Conflict, NotFound, Unprocessable
from inspect_service.parks.models import Park
from inspect_service.sync import feed

EDITORS = ("admin", "park_manager")


def visible_items(query, actor: Actor):
    """Restrict a CheckItem query to what `actor` may see: the library and their park's own items."""
    if actor.is_admin:
        return query
    return query.where(or_(CheckItem.park_id.is_(None), CheckItem.park_id == actor.park_id))


def visible_templates(query, actor: Actor):
    """Restrict a ChecklistTemplate query to what `actor` may see: their park's templates."""
    if actor.is_admin:
        return query
    return query.where(ChecklistTemplate.park_id == actor.park_id)


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _invalid(field: str, message, detail: str | None = None) -> Unprocessable:
    return Unprocessable(detail or message, errors={field: message if isinstance(message, dict) else [message]})


# ── check items ─────────────────────────────────────────────────────────────


def get_item(*, session: Session, actor: Actor, item_id: uuid.UUID) -> CheckItem:
    """Return a visible check item or 404."""
    item = session.exec(visible_items(select(CheckItem), actor).where(CheckItem.id == item_id)).first()
    if item is None:
        raise NotFound("No such check item.")
    return item


def list_items(
    *,
    session: Session,
    actor: Actor,
    limit: int,
    cursor: str | None = None,
    domain: str | None = None,
    kind: str | None = None,
    major_only: bool = False,
    q: str | None = None,
    origin: str | None = None,
    park_id: uuid.UUID | None = None,
) -> Page:
    """Page through visible check items by code, filtered."""
    query = visible_items(select(CheckItem), actor)
    if domain:
        query = query.where(CheckItem.domain == domain)
    if kind:
        query = query.where(CheckItem.kind == kind)
    if major_only:
        query = query.where(CheckItem.major_criterion_ref.is_not(None))
    if q:
        query = query.where(
            or_(CheckItem.text.like(_like(q), escape="\\"), CheckItem.code.like(_like(q.upper()), escape="\\"))
        )
    if origin:
        query = query.where(CheckItem.park_id.is_(None) if origin == "library" else CheckItem.park_id.is_not(None))
    if park_id:
        query = query.where(or_(CheckItem.park_id.is_(None), CheckItem.park_id == park_id))
    return keyset_page(
        session, query, sort_col=CheckItem.code, id_col=CheckItem.id, sort_attr="code", limit=limit, cursor=cursor
    )


def create_item(*, session: Session, actor: Actor, item_in: dict) -> CheckItem:
    """Add a library item (admin) or an item of the park manager's park."""
    require_role(actor, *EDITORS)
    park_id = None if actor.is_admin else actor.park_id
    taken = f"Check item code {item_in['code']} is already in use."
    # A code names one item wherever it is seen: a park's list holds the library and the park's own items.
    clash = select(CheckItem.id).where(CheckItem.code == item_in["code"])
    if park_id is not None:
        clash = clash.where(or_(CheckItem.park_id.is_(None), CheckItem.park_id == park_id))
    if session.exec(clash.limit(1)).first() is not None:
        raise Conflict(taken)
    item = CheckItem(**item_in, park_id=park_id, created_by=actor.user_id)
    session.add(item)
    flush_or_conflict(session, taken)
    record_items(session, [item])
    return item


def record_items(session: Session, items: list[CheckItem]) -> None:
    """Note changed check items in the feed: a park's item for its park, a library item for every park."""
    every_park = list(session.exec(select(Park.id))) if any(item.park_id is None for item in items) else []
    feed.record_many(
        session,
        (
            {"entity": "check_item", "entity_id": item.id, "park_id": park_id, "enterprise_id": None}
            for item in items
            for park_id in ([item.park_id] if item.park_id else every_park)
        ),
    )


def _record_template(session: Session, template: ChecklistTemplate) -> None:
    feed.record(
        session, entity="checklist_template", entity_id=template.id, park_id=template.park_id, enterprise_id=None
    )


def usable_items(*, session: Session, park_id: uuid.UUID, item_ids: Iterable[uuid.UUID]) -> list[CheckItem]:
    """The items of `item_ids` in order, each a library item or one of the park's; 422 naming the others."""
    item_ids = list(item_ids)
    found = {
        item.id: item
        for item in session.exec(
            select(CheckItem).where(
                CheckItem.id.in_(item_ids), or_(CheckItem.park_id.is_(None), CheckItem.park_id == park_id)
            )
        )
    }
    unknown = {
        str(i): ["Not a library item or an item of this park."] for i, id_ in enumerate(item_ids) if id_ not in found
    }
    if unknown:
        raise _invalid("item_ids", unknown, "Some check items are neither library items nor the park's own.")
    return [found[id_] for id_ in item_ids]


# ── templates ───────────────────────────────────────────────────────────────


def get_template(*, session: Session, actor: Actor, template_id: uuid.UUID) -> ChecklistTemplate:
    """Return a visible template or 404."""
    template = session.exec(
        visible_templates(select(ChecklistTemplate), actor).where(ChecklistTemplate.id == template_id)
    ).first()
    if template is None:
        raise NotFound("No such checklist template.")
    return template


def list_templates(
    *,
    session: Session,
    actor: Actor,
    limit: int,
    cursor: str | None = None,
    domain: str | None = None,
    q: str | None = None,
    park_id: uuid.UUID | None = None,
) -> Page:
    """Page through visible templates by name, filtered."""
    query = visible_templates(select(ChecklistTemplate), actor)
    if domain:
        query = query.where(ChecklistTemplate.domain == domain)
    if q:
        query = query.where(ChecklistTemplate.name.like(_like(q), escape="\\"))
    if park_id:
        query = query.where(ChecklistTemplate.park_id == park_id)
    return keyset_page(
        session,
        query,
        sort_col=ChecklistTemplate.name,
        id_col=ChecklistTemplate.id,
        sort_attr="name",
        limit=limit,
        cursor=cursor,
    )


def _template_park(session: Session, actor: Actor, park_id: uuid.UUID | None) -> uuid.UUID:
    """The park a new template belongs to: the park manager's own, or the existing park an admin names."""
    if not actor.is_admin:
        if park_id not in (None, actor.park_id):
            raise _invalid("park_id", "You can only create templates in your park.")
        return actor.park_id
    if park_id is None or session.get(Park, park_id) is None:
        raise _invalid("park_id", "An existing park is required.")
    return park_id


def create_template(*, session: Session, actor: Actor, template_in: dict) -> ChecklistTemplate:
    """Compose a park's checklist template from library and park items."""
    require_role(actor, *EDITORS)
    template_in = dict(template_in)
    park_id = _template_park(session, actor, template_in.pop("park_id", None))
    items = usable_items(session=session, park_id=park_id, item_ids=template_in.pop("item_ids"))
    template = ChecklistTemplate(
        **template_in, park_id=park_id, item_ids=[str(item.id) for item in items], created_by=actor.user_id
    )
    session.add(template)
    flush_or_conflict(session, "A checklist template with this name already exists in the park.")
    _record_template(session, template)
    return template


def update_template(
    *, session: Session, actor: Actor, template_id: uuid.UUID, version: int | None, changes: dict
) -> ChecklistTemplate:
    """Change a template (admin, the park's manager), guarded by its version."""
    template = get_template(session=session, actor=actor, template_id=template_id)
    require_role(actor, *EDITORS)
    check_version(template.version, version)
    changes = dict(changes)
    if "item_ids" in changes:
        items = usable_items(session=session, park_id=template.park_id, item_ids=changes.pop("item_ids"))
        template.item_ids = [str(item.id) for item in items]
    for key, value in changes.items():
        setattr(template, key, value)
    template.version += 1
    template.updated_at = utcnow()
    session.add(template)
    flush_or_conflict(session, "A checklist template with this name already exists in the park.")
    _record_template(session, template)
    return template


def template_items(*, session: Session, actor: Actor, template_id: uuid.UUID) -> tuple[ChecklistTemplate, list]:
    """A visible template and its check items in checklist order."""
    template = get_template(session=session, actor=actor, template_id=template_id)
    ids = [uuid.UUID(i) for i in template.item_ids]
    by_id = {item.id: item for item in session.exec(select(CheckItem).where(CheckItem.id.in_(ids)))}
    return template, [by_id[i] for i in ids if i in by_id]
