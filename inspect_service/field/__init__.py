"""The field app at /app/: an installable, offline-first web app for inspectors and enterprise officers."""

import gzip
import hashlib
import mimetypes
from functools import cache
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, redirect, request
from werkzeug.security import safe_join

STATIC = Path(__file__).resolve().parent / "static"
# Same-origin only: tokens live where scripts can read them, so nothing inline and nothing from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; "
    "worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
TYPES = {
    ".webmanifest": "application/manifest+json",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
}
PACKED = (".webmanifest", ".js", ".css", ".html")  # text: sent gzipped to phones that accept it (PNGs are packed)

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
    return _send("index.html")


@bp.get("/sw.js")
def service_worker():
    """The service worker, stamped with the shell's file list and version."""
    urls, version = shell()
    source = (STATIC / "sw.js").read_text(encoding="utf-8")
    body = source.replace("__VERSION__", version).replace('"__SHELL__"', ", ".join(f'"{u}"' for u in urls))
    response = _packed(body.encode(), TYPES[".js"], hashlib.sha256(body.encode()).hexdigest()[:32])
    response.headers["Service-Worker-Allowed"] = "/app/"
    return response


@bp.get("/<path:filename>")
def asset(filename: str):
    """A file of the app shell (404 for anything else)."""
    return _send(filename)


@cache
def _read(path: str, _mtime_ns: int) -> tuple[bytes, bytes, str]:
    """A shell file's bytes, its gzip form and its validator (kept per file version)."""
    raw = Path(path).read_bytes()
    return raw, gzip.compress(raw, compresslevel=9, mtime=0), hashlib.sha256(raw).hexdigest()[:32]


def _send(filename: str) -> Response:
    """One file of the shell, gzipped when accepted, with an ETag and 304 on a matching If-None-Match."""
    path = safe_join(str(STATIC), filename)
    if path is None or not Path(path).is_file() or Path(path).name == "sw.js":
        abort(404)
    suffix = Path(path).suffix
    content_type = TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    raw, packed, tag = _read(path, Path(path).stat().st_mtime_ns)
    if suffix not in PACKED:
        return _conditional(Response(raw, content_type=content_type), tag)
    return _packed(raw, content_type, tag, packed)


def _conditional(response: Response, tag: str) -> Response:
    """The response with its ETag, or a 304 when the client already has it."""
    response.set_etag(tag)
    return response.make_conditional(request)


def _packed(raw: bytes, content_type: str, tag: str, packed: bytes | None = None) -> Response:
    """`raw`, or its gzip form when the client accepts gzip (each representation with its own ETag)."""
    if request.accept_encodings["gzip"] <= 0:
        response = Response(raw, content_type=content_type)
    else:
        response = Response(packed if packed is not None else gzip.compress(raw, compresslevel=9, mtime=0))
        response.content_type = content_type
        response.headers["Content-Encoding"] = "gzip"
        tag += "-gz"
    response.vary.add("Accept-Encoding")
    return _conditional(response, tag)


def init_app(app: Flask) -> None:
    """Mount the field app."""
    app.register_blueprint(bp)
