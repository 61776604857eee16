"""Refresh grace window: a phone whose refresh response was lost presents the old token again and gets the same
pair; after the window, or once the new pair was used, a replay revokes the family."""

import threading
from datetime import timedelta

import pytest
import time_machine
from sqlmodel import select

from inspect_service.auth.models import AuthSession
from inspect_service.common.time import utcnow
from inspect_service.extensions import db
from tests.users.factories import bearer, login_tokens, make_user


@pytest.fixture
def clock():
    """A stopped clock the test moves by hand."""
    with time_machine.travel(utcnow(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def pair(session, clock):
    """A signed-in inspector's first token pair."""
    return login_tokens(session, make_user(session, role="inspector"))


def _refresh(client, token: str):
    return client.post("/api/auth/refresh", json={"refresh_token": token})


def _tokens(body: dict) -> tuple:
    """A pair's tokens (a replay reports fewer seconds left, so the rest of its body differs)."""
    return body["access_token"], body["refresh_token"], body["token_type"]


def _family(session, pair) -> AuthSession:
    from inspect_service.auth import tokens

    session.expire_all()
    claims = tokens.decode(pair.refresh_token, kind=tokens.REFRESH)  # in the session fixture's app context
    return session.exec(select(AuthSession).where(AuthSession.id == claims.session_id)).one()


def test_lost_response_gets_the_same_pair_within_grace(client, pair, clock):
    first = _refresh(client, pair.refresh_token)
    assert first.status_code == 200
    clock.shift(timedelta(seconds=119))
    again = _refresh(client, pair.refresh_token)
    assert again.status_code == 200
    assert _tokens(again.json) == _tokens(first.json)  # byte-identical tokens
    assert again.json["access_token"] != pair.access_token and again.json["refresh_token"] != pair.refresh_token


def test_a_replayed_pair_reports_the_seconds_it_has_left(client, pair, clock):
    first = _refresh(client, pair.refresh_token).json
    clock.shift(timedelta(seconds=100))
    again = _refresh(client, pair.refresh_token).json
    assert again["access_token"] == first["access_token"]
    assert again["expires_in"] == first["expires_in"] - 100
    assert again["refresh_expires_in"] == first["refresh_expires_in"] - 100


def test_new_pair_keeps_working_after_a_grace_replay(client, session, pair, clock):
    new = _refresh(client, pair.refresh_token).json
    clock.shift(timedelta(seconds=30))
    assert _tokens(_refresh(client, pair.refresh_token).json) == _tokens(new)
    assert client.get("/api/me", headers=bearer(new["access_token"])).status_code == 200
    clock.shift(timedelta(seconds=30))
    newer = _refresh(client, new["refresh_token"])
    assert newer.status_code == 200 and newer.json["refresh_token"] != new["refresh_token"]
    assert client.get("/api/me", headers=bearer(newer.json["access_token"])).status_code == 200
    assert _family(session, pair).revoked_at is None


def test_replay_after_grace_revokes_the_family(client, session, pair, clock):
    new = _refresh(client, pair.refresh_token).json
    clock.shift(timedelta(seconds=121))
    replay = _refresh(client, pair.refresh_token)
    assert replay.status_code == 401 and replay.content_type == "application/problem+json"
    assert client.get("/api/me", headers=bearer(new["access_token"])).status_code == 401  # the new pair is dead too
    assert _refresh(client, new["refresh_token"]).status_code == 401
    family = _family(session, pair)
    assert family.revoked_at is not None and family.revoked_reason == "refresh_reuse"


def test_grace_zero_is_single_use(client, session, app, pair, monkeypatch):
    monkeypatch.setitem(app.config, "REFRESH_GRACE_SECONDS", 0)
    new = _refresh(client, pair.refresh_token).json
    assert _refresh(client, pair.refresh_token).status_code == 401
    assert client.get("/api/me", headers=bearer(new["access_token"])).status_code == 401
    assert _family(session, pair).revoked_reason == "refresh_reuse"


def test_replay_after_the_new_pair_was_used_revokes_the_family(client, session, pair, clock):
    """Within the grace, but the successor has been refreshed already: two holders of one token, a theft."""
    new = _refresh(client, pair.refresh_token).json
    newer = _refresh(client, new["refresh_token"]).json
    clock.shift(timedelta(seconds=5))
    assert _refresh(client, pair.refresh_token).status_code == 401
    assert client.get("/api/me", headers=bearer(newer["access_token"])).status_code == 401
    assert _family(session, pair).revoked_reason == "refresh_reuse"


def test_signed_out_session_fails_during_grace(client, session, pair, clock):
    new = _refresh(client, pair.refresh_token).json
    assert client.post("/api/auth/logout", headers=bearer(new["access_token"])).status_code == 204
    clock.shift(timedelta(seconds=5))
    assert _refresh(client, pair.refresh_token).status_code == 401
    assert _family(session, pair).revoked_reason == "logout"


def test_disabled_user_fails_during_grace(client, session, pair, clock):
    _refresh(client, pair.refresh_token)
    family = _family(session, pair)
    from inspect_service.users.models import User

    user = session.get(User, family.user_id)
    user.disabled = True
    session.add(user)
    session.commit()
    assert _refresh(client, pair.refresh_token).status_code == 401


def test_grace_setting_is_bounded():
    from inspect_service.config import ConfigError, from_environment, validate

    assert from_environment({})["REFRESH_GRACE_SECONDS"] == 120
    assert validate(from_environment({"REFRESH_GRACE_SECONDS": "600"}))["REFRESH_GRACE_SECONDS"] == 600
    for seconds in ("-1", "601"):
        with pytest.raises(ConfigError, match="REFRESH_GRACE_SECONDS"):
            validate(from_environment({"REFRESH_GRACE_SECONDS": seconds}))


def test_concurrent_refreshes_with_one_token_get_the_same_pair(live_app):
    """The phone retries while its first refresh is still running: both get the one new pair, nothing is revoked."""
    with live_app.app_context():
        session = db.new_session()
        pair = login_tokens(session, make_user(session, role="inspector"))
        session.close()
    start, responses = threading.Barrier(2), []

    def send():
        client = live_app.test_client()
        start.wait(10)
        responses.append(_refresh(client, pair.refresh_token))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [r.status_code for r in responses] == [200, 200]
    assert _tokens(responses[0].json) == _tokens(responses[1].json)  # the same pair (seconds left may differ)
    me = live_app.test_client().get("/api/me", headers=bearer(responses[0].json["access_token"]))
    assert me.status_code == 200
