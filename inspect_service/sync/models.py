"""The change feed: one entry per change, numbered at commit so the order never goes back."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from inspect_service.common.models import created_field, id_field, json_field, timestamp_field

ISSUE_KINDS = ("conflict", "rejected")
ISSUE_STATUSES = ("open", "resolved")
NOTE_MAX = 2000


class ChangeEntry(SQLModel, table=True):
    """An object changed (upsert), disappeared (delete) or left one user's scope (scope_remove)."""

    __tablename__ = "change_entry"
    __table_args__ = (Index("ix_change_entry_park_seq", "park_id", "seq"),)

    id: uuid.UUID = id_field()
    seq: int | None = Field(default=None, sa_type=BigInteger, unique=True)
    local_ord: int = Field(default=0)
    park_id: uuid.UUID = Field(foreign_key="park.id")
    enterprise_id: uuid.UUID | None = Field(default=None)
    user_id: uuid.UUID | None = Field(default=None, index=True)
    entity: str = Field(max_length=32)
    entity_id: uuid.UUID
    op: str = Field(max_length=16)
    at: datetime = created_field()


class FeedCounter(SQLModel, table=True):
    """The single row that numbers the feed; its lock orders concurrent commits."""

    __tablename__ = "feed_counter"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0, sa_type=BigInteger)
    purged_through: int = Field(default=0, sa_type=BigInteger)


class SyncIssue(SQLModel, table=True):
    """A phone operation the server refused (4xx) or found in conflict (409): work for its author and the park."""

    __tablename__ = "sync_issue"
    __table_args__ = (
        UniqueConstraint("author_id", "op_id"),
        Index("ix_sync_issue_park_created_id", "park_id", "created_at", "id"),
        Index("ix_sync_issue_author_created_id", "author_id", "created_at", "id"),
    )

    id: uuid.UUID = id_field()
    park_id: uuid.UUID | None = Field(default=None, foreign_key="park.id")
    enterprise_id: uuid.UUID | None = Field(default=None)
    author_id: uuid.UUID = Field(foreign_key="app_user.id")
    kind: str = Field(max_length=16)
    status: str = Field(default="open", max_length=16)
    op_id: str = Field(max_length=64)
    op_kind: str = Field(max_length=64)
    object_type: str | None = Field(default=None, max_length=32)
    object_id: uuid.UUID | None = Field(default=None)
    operation: dict = json_field()
    problem: dict = json_field()
    created_at: datetime = created_field()
    resolved_at: datetime | None = timestamp_field()
    resolved_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    resolution_note: str = Field(default="", max_length=NOTE_MAX)
    version: int = Field(default=1)
