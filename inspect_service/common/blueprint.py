"""The project's Blueprint: flask-smorest's, with unknown query parameters rejected like unknown body fields,
and a `multipart` location that reads a multipart/form-data body's fields and files through one schema."""

from typing import ClassVar

import flask_smorest
from flask_smorest.arguments import ArgumentsMixin
from werkzeug.datastructures import CombinedMultiDict

MULTIPART = "multipart"


class StrictParser(type(ArgumentsMixin.ARGUMENTS_PARSER)):
    """webargs parser that lets each schema's RAISE apply to the query string too."""

    DEFAULT_UNKNOWN_BY_LOCATION: ClassVar[dict] = {
        **type(ArgumentsMixin.ARGUMENTS_PARSER).DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,
        "querystring": None,
    }
    __location_map__: ClassVar[dict] = {
        **type(ArgumentsMixin.ARGUMENTS_PARSER).__location_map__,
        MULTIPART: "load_multipart",
    }

    def load_multipart(self, req, schema):
        """Return the form fields and the files of the request together (unknown names follow the schema)."""
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


class Blueprint(flask_smorest.Blueprint):
    """A flask-smorest blueprint with the strict argument parser.

    flask-smorest documents one request body per operation, so `location="form"` and `location="files"` on the
    same view would publish only one of them; `location="multipart"` publishes both as one multipart/form-data
    body (flask-smorest's documented limitation, its issue #46).
    """

    ARGUMENTS_PARSER = StrictParser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING: ClassVar[dict] = {
        **flask_smorest.Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
        MULTIPART: "multipart/form-data",
    }
