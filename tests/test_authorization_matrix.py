"""Authorization matrix: every route × every caller × object ownership answers one exact status.

A new route gets rows in CASES (and in LIST_SCOPE when it lists); `test_every_route_has_matrix_rows`
fails until it has them. Signed-out callers (anonymous, expired token, disabled account) get 401 on
every route that is not public without being written down in each row.
"""

import itertools
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from inspect_service.common.concurrency import etag
from inspect_service.extensions import db
from inspect_service.parks.models import Park
from tests import bodies
from tests.documents import factories as documents
from tests.hazards.factories import action_target
from tests.notifications.factories import (
    disable_subscription,
    new_subscription,
    pick_notification,
    pick_subscription,
)
from tests.photos.factories import new_photo
from tests.reports.factories import new_report
from tests.routes import fill, label, routes
from tests.selfchecks import factories as self_checks
from tests.state import db_state
from tests.sync import factories as sync_issues
from tests.users.factories import make_user
from tests.world import CALLERS, World, add_targets

SIGNED_OUT = ("anonymous", "expired", "disabled")


@dataclass(frozen=True)
class Targets:
    """The ownership targets of a route's id and how to pick each one for a caller."""

    names: tuple[str, ...]
    pick: Callable[[World, str, str], object]  # (world, caller, target name) -> a row with id and version
    path: Callable[[object], tuple] = lambda row: (row.id,)  # the row -> the ids its path names, in order


@dataclass(frozen=True)
class Variant:
    """Park settings applied before the request."""

    name: str
    settings: dict

    def apply(self, world: World, session) -> None:
        """Store the settings on the world's park (a fresh copy: the world's objects are shared)."""
        park = session.get(Park, world.park.id)
        park.settings = {**park.settings, **self.settings}
        session.commit()


@dataclass(frozen=True)
class Case:
    """One route and the status each caller gets (a tuple: one status per target, in target order)."""

    method: str
    rule: str
    expect: dict  # caller, or "*" for every signed-in caller not named -> status or tuple of statuses
    targets: Targets | None = None
    body: Callable[[World, object, object], dict] | None = None  # see tests.bodies
    public: bool = False
    variant: Variant | None = None
    # Callers answered 2xx whose request changes nothing: a sync batch answers 200 and reports each operation's
    # own status inside, so a caller who may take none of its operations gets 200 and writes nothing.
    writes_nothing: frozenset[str] = frozenset()

    @property
    def label(self) -> str:
        """`PATCH /api/parks/{id}`, with `+variant` when a setting is applied."""
        return label(self.method, self.rule) + (f"+{self.variant.name}" if self.variant else "")

    def statuses(self) -> Iterator[tuple[str, str | None, int]]:
        """(caller, target, status) for every caller this row speaks for."""
        names = self.targets.names if self.targets else (None,)
        for caller in CALLERS:
            if caller in SIGNED_OUT and not self.public:
                expected = None if self.variant else 401
            else:
                expected = self.expect.get(caller, self.expect.get("*"))
            if expected is None:
                continue
            per_target = expected if isinstance(expected, tuple) else (expected,) * len(names)
            yield from ((caller, name, status) for name, status in zip(names, per_target, strict=True))


@dataclass(frozen=True)
class Probe:
    """One request of the matrix."""

    case: Case
    caller: str
    target: str | None
    status: int

    def __str__(self) -> str:
        return self.case.label + (f"[{self.target}]" if self.target else "") + f"-{self.caller}"


def _park(world, _caller, name):
    return world.park if name == "own" else world.foreign_park


def _enterprise(world, _caller, name):
    return getattr(world, name)


def _user(world, caller, name):
    if name == "own":
        return world.users.get(caller) or world.user("inspector")  # anonymous has no account of its own
    return world.user("colleague" if name == "other" else "foreign_liaison")


def _check_item(world, _caller, name):
    return getattr(world.checklists, name)


def _template(world, _caller, name):
    return getattr(world.checklists, f"{name}_template")


