"""Authorization matrix of the manager console: every page × every caller × object ownership → one exact status.

The console's twin of tests/test_authorization_matrix.py. A new console route gets rows in PAGES;
`test_every_console_route_has_matrix_rows` fails until it has them. Signed-out callers (anonymous, a cookie past
the console's age limit, a disabled account) are sent to sign in (302) on every page that is not public, and
refused (401) on every form post.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace

import pytest

from inspect_service.extensions import db
from tests import bodies
from tests.documents.factories import matrix_notice
from tests.hazards.factories import action_target
from tests.routes import fill, label, web_routes
from tests.state import db_state
from tests.users.factories import PASSWORD
from tests.web.console import csrf_token, form_data, sign_in
from tests.world import CALLERS, World, add_targets

SIGNED_OUT = ("anonymous", "expired", "disabled")
ERROR_TEXT = re.compile(r'<p class="error" role="alert">(.*?)</p>', re.S)


@dataclass(frozen=True)
class Targets:
    """The ownership targets of a page's id and how to pick each one."""

    names: tuple[str, ...]
    pick: Callable[[World, str], object]


def _hazards(kind: str) -> Targets:
    return Targets(("own", "other", "foreign"), lambda world, name: world.hazards[name][kind])


DOCUMENT = Targets(("own", "other", "foreign"), lambda world, name: getattr(world.console_documents, name))
REPORT_JOB = Targets(("own", "foreign"), lambda world, name: getattr(world.report_jobs, name))
PHOTO = Targets(("own", "other", "foreign"), lambda world, name: getattr(world.photos, name))
# A park colleague's sync issue (own park) and one of the other park.
SYNC_ISSUE = Targets(("own", "foreign"), lambda world, name: world.sync_issues.other if name == "own"
                     else world.sync_issues.foreign)  # fmt: skip
HAZARD = _hazards("registered")
SIGHT = {
    "admin": 3, "park_manager": 2, "inspector": 2, "enforcement_officer": 2,
    "liaison_officer": 1, "third_party_expert": 1, "enterprise_safety_officer": 1, "enterprise_principal": 1,
}  # fmt: skip
INSPECTORS = ("inspector", "liaison_officer", "third_party_expert", "enforcement_officer")


@dataclass(frozen=True)
class Page:
    """One console route and the status each caller gets (a tuple: one per target, in target order)."""

    method: str
    rule: str
    expect: dict
    targets: Targets | None = None
    form: Callable | None = None  # (world, target) -> the form's fields (as a JSON-like body)
    public: bool = False

    @property
    def label(self) -> str:
        """`POST /console/hazards/{id}/void`."""
        return label(self.method, self.rule)

    def statuses(self):
        """(caller, target, status) for every caller and target."""
        names = self.targets.names if self.targets else (None,)
        for caller in CALLERS:
            if caller in SIGNED_OUT and not self.public:
                expected = 302 if self.method == "GET" else 401
            else:
                expected = self.expect.get(caller, self.expect.get("*"))
            per_target = expected if isinstance(expected, tuple) else (expected,) * len(names)
            yield from ((caller, name, status) for name, status in zip(names, per_target, strict=True))


def _in_sight(status: int, takers: tuple[str, ...] = tuple(SIGHT), **exact) -> dict:
    """(own, other, foreign): `status` for takers and 403 for others on what they see, 404 on what they do not."""
    expect = {
        caller: ((status if caller in takers else 403),) * seen + (404,) * (3 - seen) for caller, seen in SIGHT.items()
    }
    return {**expect, **exact}


def _action(action: str, takers: tuple[str, ...], **exact) -> Page:
    """A desk action on a hazard in a state where it applies: done → back to the hazard (302)."""
    return Page(
        "POST", f"/console/hazards/<uuid:hazard_id>/{action}", _in_sight(302, takers, **exact),
        _hazards(action_target(action)), lambda world, target: bodies.hazard_action(action)(world, None, target),
    )  # fmt: skip


def _report_form(world, _target) -> dict:
    return {"kind": "supervision_bulletin", "format": "pdf", "campaign_id": world.campaigns.own.id}


def _login_form(world, _target) -> dict:
    return {"username": world.user("inspector").username, "password": PASSWORD}


