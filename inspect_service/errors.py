"""Domain errors and their rendering as RFC 9457 problem+json."""

import http
import logging

import marshmallow as ma
from flask import Flask, Response, json
from flask_smorest import Api
from flask_smorest.utils import prepare_response
from werkzeug.exceptions import HTTPException, InternalServerError

PROBLEM_CONTENT_TYPE = "application/problem+json"
log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule refused the request; rendered as problem+json with `status`."""

    status = 400
    slug = "bad-request"
    title = "Bad request"
    persist = False  # commit the session before answering (e.g. a revocation)

    def __init__(self, detail: str | None = None, *, errors=None, headers=None, extra=None):
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra or {}


class Unauthorized(DomainError):
    """Missing, invalid, expired or revoked credentials."""

    status, slug, title = 401, "unauthorized", "Authentication required"

    def __init__(self, detail=None, **kwargs):
        kwargs.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="inspect_service"'})
        super().__init__(detail, **kwargs)


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(DomainError):
    """Missing, or outside the caller's scope (the two answer alike)."""

    status, slug, title = 404, "not-found", "Not found"


class Conflict(DomainError):
    """The request conflicts with the current state."""

    status, slug, title = 409, "conflict", "Conflict"


class PreconditionFailed(DomainError):
    """The If-Match version is stale."""

    status, slug, title = 412, "precondition-failed", "Precondition failed"


class PayloadTooLarge(DomainError):
    """An uploaded file is larger than allowed."""

    status, slug, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaType(DomainError):
    """An uploaded file is not of an accepted type."""

    status, slug, title = 415, "unsupported-media-type", "Unsupported media type"


class Unprocessable(DomainError):
    """Well-formed input that breaks a rule; `errors` maps fields to messages."""

    status, slug, title = 422, "validation-error", "Validation failed"

    @classmethod
    def field(cls, name: str, message: str) -> "Unprocessable":
        """A 422 about one field."""
        return cls(message, errors={name: [message]})


class PreconditionRequired(DomainError):
    """An update came without If-Match."""

    status, slug, title = 428, "precondition-required", "Precondition required"


class TooManyRequests(DomainError):
    """Throttled; Retry-After says when to come back."""

    status, slug, title = 429, "too-many-requests", "Too many requests"

    def __init__(self, detail=None, *, retry_after: int, **kwargs):
        kwargs.setdefault("headers", {"Retry-After": str(max(1, int(retry_after)))})
        super().__init__(detail, **kwargs)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details."""

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String()
    instance = ma.fields.String()
    errors = ma.fields.Dict(metadata={"description": "Per-field messages (422)"})
    allowed_actions = ma.fields.List(ma.fields.String())


def problem(status: int, *, slug=None, title=None, detail=None, errors=None, headers=None, extra=None):
    """Build a problem+json response."""
    phrase = http.HTTPStatus(status).phrase if status in http.HTTPStatus._value2member_map_ else ""
    body = {
        "type": f"/problems/{slug}" if slug else "about:blank",
        "title": title or phrase,
        "status": status,
        "detail": detail or title or phrase,
    }
    if errors is not None:
        body["errors"] = errors
    body.update(extra or {})
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _http_problem(error: HTTPException) -> Response:
    headers = {}
    valid_methods = getattr(error, "valid_methods", None)
    if valid_methods:
        headers["Allow"] = ", ".join(valid_methods)
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    headers.update(data.get("headers") or {})
    if error.code == 422:
        return problem(
            422, slug="validation-error", title="Validation failed", errors=_flatten(errors), headers=headers
        )
    if isinstance(error, InternalServerError) or (error.code or 500) >= 500:
        return problem(error.code or 500, detail="An internal error occurred.")
    detail = data.get("message") or error.description
    if error.code == 400 and errors:
        return problem(400, detail="The request body could not be read.", errors=_flatten(errors), headers=headers)
    return problem(error.code or 500, detail=detail, headers=headers)


def _flatten(messages):
    """Drop webargs' location level ({"json": {...}}) so errors map fields directly."""
    if isinstance(messages, dict) and len(messages) == 1:
        ((location, inner),) = messages.items()
        locations = {"json", "query", "headers", "form", "files", "multipart", "view_args", "path"}
        if location in locations and isinstance(inner, dict):
            return inner
    return messages


class ProblemApi(Api):
    """flask-smorest Api whose errors and error docs are problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error):
        """Render any HTTP error as problem+json."""
        return _http_problem(error)

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Error (RFC 9457 problem details)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def _handle_domain_error(error: DomainError) -> Response:
    from inspect_service.extensions import db

    session = db.session
    if error.persist:
        session.commit()
    else:
        session.rollback()
    return problem(
        error.status,
        slug=error.slug,
        title=error.title,
        detail=error.detail,
        errors=error.errors,
        headers=error.headers,
        extra=error.extra,
    )


def _handle_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return _http_problem(error)
    log.exception("unhandled error", exc_info=error)
    return problem(500, detail="An internal error occurred.")


def init_app(app: Flask) -> None:
    """Register the handlers that turn every error into problem+json."""
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(Exception, _handle_unexpected)