PARK = Targets(("own", "foreign"), _park)
ENTERPRISE = Targets(("own", "other", "foreign"), _enterprise)
USER = Targets(("own", "other", "foreign"), _user)
CHECK_ITEM = Targets(("library", "own", "foreign"), _check_item)
TEMPLATE = Targets(("own", "foreign"), _template)
PHOTO = Targets(("own", "other", "foreign"), lambda world, _caller, name: getattr(world.photos, name))
CAMPAIGN = Targets(("own", "foreign"), lambda world, _caller, name: getattr(world.campaigns, name))
REPORT_JOB = Targets(("own", "foreign"), lambda world, _caller, name: getattr(world.report_jobs, name))
PHASE = Targets(
    ("own", "foreign"), lambda world, _caller, name: getattr(world.phases, name), lambda p: (p.campaign_id, p.id)
)
INSPECTION = Targets(("own", "other", "foreign"), lambda world, _caller, name: getattr(world.inspections, name))
NOTIFICATION = Targets(("own", "other", "foreign"), pick_notification)
TASK = Targets(("own", "other", "foreign"), lambda world, _caller, name: getattr(world.tasks, name))
CADENCE = Targets(("own", "foreign"), lambda world, _caller, name: getattr(world.cadences, name))
PARK_STAFF_ONLY = {"enterprise_safety_officer": (403, 403), "enterprise_principal": (403, 403)}
SUBSCRIPTION = Targets(("own", "foreign"), pick_subscription)
LIAISON_PARK_READ = Variant("liaison_park_read", {"liaison_park_read": True})
DRAFT_REPORT = Targets(("own", "other", "foreign"), self_checks.pick("draft"))
SUBMITTED_REPORT = Targets(("own", "other", "foreign"), self_checks.pick("submitted"))
DOCUMENT = Targets(("own", "other", "foreign"), documents.pick)  # an issued notice of each enterprise
SYNC_ISSUE = Targets(("own", "other", "foreign"), sync_issues.pick)  # the caller's, a colleague's, another park's


def _hazards(kind: str) -> Targets:
    """The own, other and foreign hazards of one kind (see tests.hazards.factories.action_target)."""
    return Targets(("own", "other", "foreign"), lambda world, _caller, name: world.hazards[name][kind])


HAZARD = _hazards("registered")
# How many of the (own, other, foreign) targets each caller sees when targets are visible like their enterprise.
SIGHT = {
    "admin": 3, "park_manager": 2, "inspector": 2, "enforcement_officer": 2,
    "liaison_officer": 1, "third_party_expert": 1, "enterprise_safety_officer": 1, "enterprise_principal": 1,
}  # fmt: skip
INSPECTORS = ("inspector", "liaison_officer", "third_party_expert", "enforcement_officer")
NOT_ADMIN = tuple(caller for caller in SIGHT if caller != "admin")
RECORDERS = ("park_manager", *INSPECTORS, "enterprise_safety_officer")  # of inspections


def _in_sight(status: int, takers: tuple[str, ...] = tuple(SIGHT), **exact) -> dict:
    """(own, other, foreign) statuses of targets visible like their enterprise: `status` for `takers` and 403 for
    other callers on the targets they see, 404 on the others; `exact` sets a caller's statuses outright."""
    assert set(takers) | set(exact) <= set(SIGHT), "unknown caller"
    expect = {
        caller: ((status if caller in takers else 403),) * seen + (404,) * (3 - seen) for caller, seen in SIGHT.items()
    }
    return {**expect, **exact}


def _action(action: str, takers: tuple[str, ...], **exact) -> Case:
    """A lifecycle action on a hazard in a state where it applies (admins take none: 403)."""
    rule, targets = f"/api/hazards/<uuid:hazard_id>/{action}", _hazards(action_target(action))
    return Case("POST", rule, _in_sight(200, takers, **exact), targets, bodies.hazard_action(action))


