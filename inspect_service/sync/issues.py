"""Sync issues: operations the server refused or found in conflict, kept as work for their author and the park."""

import json
import logging
import math
import uuid
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from inspect_service.auth.actor import Actor
from inspect_service.common.concurrency import check_version
from inspect_service.common.pagination import Page, keyset_page
from inspect_service.common.retry import is_retryable
from inspect_service.common.time import utcnow
from inspect_service.errors import Conflict, NotFound
from inspect_service.sync import operations
from inspect_service.sync.models import SyncIssue
from inspect_service.users.models import User

MAX_STORED = 16_000  # characters of JSON kept of an operation or a problem
log = logging.getLogger(__name__)


def visible(query, actor: Actor):
    """Restrict a SyncIssue query to what `actor` may see: park managers their park's, everyone else their own."""
    if actor.role == "park_manager":
        return query.where(SyncIssue.park_id == actor.park_id)
    return query.where(SyncIssue.author_id == actor.user_id)


def _strip(value, depth: int = 0):
    """A JSON-safe copy with NUL and lone surrogates removed from every string and key (PostgreSQL refuses both)."""
    if depth > 64:
        return None
    if isinstance(value, str):
        return value.replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")
    if isinstance(value, dict):
        return {_strip(str(k)): _strip(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_strip(v, depth + 1) for v in value]
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None  # JSON columns refuse NaN and Infinity
    return _strip(str(value))


def _clean(value):
    """JSON-safe, NUL-free and bounded, with its size as JSON text."""
    clean = _strip(value)
    return clean, len(json.dumps(clean, ensure_ascii=False))


def _bounded_operation(op: dict) -> dict:
    clean, size = _clean(op)
    action = clean.get("action")
    if not (isinstance(action, str) and action in operations.ACTION_NAMES):  # kept only as a name to label
        clean.pop("action", None)
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
    """Write the issue of a refused (4xx) or conflicting (409) operation, once per (author, op_id); never raises
    (an issue that cannot be kept whole is kept as its op_id, kind and status alone)."""
    op_id = _strip(str(op.get("op_id", "")))[:64]
    kind = "conflict" if status == 409 else "rejected"
    try:
        with session.begin_nested():
            return _record(session, actor, op_id, kind, lambda: _whole(actor, op, problem))
    except IntegrityError:  # a concurrent retry of the same operation recorded it first
        return None
    except Exception as exc:  # one operation's issue must not fail its batch
        if is_retryable(exc):  # the whole batch runs again
            raise
        log.exception("sync issue of op %r kept without its operation and problem", op_id)
    minimal = {"op_id": op_id, "kind": _strip(str(op.get("kind", "")))[:64]}
    fields = {"op_kind": minimal["kind"], "operation": minimal, "problem": {"status": status, "truncated": True}}
    try:
        with session.begin_nested():
            return _record(session, actor, op_id, kind, lambda: fields)
    except Exception as exc:
        if is_retryable(exc):
            raise
        log.exception("sync issue of op %r not recorded", op_id)
        return None


def _whole(actor: Actor, op: dict, problem: dict) -> dict:
    object_type, object_id = _object_of(op)
    return {
        "enterprise_id": _enterprise_of(actor, op, problem), "op_kind": _strip(str(op.get("kind", "")))[:64],
        "object_type": object_type, "object_id": object_id, "operation": _bounded_operation(op),
        "problem": _bounded_problem(problem),
    }  # fmt: skip


def _record(session: Session, actor: Actor, op_id: str, kind: str, fields) -> SyncIssue | None:
    existing = session.exec(
        select(SyncIssue.id).where(SyncIssue.author_id == actor.user_id, SyncIssue.op_id == op_id)
    ).first()
    if existing is not None:  # the same operation sent again: already recorded
        return None
    issue = SyncIssue(
        park_id=actor.park_id, author_id=actor.user_id, kind=kind, op_id=op_id,
        **{"enterprise_id": actor.enterprise_id, **fields()},
    )  # fmt: skip
    session.add(issue)
    session.flush()
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
