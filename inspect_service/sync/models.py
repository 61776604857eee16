"""The change feed: one entry per change, numbered at commit so the order never goes back."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Index
from sqlmodel import Field, SQLModel

from inspect_service.common.models import created_field, id_field


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
