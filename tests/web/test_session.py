"""Console sign-in: the API's accounts, throttle and session rows; the cookie; CSRF on every form; sign-out."""

import re
from datetime import timedelta

from sqlmodel import select

from inspect_service.auth.models import AuthSession
from tests.users.factories import PASSWORD, bearer, login_tokens
from tests.web.console import csrf_token, post_form, sign_in


def _login(client, username, password=PASSWORD, **kwargs):
    return post_form(client, "/console/login", {"username": username, "password": password}, **kwargs)


def test_manager_signs_in_with_the_api_password_and_reaches_the_dashboard(client, world):
    response = _login(client, world.user("park_manager").username)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/console/dashboard")
    page = client.get("/console/dashboard")
    assert page.status_code == 200
    assert "仪表盘" in page.get_data(as_text=True)


def test_session_cookie_is_httponly_samesite_lax_and_not_secure_over_http(client, world):
    response = _login(client, world.user("park_manager").username)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_when_served_over_https(app, world):
    client = app.test_client()
    token_page = client.get("/console/login", base_url="https://console.example")
    token = re.search(r'name="csrf-token" content="([^"]+)"', token_page.get_data(as_text=True)).group(1)
    response = client.post(
        "/console/login",
        base_url="https://console.example",
        data={"username": world.user("park_manager").username, "password": PASSWORD, "csrf_token": token},
        headers={"Referer": "https://console.example/console/login"},
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def test_wrong_password_is_refused_in_chinese_with_401(client, world):
    response = _login(client, world.user("park_manager").username, "wrong-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/console/dashboard").status_code == 302


def test_sign_in_is_throttled_like_the_api(client, world):
    username = world.user("park_manager").username
    statuses = [_login(client, username, "wrong-password").status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    locked = _login(client, username)  # even the right password waits for the lock to expire
    assert locked.status_code == 429
    assert "Retry-After" in locked.headers
    assert "稍后再试" in locked.get_data(as_text=True)


def test_disabled_account_cannot_sign_in(client, world):
    response = _login(client, world.user("disabled").username)
    assert response.status_code == 403
    assert "停用" in response.get_data(as_text=True)


def test_sign_in_opens_a_session_row_and_sign_out_revokes_only_it(client, session, world):
    user = world.user("park_manager")

    def live() -> set:
        session.expire_all()
        rows = session.exec(select(AuthSession).where(AuthSession.user_id == user.id)).all()
        return {row.id for row in rows if row.revoked_at is None}

    before = live()  # the world's API session
    _login(client, user.username)
    (console_row,) = live() - before
    response = post_form(client, "/console/logout")
    assert response.status_code == 302
    assert live() == before
    assert session.get(AuthSession, console_row).revoked_reason == "logout"
    assert client.get("/console/ledger").status_code == 302
    assert client.get("/api/me", headers=world.headers["park_manager"]).status_code == 200


def test_password_change_through_the_api_ends_console_sessions(client, session, world):
    user = world.user("park_manager")
    sign_in(client, session, user)
    assert client.get("/console/ledger").status_code == 200
    api_headers = bearer(login_tokens(session, user).access_token)
    changed = client.post(
        "/api/auth/password", json={"current_password": PASSWORD, "new_password": "another-long-password-1"},
        headers=api_headers,
    )  # fmt: skip
    assert changed.status_code == 204
    response = client.get("/console/ledger")
    assert response.status_code == 302
    assert "/console/login" in response.headers["Location"]


def test_disabling_the_account_ends_console_sessions(client, session, world):
    user = world.user("enterprise_safety_officer")
    sign_in(client, session, user)
    assert client.get("/console/ledger").status_code == 200
    user.disabled = True
    session.add(user)
    session.commit()
    assert client.get("/console/ledger").status_code == 302


def test_cookie_older_than_the_console_limit_signs_in_again(client, session, world):
    sign_in(client, session, world.user("park_manager"), age=timedelta(hours=13))
    assert client.get("/console/ledger").status_code == 302


def test_form_post_without_csrf_token_is_refused_and_changes_nothing(client, session, world):
    user = world.user("park_manager")
    refused = _login(client, user.username, token=False)
    assert refused.status_code == 400
    assert "CSRF" in refused.get_data(as_text=True)
    assert client.get("/console/dashboard").status_code == 302  # not signed in
    sign_in(client, session, user)
    logout = client.post("/console/logout", data={})
    assert logout.status_code == 400
    assert client.get("/console/dashboard").status_code == 200  # still signed in


def test_form_post_with_a_forged_token_is_refused(client, session, world):
    sign_in(client, session, world.user("park_manager"))
    assert client.post("/console/logout", data={"csrf_token": "forged"}).status_code == 400
    other = client.application.test_client()
    stolen = csrf_token(other)  # a token of another browser's session is not this session's
    assert client.post("/console/logout", data={"csrf_token": stolen}).status_code == 400


def test_api_is_not_affected_by_csrf_protection(client, world):
    response = client.post("/api/auth/login", json={"username": world.user("inspector").username, "password": PASSWORD})
    assert response.status_code == 200


def test_console_cookie_does_not_authenticate_the_api(client, session, world):
    sign_in(client, session, world.user("park_manager"))
    assert client.get("/api/hazards").status_code == 401


def test_sign_in_returns_only_to_console_paths(client, world):
    username = world.user("park_manager").username
    outside = post_form(
        client, "/console/login", {"username": username, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert outside.headers["Location"].endswith("/console/dashboard")
    client.cookie_jar.clear() if hasattr(client, "cookie_jar") else None
    post_form(client, "/console/logout")
    inside = post_form(
        client, "/console/login", {"username": username, "password": PASSWORD, "next": "/console/ledger?level=major"}
    )
    assert inside.headers["Location"].endswith("/console/ledger?level=major")


def test_signed_out_visitor_is_sent_to_sign_in_and_back(client):
    response = client.get("/console/ledger?overdue=true")
    assert response.status_code == 302
    assert "/console/login?next=/console/ledger?overdue%3Dtrue" in response.headers["Location"]


def test_unknown_console_path_is_a_chinese_404_page_and_api_stays_problem_json(client):
    page = client.get("/console/no-such-page")
    assert page.status_code == 404
    assert page.mimetype == "text/html"
    assert "未找到" in page.get_data(as_text=True)
    api = client.get("/api/no-such-thing")
    assert api.status_code == 404
    assert api.mimetype == "application/problem+json"
    wrong_method = client.delete("/console/ledger")
    assert wrong_method.status_code == 405
    assert wrong_method.mimetype == "text/html"


def test_console_cookie_is_secure_by_default_in_production_and_configurable():
    from inspect_service.config import from_environment

    assert from_environment({"INSPECT_ENV": "production"})["SESSION_COOKIE_SECURE"] is True
    assert from_environment({"INSPECT_ENV": "development"})["SESSION_COOKIE_SECURE"] is False
    assert from_environment({"SESSION_COOKIE_SECURE": "1"})["SESSION_COOKIE_SECURE"] is True


def test_console_pages_forbid_foreign_scripts_and_framing(client, session, world):
    sign_in(client, session, world.user("park_manager"))
    response = client.get("/console/ledger")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'self'" in policy
    assert response.headers["Cache-Control"] == "no-store"
    assert "https://" not in response.get_data(as_text=True)  # nothing from a CDN