# fmt: off
CASES = (
    # Public: credentials, good or bad, do not matter.
    Case("GET",  "/healthz",          {"*": 200}, public=True),
    Case("GET",  "/readyz",           {"*": 200}, public=True),
    Case("POST", "/api/auth/login",   {"*": 200}, body=bodies.login, public=True),
    Case("POST", "/api/auth/refresh", {"*": 200}, body=bodies.refresh, public=True),
    # The caller's own account and session.
    Case("GET",  "/api/me",            {"*": 200}),
    Case("POST", "/api/auth/logout",   {"*": 204}),
    Case("POST", "/api/auth/password", {"*": 204}, body=bodies.password_change),
    # Parks: admins manage them; everyone else sees their own.   (own, foreign)
    Case("GET",   "/api/parks",                 {"*": 200}),
    Case("POST",  "/api/parks",                 {"admin": 201, "*": 403}, body=bodies.new_park),
    Case("GET",   "/api/parks/<uuid:park_id>",  {"admin": (200, 200), "*": (200, 404)}, PARK),
    Case("PATCH", "/api/parks/<uuid:park_id>",  {"admin": (200, 200), "*": (403, 404)}, PARK, bodies.rename_park),
    # Enterprises: park managers keep the register.              (own, other, foreign)
    Case("GET",  "/api/enterprises", {"*": 200}),
    Case("POST", "/api/enterprises", {"park_manager": 201, "*": 403}, body=bodies.new_enterprise),
    Case("GET", "/api/enterprises/<uuid:enterprise_id>", {
        "admin":                     (200, 200, 200),
        "park_manager":              (200, 200, 404),
        "inspector":                 (200, 200, 404),
        "enforcement_officer":       (200, 200, 404),
        "liaison_officer":           (200, 404, 404),
        "third_party_expert":        (200, 404, 404),
        "enterprise_safety_officer": (200, 404, 404),
        "enterprise_principal":      (200, 404, 404),
    }, ENTERPRISE),
    Case("PATCH", "/api/enterprises/<uuid:enterprise_id>", {
        "admin":                     (403, 403, 403),
        "park_manager":              (200, 200, 404),
        "inspector":                 (403, 403, 404),
        "enforcement_officer":       (403, 403, 404),
        "liaison_officer":           (403, 404, 404),
        "third_party_expert":        (403, 404, 404),
        "enterprise_safety_officer": (403, 404, 404),
        "enterprise_principal":      (403, 404, 404),
    }, ENTERPRISE, bodies.readdress_enterprise),
    # The park setting widens a liaison officer's reads (not an expert's, not anybody's writes).
    Case("GET", "/api/enterprises/<uuid:enterprise_id>", {
        "liaison_officer":    (200, 200, 404),
        "third_party_expert": (200, 404, 404),
    }, ENTERPRISE, variant=LIAISON_PARK_READ),
    Case("PATCH", "/api/enterprises/<uuid:enterprise_id>", {
        "liaison_officer":    (403, 403, 404),
    }, ENTERPRISE, bodies.readdress_enterprise, variant=LIAISON_PARK_READ),
    # Users: admins all, park managers their park, everyone else only themselves.
    # own = the caller's account, other = a liaison colleague, foreign = a liaison of the other park.
    Case("GET",  "/api/users", {"admin": 200, "park_manager": 200, "*": 403}),
    Case("POST", "/api/users", {"admin": 201, "park_manager": 201, "*": 403}, body=bodies.new_user),
    Case("GET",   "/api/users/<uuid:user_id>", {
        "admin": (200, 200, 200), "park_manager": (200, 200, 404), "*": (200, 404, 404),
    }, USER),
    Case("GET",   "/api/users/<uuid:user_id>", {"liaison_officer": (200, 404, 404)}, USER, variant=LIAISON_PARK_READ),
    Case("PATCH", "/api/users/<uuid:user_id>", {
        "admin": (200, 200, 200), "park_manager": (200, 200, 404), "*": (403, 404, 404),
    }, USER, bodies.rename_user),
    Case("GET",   "/api/users/<uuid:user_id>/portfolio", {
        "admin": (200, 200, 200), "park_manager": (200, 200, 404), "*": (200, 404, 404),
    }, USER),
    # Own account of an admin or park manager: allowed, but they hold no portfolio (422).
    Case("PUT",   "/api/users/<uuid:user_id>/portfolio", {
        "admin": (422, 200, 200), "park_manager": (422, 200, 404), "*": (403, 404, 404),
    }, USER, bodies.portfolio),
    # Checklists: the library for everyone, park items and templates for their park.   (library, own, foreign)
    Case("GET",  "/api/check-items", {"*": 200}),
    Case("POST", "/api/check-items", {"admin": 201, "park_manager": 201, "*": 403}, body=bodies.new_check_item),
    Case("GET",  "/api/check-items/<uuid:item_id>", {"admin": (200, 200, 200), "*": (200, 200, 404)}, CHECK_ITEM),
    #                                                                                          (own, foreign)
    Case("GET",  "/api/checklist-templates", {"*": 200}),
    Case("POST", "/api/checklist-templates", {"admin": 201, "park_manager": 201, "*": 403},
         body=bodies.new_checklist_template),
    Case("GET",  "/api/checklist-templates/<uuid:template_id>", {"admin": (200, 200), "*": (200, 404)}, TEMPLATE),
    Case("GET",  "/api/checklist-templates/<uuid:template_id>/items", {"admin": (200, 200), "*": (200, 404)},
         TEMPLATE),
    Case("PATCH", "/api/checklist-templates/<uuid:template_id>", {
        "admin": (200, 200), "park_manager": (200, 404), "*": (403, 404),
    }, TEMPLATE, bodies.rename_checklist_template),
    # Photos: anyone but an admin uploads for an enterprise they see; reads follow the enterprise. (own, other, foreign)
    Case("POST", "/api/photos", {"admin": 403, "*": 201}, body=new_photo),
    *(Case("GET", rule, {
        "admin":                     (200, 200, 200),
        "park_manager":              (200, 200, 404),
        "inspector":                 (200, 200, 404),
        "enforcement_officer":       (200, 200, 404),
        "liaison_officer":           (200, 404, 404),
        "third_party_expert":        (200, 404, 404),
        "enterprise_safety_officer": (200, 404, 404),
        "enterprise_principal":      (200, 404, 404),
    }, PHOTO) for rule in ("/api/photos/<uuid:photo_id>", "/api/photos/<uuid:photo_id>/content",
                           "/api/photos/<uuid:photo_id>/thumbnail")),
    Case("GET", "/api/photos/<uuid:photo_id>", {
        "liaison_officer":    (200, 200, 404),
        "third_party_expert": (200, 404, 404),
    }, PHOTO, variant=LIAISON_PARK_READ),
    # Campaigns: park managers plan them and change their phases; everyone in the park sees them.   (own, foreign)
    Case("GET",  "/api/campaigns", {"*": 200}),
    Case("POST", "/api/campaigns", {"park_manager": 201, "*": 403}, body=bodies.new_campaign),
    Case("GET",  "/api/campaigns/<uuid:campaign_id>", {"admin": (200, 200), "*": (200, 404)}, CAMPAIGN),
    *(Case("POST", f"/api/campaigns/<uuid:campaign_id>/phases/<uuid:phase_id>/{action}", {
        "admin": (403, 403), "park_manager": (200, 404), "*": (403, 404),
    }, PHASE, body) for action, body in (("close", bodies.close_phase), ("extend", bodies.extend_phase))),
    # Every task the caller may see, like its enterprise; the enterprise's self-patrol is done by the enterprise or
    # the park's staff (admins: 403).   (own, other, foreign)
    Case("GET",  "/api/tasks", {"*": 200}),
    Case("GET",  "/api/tasks/<uuid:task_id>", _in_sight(200), TASK),
    Case("POST", "/api/tasks/<uuid:task_id>/complete", _in_sight(200, NOT_ADMIN), TASK,
         lambda _w, _s, _t: {"note": "巡查完毕，未见异常"}),
    # Patrol cadences: the park's plan, read by its staff, changed by its manager.   (own, foreign)
    Case("GET",  "/api/patrol-cadences", {"enterprise_safety_officer": 403, "enterprise_principal": 403, "*": 200}),
    Case("POST", "/api/patrol-cadences", {"park_manager": 201, "*": 403}, body=bodies.new_cadence),
    Case("GET",  "/api/patrol-cadences/<uuid:cadence_id>", {"admin": (200, 200), **PARK_STAFF_ONLY, "*": (200, 404)},
         CADENCE),
    Case("PATCH", "/api/patrol-cadences/<uuid:cadence_id>", {"admin": (403, 403), **PARK_STAFF_ONLY,
                                                            "park_manager": (200, 404), "*": (403, 404)},
         CADENCE, bodies.change_cadence),
    # Tasks: visible like their enterprise within the campaign's park; draws: the park's staff only.
    Case("GET",  "/api/campaigns/<uuid:campaign_id>/tasks", {"admin": (200, 200), "*": (200, 404)}, CAMPAIGN),
    Case("GET",  "/api/campaigns/<uuid:campaign_id>/phases/<uuid:phase_id>/draw", {
        "admin": (200, 200), "park_manager": (200, 404), "inspector": (200, 404), "enforcement_officer": (200, 404),
        "*": (403, 404),
    }, PHASE),
    # Inspections: recorded by inspectors, park managers and enterprise safety officers; visible like their enterprise.
    Case("GET",   "/api/inspections", {"*": 200}),
    Case("POST",  "/api/inspections", {"admin": 403, "enterprise_principal": 403, "*": 201},
         body=bodies.new_inspection),
    Case("GET",   "/api/inspections/<uuid:inspection_id>", _in_sight(200), INSPECTION),       # (own, other, foreign)
    Case("PATCH", "/api/inspections/<uuid:inspection_id>", _in_sight(200, RECORDERS), INSPECTION,
         bodies.complete_inspection),
    Case("POST",  "/api/inspections/<uuid:inspection_id>/results", _in_sight(201, RECORDERS), INSPECTION,
         bodies.inspection_result),
    # Hazards: registered by inspectors, enterprise safety officers and park managers; visible like their enterprise.
    Case("GET",   "/api/hazards",        {"*": 200}),
    Case("GET",   "/api/hazards/export", {"*": 200}),
    Case("POST",  "/api/hazards", {"admin": 403, "enterprise_principal": 403, "*": 201}, body=bodies.new_hazard),
    Case("GET",   "/api/hazards/<uuid:hazard_id>", _in_sight(200), HAZARD),                      # (own, other, foreign)
    Case("PATCH", "/api/hazards/<uuid:hazard_id>", _in_sight(200, NOT_ADMIN), HAZARD, bodies.correct_hazard),
    # The lifecycle (DOMAIN.md §4.2), each action on a hazard in its first source state: who takes it.
    _action("fix_on_site",       (*INSPECTORS, "park_manager", "enterprise_safety_officer")),
    # The body's signers are the park's inspector and enforcement officer: any other inspector is not among them.
    _action("issue_notice",      INSPECTORS, liaison_officer=(422, 404, 404), third_party_expert=(422, 404, 404)),
    _action("assign",            ("enterprise_safety_officer",)),
    _action("acknowledge",       (*INSPECTORS, "enterprise_safety_officer", "enterprise_principal")),
    _action("record_refusal",    INSPECTORS),
    _action("request_extension", ("enterprise_safety_officer", "enterprise_principal")),
    _action("approve_extension", (*INSPECTORS, "park_manager")),
    _action("deny_extension",    (*INSPECTORS, "park_manager")),
    _action("submit_reply",      ("enterprise_safety_officer", "enterprise_principal")),
    _action("return_reply",      INSPECTORS),
    _action("recheck_pass",      INSPECTORS),
    _action("recheck_fail",      INSPECTORS),
    _action("escalate",          ("park_manager",)),
    _action("record_outcome",    ("park_manager",)),
    _action("void",              ("park_manager",)),
    # The major track, on major hazards (listed, with their report, passed assessment and resumption application).
    _action("report_major",      (*INSPECTORS, "park_manager", "enterprise_principal")),
    _action("submit_plan",       ("enterprise_principal",)),
    _action("record_assessment", (*INSPECTORS, "enterprise_principal")),
    _action("apply_resume",      ("enterprise_principal",)),
    _action("write_off",         ("park_manager",)),
    _action("delist",            ("park_manager",)),
    # The park setting widens a liaison officer's reads of the other enterprise, not their writes: 403 there.
    *(Case("GET", rule, {
        "liaison_officer":    (200, 200, 404),
        "third_party_expert": (200, 404, 404),
    }, targets, variant=LIAISON_PARK_READ) for rule, targets in (
        ("/api/hazards/<uuid:hazard_id>", HAZARD), ("/api/inspections/<uuid:inspection_id>", INSPECTION))),
    Case("PATCH", "/api/hazards/<uuid:hazard_id>", {"liaison_officer": (200, 403, 404)}, HAZARD,
         bodies.correct_hazard, variant=LIAISON_PARK_READ),
    Case("POST", "/api/hazards/<uuid:hazard_id>/recheck_pass", {"liaison_officer": (200, 403, 404)},
         _hazards(action_target("recheck_pass")), bodies.hazard_action("recheck_pass"), variant=LIAISON_PARK_READ),
    Case("PATCH", "/api/inspections/<uuid:inspection_id>", {"liaison_officer": (200, 403, 404)}, INSPECTION,
         bodies.complete_inspection, variant=LIAISON_PARK_READ),
    Case("POST", "/api/inspections/<uuid:inspection_id>/results", {"liaison_officer": (201, 403, 404)}, INSPECTION,
         bodies.inspection_result, variant=LIAISON_PARK_READ),
    *(Case("POST", rule, {"liaison_officer": 403, "third_party_expert": 404}, body=body, variant=LIAISON_PARK_READ)
      for rule, body in (("/api/hazards", bodies.other_enterprise_hazard),
                         ("/api/inspections", bodies.other_enterprise_inspection),
                         ("/api/photos", bodies.other_enterprise_photo))),
    # Sync: a batch answers 200 with each operation's own status; the body's operations are one every caller but an
    # admin may take (see tests.bodies.sync_batch); an admin's refused operations are recorded as sync issues.
    Case("POST", "/api/sync/batch",   {"*": 200}, body=bodies.sync_batch),
    # Sync issues: park managers see and resolve their park's, everyone else their own.   (own, other, foreign)
    Case("GET",  "/api/sync/issues", {"*": 200}),
    *(Case(method, rule, {"park_manager": (200, 200, 404), "*": (200, 404, 404)}, SYNC_ISSUE, body)
      for method, rule, body in (("GET", "/api/sync/issues/<uuid:issue_id>", None),
                                 ("POST", "/api/sync/issues/<uuid:issue_id>/resolve", sync_issues.resolution))),
    Case("GET",  "/api/sync/changes", {"*": 200}),
    Case("GET",  "/api/sync/bootstrap", {"*": 200}),  # what each caller's pages hold: tests/sync/test_bootstrap.py
    # Reports: park managers and the park's own inspectors (not portfolio-bound ones); jobs are the park's.
    Case("POST", "/api/reports", {"park_manager": 202, "inspector": 202, "enforcement_officer": 202, "*": 403},
         body=new_report),
    *(Case("GET", rule, {
        "admin": (200, 200), "park_manager": (200, 404), "inspector": (200, 404), "enforcement_officer": (200, 404),
        "*": (404, 404),
    }, REPORT_JOB) for rule in ("/api/report-jobs/<uuid:job_id>", "/api/report-jobs/<uuid:job_id>/content")),
    # Notifications: each caller reads and marks their own (own, a colleague's, the other park's).
    Case("GET",  "/api/notifications", {"*": 200}),
    Case("POST", "/api/notifications/<uuid:notification_id>/read", {"*": (200, 404, 404)}, NOTIFICATION),
    # Webhook subscriptions: park managers keep their park's, admins every park's.   (own, foreign)
    Case("GET",  "/api/webhook-subscriptions", {"admin": 200, "park_manager": 200, "*": 403}),
    Case("POST", "/api/webhook-subscriptions", {"admin": 201, "park_manager": 201, "*": 403}, body=new_subscription),
    *(Case(method, rule, {"admin": (200, 200), "park_manager": (200, 404), "*": (403, 403)}, SUBSCRIPTION, body)
      for method, rule, body in (
          ("GET",   "/api/webhook-subscriptions/<uuid:subscription_id>", None),
          ("PATCH", "/api/webhook-subscriptions/<uuid:subscription_id>", disable_subscription),
          ("GET",   "/api/webhook-subscriptions/<uuid:subscription_id>/deliveries", None))),
    # Self-check reports: the safety officer drafts and submits, the principal signs off or returns; read like their
    # enterprise; the month's status per enterprise is for park staff.   (own, other, foreign)
    Case("GET",  "/api/self-check-reports", {"*": 200}),
    Case("GET",  "/api/self-check-reports/status", {"enterprise_safety_officer": 403, "enterprise_principal": 403,
                                                    "*": 200}),
    Case("POST", "/api/self-check-reports", {"enterprise_safety_officer": 201, "*": 403}, body=self_checks.new_report),
    Case("GET",  "/api/self-check-reports/<uuid:report_id>", _in_sight(200), DRAFT_REPORT),
    Case("GET",  "/api/self-check-reports/<uuid:report_id>", {
        "liaison_officer": (200, 200, 404), "third_party_expert": (200, 404, 404),
    }, DRAFT_REPORT, variant=LIAISON_PARK_READ),
    Case("PATCH", "/api/self-check-reports/<uuid:report_id>", _in_sight(200, ("enterprise_safety_officer",)),
         DRAFT_REPORT, self_checks.edit_report),
    Case("POST", "/api/self-check-reports/<uuid:report_id>/submit", _in_sight(200, ("enterprise_safety_officer",)),
         DRAFT_REPORT, self_checks.submit_report),
    *(Case("POST", f"/api/self-check-reports/<uuid:report_id>/{action}", _in_sight(200, ("enterprise_principal",)),
           SUBMITTED_REPORT, body) for action, body in (("sign_off", self_checks.sign_off_report),
                                                        ("return", self_checks.return_report))),
    # Documents: issued by the role the document belongs to; read like their enterprise.   (own, other, foreign)
    Case("GET",  "/api/documents", {"*": 200}),
    Case("GET",  "/api/documents/<uuid:document_id>", _in_sight(200), DOCUMENT),
    Case("GET",  "/api/documents/<uuid:document_id>/pdf", _in_sight(200), DOCUMENT),
    Case("POST", "/api/documents/<uuid:document_id>/acknowledge",
         _in_sight(201, (*INSPECTORS, "enterprise_safety_officer", "enterprise_principal")), DOCUMENT,
         documents.acknowledgement),
    Case("POST", "/api/documents/<uuid:document_id>/void", _in_sight(200, ("park_manager",)), DOCUMENT,
         documents.void),
    # The bodies' signers are the park's inspector and enforcement officer: other inspectors are not among them.
    *(Case("POST", rule, {"inspector": 201, "enforcement_officer": 201, "liaison_officer": 422,
                          "third_party_expert": 422, "*": 403}, body=body)
      for rule, body in (("/api/documents/notices", documents.new_notice),
                         ("/api/documents/recheck-opinions", documents.recheck_opinion))),
    Case("POST", "/api/documents/inspection-records", {"park_manager": 201, **{c: 201 for c in INSPECTORS},
                                                       "*": 403}, body=documents.inspection_record),
    Case("POST", "/api/documents/remediation-plans", {"park_manager": 201, "enterprise_principal": 201, "*": 403},
         body=documents.remediation_plan),
    Case("POST", "/api/documents/statistics", {"enterprise_principal": 201, "*": 403}, body=documents.statistics),
    # Verification is public; this literal path names no document (its answers are tested in tests/documents).
    Case("GET",  "/verify/<path:number>", {"*": 404}, public=True),
)
# fmt: on

