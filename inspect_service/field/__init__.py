"""The field app at /app/: an installable, offline-first web app for inspectors and enterprise officers."""

import hashlib
from functools import cache
from pathlib import Path

from flask import Blueprint, Flask, Response, redirect, send_from_directory

STATIC = Path(__file__).resolve().parent / "static"
# Same-origin only: tokens live where scripts can read them, so nothing inline and nothing from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
    "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
TYPES = {".webmanifest": "application/manifest+json", ".js": "text/javascript; charset=utf-8"}

bp = Blueprint("field", __name__, url_prefix="/app")


@cache
def shell() -> tuple[tuple[str, ...], str]:
    """The app shell's URLs and a version derived from their bytes (a new deploy replaces the cache)."""
    files = sorted(p for p in STATIC.rglob("*") if p.is_file() and p.name != "sw.js")
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(STATIC).as_posix().encode())
        digest.update(path.read_bytes())
    urls = ("/app/", *("/app/" + p.relative_to(STATIC).as_posix() for p in files if p.name != "index.html"))
    return urls, digest.hexdigest()[:16]


@bp.after_request
def _headers(response: Response) -> Response:
    """Strict CSP, no sniffing, and revalidation so a new shell reaches phones that are online."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers.setdefault("Cache-Control", "no-cache")
    return response


@bp.get("")
def root():
    """The app lives under /app/."""
    return redirect("/app/", code=308)


@bp.get("/")
def index():
    """The single page of the app."""
    return send_from_directory(STATIC, "index.html", max_age=0)


@bp.get("/sw.js")
def service_worker():
    """The service worker, stamped with the shell's file list and version."""
    urls, version = shell()
    source = (STATIC / "sw.js").read_text(encoding="utf-8")
    body = source.replace("__VERSION__", version).replace('"__SHELL__"', ", ".join(f'"{u}"' for u in urls))
    response = Response(body, content_type=TYPES[".js"])
    response.headers["Service-Worker-Allowed"] = "/app/"
    return response


@bp.get("/<path:filename>")
def asset(filename: str):
    """A file of the app shell (404 for anything else)."""
    response = send_from_directory(STATIC, filename, max_age=0)
    for suffix, content_type in TYPES.items():
        if filename.endswith(suffix):
            response.headers["Content-Type"] = content_type
    return response


def init_app(app: Flask) -> None:
    """Mount the field app."""
    app.register_blueprint(bp)
