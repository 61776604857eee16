"""gzip for large JSON answers: only when accepted, only JSON, only when large, and never twice."""

import gzip
import json

import pytest
from flask import Response

from inspect_service.common import compression
from tests.checklists.factories import make_check_item

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def library(session, world):
    for _ in range(30):
        make_check_item(session)
    session.commit()


def _get(client, world, url, **headers):
    return client.get(url, headers={**world.headers["inspector"], **headers})


def test_a_large_list_is_gzipped_and_decodes_to_the_same_json(client, world, library):
    plain = _get(client, world, "/api/check-items?limit=200")
    zipped = _get(client, world, "/api/check-items?limit=200", **GZIP)
    assert len(plain.data) > compression.MIN_SIZE and "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert int(zipped.headers["Content-Length"]) == len(zipped.data) < len(plain.data) / 3
    assert json.loads(gzip.decompress(zipped.data)) == plain.json
    assert zipped.headers["ETag"] == "W/" + plain.headers["ETag"]  # the gzipped bytes are another representation


def test_a_large_problem_is_gzipped_too(client, world):
    response = client.post("/api/hazards", json={"x" * 1500: 1}, headers={**world.headers["inspector"], **GZIP})
    assert response.status_code == 422 and response.headers["Content-Encoding"] == "gzip"
    assert response.content_type == "application/problem+json"
    assert json.loads(gzip.decompress(response.data))["status"] == 422


def test_small_answers_are_left_alone(client, world):
    response = _get(client, world, "/api/me", **GZIP)
    assert len(response.data) < compression.MIN_SIZE
    assert "Content-Encoding" not in response.headers and response.json["id"] == str(world.user("inspector").id)


def test_without_accept_encoding_nothing_is_compressed(client, world, library):
    for headers in ({}, {"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip;q=0, br"}):
        response = _get(client, world, "/api/check-items?limit=200", **headers)
        assert "Content-Encoding" not in response.headers and len(response.json["items"]) == 30
        assert response.headers["Vary"] == "Accept-Encoding"  # a cache must not hand this to a gzip client


def test_non_json_streamed_and_already_encoded_answers_are_left_alone(app):
    big = b"x" * 5000
    cases = [
        Response(big, mimetype="text/html"),
        Response(big, mimetype="image/jpeg"),
        Response(iter([big]), mimetype="application/json"),
        Response(big, mimetype="application/json", headers={"Content-Encoding": "br"}),
        Response(big, status=206, mimetype="application/json"),
    ]
    with app.test_request_context("/", headers=GZIP):
        for response in cases:
            before = (response.headers.get("Content-Encoding"), response.headers.get("Vary"))
            compression.compress(response)
            assert (response.headers.get("Content-Encoding"), response.headers.get("Vary")) == before
        direct = Response(big, mimetype="application/json")
        direct.direct_passthrough = True
        assert "Content-Encoding" not in compression.compress(direct).headers
        json_body = Response(big, mimetype="application/json")
        assert compression.compress(json_body).headers["Content-Encoding"] == "gzip"
