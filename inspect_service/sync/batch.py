"""Phone sync: batches of queued operations, each applied on its own in the client's order.

Per operation: a replay (its Idempotency-Key already used, in a batch or over REST) answers the stored result
first; then an operation that names the version it last saw (`base_version`) is checked against the object,
counting the versions earlier operations of the same batch moved it through; then its one service call runs in
a savepoint. A refused or conflicting operation is answered on its own and recorded as a sync issue.
"""

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError
from sqlmodel import Session

from inspect_service.auth.actor import Actor
from inspect_service.common.concurrency import etag
from inspect_service.common.idempotency import claim, request_fingerprint, store_result, stored_result
from inspect_service.errors import DomainError, PreconditionFailed, Unprocessable
from inspect_service.sync import issues, operations
from inspect_service.sync.operations import Kind, Op

ObjectKey = tuple[str, object]
UNSTORABLE = "A value of this operation cannot be stored (out of range, or text the database refuses)."


class VersionConflict(DomainError):
    """The object moved on since the phone read it; `current` is the object now."""

    status, slug, title = 409, "version-conflict", "Version conflict"


class ConcurrentChange(DomainError):
    """A concurrent request created the same row twice in a row; the phone's retry replays."""

    status, slug, title = 409, "conflict", "Conflict"


def _problem(error: DomainError) -> dict:
    body = {"type": f"/problems/{error.slug}", "title": error.title, "status": error.status, "detail": error.detail}
    if error.errors is not None:
        body["errors"] = error.errors
    return {**body, **error.extra}


class Moves:
    """The versions operations of this batch moved objects through: the phone's own chain is not a conflict."""

    def __init__(self) -> None:
        self._next: dict[tuple[ObjectKey, int], int] = {}

    def effective(self, obj: ObjectKey, version: int) -> int:
        """The version the phone's `version` stands for after this batch's earlier operations."""
        while (obj, version) in self._next:
            version = self._next[(obj, version)]
        return version

    def add(self, before: dict[ObjectKey, int], after: dict[ObjectKey, int]) -> None:
        """Note that each object went from its `before` version to its `after` one."""
        for obj, version in before.items():
            if after.get(obj, version) > version:
                self._next[(obj, version)] = after[obj]


def _conflict(kind: Kind, op: Op, current: dict) -> VersionConflict:
    detail = f"The {kind.object_type} is at version {current['version']}; you acted on version {op.base_version}."
    return VersionConflict(detail, extra={"current": current})


def _checked_version(session: Session, actor: Actor, kind: Kind, op: Op, moves: Moves) -> int | None:
    """The version the operation must find (None: not checked); 409 with the object now when it moved on."""
    if not kind.versioned or op.base_version is None:
        return None
    version = moves.effective((kind.object_type, op.target_id), op.base_version)
    current = kind.current(session, actor, op.target_id)
    if current["version"] != version:
        raise _conflict(kind, op, current)
    return version


def _replayed(kind: Kind, op: Op, record) -> tuple[int, dict | None, tuple[dict, dict]]:
    status, body = stored_result(record)
    moved = ({}, {})
    known = kind.versioned and op.base_version is not None and isinstance(body, dict)
    if known and isinstance(body.get("version"), int):  # what the first run moved, for the rest of this batch
        obj = (kind.object_type, op.target_id)
        moved = ({obj: op.base_version}, {obj: body["version"]})
    return status, body, moved


def _run(session: Session, actor: Actor, raw: dict, moves: Moves) -> tuple[int, dict | None, tuple[dict, dict]]:
    kind = operations.kind_of(raw)
    op = kind.load(raw)
    record = None
    if op.key is not None:
        new, record = claim(session, actor.user_id, op.key, request_fingerprint(*kind.rest(op), kind.request_body(op)))
        if not new:
            return _replayed(kind, op, record)
    data = kind.load_data(op)
    version = _checked_version(session, actor, kind, op, moves)
    objects = operations.touched(session, kind, op)
    before = operations.versions(session, objects)
    try:
        status, body = kind.run(session, actor, op, data, version)
    except PreconditionFailed as exc:  # moved by a concurrent request between the check and the row lock
        raise _conflict(kind, op, kind.current(session, actor, op.target_id)) from exc
    if record is not None:
        headers = {"ETag": etag(body["version"])} if isinstance(body.get("version"), int) else {}
        store_result(session, record, status=status, body=body, headers=headers)
    return status, body, (before, operations.versions(session, objects))


def _result(op: dict, status: int, body: dict | None = None, problem: dict | None = None) -> dict:
    return {"op_id": op["op_id"], "status": status, "body": body, "problem": problem}


def _clash_on_own_id(error: IntegrityError) -> bool:
    """True for a unique violation of a primary key (the object's client id taken by a concurrent twin)."""
    orig = error.orig
    if getattr(orig, "sqlstate", None) == "23505":
        return str(getattr(getattr(orig, "diag", None), "constraint_name", "") or "").startswith("pk_")
    return getattr(orig, "sqlite_errorname", "") == "SQLITE_CONSTRAINT_PRIMARYKEY"


def _refused_twice(error: IntegrityError) -> DomainError:
    if _clash_on_own_id(error):  # a concurrent twin won twice; the client's retry will replay
        return ConcurrentChange("A concurrent request changed this object.")
    return Unprocessable("The operation refers to something that does not exist or conflicts with a constraint.")


def _apply(session: Session, actor: Actor, op: dict, moves: Moves) -> dict:
    failure = None
    for _attempt in (1, 2):
        try:
            with session.begin_nested():
                status, body, moved = _run(session, actor, op, moves)
        except DomainError as error:
            return _result(op, error.status, problem=_problem(error))
        except IntegrityError as error:  # once more: a concurrent twin may have won, and the re-run replays it
            failure = error
            continue
        except (StatementError, UnicodeError) as error:
            if isinstance(error, DBAPIError) and not isinstance(error, DataError):
                raise  # a lock, deadlock or connection failure: the whole batch is retried or fails
            return _result(op, 422, problem=_problem(Unprocessable(UNSTORABLE)))
        moves.add(*moved)
        return _result(op, status, body)
    error = _refused_twice(failure)
    return _result(op, error.status, problem=_problem(error))


def apply_batch(*, session: Session, actor: Actor, operations: list[dict]) -> list[dict]:
    """Apply each operation in its own savepoint, in order; a refused one is recorded and the others go on."""
    moves, results = Moves(), []
    for op in operations:
        result = _apply(session, actor, op, moves)
        if 400 <= result["status"] < 500:
            issues.record(session=session, actor=actor, op=op, status=result["status"], problem=result["problem"])
        results.append(result)
    return results
