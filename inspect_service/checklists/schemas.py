"""Check item and checklist template request and response schemas."""

import marshmallow as ma
from marshmallow import validate

from inspect_service.checklists import library
from inspect_service.checklists.models import (
    CODE_MAX,
    CRITERION_REF_MAX,
    LEGAL_BASIS_MAX,
    TEMPLATE_DESCRIPTION_MAX,
    TEMPLATE_ITEMS_MAX,
    TEMPLATE_NAME_MAX,
    TEXT_MAX,
)
from inspect_service.common.schemas import JsonBoolean, PageArgsSchema, StrictSchema, page_schema
from inspect_service.common.schemas import text as bounded_text

DOMAINS = tuple(library.domain_names())
ORIGINS = ("library", "park")


def _no_repeats(values: list) -> None:
    repeated = sorted({str(v) for v in values if values.count(v) > 1})
    if repeated:
        raise ma.ValidationError(f"Each check item may appear once; repeated: {', '.join(repeated)}.")


def _item_ids(**kwargs) -> ma.fields.List:
    return ma.fields.List(
        ma.fields.UUID(),
        validate=[validate.Length(min=1, max=TEMPLATE_ITEMS_MAX), _no_repeats],
        metadata={"description": "Library items and the park's own items, in checklist order"},
        **kwargs,
    )


class CheckItemCreateSchema(StrictSchema):
    """A new check item: a library item (admin) or an item of the caller's park (park manager)."""

    code = ma.fields.String(
        required=True,
        validate=[validate.Length(min=1, max=CODE_MAX), validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")],
        metadata={
            "description": "Letters (stored upper-case), digits, '.', '_', '-'; unique among the items a park sees"
        },
    )
    domain = ma.fields.String(required=True, validate=validate.OneOf(DOMAINS))
    kind = ma.fields.String(required=True, validate=validate.OneOf(library.KINDS))
    text = bounded_text(TEXT_MAX, min_length=1, required=True)
    legal_basis = bounded_text(LEGAL_BASIS_MAX, load_default="")
    major_criterion_ref = bounded_text(
        CRITERION_REF_MAX,
        min_length=1,
        allow_none=True,
        load_default=None,
        metadata={"description": "★ The major-hazard criterion a failure meets (e.g. 化工判定标准第12项)"},
    )
    verified = JsonBoolean(load_default=True)

    @ma.pre_load
    def _normalise_code(self, data, **_kwargs):
        if isinstance(data, dict) and isinstance(data.get("code"), str):
            data = {**data, "code": data["code"].upper()}
        return data


class CheckItemSchema(ma.Schema):
    """A check item as returned."""

    id = ma.fields.UUID(required=True)
    park_id = ma.fields.UUID(allow_none=True, required=True, metadata={"description": "null for library items"})
    code = ma.fields.String(required=True)
    domain = ma.fields.String(required=True)
    domain_name = ma.fields.Function(
        lambda item: library.domain_names().get(item.domain, item.domain), metadata={"type": "string"}
    )
    text = ma.fields.String(required=True)
    legal_basis = ma.fields.String(required=True)
    major_criterion_ref = ma.fields.String(allow_none=True, required=True)
    kind = ma.fields.String(required=True)
    verified = ma.fields.Boolean(required=True)
    created_by = ma.fields.UUID(allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)


class CheckItemListArgsSchema(PageArgsSchema):
    """Filters for the check-item list."""

    domain = ma.fields.String(validate=validate.OneOf(DOMAINS))
    kind = ma.fields.String(validate=validate.OneOf(library.KINDS))
    major_only = ma.fields.Boolean(metadata={"description": "Only ★ items (with a major_criterion_ref)"})
    q = bounded_text(100, metadata={"description": "Part of the text or the code"})
    origin = ma.fields.String(validate=validate.OneOf(ORIGINS), metadata={"description": "Library or park items"})
    park_id = ma.fields.UUID(metadata={"description": "Admins: the library and this park's items"})


class ChecklistTemplateCreateSchema(StrictSchema):
    """A new checklist template."""

    park_id = ma.fields.UUID(metadata={"description": "Required for admins; park managers create in their park"})
    name = bounded_text(TEMPLATE_NAME_MAX, min_length=1, required=True)
    description = bounded_text(TEMPLATE_DESCRIPTION_MAX, load_default="")
    domain = ma.fields.String(allow_none=True, load_default=None, validate=validate.OneOf(DOMAINS))
    item_ids = _item_ids(required=True)


class ChecklistTemplateUpdateSchema(StrictSchema):
    """Changes to a checklist template; `item_ids` replaces the whole list."""

    name = bounded_text(TEMPLATE_NAME_MAX, min_length=1)
    description = bounded_text(TEMPLATE_DESCRIPTION_MAX)
    domain = ma.fields.String(allow_none=True, validate=validate.OneOf(DOMAINS))
    item_ids = _item_ids()


class ChecklistTemplateSchema(ma.Schema):
    """A checklist template as returned."""

    id = ma.fields.UUID(required=True)
    park_id = ma.fields.UUID(required=True)
    name = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    domain = ma.fields.String(allow_none=True, required=True)
    item_ids = ma.fields.List(ma.fields.UUID(), required=True)
    version = ma.fields.Integer(required=True)
    created_by = ma.fields.UUID(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    updated_at = ma.fields.AwareDateTime(allow_none=True)


class ChecklistTemplateListArgsSchema(PageArgsSchema):
    """Filters for the template list."""

    domain = ma.fields.String(validate=validate.OneOf(DOMAINS))
    q = bounded_text(100, metadata={"description": "Part of the name"})
    park_id = ma.fields.UUID(metadata={"description": "Admins only: one park"})


class ChecklistTemplateItemsSchema(ma.Schema):
    """A template's check items in checklist order."""

    template_id = ma.fields.UUID(required=True)
    version = ma.fields.Integer(required=True)
    items = ma.fields.List(ma.fields.Nested(CheckItemSchema), required=True)


CheckItemPageSchema = page_schema(CheckItemSchema, "CheckItemPage")
ChecklistTemplatePageSchema = page_schema(ChecklistTemplateSchema, "ChecklistTemplatePage")
