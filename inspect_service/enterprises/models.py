"""Enterprise: a company inside a park."""

import uuid
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from inspect_service.common.models import created_field, id_field, json_field, timestamp_field


class Enterprise(SQLModel, table=True):
    """An enterprise under the park's supervision."""

    __tablename__ = "enterprise"
    __table_args__ = (
        UniqueConstraint("park_id", "credit_code"),
        Index("ix_enterprise_park_name_id", "park_id", "name", "id"),
    )

    id: uuid.UUID = id_field()
    park_id: uuid.UUID = Field(foreign_key="park.id", index=True)
    name: str = Field(max_length=200)
    credit_code: str = Field(max_length=18)
    address: str = Field(default="", max_length=300)
    industry: str = Field(default="", max_length=100)
    enterprise_class: int = Field(default=3)
    risk_color: str = Field(default="blue", max_length=10)
    tags: list = json_field(list)
    latitude: float | None = None
    longitude: float | None = None
    principal_name: str = Field(default="", max_length=100)
    principal_phone: str = Field(default="", max_length=32)
    safety_officer_name: str = Field(default="", max_length=100)
    safety_officer_phone: str = Field(default="", max_length=32)
    version: int = Field(default=1)
    created_at: datetime = created_field()
    updated_at: datetime | None = timestamp_field()
