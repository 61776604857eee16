"""Mass assignment: a write body naming a server-owned field is refused with 422 and changes nothing.

A new write route gets a row in WRITES (or in BODILESS); `test_every_write_route_has_a_row` fails
until it has one.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from inspect_service.auth import tokens
from inspect_service.common.concurrency import etag
from tests import bodies
from tests.documents import factories as documents
from tests.hazards.factories import action_target
from tests.notifications.factories import disable_subscription, new_subscription
from tests.photos.factories import new_photo
from tests.reports.factories import new_report
from tests.routes import fill, label, routes
from tests.selfchecks import factories as self_checks
from tests.state import db_state
from tests.sync import factories as sync_issues
from tests.world import World, targeted_world

LONG_AGO = "2000-01-01T00:00:00+00:00"
FIELD_VALUES: dict[str, Callable[[World], object]] = {
    "id": lambda w: str(uuid.uuid4()),
    "version": lambda w: 99,
    "created_at": lambda w: LONG_AGO,
    "updated_at": lambda w: LONG_AGO,
    "status": lambda w: "closed",
    "created_by": lambda w: str(w.user("admin").id),
    "password_hash": lambda w: "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
    "password_changed_at": lambda w: LONG_AGO,
    "park_id": lambda w: str(w.foreign_park.id),
    "enterprise_id": lambda w: str(w.foreign.id),
    "user_id": lambda w: str(w.user("admin").id),
    "session_id": lambda w: str(uuid.uuid4()),
    "role": lambda w: "admin",
    "username": lambda w: "renamed-account",
    "inspector_kind": lambda w: "enforcement_officer",
    "payload_hash": lambda w: "0" * 64,
    # Hazards
    "hazard_no": lambda w: "YH-2000-000001",
    "found_by": lambda w: str(w.user("admin").id),
    "closed_at": lambda w: LONG_AGO,
    "closure_type": lambda w: "on_site",
    "is_overdue": lambda w: True,
    "five_points_complete": lambda w: True,
    "round": lambda w: 9,
    "is_listed": lambda w: True,
    "stop_order_active": lambda w: True,
    "false_closure": lambda w: True,
    "details": lambda w: {"notice": {"issuer_kind": "enforcement"}},
    "level": lambda w: "major",
    "source": lambda w: "enforcement",
    "deadline": lambda w: "2099-12-31",
    "old_deadline": lambda w: "2000-01-01",
    # Inspections and their results
    "inspector_ids": lambda w: [str(w.user("admin").id)],
    "started_at": lambda w: LONG_AGO,
    "inspection_id": lambda w: str(uuid.uuid4()),
    "hazard_id": lambda w: str(uuid.uuid4()),
    "results": lambda w: [],
    # Campaigns and their phases
    "events": lambda w: [],
    "opened_at": lambda w: LONG_AGO,
    "position": lambda w: 9,
    "campaign_id": lambda w: str(uuid.uuid4()),
    "start_date": lambda w: "2000-01-01",
    # Photos: what the server measures of the stored bytes
    "uploaded_by": lambda w: str(w.user("admin").id),
    "sha256": lambda w: "0" * 64,
    "original_sha256": lambda w: "0" * 64,
    "thumb_sha256": lambda w: "0" * 64,
    "content_type": lambda w: "image/png",
    "width": lambda w: 1,
    "height": lambda w: 1,
    "size_bytes": lambda w: 1,
    # Self-check reports: figures from the hazard ledger, dates and decisions the server records
    "period": lambda w: "2000-01",
    "due_date": lambda w: "2099-12-31",
    "figures": lambda w: {"found": {"total": 0}},
    "late": lambda w: False,
    "timeliness": lambda w: "on_time",
    "submitted_at": lambda w: LONG_AGO,
    "signed_off_by": lambda w: str(w.user("admin").id),
    # Tasks and patrol cadences: what generation and completion record
    "generated_through": lambda w: "2099-12-31",
    "completed_at": lambda w: LONG_AGO,
    "completed_by": lambda w: str(w.user("admin").id),
    "kind": lambda w: "supervision",
    "assignee_id": lambda w: str(w.user("admin").id),
    "cadence_id": lambda w: str(uuid.uuid4()),
    "occurrence_key": lambda w: "x:y:z",
    "phase_id": lambda w: str(uuid.uuid4()),
    "group": lambda w: "fire",
    # Documents: numbers, hashes, the frozen content and who issued or acknowledged them are the server's
    "number": lambda w: "（伪）安整〔2000〕0001号",
    "seq": lambda w: 1,
    "content_sha256": lambda w: "0" * 64,
    "view_model": lambda w: {"header": {}},
    "issued_by": lambda w: str(w.user("admin").id),
    "issued_at": lambda w: LONG_AGO,
    "acknowledged_at": lambda w: LONG_AGO,
    "acknowledged_by": lambda w: str(w.user("admin").id),
    "doc_type": lambda w: "statistics",
    # Sync issues: who sent the operation, what the server answered, who resolved it and when
    "author_id": lambda w: str(w.user("admin").id),
    "problem": lambda w: {"status": 200},
    "operation": lambda w: {"kind": "create_hazard"},
    "resolved_at": lambda w: LONG_AGO,
    "resolved_by": lambda w: str(w.user("admin").id),
}
RECORD = ("id", "version", "created_at", "updated_at", "status", "created_by")
CLIENT_ID_RECORD = tuple(field for field in RECORD if field != "id")  # offline creates: the client sends the id
ACCOUNT = ("password_hash", "password_changed_at")
TENANCY = ("park_id", "enterprise_id")
ACCOUNT_KEYS = ("id", "user_id", "version", *ACCOUNT)
TASK_OWNED = (
    "kind", "due_date", "assignee_id", "completed_at", "completed_by", "campaign_id", "phase_id", "cadence_id",
    "occurrence_key", "group",
)  # fmt: skip
CADENCE_OWNED = (*RECORD, "park_id", "generated_through")
HAZARD_OWNED = (
    *CLIENT_ID_RECORD, "hazard_no", "park_id", "found_by", "closed_at", "closure_type", "is_overdue",
    "five_points_complete", "round", "is_listed", "stop_order_active", "false_closure", "details", "payload_hash",
)  # fmt: skip
PHOTO_MEASURES = (
    "uploaded_by", "sha256", "original_sha256", "thumb_sha256", "content_type", "width", "height", "size_bytes",
    "payload_hash",
)  # fmt: skip
PHASE_OWNED = ("status", "version", "opened_at", "closed_at", "position", "campaign_id", "park_id", "start_date")
DOCUMENT_OWNED = (
    *RECORD, "park_id", "number", "seq", "sha256", "content_sha256", "size_bytes", "view_model", "issued_by",
    "issued_at", "acknowledged_at", "acknowledged_by", "doc_type",
)  # fmt: skip
REPORT_OWNED = (*RECORD, *TENANCY, "due_date", "figures", "late", "timeliness", "submitted_at", "signed_off_by")
SYNC_OWNED = ("user_id", "session_id", "created_by", "results")
ISSUE_OWNED = (*RECORD, *TENANCY, "author_id", "kind", "problem", "operation", "resolved_at", "resolved_by")
ACTION_OWNED = ("status", "version", "hazard_no", "park_id", "enterprise_id", "closed_at")
# Who takes each lifecycle action (on the own enterprise's hazard) and what it sets that the client must not.
ACTION_WRITES = {
    "fix_on_site": ("inspector", ("closure_type",)),
    "issue_notice": ("inspector", ()),
    "assign": ("enterprise_safety_officer", ("level", "found_by")),  # assign copies every field it is given
    "acknowledge": ("enterprise_safety_officer", ()),
    "record_refusal": ("inspector", ()),
    "request_extension": ("enterprise_safety_officer", ("deadline",)),
    "approve_extension": ("park_manager", ("deadline", "old_deadline")),
    "deny_extension": ("park_manager", ("deadline",)),
    "submit_reply": ("enterprise_safety_officer", ()),
    "return_reply": ("inspector", ()),
    "recheck_pass": ("inspector", ("closure_type",)),
    "recheck_fail": ("inspector", ("round", "deadline")),
    "escalate": ("park_manager", ("is_listed", "stop_order_active")),
    "record_outcome": ("park_manager", ("closure_type", "deadline")),
    "void": ("park_manager", ()),
    "report_major": ("inspector", ("level",)),
    "submit_plan": ("enterprise_principal", ("deadline",)),
    "record_assessment": ("enterprise_principal", ()),
    "apply_resume": ("enterprise_principal", ("stop_order_active",)),
    "write_off": ("park_manager", ("closure_type", "stop_order_active")),
    "delist": ("park_manager", ("closure_type", "is_listed")),
}
# Routes that read no body at all; sending one must not matter.
BODILESS = {("/api/auth/logout", "POST"), ("/api/notifications/<uuid:notification_id>/read", "POST")}


@dataclass(frozen=True)
class Write:
    """A write route, who may call it, a valid body, and the server-owned fields it must refuse."""

    method: str
    rule: str
    caller: str
    body: Callable  # (world, session, target) -> dict, see tests.bodies
    refuses: tuple[str, ...]
    target: Callable[[World], object] | None = None
    success: int = 200
    path: Callable[[object], tuple] = lambda row: (row.id,)  # the target -> the ids its path names, in order

    def __str__(self) -> str:
        return label(self.method, self.rule)


WRITES = (
    Write("POST", "/api/auth/login", "anonymous", bodies.login, ("id", "user_id", "session_id", "role")),
    Write("POST", "/api/auth/refresh", "anonymous", bodies.refresh, ("id", "user_id", "session_id")),
    Write("POST", "/api/auth/password", "inspector", bodies.password_change, ACCOUNT_KEYS, success=204),
    Write("POST", "/api/parks", "admin", bodies.new_park, RECORD, success=201),
    Write("PATCH", "/api/parks/<uuid:park_id>", "admin", bodies.rename_park, RECORD, lambda w: w.park),
    Write("POST", "/api/enterprises", "park_manager", bodies.new_enterprise, (*RECORD, *TENANCY), success=201),
    Write(
        "PATCH",
        "/api/enterprises/<uuid:enterprise_id>",
        "park_manager",
        bodies.readdress_enterprise,
        (*RECORD, *TENANCY),
        lambda w: w.own,
    ),
    # park_id and enterprise_id are the client's to choose on POST /api/users: see the tenancy tests below.
    Write("POST", "/api/users", "admin", bodies.new_user, (*RECORD, *ACCOUNT), success=201),
    Write(
        "PATCH",
        "/api/users/<uuid:user_id>",
        "park_manager",
        bodies.rename_user,
        (*RECORD, *ACCOUNT, *TENANCY, "role", "username", "inspector_kind"),
        lambda w: w.user("inspector"),
    ),
    Write(
        "PUT",
        "/api/users/<uuid:user_id>/portfolio",
        "park_manager",
        bodies.portfolio,
        (*RECORD, "user_id", "park_id"),
        lambda w: w.user("liaison_officer"),
    ),
    Write("POST", "/api/check-items", "park_manager", bodies.new_check_item, (*RECORD, "park_id"), success=201),
    # park_id is the client's to choose on POST /api/checklist-templates (an admin names the park).
    Write("POST", "/api/checklist-templates", "park_manager", bodies.new_checklist_template, RECORD, success=201),
    Write(
        "PATCH",
        "/api/checklist-templates/<uuid:template_id>",
        "park_manager",
        bodies.rename_checklist_template,
        (*RECORD, "park_id"),
        lambda w: w.checklists.own_template,
    ),
    Write("POST", "/api/photos", "inspector", new_photo, (*CLIENT_ID_RECORD, "park_id", *PHOTO_MEASURES), success=201),
    Write(
        "POST",
        "/api/inspections",
        "inspector",
        bodies.new_inspection,
        (*CLIENT_ID_RECORD, "park_id", "payload_hash", "results"),
        success=201,
    ),
    Write(
        "PATCH",
        "/api/inspections/<uuid:inspection_id>",
        "inspector",
        bodies.complete_inspection,
        (*RECORD, *TENANCY, "source", "inspector_ids", "started_at", "payload_hash", "results"),
        lambda w: w.inspections.own,
    ),
    Write(
        "POST",
        "/api/inspections/<uuid:inspection_id>/results",
        "inspector",
        bodies.inspection_result,
        (*CLIENT_ID_RECORD, *TENANCY, "inspection_id", "hazard_id", "payload_hash"),
        lambda w: w.inspections.own,
        success=201,
    ),
    Write("POST", "/api/hazards", "inspector", bodies.new_hazard, HAZARD_OWNED, success=201),
    Write(
        "PATCH",
        "/api/hazards/<uuid:hazard_id>",
        "inspector",
        bodies.correct_hazard,
        ("id", *HAZARD_OWNED, "enterprise_id", "level", "source"),
        lambda w: w.hazards["own"]["registered"],
    ),
    *(
        Write(
            "POST",
            f"/api/hazards/<uuid:hazard_id>/{action}",
            caller,
            bodies.hazard_action(action),
            (*ACTION_OWNED, *extra),
            lambda w, kind=action_target(action): w.hazards["own"][kind],
        )
        for action, (caller, extra) in ACTION_WRITES.items()
    ),
    Write("POST", "/api/campaigns", "park_manager", bodies.new_campaign, (*RECORD, "park_id", "events"), success=201),
    *(
        Write(
            "POST",
            f"/api/campaigns/<uuid:campaign_id>/phases/<uuid:phase_id>/{action}",
            "park_manager",
            body,
            PHASE_OWNED,
            lambda w: w.phases.own,
            path=lambda phase: (phase.campaign_id, phase.id),
        )
        for action, body in (("close", bodies.close_phase), ("extend", bodies.extend_phase))
    ),
    Write(
        "POST",
        "/api/self-check-reports",
        "enterprise_safety_officer",
        self_checks.new_report,
        REPORT_OWNED,
        success=201,
    ),
    Write(
        "PATCH",
        "/api/self-check-reports/<uuid:report_id>",
        "enterprise_safety_officer",
        self_checks.edit_report,
        (*REPORT_OWNED, "period"),
        lambda w: w.self_check_reports.draft["own"],
    ),
    *(
        Write(
            "POST",
            f"/api/self-check-reports/<uuid:report_id>/{action}",
            caller,
            body,
            (*REPORT_OWNED, "period"),
            lambda w, state=state: getattr(w.self_check_reports, state)["own"],
        )
        for action, caller, body, state in (
            ("submit", "enterprise_safety_officer", self_checks.submit_report, "draft"),
            ("sign_off", "enterprise_principal", self_checks.sign_off_report, "submitted"),
            ("return", "enterprise_principal", self_checks.return_report, "submitted"),
        )
    ),
    Write(
        "POST",
        "/api/tasks/<uuid:task_id>/complete",
        "enterprise_safety_officer",
        lambda _w, _s, _t: {"note": "巡查完毕"},
        (*RECORD, *TENANCY, *TASK_OWNED),
        lambda w: w.tasks.own,
    ),
    Write("POST", "/api/patrol-cadences", "park_manager", bodies.new_cadence, CADENCE_OWNED, success=201),
    Write(
        "PATCH",
        "/api/patrol-cadences/<uuid:cadence_id>",
        "park_manager",
        bodies.change_cadence,
        CADENCE_OWNED,
        lambda w: w.cadences.own,
    ),
    *(
        Write("POST", f"/api/documents/{path}", caller, body, (*DOCUMENT_OWNED, *extra), success=201)
        for path, caller, body, extra in (
            ("notices", "inspector", documents.new_notice, ()),
            ("recheck-opinions", "inspector", documents.recheck_opinion, ("enterprise_id",)),
            ("inspection-records", "inspector", documents.inspection_record, ("enterprise_id",)),
            ("remediation-plans", "enterprise_principal", documents.remediation_plan, ("enterprise_id",)),
            ("statistics", "enterprise_principal", documents.statistics, ("enterprise_id",)),
        )
    ),
    *(
        Write(
            "POST",
            f"/api/documents/<uuid:document_id>/{action}",
            caller,
            body,
            (*DOCUMENT_OWNED, *TENANCY),
            lambda w: w.documents["own"],
            success=success,
        )
        for action, caller, body, success in (
            ("acknowledge", "enterprise_principal", documents.acknowledgement, 201),
            ("void", "park_manager", documents.void, 200),
        )
    ),
    Write("POST", "/api/reports", "park_manager", new_report, (*RECORD, "park_id", "sha256"), success=202),
    # A batch's operations carry their own bodies; the batch itself names no acting user or results.
    Write("POST", "/api/sync/batch", "inspector", bodies.sync_batch, SYNC_OWNED),
    Write(
        "POST",
        "/api/sync/issues/<uuid:issue_id>/resolve",
        "park_manager",
        sync_issues.resolution,
        ISSUE_OWNED,
        lambda w: w.sync_issues.other,
    ),
    # park_id is the client's to choose on POST /api/webhook-subscriptions (an admin names the park).
    Write("POST", "/api/webhook-subscriptions", "park_manager", new_subscription, RECORD, success=201),
    Write(
        "PATCH",
        "/api/webhook-subscriptions/<uuid:subscription_id>",
        "park_manager",
        disable_subscription,
        (*RECORD, "park_id"),
        lambda w: w.notifications.own_subscription,
    ),
)


@pytest.fixture(autouse=True)
def _isolated(savepoint_per_test):
    """One world per module, each test rolled back to a savepoint (instead of a new world per test)."""


@pytest.fixture(scope="module")
def world(app, module_world):
    """The module's standard world with tests.world's targets (checklist rows, photos, inspections, hazards)."""
    return targeted_world(app, module_world)


def _path(write: Write, world: World) -> str:
    return fill(write.rule, *write.path(write.target(world))) if write.target else write.rule


def _send(client, world: World, write: Write, body: dict):
    headers = dict(world.headers[write.caller])
    if write.method == "PATCH":
        headers["If-Match"] = etag(write.target(world).version)
    if any(isinstance(value, tuple) for value in body.values()):  # a file: multipart/form-data, the fields as text
        form = {key: value if isinstance(value, tuple) else str(value) for key, value in body.items()}
        return client.open(_path(write, world), method=write.method, headers=headers, data=form)
    return client.open(_path(write, world), method=write.method, headers=headers, json=body)


def _reread(client, app, world: World, write: Write):
    """What the caller reads back through the API at the same path (None when it has no GET)."""
    if (write.rule, "GET") not in routes(app):
        return None
    response = client.get(_path(write, world), headers=world.headers[write.caller])
    assert response.status_code == 200
    return response.get_json(), response.headers.get("ETag")


def _body(write: Write, world: World, session) -> dict:
    return write.body(world, session, write.target(world) if write.target else None)


def test_every_write_route_has_a_row(app):
    writes = routes(app, {"POST", "PATCH", "PUT", "DELETE"})
    assert sorted(writes - BODILESS - {(w.rule, w.method) for w in WRITES}) == [], "write routes without a row"


@pytest.mark.parametrize("write", WRITES, ids=str)
def test_valid_body_without_server_owned_fields_is_accepted(write, client, session, world):
    before = db_state(session)
    response = _send(client, world, write, _body(write, world, session))
    assert response.status_code == write.success, response.get_json()
    assert db_state(session) != before


@pytest.mark.parametrize(
    ("write", "field"),
    [pytest.param(write, field, id=f"{write}+{field}") for write in WRITES for field in write.refuses],
)
def test_server_owned_field_is_refused_and_nothing_changes(write, field, app, client, session, world):
    body = {**_body(write, world, session), field: FIELD_VALUES[field](world)}
    before, read_before = db_state(session), _reread(client, app, world, write)

    response = _send(client, world, write, body)

    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]
    assert db_state(session) == before
    assert _reread(client, app, world, write) == read_before


def test_admin_places_new_account_in_any_park(client, world):
    account = bodies.account(world, park_id=str(world.foreign_park.id))
    response = client.post("/api/users", json=account, headers=world.headers["admin"])
    assert response.status_code == 201, response.get_json()
    reread = client.get(f"/api/users/{response.json['id']}", headers=world.headers["admin"])
    assert reread.json["park_id"] == str(world.foreign_park.id)


OMITTED = object()


@pytest.mark.parametrize("park_id", ["own", None, OMITTED], ids=["own-park", "null", "omitted"])
def test_park_manager_places_new_account_in_their_park(park_id, client, world):
    account = bodies.account(world)
    if park_id is OMITTED:
        del account["park_id"]
    else:
        account["park_id"] = park_id and str(world.park.id)
    response = client.post("/api/users", json=account, headers=world.headers["park_manager"])
    assert response.status_code == 201, response.get_json()
    assert response.json["park_id"] == str(world.park.id)


def _foreign_park(world):
    return str(world.foreign_park.id)


def _foreign_enterprise(world):
    return str(world.foreign.id)


@pytest.mark.parametrize(
    ("caller", "field", "fields"),
    [
        pytest.param("park_manager", "park_id", {"park_id": _foreign_park}, id="manager-another-park"),
        pytest.param(
            "park_manager",
            "enterprise_id",
            {"role": "enterprise_safety_officer", "inspector_kind": None, "enterprise_id": _foreign_enterprise},
            id="manager-enterprise-of-another-park",
        ),
        pytest.param("park_manager", "role", {"role": "park_manager", "inspector_kind": None}, id="manager-manager"),
        pytest.param(
            "park_manager", "role", {"role": "admin", "inspector_kind": None, "park_id": None}, id="manager-admin"
        ),
        pytest.param(
            "admin",
            "enterprise_id",
            {"role": "enterprise_principal", "inspector_kind": None, "enterprise_id": _foreign_enterprise},
            id="admin-enterprise-outside-the-park",
        ),
        pytest.param("admin", "park_id", {"role": "admin", "inspector_kind": None}, id="admin-admin-in-a-park"),
    ],
)
def test_new_account_outside_the_callers_reach_is_refused(caller, field, fields, client, session, world):
    fields = {key: value(world) if callable(value) else value for key, value in fields.items()}
    before = db_state(session)
    response = client.post("/api/users", json=bodies.account(world, **fields), headers=world.headers[caller])
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]
    assert db_state(session) == before


def test_logout_ignores_a_body_naming_another_session(app, client, world):
    bystander = world.headers["park_manager"]
    with app.app_context():
        claims = tokens.decode(bystander["Authorization"].removeprefix("Bearer "), kind=tokens.ACCESS)
    body = {"user_id": str(claims.user_id), "session_id": str(claims.session_id)}

    response = client.post("/api/auth/logout", json=body, headers=world.headers["inspector"])

    assert response.status_code == 204
    assert client.get("/api/me", headers=world.headers["inspector"]).status_code == 401
    assert client.get("/api/me", headers=bystander).status_code == 200
