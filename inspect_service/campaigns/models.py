"""Campaigns (大检查/专项行动), their phases on the clock, milestones and history."""

import uuid
from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from inspect_service.common.models import UTCDateTime, created_field, id_field, json_field, timestamp_field


class Campaign(SQLModel, table=True):
    """A park's campaign for a year."""

    __tablename__ = "campaign"

    id: uuid.UUID = id_field()
    park_id: uuid.UUID = Field(foreign_key="park.id", index=True)
    name: str = Field(max_length=200)
    year: int
    kind: str = Field(max_length=32)
    scope_domains: list = json_field(list)
    scope_enterprise_ids: list = json_field(list)
    created_by: uuid.UUID = Field(foreign_key="app_user.id")
    created_at: datetime = created_field()
    updated_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    version: int = Field(default=1)


class Phase(SQLModel, table=True):
    """One phase; opens and closes by the park's local date (planned → open → closed)."""

    __tablename__ = "campaign_phase"
    __table_args__ = (Index("ix_campaign_phase_status_dates", "status", "start_date", "end_date"),)

    id: uuid.UUID = id_field()
    campaign_id: uuid.UUID = Field(foreign_key="campaign.id", index=True)
    park_id: uuid.UUID = Field(foreign_key="park.id")
    kind: str = Field(max_length=32)
    name: str = Field(max_length=200)
    position: int
    start_date: date
    end_date: date
    deliverables: str = Field(default="", max_length=2000)
    status: str = Field(default="planned", max_length=16)
    opened_at: datetime | None = timestamp_field()
    closed_at: datetime | None = timestamp_field()
    version: int = Field(default=1)


class Milestone(SQLModel, table=True):
    """A dated deliverable of the campaign (reports, monthly self-check reports)."""

    __tablename__ = "campaign_milestone"

    id: uuid.UUID = id_field()
    campaign_id: uuid.UUID = Field(foreign_key="campaign.id", index=True)
    park_id: uuid.UUID = Field(foreign_key="park.id")
    kind: str = Field(max_length=32)
    name: str = Field(max_length=200)
    due_date: date = Field(index=True)


class CampaignEvent(SQLModel, table=True):
    """A phase opened, closed, closed early or extended; never edited."""

    __tablename__ = "campaign_event"

    id: uuid.UUID = id_field()
    campaign_id: uuid.UUID = Field(foreign_key="campaign.id", index=True)
    phase_id: uuid.UUID | None = Field(default=None, foreign_key="campaign_phase.id")
    action: str = Field(max_length=32)
    actor_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    at: datetime = created_field()
    payload: dict = json_field()


class InspectionTask(SQLModel, table=True):
    """An inspection task: a campaign phase's (self-check, spot check, supervision), generated when the phase
    opens, or a patrol cadence's occurrence (self-patrol, park patrol, supervision bulletin), generated ahead."""

    __tablename__ = "inspection_task"
    __table_args__ = (
        UniqueConstraint("phase_id", "enterprise_id", "kind"),
        Index("ix_inspection_task_campaign_created_id", "campaign_id", "created_at", "id"),
        Index("ix_inspection_task_park_created_id", "park_id", "created_at", "id"),
        Index("ix_inspection_task_status_due", "status", "due_date"),
    )

    id: uuid.UUID = id_field()
    park_id: uuid.UUID = Field(foreign_key="park.id", index=True)
    enterprise_id: uuid.UUID | None = Field(default=None, foreign_key="enterprise.id", index=True)
    campaign_id: uuid.UUID | None = Field(default=None, foreign_key="campaign.id")
    phase_id: uuid.UUID | None = Field(default=None, foreign_key="campaign_phase.id")
    cadence_id: uuid.UUID | None = Field(default=None, foreign_key="patrol_cadence.id", index=True)
    occurrence_key: str | None = Field(default=None, max_length=100, unique=True)  # cadence:enterprise:date
    kind: str = Field(max_length=24)
    group: str | None = Field(default=None, max_length=32)
    assignee_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id", index=True)
    due_date: date
    status: str = Field(default="open", max_length=16)
    inspection_id: uuid.UUID | None = Field(default=None, foreign_key="inspection.id")
    note: str = Field(default="", max_length=1000)
    completed_at: datetime | None = timestamp_field()
    completed_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = created_field()
    version: int = Field(default=1)


class PatrolCadence(SQLModel, table=True):
    """A recurring patrol rule (RRULE in the park's zone) whose occurrences become tasks `lead_days` ahead."""

    __tablename__ = "patrol_cadence"
    __table_args__ = (Index("ix_patrol_cadence_park_created_id", "park_id", "created_at", "id"),)

    id: uuid.UUID = id_field()
    park_id: uuid.UUID = Field(foreign_key="park.id")
    name: str = Field(max_length=200)
    kind: str = Field(max_length=24)
    rrule: str = Field(max_length=200)
    starts_on: date
    ends_on: date | None = None
    risk_colors: list = json_field(list)  # empty: every colour
    enterprise_classes: list = json_field(list)  # empty: every class
    lead_days: int = Field(default=7)
    reminder_days: list = json_field(list)
    escalate: bool = Field(default=True)
    assignee_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    active: bool = Field(default=True)
    generated_through: date | None = None
    created_by: uuid.UUID = Field(foreign_key="app_user.id")
    created_at: datetime = created_field()
    updated_at: datetime | None = timestamp_field()
    version: int = Field(default=1)


class SamplingDraw(SQLModel, table=True):
    """The recorded spot-check draw of a phase: seed and rules reproduce `selected_enterprise_ids` exactly."""

    __tablename__ = "sampling_draw"

    id: uuid.UUID = id_field()
    phase_id: uuid.UUID = Field(foreign_key="campaign_phase.id", unique=True)
    seed: int
    rules: dict = json_field()
    selected_enterprise_ids: list = json_field(list)
    created_at: datetime = created_field()
    created_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
