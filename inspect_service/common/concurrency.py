"""Optimistic concurrency: versions exposed as ETags, updates guarded by If-Match."""

from flask import request

from inspect_service.errors import PreconditionFailed, PreconditionRequired

IF_MATCH_DOC = {"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string", "maxLength": 64}}


def etag(version: int) -> str:
    """The strong ETag of a resource version."""
    return f'"{version}"'


def if_match_version() -> int | None:
    """The version named by the request's If-Match (None when absent, -1 when unreadable)."""
    header = request.headers.get("If-Match")
    if not header:
        return None
    value = header.strip()
    value = value.removeprefix("W/").strip('"')
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else -1  # not "²" or "٣"


def check_version(current: int, expected: int | None) -> None:
    """428 without If-Match; 412 unless the caller's version is the current one."""
    if expected is None:
        raise PreconditionRequired("Send If-Match with the ETag you last read.")
    if current != expected:
        raise PreconditionFailed("The resource changed since you read it; read it again.")
