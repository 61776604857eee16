"""A scene for bootstrap and feed tests: one row of every replicated kind per enterprise (own, other, foreign)."""

import random
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from inspect_service.common.time import utcnow
from inspect_service.documents.models import Document
from tests.campaigns.factories import make_task
from tests.checklists.factories import make_check_item, make_template
from tests.hazards.factories import make_hazard, make_photo
from tests.inspections.factories import make_inspection
from tests.notifications.factories import make_notification
from tests.selfchecks.factories import make_report, this_month
from tests.users.factories import bearer, login_tokens, make_user

NAMES = ("own", "other", "foreign")


@dataclass
class Scene:
    """Ids per enterprise name and kind, plus the rows outside every bootstrap window."""

    ids: dict = field(default_factory=dict)  # name -> entity -> set of ids (as strings)
    stale: set = field(default_factory=set)  # ids no bootstrap gives (too old)
    headers: dict = field(default_factory=dict)  # the `other` enterprise's officer

    def of(self, name: str, entity: str) -> set:
        """The ids of one enterprise's rows of one kind."""
        return self.ids[name].setdefault(entity, set())


def make_document(session, enterprise, issuer, **fields) -> Document:
    """Insert an issued notice row directly (no PDF: bootstrap and feed read metadata only)."""
    digest = uuid.uuid4().hex * 2
    document = Document(
        park_id=enterprise.park_id, enterprise_id=enterprise.id, doc_type="notice", counter_kind="notice",
        number=f"测-{uuid.uuid4().hex[:8]}", year=2026, seq=random.randrange(1, 10**9), content_sha256=digest,
        sha256=digest, storage_key=digest, size_bytes=1, issued_by=issuer.id, **fields,
    )  # fmt: skip
    session.add(document)
    session.flush()
    return document


def hazard_with_photo(session, enterprise, user, **fields):
    """A hazard registered with one photo of its enterprise; returns (hazard, photo)."""
    photo = make_photo(session, enterprise, user)
    hazard = make_hazard(session, enterprise, user, details={"photo_ids": [str(photo.id)]}, **fields)
    return hazard, photo


def build_scene(session, world) -> Scene:
    """Insert the scene's rows and commit; the `other` enterprise gets an officer of its own."""
    scene = Scene(ids={name: {} for name in NAMES})
    other_officer = make_user(session, role="enterprise_safety_officer", park=world.park, enterprise=world.other)
    officers = {"own": world.user("enterprise_safety_officer"), "other": other_officer}
    officers["foreign"] = world.user("foreign_officer")
    creators = {"own": world.user("inspector"), "other": world.user("inspector")}
    creators["foreign"] = world.user("foreign_manager")
    long_ago = utcnow() - timedelta(days=400)
    for name in NAMES:
        enterprise, officer, creator = getattr(world, name), officers[name], creators[name]
        park = world.park if name != "foreign" else world.foreign_park
        scene.of(name, "enterprise").add(str(enterprise.id))
        scene.of(name, "task").add(str(make_task(session, park, enterprise).id))
        hazard, photo = hazard_with_photo(session, enterprise, creator)
        scene.of(name, "hazard").add(str(hazard.id))
        scene.of(name, "photo").add(str(photo.id))
        old, old_photo = hazard_with_photo(session, enterprise, creator, status="closed")
        old.updated_at = old.closed_at = long_ago
        session.add(old)
        scene.stale |= {str(old.id), str(old_photo.id)}
        scene.of(name, "document").add(str(make_document(session, enterprise, creator).id))
        scene.stale.add(str(make_document(session, enterprise, creator, issued_at=long_ago).id))
        scene.of(name, "self_check_report").add(str(make_report(session, enterprise, officer, period=this_month()).id))
        scene.of(name, "notification").add(str(make_notification(session, officer).id))
        scene.of(name, "inspection").add(str(make_inspection(session, enterprise, creator).id))
    for name, park in (("own", world.park), ("foreign", world.foreign_park)):
        item = make_check_item(session, park)
        scene.of(name, "check_item").add(str(item.id))
        scene.of(name, "checklist_template").add(str(make_template(session, park, creators[name], [item]).id))
    scene.library_item = str(make_check_item(session).id)
    session.commit()
    scene.headers = bearer(login_tokens(session, other_officer).access_token)
    session.commit()
    return scene