# fmt: off
PAGES = (
    # Public: the entrance, sign-in (a signed-in caller is sent on to the dashboard) and sign-out.
    Page("GET",  "/console/",       {"*": 302}, public=True),
    Page("GET",  "/console/login",  {**{c: 200 for c in SIGNED_OUT}, "*": 302}, public=True),
    Page("POST", "/console/login",  {"*": 302}, form=_login_form, public=True),
    Page("POST", "/console/logout", {"*": 302}, public=True),
    # Pages every signed-in caller has, each showing what the caller's scope holds.
    Page("GET",  "/console/dashboard",     {"*": 200}),
    Page("GET",  "/console/ledger",        {"*": 200}),
    Page("GET",  "/console/ledger/export", {"*": 200}),
    Page("GET",  "/console/enterprises",   {"*": 200}),
    Page("GET",  "/console/documents",     {"*": 200}),
    Page("GET",  "/console/sync-issues",   {"*": 200}),
    # A hazard and its photos: visible like their enterprise.        (own, other, foreign)
    Page("GET",  "/console/hazards/<uuid:hazard_id>", _in_sight(200), HAZARD),
    Page("GET",  "/console/photos/<uuid:photo_id>", _in_sight(200), PHOTO),
    Page("GET",  "/console/photos/<uuid:photo_id>/thumbnail", _in_sight(200), PHOTO),
    # The desk actions, as the API's lifecycle table allows them (admins take none).
    _action("issue_notice",      INSPECTORS, liaison_officer=(422, 404, 404), third_party_expert=(422, 404, 404)),
    _action("approve_extension", (*INSPECTORS, "park_manager")),
    _action("deny_extension",    (*INSPECTORS, "park_manager")),
    _action("return_reply",      INSPECTORS),
    _action("recheck_pass",      INSPECTORS),
    _action("recheck_fail",      INSPECTORS),
    _action("escalate",          ("park_manager",)),
    _action("void",              ("park_manager",)),
    # Documents: read like their enterprise; the PDF exactly as issued.     (own, other, foreign)
    Page("GET",  "/console/documents/<uuid:document_id>", _in_sight(200), DOCUMENT),
    Page("GET",  "/console/documents/<uuid:document_id>/pdf", _in_sight(200), DOCUMENT),
    # Sync issues: the park manager resolves the park's; a colleague's issue is not another caller's.  (own, foreign)
    Page("POST", "/console/sync-issues/<uuid:issue_id>/resolve", {"park_manager": (302, 404), "*": (404, 404)},
         SYNC_ISSUE, lambda _world, _target: {"note": "已处理"}),
    # Reports: requested by park managers and the park's own inspectors; jobs are the park's.   (own, foreign)
    Page("POST", "/console/reports", {"park_manager": 302, "inspector": 302, "enforcement_officer": 302, "*": 403},
         form=_report_form),
    *(Page("GET", rule, {
        "admin": (200, 200), "park_manager": (200, 404), "inspector": (200, 404), "enforcement_officer": (200, 404),
        "*": (404, 404),
    }, REPORT_JOB) for rule in ("/console/reports/<uuid:job_id>", "/console/reports/<uuid:job_id>/status",
                                "/console/reports/<uuid:job_id>/download")),
)
# fmt: on

PROBES = [
    pytest.param(page, caller, target, status, id=f"{page.label}{f'[{target}]' if target else ''}-{caller}")
    for page in PAGES
    for caller, target, status in page.statuses()
]


@pytest.fixture(autouse=True)
def _isolated(savepoint_per_test):
    """One world per module, each test rolled back to a savepoint."""


@pytest.fixture(scope="module")
def scene(app, module_world):
    """The standard world with tests.world's targets (hazards in every state, photos, campaigns)."""
    world = module_world.world
    with app.app_context():
        session = db.new_session()
        add_targets(session, app.extensions["storage"], world)
        world.console_documents = SimpleNamespace(
            **{name: matrix_notice(session, world, name) for name in ("own", "other", "foreign")}
        )
        session.commit()
        session.close()
    return world


def _sign_in(client, session, world, caller: str) -> None:
    if caller == "anonymous":
        return
    if caller == "expired":
        sign_in(client, session, world.user(caller), age=timedelta(hours=13))
        return
    sign_in(client, session, world.user(caller))


def _send(client, page: Page, world, target, ids):
    path = fill(page.rule, *ids)
    if page.method == "GET":
        return client.get(path)
    body = form_data(page.form(world, target)) if page.form else {}
    if target is not None:
        body["version"] = str(target.version)
    return client.post(path, data={**body, "csrf_token": csrf_token(client)})


@pytest.mark.parametrize(("page", "caller", "target_name", "status"), PROBES)
def test_caller_gets_exact_status(page, caller, target_name, status, app, session, scene):
    client = app.test_client()
    _sign_in(client, session, scene, caller)
    target = page.targets.pick(scene, target_name) if page.targets else None
    ids = (target.id,) if target is not None else ()
    writing = page.method == "POST" and page.rule not in ("/console/login", "/console/logout")
    before = db_state(session) if writing else None

    response = _send(client, page, scene, target, ids)

    assert response.status_code == status, response.get_data(as_text=True)[-800:]
    if status >= 400:
        assert response.mimetype == "text/html"
        assert ERROR_TEXT.search(response.get_data(as_text=True)), "an error page says what went wrong"
    if status == 302 and caller in SIGNED_OUT and not page.public:
        assert "/console/login" in response.headers["Location"]
    if writing:
        assert (db_state(session) != before) == (status < 400), "writes change state only when allowed"
    if status == 404:
        missing = _send(client, page, scene, target, [uuid.uuid4() for _ in ids])
        assert missing.status_code == 404
        assert ERROR_TEXT.findall(missing.get_data(as_text=True)) == ERROR_TEXT.findall(
            response.get_data(as_text=True)
        ), "out of scope == missing"


def test_every_console_route_has_matrix_rows(app):
    rows = {(page.rule, page.method) for page in PAGES}
    assert sorted(web_routes(app) - rows) == [], "console routes without page-matrix rows"
    assert sorted(rows - web_routes(app)) == [], "page-matrix rows for console routes that do not exist"


def test_every_row_covers_every_caller_and_target():
    for page in PAGES:
        names = page.targets.names if page.targets else (None,)
        covered = [(caller, target) for caller, target, _ in page.statuses()]
        assert covered == [(caller, name) for caller in CALLERS for name in names], page.label


@pytest.mark.parametrize("page", [p for p in PAGES if p.method == "POST"], ids=lambda p: p.label)
def test_every_form_post_without_csrf_token_is_refused_and_changes_nothing(page, app, session, scene):
    client = app.test_client()
    sign_in(client, session, scene.user("park_manager"))
    target = page.targets.pick(scene, "own") if page.targets else None
    body = form_data(page.form(scene, target)) if page.form else {}
    before = db_state(session)
    response = client.post(fill(page.rule, *((target.id,) if target else ())), data=body)
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert db_state(session) == before
