"""Inspections (排查/检查) and their per-item results."""

import uuid
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from inspect_service.common.models import UTCDateTime, created_field, id_field, json_field, timestamp_field


class Inspection(SQLModel, table=True):
    """One visit to one enterprise by one or more inspectors (or the enterprise's own self-check)."""

    __tablename__ = "inspection"
    __table_args__ = (Index("ix_inspection_enterprise_started", "enterprise_id", "started_at"),)

    id: uuid.UUID = id_field()
    park_id: uuid.UUID = Field(foreign_key="park.id", index=True)
    enterprise_id: uuid.UUID = Field(foreign_key="enterprise.id")
    phase_id: uuid.UUID | None = Field(default=None, index=True)
    template_id: uuid.UUID | None = Field(default=None)
    source: str = Field(max_length=32)
    inspection_type: str = Field(max_length=32)
    methods: list = json_field(list)
    unannounced: bool = Field(default=False)
    inspector_ids: list = json_field(list)
    started_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    ended_at: datetime | None = timestamp_field()
    place: str = Field(default="", max_length=300)
    site_rep_name: str = Field(default="", max_length=100)
    site_rep_role: str = Field(default="", max_length=100)
    site_rep_signature_photo_id: uuid.UUID | None = None
    site_rep_refused: bool = Field(default=False)
    refusal_evidence_photo_ids: list = json_field(list)
    witness_name: str = Field(default="", max_length=100)
    note: str = Field(default="", max_length=2000)
    created_by: uuid.UUID = Field(foreign_key="app_user.id")
    created_at: datetime = created_field()
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    version: int = Field(default=1)
    payload_hash: str = Field(max_length=64)


class InspectionResult(SQLModel, table=True):
    """The outcome of one check item in one inspection."""

    __tablename__ = "inspection_result"
    __table_args__ = (UniqueConstraint("inspection_id", "check_item_id"),)

    id: uuid.UUID = id_field()
    inspection_id: uuid.UUID = Field(foreign_key="inspection.id", index=True)
    park_id: uuid.UUID = Field(foreign_key="park.id")
    enterprise_id: uuid.UUID = Field(foreign_key="enterprise.id", index=True)
    check_item_id: uuid.UUID
    result: str = Field(max_length=16)
    note: str = Field(default="", max_length=2000)
    photo_ids: list = json_field(list)
    hazard_id: uuid.UUID | None = Field(default=None, foreign_key="hazard.id")
    created_by: uuid.UUID = Field(foreign_key="app_user.id")
    created_at: datetime = created_field()
    payload_hash: str = Field(max_length=64)
