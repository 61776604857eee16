"""Conditional GET for lists the phone re-reads often: a strong ETag of the content, 304 when it is unchanged."""

import functools
import hashlib
import json

from flask import Response, request

IF_NONE_MATCH_DOC = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "schema": {"type": "string", "maxLength": 1024},
    "description": "The ETag of the copy you hold: 304 with no body while it is still current",
}
NOT_MODIFIED_DOC = {"description": "Not modified: the copy named by If-None-Match is current (no body)"}


@functools.cache
def _schema(schema_class):
    return schema_class()


def content_etag(schema_class, data) -> str:
    """A strong ETag (quoted) of `data` as `schema_class` dumps it: equal exactly when the JSON content is equal."""
    dumped = json.dumps(_schema(schema_class).dump(data), sort_keys=True, separators=(",", ":"), default=str)
    return '"' + hashlib.sha256(dumped.encode()).hexdigest()[:32] + '"'


def answer(schema_class, data):
    """The view's return value: `data` with its ETag, or 304 with no body when If-None-Match names it.

    If-None-Match compares weakly (RFC 9110 §13.1.2), so the weak form a gzip-encoded answer carries matches too.
    """
    etag = content_etag(schema_class, data)
    if request.if_none_match.contains_weak(etag.strip('"')):
        return Response(status=304, headers={"ETag": etag})
    return data, {"ETag": etag}