PROBES = [Probe(case, *status) for case in CASES for status in case.statuses()]


@pytest.fixture(autouse=True)
def _isolated(savepoint_per_test):
    """One world per module, each test rolled back to a savepoint (instead of a new world per test)."""


@pytest.fixture(scope="module")
def scene(app, module_world):
    """The standard world, a liaison colleague in the park, a liaison of the foreign park, and tests.world's targets."""
    world = module_world.world
    with app.app_context():
        session = db.new_session()
        for name, park in (("colleague", world.park), ("foreign_liaison", world.foreign_park)):
            world.users[name] = make_user(session, role="inspector", park=park, inspector_kind="liaison_officer")
        add_targets(session, app.extensions["storage"], world)
        session.close()
    return world


def _send(client, world, probe, target, path_ids, body):
    headers = dict(world.headers[probe.caller])
    if probe.case.method == "PATCH":
        headers["If-Match"] = etag(target.version)  # the current version: the answer is about authorization
    path = fill(probe.case.rule, *path_ids)
    if body and any(isinstance(value, tuple) for value in body.values()):  # a file: multipart/form-data
        return client.open(path, method=probe.case.method, headers=headers, data=body)
    return client.open(path, method=probe.case.method, headers=headers, json=body)


@pytest.mark.parametrize("probe", PROBES, ids=str)
def test_caller_gets_exact_status(probe, client, session, scene):
    case = probe.case
    if case.variant:
        case.variant.apply(scene, session)
    target = case.targets.pick(scene, probe.caller, probe.target) if case.targets else None
    body = case.body(scene, session, target) if case.body else None
    writing = case.method != "GET"
    before = db_state(session) if writing else None  # a snapshot costs as much as a request: only for writes

    path_ids = case.targets.path(target) if case.targets else ()
    response = _send(client, scene, probe, target, path_ids, body)

    assert response.status_code == probe.status, response.get_json()
    if probe.status >= 400:
        assert response.mimetype == "application/problem+json"
        assert response.json["status"] == probe.status
    if writing:
        writes = probe.status < 400 and probe.caller not in case.writes_nothing
        assert (db_state(session) != before) == writes, "writes change state only when allowed"
    if probe.status == 404:
        body = case.body(scene, session, target) if case.body else None  # afresh: a sent file is spent
        missing = _send(client, scene, probe, target, [uuid.uuid4() for _ in path_ids], body)
        assert (missing.status_code, missing.get_json()) == (404, response.get_json()), "out of scope == missing"


