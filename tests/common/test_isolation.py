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


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "企业\x00名称", "credit_code": "91110000600037341L"}, "name"),
        ({"name": "企业", "credit_code": "91110000600037341L", "tags": ["a\x00"]}, "tags"),
    ],
)
def test_nul_characters_are_422_not_a_database_error(client, world, body, field):
    response = client.post("/api/enterprises", json=body, headers=world.headers["park_manager"])
    assert response.status_code == 422
    assert response.json["errors"] == {field: ["NUL characters are not allowed."]}
