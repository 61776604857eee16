"""Helpers for console tests: sign a test client in, read the CSRF token a page embeds, post forms."""

import re
from datetime import timedelta

from inspect_service.auth import service as auth_service
from inspect_service.common.time import utcnow

TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def sign_in(client, session, user, *, age: timedelta = timedelta(0)) -> None:
    """Sign `user` in on `client` as the sign-in form does (a session row and the cookie), without the form."""
    auth_session = auth_service.start_session(session=session, user=user)
    session.commit()
    with client.session_transaction() as cookie:
        cookie.clear()
        cookie.update(uid=str(user.id), sid=str(auth_session.id), at=(utcnow() - age).isoformat())


def csrf_token(client) -> str:
    """The CSRF token a console page embeds for the client's session."""
    page = client.get("/console/login", follow_redirects=True)
    match = TOKEN.search(page.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


def form_data(body: dict) -> dict:
    """A JSON body as the fields of an HTML form (lists as repeated fields, booleans as 'true'/'false')."""
    data = {}
    for key, value in body.items():
        if isinstance(value, bool):
            data[key] = "true" if value else "false"
        elif isinstance(value, list):
            data[key] = [str(v) for v in value]
        elif value is not None:
            data[key] = str(value)
    return data


def post_form(client, path: str, body: dict | None = None, *, token: bool = True, **kwargs):
    """Post `body` as a form, with the session's CSRF token unless `token` is False."""
    data = form_data(body or {})
    if token:
        data["csrf_token"] = csrf_token(client)
    return client.post(path, data=data, **kwargs)