@dataclass(frozen=True)
class Scope:
    """Which targets a list shows each caller (space-separated target names)."""

    rule: str
    targets: Targets
    shows: dict  # caller, or "*" for every signed-in caller not named -> "own other ..."
    variant: Variant | None = None

    def callers(self) -> list[str]:
        """Callers this row speaks for."""
        return [c for c in CALLERS if c not in SIGNED_OUT and (c in self.shows or "*" in self.shows)]


# fmt: off
LIST_SCOPE = (
    Scope("/api/parks", PARK, {"admin": "own foreign", "*": "own"}),
    Scope("/api/enterprises", ENTERPRISE, {
        "admin": "own other foreign",
        "park_manager": "own other", "inspector": "own other", "enforcement_officer": "own other",
        "*": "own",
    }),
    Scope("/api/enterprises", ENTERPRISE, {"liaison_officer": "own other", "third_party_expert": "own"},
          variant=LIAISON_PARK_READ),
    Scope("/api/users", USER, {"admin": "own other foreign", "park_manager": "own other"}),
    Scope("/api/check-items", CHECK_ITEM, {"admin": "library own foreign", "*": "library own"}),
    Scope("/api/checklist-templates", TEMPLATE, {"admin": "own foreign", "*": "own"}),
    Scope("/api/campaigns", CAMPAIGN, {"admin": "own foreign", "*": "own"}),
    *(Scope(rule, targets, {
        "admin": "own other foreign",
        "park_manager": "own other", "inspector": "own other", "enforcement_officer": "own other",
        "*": "own",
    }) for rule, targets in (("/api/hazards", HAZARD), ("/api/inspections", INSPECTION))),
    *(Scope(rule, targets, {"liaison_officer": "own other", "third_party_expert": "own"}, variant=LIAISON_PARK_READ)
      for rule, targets in (("/api/hazards", HAZARD), ("/api/inspections", INSPECTION))),
    Scope("/api/notifications", NOTIFICATION, {"*": "own"}),
    Scope("/api/sync/issues", SYNC_ISSUE, {"park_manager": "own other", "*": "own"}),
    Scope("/api/tasks", TASK, {
        "admin": "own other foreign",
        "park_manager": "own other", "inspector": "own other", "enforcement_officer": "own other",
        "*": "own",
    }),
    Scope("/api/patrol-cadences", CADENCE, {
        "admin": "own foreign", "park_manager": "own", "inspector": "own", "enforcement_officer": "own",
        "liaison_officer": "own", "third_party_expert": "own",
    }),
    Scope("/api/webhook-subscriptions", SUBSCRIPTION, {"admin": "own foreign", "park_manager": "own"}),
    Scope("/api/documents", DOCUMENT, {
        "admin": "own other foreign",
        "park_manager": "own other", "inspector": "own other", "enforcement_officer": "own other",
        "*": "own",
    }),
    Scope("/api/self-check-reports", DRAFT_REPORT, {
        "admin": "own other foreign",
        "park_manager": "own other", "inspector": "own other", "enforcement_officer": "own other",
        "*": "own",
    }),
    Scope("/api/self-check-reports", DRAFT_REPORT, {"liaison_officer": "own other", "third_party_expert": "own"},
          variant=LIAISON_PARK_READ),
)
# fmt: on

