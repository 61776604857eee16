"""Issued documents (文书): numbered, frozen, stored by hash; their hazards and their event history."""

import uuid
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from inspect_service.common.models import created_field, id_field, json_field, timestamp_field


class Document(SQLModel, table=True):
    """One issued document; its bytes and view-model never change (status alone moves)."""

    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint("park_id", "counter_kind", "year", "seq"),
        Index("ix_document_park_issued_id", "park_id", "issued_at", "id"),
        Index("ix_document_enterprise_issued_id", "enterprise_id", "issued_at", "id"),
    )

    id: uuid.UUID = id_field()
    park_id: uuid.UUID = Field(foreign_key="park.id")
    enterprise_id: uuid.UUID = Field(foreign_key="enterprise.id")
    doc_type: str = Field(max_length=32)
    variant: str = Field(default="", max_length=32)
    counter_kind: str = Field(max_length=32)
    number: str = Field(max_length=100, index=True)
    year: int
    seq: int
    status: str = Field(default="issued", max_length=16)
    supersedes_id: uuid.UUID | None = Field(default=None, foreign_key="document.id")
    subject_id: uuid.UUID | None = Field(default=None, index=True)
    view_model: dict = json_field()
    content_sha256: str = Field(max_length=64)
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=64)
    size_bytes: int
    issued_by: uuid.UUID = Field(foreign_key="app_user.id")
    issued_at: datetime = created_field()
    acknowledged_at: datetime | None = timestamp_field()
    acknowledged_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    voided_at: datetime | None = timestamp_field()
    void_reason: str = Field(default="", max_length=2000)


class DocumentHazard(SQLModel, table=True):
    """A hazard a document names (the items of a notice or recheck opinion)."""

    __tablename__ = "document_hazard"

    document_id: uuid.UUID = Field(foreign_key="document.id", primary_key=True)
    hazard_id: uuid.UUID = Field(foreign_key="hazard.id", primary_key=True, index=True)
    position: int


class DocumentEvent(SQLModel, table=True):
    """Issue, supersede, void or acknowledge; never edited."""

    __tablename__ = "document_event"

    id: uuid.UUID = id_field()
    document_id: uuid.UUID = Field(foreign_key="document.id", index=True)
    park_id: uuid.UUID = Field(foreign_key="park.id")
    action: str = Field(max_length=32)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    actor_id: uuid.UUID = Field(foreign_key="app_user.id")
    at: datetime = created_field()
    payload: dict = json_field()
