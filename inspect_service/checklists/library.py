"""The national check-item library: library.yaml read, validated and upserted into check_item."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import marshmallow as ma
import yaml
from marshmallow import validate
from sqlmodel import Session, select

from inspect_service.checklists.models import (
    CODE_MAX,
    CRITERION_REF_MAX,
    LEGAL_BASIS_MAX,
    TEXT_MAX,
    CheckItem,
)
from inspect_service.common.schemas import JsonBoolean, StrictSchema
from inspect_service.common.schemas import text as bounded_text

LIBRARY_PATH = Path(__file__).with_name("library.yaml")
KINDS = ("management", "field")
CODE_PATTERN = r"^[A-Z0-9][A-Z0-9._-]*$"
REF_SEPARATOR = "；"


class LibraryError(ValueError):
    """library.yaml is malformed; the message names the fields."""


@dataclass(frozen=True)
class Library:
    """The parsed library: domain names, criterion documents and the items in file order."""

    domains: dict[str, str]
    criteria: dict[str, str]
    items: tuple[dict, ...]


@dataclass(frozen=True)
class LoadResult:
    """What one load did to the library items."""

    created: int
    updated: int
    unchanged: int


class _ItemSchema(StrictSchema):
    code = ma.fields.String(required=True, validate=[validate.Length(max=CODE_MAX), validate.Regexp(CODE_PATTERN)])
    domain = ma.fields.String(required=True)
    kind = ma.fields.String(required=True, validate=validate.OneOf(KINDS))
    text = bounded_text(TEXT_MAX, min_length=1, required=True)
    legal_basis = bounded_text(LEGAL_BASIS_MAX, required=True)
    major_criterion_ref = bounded_text(CRITERION_REF_MAX, min_length=1, required=True, allow_none=True)
    verified = JsonBoolean(required=True)


class _FileSchema(StrictSchema):
    version = ma.fields.Integer(required=True, strict=True, validate=validate.Equal(1))
    domains = ma.fields.Dict(
        keys=ma.fields.String(validate=validate.Regexp(r"^[a-z][a-z_]*$")),
        values=bounded_text(20, min_length=1),
        required=True,
        validate=validate.Length(min=1),
    )
    criteria = ma.fields.Dict(
        keys=bounded_text(50, min_length=1), values=bounded_text(200, min_length=1), required=True
    )
    items = ma.fields.List(ma.fields.Nested(_ItemSchema), required=True, validate=validate.Length(min=1))

    @ma.validates_schema
    def _consistent(self, data, **_kwargs):
        errors: dict[str, list[str]] = {}
        codes = [item["code"] for item in data["items"]]
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            errors.setdefault(code, []).append("Code used twice.")
        for item in data["items"]:
            if item["domain"] not in data["domains"]:
                errors.setdefault(item["code"], []).append(f"Unknown domain {item['domain']!r}.")
            for ref in (item["major_criterion_ref"] or "").split(REF_SEPARATOR):
                if ref and not any(ref.startswith(name) for name in data["criteria"]):
                    errors.setdefault(item["code"], []).append(f"Criterion {ref!r} names no document in `criteria`.")
        if errors:
            raise ma.ValidationError(errors, "items")


def parse(source: str) -> Library:
    """Parse and validate the text of a library file."""
    try:
        data = _FileSchema().load(yaml.safe_load(source))
    except (yaml.YAMLError, TypeError) as exc:
        raise LibraryError(f"library file is not a YAML mapping: {exc}") from exc
    except ma.ValidationError as exc:
        raise LibraryError(f"library file is invalid: {exc.messages}") from exc
    return Library(domains=data["domains"], criteria=data["criteria"], items=tuple(data["items"]))


@cache
def read_library() -> Library:
    """The packaged library, read once per process."""
    return parse(LIBRARY_PATH.read_text(encoding="utf-8"))


def domain_names() -> dict[str, str]:
    """Domain code → Chinese name, in file order."""
    return read_library().domains


def load_library(*, session: Session) -> LoadResult:
    """Upsert the packaged library items by code; idempotent, and never deletes an item."""
    items = read_library().items
    existing = {item.code: item for item in session.exec(select(CheckItem).where(CheckItem.park_id.is_(None)))}
    changed = []
    for entry in items:
        item = existing.get(entry["code"])
        if item is None:
            item = CheckItem(**entry)
        elif any(getattr(item, key) != value for key, value in entry.items()):
            for key, value in entry.items():
                setattr(item, key, value)
        else:
            continue
        session.add(item)
        changed.append(item)
    session.flush()
    created = sum(1 for item in changed if item.code not in existing)
    updated = len(changed) - created
    from inspect_service.checklists import service  # the feed's recording rule lives with the items' service

    service.record_items(session, changed)
    return LoadResult(created=created, updated=updated, unchanged=len(items) - created - updated)
