"""Login throttling per account and per address, with locks that expire."""

import uuid

import pytest
import time_machine

from inspect_service.auth.throttle import MemoryStore, RedisStore
from tests.users.factories import PASSWORD, make_user


def _login(client, username, password, addr):
    return client.post(
        "/api/auth/login", json={"username": username, "password": password}, environ_base={"REMOTE_ADDR": addr}
    )


@pytest.fixture
def user(session):
    made = make_user(session, role="inspector")
    session.commit()
    return made


def test_account_is_throttled_after_repeated_failures_then_released(client, app, user):
    limit = app.config["LOGIN_ACCOUNT_MAX_FAILURES"]
    with time_machine.travel("2026-07-01 08:00:00+08:00", tick=False) as traveller:
        for i in range(limit):
            assert _login(client, user.username, "wrong-password", f"10.1.0.{i}").status_code == 401
        refused = _login(client, user.username, PASSWORD, "10.9.9.9")
        assert refused.status_code == 429
        assert refused.content_type == "application/problem+json"
        wait = int(refused.headers["Retry-After"])
        assert 0 < wait <= app.config["LOGIN_LOCK_MAX_SECONDS"]
        traveller.shift(wait + 1)
        # not locked out for good: the right password works once the lock ends
        assert _login(client, user.username, PASSWORD, "10.9.9.9").status_code == 200


def test_unknown_account_is_throttled_like_a_known_one(client, app, user):
    limit = app.config["LOGIN_ACCOUNT_MAX_FAILURES"]
    statuses = {}
    for name in ("ghost-user", user.username):
        for i in range(limit):
            _login(client, name, "wrong-password", f"10.2.{len(statuses)}.{i}")
        statuses[name] = _login(client, name, "wrong-password", "10.3.0.1").status_code
    assert statuses == {"ghost-user": 429, user.username: 429}


def test_address_is_throttled_across_accounts(client, app, user):
    limit = app.config["LOGIN_ADDRESS_MAX_FAILURES"]
    for _ in range(limit):
        _login(client, f"nobody-{uuid.uuid4().hex[:6]}", "wrong-password", "10.4.0.1")
    assert _login(client, user.username, PASSWORD, "10.4.0.1").status_code == 429
    assert _login(client, user.username, PASSWORD, "10.4.0.2").status_code == 200


def test_success_clears_account_failures(client, app, user):
    limit = app.config["LOGIN_ACCOUNT_MAX_FAILURES"]
    for i in range(limit - 1):
        _login(client, user.username, "wrong-password", f"10.5.0.{i}")
    assert _login(client, user.username, PASSWORD, "10.5.1.1").status_code == 200
    for i in range(limit - 1):
        _login(client, user.username, "wrong-password", f"10.5.2.{i}")
    assert _login(client, user.username, PASSWORD, "10.5.1.1").status_code == 200


@pytest.mark.parametrize("store_kind", ["memory", "redis"])
def test_counter_stores_count_lock_and_reset(store_kind):
    if store_kind == "redis":
        store = RedisStore("redis://127.0.0.1:6379/15", prefix=f"test:{uuid.uuid4().hex}:")
    else:
        store = MemoryStore()
    key = "acct:someone"
    assert store.failures(key) == 0 and store.locked_for(key) == 0
    assert store.add_failure(key, 60) == 1
    assert store.add_failure(key, 60) == 2
    store.lock(key, 30)
    assert 0 < store.locked_for(key) <= 31
    store.reset(key)
    assert store.failures(key) == 0 and store.locked_for(key) == 0
