"""Sync issue factories and the authorization matrix's issue targets."""

import uuid
from types import SimpleNamespace

from inspect_service.sync.models import SyncIssue
from tests import bodies
from tests.users.factories import make_user


def make_issue(session, author, *, kind: str = "rejected", status: str = "open", **fields) -> SyncIssue:
    """An issue of `author`'s park about a hazard action the server refused."""
    op_id = fields.pop("op_id", f"op-{uuid.uuid4()}")
    status_code = 409 if kind == "conflict" else 422
    issue = SyncIssue(
        park_id=author.park_id, enterprise_id=author.enterprise_id, author_id=author.id, kind=kind, status=status,
        op_id=op_id, op_kind="hazard_action", object_type="hazard", object_id=uuid.uuid4(),
        operation={"op_id": op_id, "kind": "hazard_action", "action": "void", "data": {"reason": "mistaken"}},
        problem={"type": "/problems/validation-error", "title": "Validation failed", "status": status_code,
                 "detail": "Validation failed"},
        **fields,
    )  # fmt: skip
    session.add(issue)
    session.flush()
    return issue


def matrix_targets(session, world) -> SimpleNamespace:
    """An issue of every caller (own), of a park colleague (other) and of the other park's officer (foreign)."""
    colleague = make_user(session, role="inspector", park=world.park, inspector_kind="park_staff")
    targets = SimpleNamespace(
        own={caller: make_issue(session, user) for caller, user in world.users.items()},
        other=make_issue(session, colleague),
        foreign=make_issue(session, world.user("foreign_officer")),
    )
    session.commit()
    return targets


def pick(world, caller, name):
    """The caller's own issue, a park colleague's, or one of the other park (matrix targets)."""
    targets = world.sync_issues
    if name == "own":
        return targets.own.get(caller) or targets.other  # anonymous has no account of its own
    return targets.other if name == "other" else targets.foreign


def resolution(_world, _session, _target) -> dict:
    """Mark an issue resolved, saying how."""
    return {"note": "已在现场重新办理"}


def jsonable(fields: dict) -> dict:
    """A factory payload as JSON (ids as text)."""
    return {
        k: (str(v) if isinstance(v, uuid.UUID) else [str(i) for i in v] if isinstance(v, list) else v)
        for k, v in fields.items()
    }


def send_batch(client, headers: dict, *ops: dict) -> list[dict]:
    """Post one batch and return its per-operation results (the batch itself must answer 200)."""
    response = client.post("/api/sync/batch", json={"operations": list(ops)}, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.json["results"]


def action_op(hazard, action: str, data: dict, *, key: str | None = None, **fields) -> dict:
    """A hazard_action operation with its own key."""
    key = key or f"{action}-{uuid.uuid4()}"
    return {"op_id": f"op-{key}", "kind": "hazard_action", "hazard_id": str(hazard.id), "action": action,
            "idempotency_key": key, "data": data, **fields}  # fmt: skip


def issues_of(session, author) -> list[SyncIssue]:
    """The issues recorded for `author`, oldest first."""
    from sqlmodel import select

    session.expire_all()
    query = select(SyncIssue).where(SyncIssue.author_id == author.id).order_by(SyncIssue.created_at, SyncIssue.id)
    return list(session.exec(query))


def notice_body(world) -> dict:
    """A valid issue_notice body for the own enterprise's registered hazard."""
    return bodies.hazard_action("issue_notice")(world, None, world.hazards["own"]["registered"])
