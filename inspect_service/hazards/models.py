"""Hazards (事故隐患) and their immutable event history."""

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index, Numeric, UniqueConstraint
from sqlmodel import Field, SQLModel

from inspect_service.common.models import UTCDateTime, created_field, id_field, json_field, timestamp_field


class Hazard(SQLModel, table=True):
    """One hazard of one enterprise, with the ledger's fields; status is server-owned."""

    __tablename__ = "hazard"
    __table_args__ = (
        UniqueConstraint("park_id", "hazard_no"),
        Index("ix_hazard_park_status_deadline", "park_id", "status", "deadline"),
        Index("ix_hazard_park_created_id", "park_id", "created_at", "id"),
        Index("ix_hazard_enterprise_created_id", "enterprise_id", "created_at", "id"),
    )

    id: uuid.UUID = id_field()
    park_id: uuid.UUID = Field(foreign_key="park.id")
    enterprise_id: uuid.UUID = Field(foreign_key="enterprise.id")
    inspection_id: uuid.UUID | None = Field(default=None, foreign_key="inspection.id", index=True)
    check_item_id: uuid.UUID | None = Field(default=None)
    hazard_no: str = Field(max_length=32)
    location_text: str = Field(default="", max_length=300)
    latitude: float | None = None
    longitude: float | None = None
    domain: str = Field(max_length=32)
    nature: str = Field(max_length=16)
    level: str = Field(max_length=16)
    local_grade: str | None = Field(default=None, max_length=32)
    source: str = Field(max_length=32)
    description: str = Field(max_length=4000)
    legal_basis: str = Field(default="", max_length=1000)
    rectify_mode: str = Field(max_length=16)
    accident_type: str | None = Field(default=None, max_length=64)
    suspected_major: bool = Field(default=False)
    major_criterion_ref: str | None = Field(default=None, max_length=200)
    responsible_person: str = Field(default="", max_length=100)
    measures: str = Field(default="", max_length=4000)
    funds: Decimal | None = Field(default=None, sa_type=Numeric(14, 2))
    deadline: date | None = None
    contingency_plan: str = Field(default="", max_length=4000)
    interim_measures: str = Field(default="", max_length=4000)
    acceptance_criteria: str = Field(default="", max_length=1000)
    acceptor: str = Field(default="", max_length=100)
    status: str = Field(max_length=32)
    closure_type: str | None = Field(default=None, max_length=32)
    round: int = Field(default=1)
    recheck_date: date | None = None
    is_listed: bool = Field(default=False)
    stop_order_active: bool = Field(default=False)
    repeat_of: uuid.UUID | None = Field(default=None, foreign_key="hazard.id")
    false_closure: bool = Field(default=False)
    details: dict = json_field()
    found_at: datetime | None = timestamp_field()
    found_by: uuid.UUID = Field(foreign_key="app_user.id")
    created_at: datetime = created_field()
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    closed_at: datetime | None = timestamp_field()  # when the closing happened: its device time, else receipt
    version: int = Field(default=1)
    payload_hash: str = Field(max_length=64)


class HazardEvent(SQLModel, table=True):
    """One state change or action on a hazard; never edited."""

    __tablename__ = "hazard_event"
    __table_args__ = (Index("ix_hazard_event_hazard_at", "hazard_id", "at"),)

    id: uuid.UUID = id_field()
    park_id: uuid.UUID = Field(foreign_key="park.id")
    enterprise_id: uuid.UUID = Field(foreign_key="enterprise.id", index=True)
    hazard_id: uuid.UUID = Field(foreign_key="hazard.id")
    action: str = Field(max_length=32)
    from_status: str | None = Field(default=None, max_length=32)
    to_status: str = Field(max_length=32)
    actor_id: uuid.UUID = Field(foreign_key="app_user.id")
    at: datetime = created_field()
    occurred_at: datetime | None = timestamp_field()
    payload: dict = json_field()
