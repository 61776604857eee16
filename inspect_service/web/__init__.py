"""The manager console: server-rendered pages over the same services and scoping as the API."""

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()


class ConsoleSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session whose cookie is Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure when configured so, or when this request is HTTPS."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def init_app(app: Flask) -> None:
    """Mount the console at /console with its session cookie and CSRF protection (forms only, not the API)."""
    from inspect_service.web import views  # noqa: F401 - registers the console's routes
    from inspect_service.web.blueprint import bp

    if app.config.get("SESSION_COOKIE_NAME") in (None, "session"):
        app.config["SESSION_COOKIE_NAME"] = "inspect_console"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    # The API authenticates with Bearer tokens and no cookie, so only the console's forms are checked (bp).
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 8 * 3600)
    app.session_interface = ConsoleSessionInterface()
    csrf.init_app(app)
    app.register_blueprint(bp)
    for status in (404, 405):  # no console route matched: still a console page under /console
        app.register_error_handler(status, _unrouted)


def _unrouted(error):
    """A console-looking answer for unknown console paths; the API's problem+json everywhere else."""
    from flask import current_app

    from inspect_service.web.errors import render_error

    if request.path == "/console" or request.path.startswith("/console/"):
        return render_error(error.code, error.description or "")
    return current_app.extensions["api"].handle_http_exception(error)
