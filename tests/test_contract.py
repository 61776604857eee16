"""Contract: every route is documented, and every operation answers as the OpenAPI document says, for each role.

Schemathesis generates cases from the served document and checks every answer: no 5xx, a documented status code
and content type, and a body that matches the documented schema (errors are problem+json, documented through the
DEFAULT_ERROR response). Each role's run happens inside that test's rolled-back transaction.

The number of generated cases is written to test-artifacts/contract-stats-<db>.txt and printed (visible with -s).
"""

import itertools
import re
import uuid
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy import func, select
from sqlmodel import SQLModel

from inspect_service.demo import credit_code
from tests.users.factories import bearer, login_tokens

ROLES = ("admin", "park_manager", "inspector", "liaison_officer", "enterprise_safety_officer", "enterprise_principal")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
OPENAPI_JSON = "/api/openapi.json"

# Routes that are deliberately not API operations: static files, the document itself, Swagger UI and its assets.
UNDOCUMENTED_ENDPOINTS = {"static", "api-docs.openapi_json", "api-docs.openapi_swagger_ui", "swagger_assets"}
IMPLICIT_METHODS = {"HEAD", "OPTIONS"}
HTTP_METHODS = {"get", "put", "post", "patch", "delete"}

# These end the caller's own sign-in session, so each of their cases gets a session of its own.
SESSION_ENDING = {"POST /api/auth/logout", "POST /api/auth/password"}

CHECKS_CONFIG = {
    # Not meaningful here: it expects 2xx for every schema-valid request, but the document cannot express the
    # business rules that legitimately refuse some of them with 412/422: an IANA time-zone name, the credit
    # code's check digit, a cursor that decodes, tenancy rules for new accounts, a stale If-Match.
    "positive_data_acceptance": {"enabled": False},
}
# Runtime budget, about 1 s per documented operation for the whole module on a 2-core machine: every role fuzzes
# every operation in both modes, and one role also walks the coverage phase's boundary values of valid input. That
# role is the park manager, who may write to the most resources. The coverage phase's negative half (thousands of
# 422s) is left out: invalid input is refused at the marshmallow boundary alike for every role, fuzzing sends
# invalid input too, and the tests at the end check wrong JSON types, 401 before 422 and 405s systematically.
COVERAGE_ROLE = "park_manager"
POSITIVE_COVERAGE = {"phases": {"coverage": {"generation": {"mode": "positive"}}}}
NO_COVERAGE = {"phases": {"coverage": {"enabled": False}}}

# Per database run: cases per role and operation, per Schemathesis phase, and status codes per operation.
CASES: Counter = Counter()
PHASES: Counter = Counter()
STATUSES: dict[str, Counter] = {}


def _row_counts(connection) -> dict[str, int]:
    return {
        table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
        for table in SQLModel.metadata.sorted_tables
    }


def _committed_row_counts(app) -> dict[str, int]:
    """Rows per table as a separate connection sees them: only what was really committed."""
    with app.extensions["db"]["engine"].connect() as connection:
        return _row_counts(connection)


@pytest.fixture(scope="module", autouse=True)
def _contract_stats(app, backend):
    """Check that the module left no rows behind; write the case count for the report."""
    before = _committed_row_counts(app)
    yield
    assert _committed_row_counts(app) == before, "the contract run leaked rows out of its rolled-back transactions"
    if not CASES:
        return
    lines = [f"database: {backend}", f"generated cases: {sum(CASES.values())}", f"per phase: {dict(PHASES)}"]
    lines += ["", "cases per role and operation:"]
    lines += [f"{count:6d}  {key}" for key, count in sorted(CASES.items())]
    lines += ["", "status codes per operation (all roles):"]
    lines += [f"  {label}: {dict(sorted(codes.items()))}" for label, codes in sorted(STATUSES.items())]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"contract-stats-{backend}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(
        f"\ncontract: {sum(CASES.values())} generated cases on {backend} (test-artifacts/contract-stats-{backend}.txt)"
    )


@pytest.fixture(params=ROLES)
def role(request):
    """The caller of this run."""
    # schemathesis 4.32.5's from_fixture() reads and relabels `request.node._nodeid`, which pytest 9 replaced with
    # `_id`; give it the attribute it expects (it only names the subtests).
    request.node._nodeid = request.node.nodeid
    return request.param


@pytest.fixture
def api_schema(app, role, world):
    """The OpenAPI document as the app serves it, configured for `role`."""
    config = {
        "checks": CHECKS_CONFIG,
        # Given as the document's bearer scheme, Schemathesis sends the token except where a case omits it on purpose.
        "auth": {"openapi": {"bearerAuth": {"bearer": world.headers[role]["Authorization"].removeprefix("Bearer ")}}},
        **(POSITIVE_COVERAGE if role == COVERAGE_ROLE else NO_COVERAGE),
    }
    return schemathesis.openapi.from_wsgi(OPENAPI_JSON, app, config=schemathesis.Config.from_dict(config))


