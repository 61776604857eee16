"""Sign-in and sign-out pages."""

from flask import Response, redirect, render_template, request, url_for

from inspect_service.errors import DomainError
from inspect_service.extensions import db
from inspect_service.web import session as console_session
from inspect_service.web.blueprint import bp
from inspect_service.web.errors import chinese

MAX_FIELD = 256


@bp.get("/")
def index():
    """The console's home: the dashboard, or the sign-in page."""
    return redirect(url_for("web.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with the same account and password as the API (same throttle, same session rows)."""
    next_url = console_session.safe_next(request.values.get("next", "")[:MAX_FIELD])
    if request.method == "GET":
        if console_session.console_actor() is not None:
            return redirect(next_url)
        return render_template("console/login.html", next_url=next_url, error=None, username="")
    username = request.form.get("username", "")[:MAX_FIELD].strip()
    password = request.form.get("password", "")[:MAX_FIELD]
    if not username or not password:
        return _refused(400, "请输入用户名和密码。", next_url, username)
    try:
        console_session.sign_in(username=username, password=password)
    except DomainError as error:
        db.session.rollback()
        response = _refused(error.status, chinese(error.detail), next_url, username)
        if "Retry-After" in error.headers:
            response.headers["Retry-After"] = error.headers["Retry-After"]
        return response
    return redirect(next_url)


def _refused(status: int, message: str, next_url: str, username: str) -> Response:
    page = render_template("console/login.html", next_url=next_url, error=message, username=username)
    return Response(page, status=status, mimetype="text/html")


@bp.post("/logout")
def logout():
    """Sign out: the session row is revoked, the cookie forgotten."""
    console_session.sign_out()
    return redirect(url_for("web.login"))
