"""Photo: an uploaded picture of an enterprise, re-encoded and stored by content hash."""

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from inspect_service.common.models import created_field, id_field, timestamp_field


class Photo(SQLModel, table=True):
    """A re-encoded photo; its bytes and thumbnail live in the storage under their SHA-256."""

    __tablename__ = "photo"

    id: uuid.UUID = id_field()
    park_id: uuid.UUID = Field(foreign_key="park.id", index=True)
    enterprise_id: uuid.UUID = Field(foreign_key="enterprise.id", index=True)
    role: str = Field(max_length=16)
    sha256: str = Field(max_length=64)
    original_sha256: str = Field(max_length=64)
    content_type: str = Field(max_length=32)
    width: int
    height: int
    size_bytes: int
    thumb_sha256: str = Field(max_length=64)
    captured_at: datetime | None = timestamp_field()
    latitude: float | None = None
    longitude: float | None = None
    uploaded_by: uuid.UUID = Field(foreign_key="app_user.id")
    created_at: datetime = created_field()
    payload_hash: str = Field(max_length=64)
