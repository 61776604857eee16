"""User accounts and liaison officers' enterprise portfolios."""

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from inspect_service.common.models import UTCDateTime, created_field, id_field, timestamp_field

ROLES = ("admin", "park_manager", "inspector", "enterprise_safety_officer", "enterprise_principal")
PARK_ROLES = ("park_manager", "inspector")
ENTERPRISE_ROLES = ("enterprise_safety_officer", "enterprise_principal")
INSPECTOR_KINDS = ("park_staff", "liaison_officer", "third_party_expert", "enforcement_officer")
PORTFOLIO_KINDS = ("liaison_officer", "third_party_expert")


class User(SQLModel, table=True):
    """A person who signs in."""

    __tablename__ = "app_user"

    id: uuid.UUID = id_field()
    username: str = Field(max_length=64, unique=True)
    display_name: str = Field(max_length=100)
    phone: str = Field(default="", max_length=32)
    email: str = Field(default="", max_length=254)
    role: str = Field(max_length=32)
    inspector_kind: str | None = Field(default=None, max_length=32)
    cert_no: str | None = Field(default=None, max_length=64)
    park_id: uuid.UUID | None = Field(default=None, foreign_key="park.id", index=True)
    enterprise_id: uuid.UUID | None = Field(default=None, foreign_key="enterprise.id", index=True)
    disabled: bool = Field(default=False)
    password_hash: str = Field(max_length=255)
    password_changed_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    version: int = Field(default=1)
    created_at: datetime = created_field()
    updated_at: datetime | None = timestamp_field()


class PortfolioEntry(SQLModel, table=True):
    """An enterprise a liaison officer (or commissioned expert) is responsible for."""

    __tablename__ = "portfolio_entry"

    user_id: uuid.UUID = Field(foreign_key="app_user.id", primary_key=True)
    enterprise_id: uuid.UUID = Field(foreign_key="enterprise.id", primary_key=True, index=True)
    park_id: uuid.UUID = Field(foreign_key="park.id", index=True)
    created_at: datetime = created_field()
