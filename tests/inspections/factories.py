"""Inspection factories."""

import uuid

from inspect_service.common.time import utcnow
from inspect_service.inspections.models import Inspection


def make_inspection(session, enterprise, creator, **fields) -> Inspection:
    """Insert a routine park inspection of `enterprise` started now, recorded by `creator`."""
    now = utcnow()
    inspection = Inspection(
        **{
            "park_id": enterprise.park_id,
            "enterprise_id": enterprise.id,
            "source": "park_inspection",
            "inspection_type": "routine",
            "inspector_ids": [str(creator.id)],
            "started_at": now,
            "created_by": creator.id,
            "created_at": now,
            "updated_at": now,
            "payload_hash": uuid.uuid4().hex,
            **fields,
        }
    )
    session.add(inspection)
    session.flush()
    return inspection
