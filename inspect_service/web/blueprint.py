"""The console's blueprint: every page under /console, CSRF checked on every unsafe request."""

from flask import Blueprint

bp = Blueprint(
    "web",
    __name__,
    url_prefix="/console",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


@bp.before_request
def _check_csrf() -> None:
    """Refuse a form post without a valid token (Flask-WTF; the API's Bearer routes are not in this blueprint)."""
    from flask import current_app, g

    from inspect_service.web import csrf

    g.pop(current_app.config["WTF_CSRF_FIELD_NAME"], None)  # the token cached for the page belongs to one request
    csrf.protect()


@bp.context_processor
def _page_globals() -> dict:
    """What every console template may use: the signed-in actor and the Chinese names."""
    from inspect_service.web import errors, labels, session
    from inspect_service.web.views.choices import user_names

    actor = session.console_actor()
    return {
        "me": actor,
        "me_name": user_names({actor.user_id}).get(actor.user_id, "") if actor else "",
        "label": labels.name,
        "titles": errors.TITLES,
        "chinese": errors.chinese,
        "field_error_pairs": errors.field_errors,
        "names": labels.NAMES,
        "payload_items": labels.payload_items,
    }


@bp.app_template_filter("console_time")
def _console_time(moment, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """An aware UTC time as the park's local time (the actor's park; the default zone for admins)."""
    from zoneinfo import ZoneInfo

    from flask import current_app

    from inspect_service.extensions import db
    from inspect_service.parks.models import Park
    from inspect_service.web import session

    if moment is None:
        return ""
    actor = session.console_actor()
    park = db.session.get(Park, actor.park_id) if actor and actor.park_id else None
    zone = park.timezone if park else current_app.config["DEFAULT_TIMEZONE"]
    return moment.astimezone(ZoneInfo(zone)).strftime(fmt)


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'self'; "
    "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
)


@bp.after_request
def _page_headers(response):
    """Pages run only the console's own scripts and styles, are framed only by the console, and are not cached."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
