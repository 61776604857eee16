"""Progress reports and supervision bulletins generated in the background (issue 5).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import inspect_service.common.models

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    timestamp = inspect_service.common.models.UTCDateTime(timezone=True)
    op.create_table(
        "report_job",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("park_id", sa.Uuid(), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("milestone_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("format", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column(
            "parameters", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("hazard_count", sa.Integer(), nullable=False),
        sa.Column("result_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("result_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("result_size", sa.Integer(), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("started_at", timestamp, nullable=True),
        sa.Column("heartbeat_at", timestamp, nullable=True),
        sa.Column("finished_at", timestamp, nullable=True),
        sa.ForeignKeyConstraint(
            ["milestone_id"], ["campaign_milestone.id"], name=op.f("fk_report_job_milestone_id_campaign_milestone")
        ),
        sa.ForeignKeyConstraint(["park_id"], ["park.id"], name=op.f("fk_report_job_park_id_park")),
        sa.ForeignKeyConstraint(["requested_by"], ["app_user.id"], name=op.f("fk_report_job_requested_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_job")),
        sa.UniqueConstraint("milestone_id", name=op.f("uq_report_job_milestone_id")),
    )
    with op.batch_alter_table("report_job", schema=None) as batch_op:
        batch_op.create_index("ix_report_job_park_created_id", ["park_id", "created_at", "id"], unique=False)
        batch_op.create_index("ix_report_job_status_created", ["status", "created_at"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("report_job", schema=None) as batch_op:
        batch_op.drop_index("ix_report_job_status_created")
        batch_op.drop_index("ix_report_job_park_created_id")
    op.drop_table("report_job")