LIST_PROBES = [
    pytest.param(scope, caller, id=f"GET {scope.rule}{f'+{scope.variant.name}' if scope.variant else ''}-{caller}")
    for scope in LIST_SCOPE
    for caller in scope.callers()
]


@pytest.mark.parametrize(("scope", "caller"), LIST_PROBES)
def test_list_shows_caller_exactly_their_scope(scope, caller, client, session, scene):
    if scope.variant:
        scope.variant.apply(scene, session)
    response = client.get(scope.rule, query_string={"limit": 200}, headers=scene.headers[caller])
    assert response.status_code == 200
    listed = {item["id"] for item in response.json["items"]}
    shown = {name for name in scope.targets.names if str(scope.targets.pick(scene, caller, name).id) in listed}
    assert shown == set(scope.shows.get(caller, scope.shows.get("*")).split())


def test_every_route_has_matrix_rows(app):
    rows = {(case.rule, case.method) for case in CASES}
    assert sorted(routes(app) - rows) == [], "routes without authorization-matrix rows"
    assert sorted(rows - routes(app)) == [], "matrix rows for routes that do not exist"


def test_every_plain_row_covers_every_caller_and_target():
    for case in CASES:
        if case.variant is None:
            names = case.targets.names if case.targets else (None,)
            covered = [(caller, target) for caller, target, _ in case.statuses()]
            assert covered == list(itertools.product(CALLERS, names)), case.label


def test_public_rows_are_the_routes_openapi_documents_without_security(client):
    paths = client.get("/api/openapi.json").json["paths"]
    for case in CASES:
        operation = paths[re.sub(r"<(?:uuid|path):(\w+)>", r"{\1}", case.rule)][case.method.lower()]
        assert (operation.get("security") == []) == case.public, case.label
