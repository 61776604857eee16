"""Sync schemas of the change feed (the batch's are in sync/batch_schemas.py)."""

import marshmallow as ma
from marshmallow import validate

from inspect_service.common.schemas import StrictSchema, text


class ChangesArgsSchema(StrictSchema):
    """Where to resume the feed."""

    cursor = text(
        200,
        load_default=None,
        metadata={
            "description": "The `next_cursor` of the previous page, or the bootstrap's `cursor` (absent = start)"
        },
    )
    limit = ma.fields.Integer(load_default=200, validate=validate.Range(min=1, max=500))


class ChangeSchema(ma.Schema):
    """One change: `upsert` carries the object as you may see it; `delete` and `remove` carry only its id."""

    seq = ma.fields.Integer(required=True)
    entity = ma.fields.String(required=True)
    id = ma.fields.UUID(required=True)
    op = ma.fields.String(
        required=True,
        metadata={
            "description": "upsert, delete, remove (left your scope) or resync (your scope grew: bootstrap again, "
            "keeping what you have queued)"
        },
    )
    data = ma.fields.Dict(allow_none=True)


class ChangesPageSchema(ma.Schema):
    """A page of the feed."""

    items = ma.fields.List(ma.fields.Nested(ChangeSchema), required=True)
    next_cursor = ma.fields.String(required=True, metadata={"description": "Opaque; send it back as `cursor`"})
    has_more = ma.fields.Boolean(required=True)


class BootstrapArgsSchema(StrictSchema):
    """Which page of a bootstrap."""

    page = text(1000, load_default=None, metadata={"description": "The `next_page` of the previous page"})
    limit = ma.fields.Integer(load_default=200, validate=validate.Range(min=1, max=500))


class BootstrapItemSchema(ma.Schema):
    """One object of your scope, as its REST GET returns it."""

    entity = ma.fields.String(required=True)
    id = ma.fields.UUID(required=True)
    data = ma.fields.Dict(required=True)


class BootstrapPageSchema(ma.Schema):
    """A page of a bootstrap and the feed cursor to read changes from once it is done."""

    items = ma.fields.List(ma.fields.Nested(BootstrapItemSchema), required=True)
    next_page = ma.fields.String(allow_none=True, required=True)
    has_more = ma.fields.Boolean(required=True)
    cursor = ma.fields.String(required=True, metadata={"description": "The same on every page of one bootstrap"})
