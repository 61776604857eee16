"""Hazard, photo and actor factories for service-level tests."""

import hashlib
import uuid
from datetime import timedelta

from inspect_service.auth.actor import actor_for
from inspect_service.common.time import utcnow
from inspect_service.hazards.lifecycle import ACTIONS
from inspect_service.hazards.models import Hazard
from inspect_service.parks.models import Park

# What the major track has recorded by the time its later actions apply (report, passed assessment, application).
MAJOR_DETAILS = {"major_report": {"situation": "x"}, "assessment": {"passed": True}, "resume_application": {"a": 1}}


def actor_of(session, user):
    """The service-level actor of a user."""
    park = session.get(Park, user.park_id) if user.park_id else None
    return actor_for(user, park, None)


def make_photo(session, enterprise, uploader, role="evidence"):
    """A stored photo row (bytes not needed by the lifecycle)."""
    from inspect_service.photos.models import Photo

    digest = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    photo = Photo(
        park_id=enterprise.park_id,
        enterprise_id=enterprise.id,
        role=role,
        sha256=digest,
        original_sha256=digest,
        content_type="image/jpeg",
        width=10,
        height=10,
        size_bytes=100,
        thumb_sha256=digest,
        uploaded_by=uploader.id,
        payload_hash=digest,
    )
    session.add(photo)
    session.flush()
    return photo


def hazard_fields(enterprise, photo, **overrides) -> dict:
    """A valid registration payload."""
    return {
        "enterprise_id": enterprise.id, "location_text": "二号车间东侧", "domain": "fire", "nature": "object",
        "level": "general", "source": "park_inspection", "description": "安全出口被货物堵塞",
        "legal_basis": "《中华人民共和国消防法》第二十八条", "rectify_mode": "deadline", "photo_ids": [photo.id],
        **overrides,
    }  # fmt: skip


def make_hazard(session, enterprise, user, *, status="registered", level="general", deadline_days=30, **fields):
    """Insert a hazard directly in a given state (bypassing the lifecycle, for table tests)."""
    now = utcnow()
    hazard = Hazard(
        park_id=enterprise.park_id, enterprise_id=enterprise.id, hazard_no=f"T-{uuid.uuid4().hex[:12]}",
        location_text="仓库", domain="fire", nature="object", level=level, source="park_inspection",
        description="测试隐患", legal_basis="测试依据", rectify_mode="deadline", status=status,
        deadline=(now + timedelta(days=deadline_days)).date(), found_by=user.id, created_at=now, updated_at=now,
        payload_hash="x", major_criterion_ref="GB 35181" if level == "major" else None, **fields,
    )  # fmt: skip
    session.add(hazard)
    session.flush()
    return hazard


def action_target(action: str) -> str:
    """The kind of hazard an action applies to: its first source state, `major_`-prefixed for major-only actions."""
    spec = ACTIONS[action]
    return ("major_" if spec.major_only else "") + spec.sources[0]


def matrix_targets(session, world) -> dict[str, dict[str, Hazard]]:
    """Hazards of each of the world's enterprises (`own`, `other`, `foreign`), one per `action_target` kind.

    Major ones are listed and carry MAJOR_DETAILS, so every major-only action applies to them.
    """
    finders = {"own": "inspector", "other": "inspector", "foreign": "foreign_officer"}
    kinds = sorted({action_target(action) for action in ACTIONS})
    targets = {}
    for name, finder in finders.items():
        targets[name] = {}
        for kind in kinds:
            major = kind.startswith("major_")
            targets[name][kind] = make_hazard(
                session,
                getattr(world, name),
                world.user(finder),
                status=kind.removeprefix("major_"),
                level="major" if major else "general",
                is_listed=major,
                details=dict(MAJOR_DETAILS) if major else {},
            )
    return targets


def as_json(fields: dict) -> dict:
    """A factory's fields as a JSON request body (ids and id lists as text)."""
    return {
        k: (str(v) if isinstance(v, uuid.UUID) else [str(i) for i in v] if isinstance(v, list) else v)
        for k, v in fields.items()
    }


def live_world_with_photo(live_app):
    """A committed world on a live (really committing) database, and a photo of its own enterprise."""
    from inspect_service.extensions import db
    from tests.world import build_world

    with live_app.app_context():
        session = db.new_session()
        world = build_world(session)
        photo = make_photo(session, world.own, world.user("inspector"))
        session.commit()
        session.close()
    return live_app, world, photo
