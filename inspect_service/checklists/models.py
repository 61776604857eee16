"""Check items (the national library and parks' own) and the checklist templates composed from them."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from inspect_service.common.models import created_field, id_field, json_field, timestamp_field

CODE_MAX = 20
DOMAIN_MAX = 32
KIND_MAX = 16
TEXT_MAX = 500
LEGAL_BASIS_MAX = 500
CRITERION_REF_MAX = 200
TEMPLATE_NAME_MAX = 100
TEMPLATE_DESCRIPTION_MAX = 2000
TEMPLATE_ITEMS_MAX = 300

_LIBRARY_ROW = sa.text("park_id IS NULL")


class CheckItem(SQLModel, table=True):
    """One check item (检查项): a library item when park_id is NULL, else a park's own item."""

    __tablename__ = "check_item"
    __table_args__ = (
        # Unique per park; NULLs never collide in a unique constraint, so library codes need the partial index.
        sa.UniqueConstraint("park_id", "code"),
        sa.Index(
            "uq_check_item_library_code",
            "code",
            unique=True,
            sqlite_where=_LIBRARY_ROW,
            postgresql_where=_LIBRARY_ROW,
        ),
        sa.Index("ix_check_item_code_id", "code", "id"),
    )

    id: uuid.UUID = id_field()
    park_id: uuid.UUID | None = Field(default=None, foreign_key="park.id", index=True)
    code: str = Field(max_length=CODE_MAX)
    domain: str = Field(max_length=DOMAIN_MAX)
    text: str = Field(max_length=TEXT_MAX)
    legal_basis: str = Field(default="", max_length=LEGAL_BASIS_MAX)
    major_criterion_ref: str | None = Field(default=None, max_length=CRITERION_REF_MAX)
    kind: str = Field(max_length=KIND_MAX)
    verified: bool = Field(default=True)
    created_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = created_field()


class ChecklistTemplate(SQLModel, table=True):
    """A park's checklist (检查表): an ordered selection of library and park items."""

    __tablename__ = "checklist_template"
    __table_args__ = (sa.UniqueConstraint("park_id", "name"),)  # also serves the by-name keyset of a park

    id: uuid.UUID = id_field()
    park_id: uuid.UUID = Field(foreign_key="park.id", index=True)
    name: str = Field(max_length=TEMPLATE_NAME_MAX)
    description: str = Field(default="", max_length=TEMPLATE_DESCRIPTION_MAX)
    domain: str | None = Field(default=None, max_length=DOMAIN_MAX)
    item_ids: list = json_field(list)  # check item ids as strings, in checklist order
    version: int = Field(default=1)
    created_by: uuid.UUID = Field(foreign_key="app_user.id")
    created_at: datetime = created_field()
    updated_at: datetime | None = timestamp_field()
