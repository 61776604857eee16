"""Form and query data → the input of the API's own marshmallow schemas (the rules stay in one place)."""

import re

import marshmallow as ma
from werkzeug.datastructures import MultiDict

from inspect_service.common.schemas import JsonBoolean
from inspect_service.errors import Unprocessable

_SEPARATORS = re.compile(r"[\s,，、;；]+")
MAX_LIST_TEXT = 2000


def _list(form: MultiDict, key: str) -> list[str]:
    """A list field: repeated inputs (multi-selects, checkboxes) and separated ids in one text box."""
    values = []
    for raw in form.getlist(key):
        values += [part for part in _SEPARATORS.split(raw[:MAX_LIST_TEXT]) if part]
    return values


def form_input(schema: ma.Schema, form: MultiDict) -> dict:
    """The form as the JSON body the API route would receive: lists, booleans, blanks left out.

    Fields the schema does not know are passed on, so the schema refuses them exactly as the API does.
    """
    data: dict = {}
    for key in form:
        if key == "csrf_token":
            continue
        field = schema.fields.get(key)
        if isinstance(field, ma.fields.List):
            data[key] = _list(form, key)
        elif isinstance(field, JsonBoolean):
            data[key] = form.get(key) in ("true", "on", "1")
        elif form.get(key, "").strip() != "":
            data[key] = form.get(key)
    return data


def load(schema: ma.Schema, data: dict) -> dict:
    """Load with the schema; a validation failure is the API's 422 with per-field errors."""
    try:
        return schema.load(data)
    except ma.ValidationError as exc:
        raise Unprocessable("Validation failed", errors=exc.messages) from exc


def query_args(schema: ma.Schema, args: MultiDict, *, extra: tuple[str, ...] = ()) -> tuple[dict, dict]:
    """Split the query string into the schema's filters (loaded, 422 when invalid) and the console's own keys."""
    own = {key: args.get(key) for key in extra if args.get(key)}
    data = {key: args.get(key) for key in args if key not in extra and args.get(key, "") != ""}
    return load(schema, data), own