@pytest.fixture
def caller(app, client, session, world, role, api_schema):
    """The role's credentials and targets; afterwards, check the run stayed meaningful and isolated."""
    committed_before = _committed_row_counts(app)
    caller = Caller(client=client, session=session, world=world, role=role)
    yield caller
    # A generated request must not have revoked or disabled the caller, or later cases would all be 401.
    assert client.get("/api/me", headers=world.headers[role]).status_code == 200
    labels = {result.ok().label for result in api_schema.get_all_operations()}
    assert labels <= caller.labels, f"operations without a generated case: {sorted(labels - caller.labels)}"
    # Routes commit, yet nothing reached the database outside this test's transaction, which does hold new rows.
    assert _committed_row_counts(app) == committed_before
    assert _row_counts(session)["auth_session"] > committed_before["auth_session"]


class Caller:
    """One role's credentials, and the existing objects its schema-valid cases are aimed at."""

    def __init__(self, *, client, session, world, role):
        self.client, self.session, self.world, self.role = client, session, world, role
        self.labels: set[str] = set()
        self.aimed: Counter = Counter()  # schema-valid cases per operation, to deal the targets round-robin
        self.codes = itertools.count(9_000_000)  # credit codes no other enterprise uses
        others = [user.id for name, user in world.users.items() if name != role]
        portfolio_kinds = [world.user(name).id for name in ("liaison_officer", "third_party_expert", "inspector")]
        self.targets = {
            "park_id": [world.park.id, world.foreign_park.id],
            "enterprise_id": [world.own.id, world.other.id, world.foreign.id],
            "user_id": [world.user(role).id, *others],
        }
        self.targets_by_suffix = {"/portfolio": {"user_id": portfolio_kinds}}
        # Never aim an update at the caller's own account: disabling it would end the run.
        self.targets_by_method = {"PATCH": {"user_id": others}}

    def own_session_for(self, case) -> None:
        """Give a case of an operation that ends the caller's session a session of its own."""
        if case.operation.label in SESSION_ENDING and "Authorization" in (case.headers or {}):
            pair = login_tokens(self.session, self.world.user(self.role))
            case.headers = {**case.headers, **bearer(pair.access_token)}

    def aim(self, case) -> None:
        """Point most schema-valid cases at objects that exist, with their current ETag, so 2xx answers get checked.

        Targets are dealt round-robin per operation, so a derandomized run makes the same choices every time.
        """
        if case.meta is None or not case.meta.generation.mode.is_positive:
            return
        turn = self.aimed[case.operation.label]
        self.aimed[case.operation.label] += 1
        if isinstance(case.body, dict) and isinstance(case.body.get("credit_code"), str):
            # Random codes almost never pass the check digit, which the document cannot describe.
            case.body["credit_code"] = credit_code("330100", next(self.codes))
        if not case.path_parameters:
            return
        targets = {
            **self.targets,
            **next((t for suffix, t in self.targets_by_suffix.items() if case.path.endswith(suffix)), {}),
            **self.targets_by_method.get(case.method.upper(), {}),
        }
        for name, value in case.path_parameters.items():
            pool = targets.get(name, [])
            pick = turn % (len(pool) + 1)  # one share stays random: a well-formed id that does not exist
            if pick < len(pool) and _is_uuid(value):
                case.path_parameters[name] = str(pool[pick])
        if case.method.upper() == "PATCH" and turn % 3:  # a third keep the generated, most likely stale, If-Match
            current = self.client.get(case.formatted_path, headers=self.world.headers[self.role])
            if current.status_code == 200:
                case.headers = {**(case.headers or {}), "If-Match": current.headers["ETag"]}


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


schema = schemathesis.pytest.from_fixture("api_schema")


