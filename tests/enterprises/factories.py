"""Enterprise factories."""

import itertools

from inspect_service.demo import credit_code
from inspect_service.enterprises.models import Enterprise

_serial = itertools.count(1)


def make_enterprise(session, park, **fields) -> Enterprise:
    """Insert an enterprise in `park` with a valid, unique credit code."""
    n = next(_serial)
    enterprise = Enterprise(
        **{
            "park_id": park.id,
            "name": f"测试企业{n:04d}有限公司",
            "credit_code": credit_code("330100", 500000 + n),
            **fields,
        }
    )
    session.add(enterprise)
    session.flush()
    return enterprise
