"""Sync issues: operations the server refused or found in conflict, kept as work for their author and the park."""

import json
import uuid
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor
from inspect_service.common.concurrency import check_version
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.common.time import utcnow
from inspect_service.errors import Conflict, NotFound
from inspect_service.sync import operations
from inspect_service.sync.models import SyncIssue
from inspect_service.users.models import User

MAX_STORED = 16_000  # characters of JSON kept of an operation or a problem


def visible(query, actor: Actor):
    """Restrict a SyncIssue query to what `actor` may see: park managers their park's, everyone else their own."""
    if actor.role == "park_manager":
        return query.where(SyncIssue.park_id == actor.park_id)
    return query.where(SyncIssue.author_id == actor.user_id)


def _clean(value):
    """JSON-safe, NUL-free and bounded (PostgreSQL refuses NUL in text and JSON)."""
    text = json.dumps(value, ensure_ascii=False, default=str).replace("\\u0000", "")
    return json.loads(text), len(text)


def _bounded_operation(op: dict) -> dict:
    clean, size = _clean(op)
    if size <= MAX_STORED:
        return clean
    keep = ("op_id", "kind", "idempotency_key", "base_version", "occurred_at", "action")
    return {**{k: str(clean[k])[:200] for k in keep if k in clean}, "truncated": True}


def _bounded_problem(problem: dict) -> dict:
    clean, size = _clean(problem)
    if size <= MAX_STORED:
        return clean
    trimmed = {k: v for k, v in clean.items() if k in ("type", "title", "status", "detail")}
    return {**trimmed, "truncated": True}


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value is not None else None
    except ValueError:
        return None


def _object_of(op: dict) -> tuple[str | None, uuid.UUID | None]:
    """The object the operation acts on (or creates), as far as the operation says."""
    kind = operations.KINDS.get(op.get("kind")) if isinstance(op.get("kind"), str) else None
    if kind is None:
        return None, None
    if kind.target:
        return kind.object_type, _uuid(op.get(kind.target))
    data = op.get("data") if isinstance(op.get("data"), dict) else {}
    return kind.name.removeprefix("create_"), _uuid(data.get("id"))


def _enterprise_of(actor: Actor, op: dict, problem: dict) -> uuid.UUID | None:
    current = problem.get("current") if isinstance(problem.get("current"), dict) else {}
    data = op.get("data") if isinstance(op.get("data"), dict) else {}
    return actor.enterprise_id or _uuid(current.get("enterprise_id")) or _uuid(data.get("enterprise_id"))


def record(*, session: Session, actor: Actor, op: dict, status: int, problem: dict) -> SyncIssue | None:
    """Write the issue of a refused (4xx) or conflicting (409) operation, once per (author, op_id)."""
    op_id = str(op.get("op_id", ""))[:64].replace("\x00", "")
    existing = session.exec(
        select(SyncIssue).where(SyncIssue.author_id == actor.user_id, SyncIssue.op_id == op_id)
    ).first()
    if existing is not None:  # the same operation sent again: already recorded
        return None
    object_type, object_id = _object_of(op)
    issue = SyncIssue(
        park_id=actor.park_id, enterprise_id=_enterprise_of(actor, op, problem), author_id=actor.user_id,
        kind="conflict" if status == 409 else "rejected", op_id=op_id,
        op_kind=str(op.get("kind", ""))[:64].replace("\x00", ""), object_type=object_type, object_id=object_id,
        operation=_bounded_operation(op), problem=_bounded_problem(problem),
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(issue)
    except IntegrityError:  # a concurrent retry of the same operation recorded it first
        return None
    return issue


def get(*, session: Session, actor: Actor, issue_id: uuid.UUID, lock: bool = False) -> SyncIssue:
    """Return a visible issue or 404."""
    query = visible(select(SyncIssue), actor).where(SyncIssue.id == issue_id)
    issue = session.exec(query.with_for_update() if lock else query).first()
    if issue is None:
        raise NotFound("No such sync issue.")
    return issue


def _names(session: Session, issues: list[SyncIssue]) -> dict[uuid.UUID, str]:
    ids = {issue.author_id for issue in issues}
    if not ids:
        return {}
    return dict(session.exec(select(User.id, User.display_name).where(User.id.in_(ids))).all())


def view(issue: SyncIssue, names: dict[uuid.UUID, str]) -> dict:
    """The issue as returned, with its author's name."""
    return {**issue.model_dump(), "author_name": names.get(issue.author_id, "")}


def get_view(*, session: Session, actor: Actor, issue_id: uuid.UUID) -> dict:
    """A visible issue as returned."""
    issue = get(session=session, actor=actor, issue_id=issue_id)
    return view(issue, _names(session, [issue]))


def list_issues(
    *, session: Session, actor: Actor, limit: int, cursor: str | None = None, status: str | None = None,
    kind: str | None = None,
) -> Page:  # fmt: skip
    """Page through the visible issues, newest first, filtered by status and kind."""
    query = visible(select(SyncIssue), actor)
    if status is not None:
        query = query.where(SyncIssue.status == status)
    if kind is not None:
        query = query.where(SyncIssue.kind == kind)
    page = keyset_page(
        session, query, sort_col=SyncIssue.created_at, id_col=SyncIssue.id, sort_attr="created_at", limit=limit,
        cursor=cursor, parse=datetime.fromisoformat, newest_first=True,
    )  # fmt: skip
    names = _names(session, page.items)
    return Page(items=[view(issue, names) for issue in page.items], next_cursor=page.next_cursor)


def resolve(
    *, session: Session, actor: Actor, issue_id: uuid.UUID, note: str = "", version: int | None = None
) -> SyncIssue:
    """Mark an issue resolved (its park's manager, or its author); 409 when it already is."""
    issue = get(session=session, actor=actor, issue_id=issue_id, lock=True)
    if version is not None:
        check_version(issue.version, version)
    if issue.status == "resolved":
        raise Conflict("This issue is already resolved.", extra={"allowed_actions": []})
    issue.status, issue.resolved_at, issue.resolved_by = "resolved", utcnow(), actor.user_id
    issue.resolution_note = note
    issue.version += 1
    session.add(issue)
    session.flush()
    return issue
