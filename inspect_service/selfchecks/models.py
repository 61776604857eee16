"""Enterprise monthly self-check reports (自查自纠月报) and their immutable history."""

import uuid
from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from inspect_service.common.models import UTCDateTime, created_field, id_field, json_field, timestamp_field

NARRATIVE_MAX = 4000
REASON_MAX = 1000
STATUSES = ("draft", "submitted", "returned", "signed_off")


class SelfCheckReport(SQLModel, table=True):
    """One enterprise's report for one month: server-computed figures, the officer's narrative, the principal's
    sign-off. `period` is the first day of the month reported on; `due_date` is inclusive, in the park's zone."""

    __tablename__ = "self_check_report"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "period"),
        Index("ix_self_check_report_park_period", "park_id", "period"),
        Index("ix_self_check_report_park_created_id", "park_id", "created_at", "id"),
    )

    id: uuid.UUID = id_field()
    park_id: uuid.UUID = Field(foreign_key="park.id")
    enterprise_id: uuid.UUID = Field(foreign_key="enterprise.id")
    period: date
    due_date: date
    status: str = Field(default="draft", max_length=16)
    figures: dict = json_field()
    checks_summary: str = Field(default="", max_length=NARRATIVE_MAX)
    rectification_summary: str = Field(default="", max_length=NARRATIVE_MAX)
    open_hazards_measures: str = Field(default="", max_length=NARRATIVE_MAX)
    remarks: str = Field(default="", max_length=NARRATIVE_MAX)
    published_internally_on: date | None = None
    figures_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    first_submitted_at: datetime | None = timestamp_field()
    submitted_at: datetime | None = timestamp_field()
    submitted_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    late: bool = Field(default=False)
    signed_off_at: datetime | None = timestamp_field()
    signed_off_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    return_reason: str | None = Field(default=None, max_length=REASON_MAX)
    created_by: uuid.UUID = Field(foreign_key="app_user.id")
    created_at: datetime = created_field()
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    version: int = Field(default=1)


class SelfCheckReportEvent(SQLModel, table=True):
    """One change of a report (created, edited, submitted, returned, signed off); never edited."""

    __tablename__ = "self_check_report_event"
    __table_args__ = (Index("ix_self_check_report_event_report_at", "report_id", "at"),)

    id: uuid.UUID = id_field()
    report_id: uuid.UUID = Field(foreign_key="self_check_report.id")
    park_id: uuid.UUID = Field(foreign_key="park.id")
    enterprise_id: uuid.UUID = Field(foreign_key="enterprise.id", index=True)
    action: str = Field(max_length=32)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    actor_id: uuid.UUID = Field(foreign_key="app_user.id")
    at: datetime = created_field()
    payload: dict = json_field()
