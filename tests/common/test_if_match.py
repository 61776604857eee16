"""If-Match: a value that names no version (Unicode digits, junk) is a stale one, answered 412 problem+json."""

import pytest

from tests.inspections.factories import make_inspection


@pytest.fixture(autouse=True)
def _isolated(savepoint_per_test):
    """One world per module, each test rolled back to a savepoint."""


@pytest.fixture(scope="module")
def world(module_world):
    """The standard world."""
    return module_world.world


@pytest.mark.parametrize("value", ['"²"', "²", '"١٢"', '"abc"', 'W/"x"'])
def test_if_match_that_names_no_version_is_412_problem(value, client, session, world):
    inspection = make_inspection(session, world.own, world.user("inspector"))
    session.commit()
    response = client.patch(
        f"/api/inspections/{inspection.id}",
        json={"site_rep_name": "李四"},
        headers={**world.headers["inspector"], "If-Match": value},
    )
    assert response.status_code == 412 and response.mimetype == "application/problem+json"
