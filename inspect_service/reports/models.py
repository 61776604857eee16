"""Report jobs: a progress report or bulletin generated in the background, and its stored result."""

import uuid
from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from inspect_service.common.models import created_field, id_field, json_field, timestamp_field

KINDS = ("progress_report", "supervision_bulletin")
FORMATS = ("pdf", "xlsx")
STATUSES = ("queued", "running", "done", "failed")


class ReportJob(SQLModel, table=True):
    """A requested report: parameters in, status and progress while it runs, the stored file when done.

    A job created for a campaign milestone names it; `milestone_id` is unique, so each due milestone gets
    exactly one job however often the sweep runs.
    """

    __tablename__ = "report_job"
    __table_args__ = (
        Index("ix_report_job_status_created", "status", "created_at"),
        Index("ix_report_job_park_created_id", "park_id", "created_at", "id"),
    )

    id: uuid.UUID = id_field()
    park_id: uuid.UUID = Field(foreign_key="park.id")
    requested_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    milestone_id: uuid.UUID | None = Field(default=None, foreign_key="campaign_milestone.id", unique=True)
    kind: str = Field(max_length=32)
    format: str = Field(max_length=8)
    parameters: dict = json_field()
    status: str = Field(default="queued", max_length=16)
    progress: int = Field(default=0)
    attempts: int = Field(default=0)
    hazard_count: int = Field(default=0)
    result_key: str | None = Field(default=None, max_length=64)
    result_sha256: str | None = Field(default=None, max_length=64)
    result_size: int | None = None
    error: str | None = Field(default=None, max_length=500)
    created_at: datetime = created_field()
    started_at: datetime | None = timestamp_field()
    heartbeat_at: datetime | None = timestamp_field()
    finished_at: datetime | None = timestamp_field()
