"""Sign-in, refresh rotation, reuse detection, sign-out and password change."""

from tests.users.factories import PASSWORD, bearer, make_user


def _login(client, username, password=PASSWORD, addr="10.0.0.1"):
    return client.post(
        "/api/auth/login", json={"username": username, "password": password}, environ_base={"REMOTE_ADDR": addr}
    )


def test_login_returns_working_tokens(client, world):
    user = world.user("park_manager")
    response = _login(client, user.username)
    assert response.status_code == 200
    me = client.get("/api/me", headers=bearer(response.json["access_token"]))
    assert me.status_code == 200 and me.json["id"] == str(user.id)


def test_unknown_user_and_wrong_password_answer_identically(client, world):
    unknown = _login(client, "no-such-user", "whatever-password")
    wrong = _login(client, world.user("park_manager").username, "whatever-password")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json == wrong.json
    assert unknown.headers["Content-Type"] == wrong.headers["Content-Type"] == "application/problem+json"


def test_refresh_rotates_and_replay_revokes_family(client, world, app, monkeypatch):
    monkeypatch.setitem(app.config, "REFRESH_GRACE_SECONDS", 0)  # single use; the grace window: test_refresh_grace
    pair = _login(client, world.user("inspector").username).json
    first = client.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert first.status_code == 200
    assert client.get("/api/me", headers=bearer(first.json["access_token"])).status_code == 200
    replay = client.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert replay.status_code == 401
    # the whole family is revoked: the rotated tokens stop working too
    assert client.get("/api/me", headers=bearer(first.json["access_token"])).status_code == 401
    assert client.post("/api/auth/refresh", json={"refresh_token": first.json["refresh_token"]}).status_code == 401


def test_logout_revokes_session(client, world):
    pair = _login(client, world.user("inspector").username).json
    assert client.post("/api/auth/logout", headers=bearer(pair["access_token"])).status_code == 204
    assert client.get("/api/me", headers=bearer(pair["access_token"])).status_code == 401
    assert client.post("/api/auth/refresh", json={"refresh_token": pair["refresh_token"]}).status_code == 401


def test_password_change_revokes_every_session(client, world):
    username = world.user("inspector").username
    one, two = _login(client, username).json, _login(client, username).json
    changed = client.post(
        "/api/auth/password",
        headers=bearer(one["access_token"]),
        json={"current_password": PASSWORD, "new_password": "a-new-password-1"},
    )
    assert changed.status_code == 204
    for pair in (one, two):
        assert client.get("/api/me", headers=bearer(pair["access_token"])).status_code == 401
    assert _login(client, username).status_code == 401
    assert _login(client, username, "a-new-password-1").status_code == 200


def test_password_change_needs_current_password(client, world):
    pair = _login(client, world.user("inspector").username).json
    response = client.post(
        "/api/auth/password",
        headers=bearer(pair["access_token"]),
        json={"current_password": "not-it-at-all", "new_password": "a-new-password-1"},
    )
    assert response.status_code == 422 and "current_password" in response.json["errors"]


def test_disabled_user_is_refused(client, world):
    response = _login(client, world.user("disabled").username)
    assert response.status_code == 403
    assert client.get("/api/me", headers=world.headers["disabled"]).status_code == 401


def test_username_is_case_insensitive(client, session, world):
    make_user(session, role="admin", username="casey")
    session.commit()
    assert _login(client, "CASEY").status_code == 200
