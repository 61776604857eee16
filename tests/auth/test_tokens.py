"""Token abuse: expired, tampered, wrong kind, foreign-signed, reused refresh."""

import base64
import json
import uuid
from datetime import timedelta

import jwt
from sqlmodel import select

from inspect_service.auth.models import AuthSession
from inspect_service.common.time import utcnow
from tests.conftest import TEST_SECRET
from tests.users.factories import bearer, login_tokens, make_user


def _tamper(token: str, **changes) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


def test_expired_access_token_is_refused(client, world):
    response = client.get("/api/me", headers=world.headers["expired"])
    assert response.status_code == 401
    assert response.json["detail"] == "Token expired."
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_tampered_token_is_refused(client, session):
    admin, officer = make_user(session, role="admin"), make_user(session, role="inspector")
    pair = login_tokens(session, officer)
    forged = _tamper(pair.access_token, sub=str(admin.id))
    assert client.get("/api/me", headers=bearer(forged)).status_code == 401


def test_token_signed_with_another_key_is_refused(client, session):
    user = make_user(session, role="admin")
    pair = login_tokens(session, user)
    claims = jwt.decode(pair.access_token, TEST_SECRET, algorithms=["HS256"], issuer="inspect_service")
    other = jwt.encode(claims, "another-secret-key-of-sufficient-length", algorithm="HS256")
    assert client.get("/api/me", headers=bearer(other)).status_code == 401


def test_unsigned_token_is_refused(client, session):
    user = make_user(session, role="admin")
    pair = login_tokens(session, user)
    claims = jwt.decode(pair.access_token, TEST_SECRET, algorithms=["HS256"], issuer="inspect_service")
    unsigned = jwt.encode(claims, None, algorithm="none")
    assert client.get("/api/me", headers=bearer(unsigned)).status_code == 401


def test_refresh_token_cannot_be_used_as_access_token(client, session):
    pair = login_tokens(session, make_user(session, role="admin"))
    response = client.get("/api/me", headers=bearer(pair.refresh_token))
    assert response.status_code == 401 and response.json["detail"] == "Wrong kind of token."


def test_access_token_cannot_be_used_to_refresh(client, session):
    pair = login_tokens(session, make_user(session, role="admin"))
    assert client.post("/api/auth/refresh", json={"refresh_token": pair.access_token}).status_code == 401


def test_garbage_and_missing_tokens_are_refused(client):
    for headers in (
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer not.a.jwt"},
        {"Authorization": "Bearer " + "a" * 5000},
    ):
        response = client.get("/api/me", headers=headers)
        assert response.status_code == 401, headers
        assert response.content_type == "application/problem+json"


def test_reused_refresh_token_revokes_family_in_database(client, session, app, monkeypatch):
    monkeypatch.setitem(app.config, "REFRESH_GRACE_SECONDS", 0)  # single use; the grace window: test_refresh_grace
    user = make_user(session, role="inspector")
    pair = login_tokens(session, user)
    assert client.post("/api/auth/refresh", json={"refresh_token": pair.refresh_token}).status_code == 200
    assert client.post("/api/auth/refresh", json={"refresh_token": pair.refresh_token}).status_code == 401
    session.expire_all()
    family = session.exec(select(AuthSession).where(AuthSession.user_id == user.id)).one()
    assert family.revoked_at is not None and family.revoked_reason == "refresh_reuse"


def test_token_for_unknown_session_is_refused(client, session, app):
    from inspect_service.auth import tokens

    user = make_user(session, role="admin")
    session.commit()
    with app.test_request_context():
        forged = tokens.encode(
            kind=tokens.ACCESS,
            user_id=user.id,
            session_id=uuid.uuid4(),
            token_id=uuid.uuid4(),
            now=utcnow(),
            ttl=timedelta(minutes=5),
        )
    assert client.get("/api/me", headers=bearer(forged)).status_code == 401


def test_disabling_a_user_ends_their_sessions(client, session, world):
    headers = world.headers["enterprise_safety_officer"]
    assert client.get("/api/me", headers=headers).status_code == 200
    target = world.user("enterprise_safety_officer")
    response = client.patch(
        f"/api/users/{target.id}",
        json={"disabled": True},
        headers={**world.headers["park_manager"], "If-Match": f'"{target.version}"'},
    )
    assert response.status_code == 200
    assert client.get("/api/me", headers=headers).status_code == 401
