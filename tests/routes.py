"""The app's routes as (rule, method) pairs, for tables that must cover every route."""

import re

ID = re.compile(r"<uuid:\w+>")
# Not API routes: the OpenAPI document, the Swagger UI and its files, Flask's static files.
EXEMPT_RULES = {"/api/openapi.json", "/api/docs", "/api/docs/assets/<path:filename>", "/static/<path:filename>"}


# The manager console's pages: covered by tests/web/test_page_matrix.py, not by the API's tables.
WEB_PREFIX = "/console"
WEB_EXEMPT_RULES = {"/console/static/<path:filename>"}
# The field app's static files (the phone app at /app/): covered by tests/field, not by the API's tables.
FIELD_PREFIX = "/app"


def routes(app, methods=frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})) -> set[tuple[str, str]]:
    """Every (rule, method) of the API outside EXEMPT_RULES, for the given methods (console pages excluded)."""
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.rule not in EXEMPT_RULES and not rule.rule.startswith((WEB_PREFIX, FIELD_PREFIX))
        for method in rule.methods & methods
    }


def web_routes(app, methods=frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})) -> set[tuple[str, str]]:
    """Every (rule, method) of the manager console outside WEB_EXEMPT_RULES."""
    return {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(WEB_PREFIX) and rule.rule not in WEB_EXEMPT_RULES
        for method in rule.methods & methods
    }


def label(method: str, rule: str) -> str:
    """`PATCH /api/parks/{id}` for PATCH on /api/parks/<uuid:park_id>."""
    return f"{method} {ID.sub('{id}', rule)}"


def fill(rule: str, *object_ids) -> str:
    """The rule's path with `object_ids` in place of its ids, in order."""
    ids = iter(object_ids)
    return ID.sub(lambda _match: str(next(ids)), rule)
