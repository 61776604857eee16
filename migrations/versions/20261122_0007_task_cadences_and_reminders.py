"""Patrol cadences and their generated tasks; tasks completed by inspections and chased by the clock (issue 4).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import inspect_service.common.models

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "patrol_cadence",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("park_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
        sa.Column("rrule", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("risk_colors", JSON, nullable=False),
        sa.Column("enterprise_classes", JSON, nullable=False),
        sa.Column("lead_days", sa.Integer(), nullable=False),
        sa.Column("reminder_days", JSON, nullable=False),
        sa.Column("escalate", sa.Boolean(), nullable=False),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("generated_through", sa.Date(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", inspect_service.common.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", inspect_service.common.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["assignee_id"], ["app_user.id"], name=op.f("fk_patrol_cadence_assignee_id_app_user")),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_patrol_cadence_created_by_app_user")),
        sa.ForeignKeyConstraint(["park_id"], ["park.id"], name=op.f("fk_patrol_cadence_park_id_park")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrol_cadence")),
    )
    with op.batch_alter_table("patrol_cadence", schema=None) as batch_op:
        batch_op.create_index("ix_patrol_cadence_park_created_id", ["park_id", "created_at", "id"], unique=False)

    with op.batch_alter_table("inspection_task", schema=None) as batch_op:
        batch_op.alter_column("enterprise_id", existing_type=sa.Uuid(), nullable=True)
        batch_op.alter_column("campaign_id", existing_type=sa.Uuid(), nullable=True)
        batch_op.alter_column("phase_id", existing_type=sa.Uuid(), nullable=True)
        batch_op.alter_column(
            "kind",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=16),
            type_=sqlmodel.sql.sqltypes.AutoString(length=24),
            existing_nullable=False,
        )
        batch_op.add_column(sa.Column("cadence_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("occurrence_key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("completed_at", inspect_service.common.models.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("completed_by", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        batch_op.create_foreign_key(
            batch_op.f("fk_inspection_task_cadence_id_patrol_cadence"), "patrol_cadence", ["cadence_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_inspection_task_completed_by_app_user"), "app_user", ["completed_by"], ["id"]
        )
        batch_op.create_unique_constraint(batch_op.f("uq_inspection_task_occurrence_key"), ["occurrence_key"])
        batch_op.create_index(batch_op.f("ix_inspection_task_cadence_id"), ["cadence_id"], unique=False)
        batch_op.create_index("ix_inspection_task_park_created_id", ["park_id", "created_at", "id"], unique=False)
        batch_op.create_index("ix_inspection_task_status_due", ["status", "due_date"], unique=False)
    with op.batch_alter_table("inspection_task", schema=None) as batch_op:
        batch_op.alter_column("note", server_default=None)
        batch_op.alter_column("version", server_default=None)


def downgrade() -> None:
    """Revert this revision (cadence tasks, which have no campaign, are deleted)."""
    op.execute("DELETE FROM inspection_task WHERE campaign_id IS NULL")
    with op.batch_alter_table("inspection_task", schema=None) as batch_op:
        batch_op.drop_index("ix_inspection_task_status_due")
        batch_op.drop_index("ix_inspection_task_park_created_id")
        batch_op.drop_index(batch_op.f("ix_inspection_task_cadence_id"))
        batch_op.drop_constraint(batch_op.f("uq_inspection_task_occurrence_key"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_inspection_task_completed_by_app_user"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_inspection_task_cadence_id_patrol_cadence"), type_="foreignkey")
        batch_op.drop_column("version")
        batch_op.drop_column("completed_by")
        batch_op.drop_column("completed_at")
        batch_op.drop_column("note")
        batch_op.drop_column("occurrence_key")
        batch_op.drop_column("cadence_id")
        batch_op.alter_column(
            "kind",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=24),
            type_=sqlmodel.sql.sqltypes.AutoString(length=16),
            existing_nullable=False,
        )
        batch_op.alter_column("phase_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.alter_column("campaign_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.alter_column("enterprise_id", existing_type=sa.Uuid(), nullable=False)
    with op.batch_alter_table("patrol_cadence", schema=None) as batch_op:
        batch_op.drop_index("ix_patrol_cadence_park_created_id")
    op.drop_table("patrol_cadence")