@settings(
    max_examples=3,  # fuzzing cases per operation and role; the coverage phase adds its own deterministic ones
    deadline=None,  # a case is a few in-process requests and database writes; CI timing varies
    derandomize=True,  # the same cases on every run, so a CI failure reproduces locally
    database=None,
    # The role's world is built once per test and shared by its examples on purpose: the rolled-back transaction
    # around the test, not each example, is the isolation unit.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@schema.parametrize()
@pytest.mark.usefixtures("role")  # from_fixture() asks for fixtures late; pytest must see the parameter up front
def test_every_operation_answers_as_documented_for_each_role(case, caller):
    label = case.operation.label
    caller.labels.add(label)
    caller.aim(case)
    caller.own_session_for(case)
    # Schemathesis sends requests' default Accept-Encoding: gzip but its WSGI transport does not decode it.
    response = case.call_and_validate(headers={"Accept-Encoding": "identity"})
    CASES[f"{caller.role:26s} {label}"] += 1
    PHASES[case.meta.phase.name.value] += 1
    STATUSES.setdefault(label, Counter())[response.status_code] += 1


def test_every_route_is_in_the_openapi_document(app, client):
    spec = client.get(OPENAPI_JSON).json
    documented = {
        (path, method.upper()) for path, item in spec["paths"].items() for method in item if method in HTTP_METHODS
    }
    served = {
        (_openapi_path(rule.rule), method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in UNDOCUMENTED_ENDPOINTS
        and not rule.endpoint.startswith(("web.", "field."))  # console pages, the phone app's files
        for method in rule.methods - IMPLICIT_METHODS
    }
    assert served - documented == set(), "routes missing from the OpenAPI document"
    assert documented - served == set(), "documented operations that no route serves"


def _openapi_path(rule: str) -> str:
    """`/api/parks/<uuid:park_id>` → `/api/parks/{park_id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_undocumented_methods_answer_405_with_allow_as_problem_json(client, world):
    spec = client.get(OPENAPI_JSON).json
    for path, item in spec["paths"].items():
        documented = {method.upper() for method in item if method in HTTP_METHODS}
        allowed = documented | {"OPTIONS"} | ({"HEAD"} if "GET" in documented else set())
        url = re.sub(r"{[^}]+}", str(uuid.uuid4()), path)
        for method in sorted(set(map(str.upper, HTTP_METHODS)) - documented):
            response = client.open(url, method=method, headers=world.headers["admin"])
            assert response.status_code == 405, (method, path)
            assert response.headers["Content-Type"] == "application/problem+json", (method, path)
            assert set(response.headers["Allow"].replace(" ", "").split(",")) == allowed, (method, path)
            assert response.json["status"] == 405


def test_problem_answers_are_checked_against_the_documented_default_error(app, world):
    operation = schemathesis.openapi.from_wsgi(OPENAPI_JSON, app)["/api/parks"]["GET"]
    case = operation.Case(query={"limit": 0})  # out of range: a 422 problem
    response = case.call(headers=world.headers["admin"])
    assert (response.status_code, response.headers["content-type"]) == (422, ["application/problem+json"])
    case.validate_response(response)
    # The same answer without the required problem members must fail, so the check above did look at the body.
    broken = schemathesis.Response(
        status_code=422,
        headers={"content-type": ["application/problem+json"]},
        content=b'{"status": 422}',
        request=response.request,
        elapsed=0.0,
        verify=False,
    )
    with pytest.raises(schemathesis.errors.FailureGroup, match="Response violates schema"):
        case.validate_response(broken)


# A wrong JSON type for each documented scalar type; marshmallow alone would coerce all of these.
WRONG_JSON_TYPES = {"boolean": [0, "true"], "integer": ["1", 1.5], "number": ["1.5"]}


def _resolve(node: dict, spec: dict) -> dict:
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _typed_fields(schema: dict, spec: dict, at: tuple = ()):
    """(path, type) of the boolean, integer and number properties of a body schema, nested ones included."""
    for name, prop in _resolve(schema, spec).get("properties", {}).items():
        prop = _resolve(prop, spec)
        if prop.get("readOnly"):
            continue
        if prop.get("type") in WRONG_JSON_TYPES:
            yield (*at, name), prop["type"]
        elif prop.get("type") == "array" and "properties" in _resolve(prop.get("items", {}), spec):
            yield from _typed_fields(prop["items"], spec, (*at, name, 0))
        elif "properties" in prop:
            yield from _typed_fields(prop, spec, (*at, name))


def _nest(path: tuple, value):
    for key in reversed(path):
        value = [value] if isinstance(key, int) else {key: value}
    return value


def _json_operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {}) if method in HTTP_METHODS else {}
            if "application/json" in content:
                yield method, re.sub(r"{[^}]+}", str(uuid.uuid4()), path), operation, content["application/json"]


def _error_at(errors, path: tuple):
    for key in path:
        if not isinstance(errors, dict) or str(key) not in errors:
            return None
        errors = errors[str(key)]
    return errors


def test_body_fields_refuse_values_of_another_json_type(client, world):
    spec = client.get(OPENAPI_JSON).json
    checked, accepted = 0, []
    for method, url, _operation, media in _json_operations(spec):
        for path, kind in _typed_fields(media["schema"], spec):
            for wrong in WRONG_JSON_TYPES[kind]:
                response = client.open(url, method=method, json=_nest(path, wrong), headers=world.headers["admin"])
                if response.status_code == 404:  # this operation finds the resource before it reads the body
                    continue
                checked += 1
                if response.status_code != 422 or not _error_at(response.json["errors"], path):
                    accepted.append(f"{method.upper()} {url} {'.'.join(map(str, path))} ({kind}) took {wrong!r}")
    assert checked > 0
    assert accepted == [], "body fields that take a value of another JSON type:\n" + "\n".join(accepted)


def test_secured_operations_refuse_a_missing_token_before_reading_the_body(client):
    spec = client.get(OPENAPI_JSON).json
    secured = [
        (method, url)
        for method, url, operation, _media in _json_operations(spec)
        if operation.get("security", spec["security"])
    ]
    assert secured
    for method, url in secured:
        response = client.open(url, method=method, json={"not a field": True})
        assert response.status_code == 401, (method, url)
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), (method, url)
