"""Park factories."""

import uuid

from inspect_service.parks.models import Park


def make_park(session, **fields) -> Park:
    """Insert a park with unique names."""
    tag = uuid.uuid4().hex[:6]
    park = Park(**{"name": f"测试园区{tag}", "short_name": f"测{tag}", **fields})
    session.add(park)
    session.flush()
    return park
