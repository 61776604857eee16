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
from tests.routes import fill, label, routes
from tests.state import db_state
from tests.world import World

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
}
RECORD = ("id", "version", "created_at", "updated_at", "status", "created_by")
ACCOUNT = ("password_hash", "password_changed_at")
TENANCY = ("park_id", "enterprise_id")
ACCOUNT_KEYS = ("id", "user_id", "version", *ACCOUNT)
# Routes that read no body at all; sending one must not matter.
BODILESS = {("/api/auth/logout", "POST")}


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
)


@pytest.fixture(autouse=True)
def _isolated(savepoint_per_test):
    """One world per module, each test rolled back to a savepoint (instead of a new world per test)."""


@pytest.fixture
def world(module_world):
    """The module's standard world."""
    return module_world.world


def _path(write: Write, world: World) -> str:
    return fill(write.rule, write.target(world).id) if write.target else write.rule


def _send(client, world: World, write: Write, body: dict):
    headers = dict(world.headers[write.caller])
    if write.method == "PATCH":
        headers["If-Match"] = etag(write.target(world).version)
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
