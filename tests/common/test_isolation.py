"""Each test runs in its own rolled-back transaction, even when routes commit."""

import pytest
from sqlmodel import select

from inspect_service.parks.models import Park
from tests.users.factories import bearer, login_tokens, make_user


@pytest.mark.parametrize("attempt", [1, 2])
def test_committed_rows_do_not_leak_between_tests(attempt, client, session):
    admin = make_user(session, role="admin")
    headers = bearer(login_tokens(session, admin).access_token)
    response = client.post("/api/parks", json={"name": "隔离园", "short_name": "隔离"}, headers=headers)
    assert response.status_code == 201, response.json
    assert len(session.exec(select(Park).where(Park.short_name == "隔离")).all()) == 1
