"""Park: the tenant."""

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from inspect_service.common.models import created_field, id_field, json_field, timestamp_field


class Park(SQLModel, table=True):
    """An industrial park; every tenant row belongs to one."""

    __tablename__ = "park"

    id: uuid.UUID = id_field()
    name: str = Field(max_length=200)
    short_name: str = Field(max_length=20, unique=True)
    timezone: str = Field(default="Asia/Shanghai", max_length=64)
    settings: dict = json_field()
    version: int = Field(default=1)
    created_at: datetime = created_field()
    updated_at: datetime | None = timestamp_field()
