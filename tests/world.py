"""A standard world: two parks, enterprises own / other / foreign, and one account per role."""

from dataclasses import dataclass, field
from types import SimpleNamespace

from tests.campaigns.factories import make_cadence, make_campaign, make_draw, make_task
from tests.checklists.factories import matrix_targets as checklist_targets
from tests.documents.factories import matrix_targets as document_targets
from tests.enterprises.factories import make_enterprise
from tests.hazards.factories import matrix_targets as hazard_targets
from tests.inspections.factories import make_inspection
from tests.notifications.factories import matrix_targets as notification_targets
from tests.parks.factories import make_park
from tests.photos.factories import matrix_targets as photo_targets
from tests.reports.factories import matrix_targets as report_targets
from tests.selfchecks.factories import matrix_targets as self_check_targets
from tests.sync.factories import matrix_targets as sync_issue_targets
from tests.users.factories import bearer, expired_access_token, login_tokens, make_user

# Callers of the authorization matrix; each has the headers it sends.
CALLERS = (
    "anonymous",
    "expired",
    "disabled",
    "admin",
    "park_manager",
    "inspector",
    "liaison_officer",
    "third_party_expert",
    "enforcement_officer",
    "enterprise_safety_officer",
    "enterprise_principal",
)


@dataclass
class World:
    """Objects and credentials shared by matrix-style tests."""

    park: object
    foreign_park: object
    own: object  # the enterprise of the enterprise users, in the liaison's and expert's portfolio
    other: object  # another enterprise of the same park
    foreign: object  # an enterprise of the other park
    users: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)

    def user(self, caller: str):
        """The account behind `caller`."""
        return self.users[caller]


def build_world(session) -> World:
    """Insert the world and mint a token for every caller."""
    park, foreign_park = make_park(session), make_park(session)
    own, other = make_enterprise(session, park), make_enterprise(session, park)
    foreign = make_enterprise(session, foreign_park)
    world = World(park=park, foreign_park=foreign_park, own=own, other=other, foreign=foreign)
    specs = {
        "admin": dict(role="admin"),
        "park_manager": dict(role="park_manager", park=park),
        "inspector": dict(role="inspector", park=park, inspector_kind="park_staff"),
        "liaison_officer": dict(role="inspector", park=park, inspector_kind="liaison_officer", portfolio=[own]),
        "third_party_expert": dict(role="inspector", park=park, inspector_kind="third_party_expert", portfolio=[own]),
        "enforcement_officer": dict(
            role="inspector", park=park, inspector_kind="enforcement_officer", cert_no="ZF-0001"
        ),
        "enterprise_safety_officer": dict(role="enterprise_safety_officer", park=park, enterprise=own),
        "enterprise_principal": dict(role="enterprise_principal", park=park, enterprise=own),
        "foreign_manager": dict(role="park_manager", park=foreign_park),
        "foreign_officer": dict(role="enterprise_safety_officer", park=foreign_park, enterprise=foreign),
        "disabled": dict(role="enterprise_safety_officer", park=park, enterprise=own),
        "expired": dict(role="enterprise_safety_officer", park=park, enterprise=own),
    }
    for caller, spec in specs.items():
        world.users[caller] = make_user(session, **spec)
    for caller in specs:
        if caller == "expired":
            world.headers[caller] = bearer(expired_access_token(session, world.users[caller]))
        else:
            world.headers[caller] = bearer(login_tokens(session, world.users[caller]).access_token)
    world.users["disabled"].disabled = True
    session.add(world.users["disabled"])
    world.headers["anonymous"] = {}
    session.commit()
    return world


def add_targets(session, storage, world) -> None:
    """Add the rows matrix-style tests aim at: checklist rows, a campaign (and its open phase, with a recorded
    sampling draw) per park, and per enterprise a photo, an inspection, hazards and self-check reports.

    `world.hazards[enterprise][kind]` holds one hazard per `tests.hazards.factories.action_target` kind.
    """
    planned = {
        "own": make_campaign(session, world.park, world.user("park_manager")),
        "foreign": make_campaign(session, world.foreign_park, world.user("foreign_manager")),
    }
    world.campaigns = SimpleNamespace(**{name: campaign for name, (campaign, _phase) in planned.items()})
    world.phases = SimpleNamespace(**{name: phase for name, (_campaign, phase) in planned.items()})
    for _campaign, phase in planned.values():
        make_draw(session, phase)
    world.checklists = checklist_targets(session, world)
    world.photos = photo_targets(session, storage, world)
    creators = {"own": "inspector", "other": "inspector", "foreign": "foreign_manager"}
    world.inspections = SimpleNamespace(
        **{name: make_inspection(session, getattr(world, name), world.user(who)) for name, who in creators.items()}
    )
    world.hazards = hazard_targets(session, world)
    world.notifications = notification_targets(session, world)
    world.self_check_reports = self_check_targets(session, world)
    world.sync_issues = sync_issue_targets(session, world)
    world.report_jobs = report_targets(session, storage, world)
    world.documents = document_targets(session, world)
    parks = {"own": world.park, "other": world.park, "foreign": world.foreign_park}
    world.tasks = SimpleNamespace(**{name: make_task(session, p, getattr(world, name)) for name, p in parks.items()})
    world.cadences = SimpleNamespace(
        own=make_cadence(session, world.park, world.user("park_manager")),
        foreign=make_cadence(session, world.foreign_park, world.user("foreign_manager")),
    )
    session.commit()


def targeted_world(app, module_world):
    """A module's standard world with add_targets' rows committed (for tests that share one world per module)."""
    from inspect_service.extensions import db

    world = module_world.world
    with app.app_context():
        session = db.new_session()
        add_targets(session, app.extensions["storage"], world)
        session.close()
    return world
