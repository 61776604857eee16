"""gzip for large JSON answers (feed and bootstrap pages, ledgers) when the client accepts it."""

import gzip

from flask import Flask, Response, request

MIN_SIZE = 1024  # below this the gzip header and CPU cost more than the bytes saved
LEVEL = 6
COMPRESSIBLE = ("application/json", "application/problem+json")


def _compressible(response: Response) -> bool:
    return (
        request.method != "HEAD"
        and response.mimetype in COMPRESSIBLE
        and response.status_code >= 200
        and response.status_code not in (204, 206, 304)
        and not response.direct_passthrough
        and not response.is_streamed
        and "Content-Encoding" not in response.headers
        and (response.content_length is None or response.content_length >= MIN_SIZE)
    )


def compress(response: Response) -> Response:
    """gzip a JSON or problem+json body of at least MIN_SIZE bytes when Accept-Encoding allows it."""
    if not _compressible(response):
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.vary.add("Accept-Encoding")
    if request.accept_encodings["gzip"] <= 0:  # absent, identity only, or gzip;q=0
        return response
    response.set_data(gzip.compress(body, compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:  # a strong validator names exact bytes; the gzipped ones are another representation
        response.set_etag(etag, weak=True)
    return response


def init_app(app: Flask) -> None:
    """Compress large JSON answers of every route."""
    app.after_request(compress)
