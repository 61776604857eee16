"""Sync issues: phone operations the server refused or found in conflict, until someone marks them resolved
(issue 10).

Revision ID: 0011
Revises: 0014
Create Date: 2026-12-07 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import inspect_service.common.models

revision: str = "0011"
# Chained after the highest revision present when this was written (0014, a sibling helper's), so the history
# keeps one head; the numbers are reservations, not an order.
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    timestamp = inspect_service.common.models.UTCDateTime(timezone=True)
    json_type = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    op.create_table(
        "sync_issue",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("park_id", sa.Uuid(), nullable=True),
        sa.Column("enterprise_id", sa.Uuid(), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("op_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("op_kind", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("object_type", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("object_id", sa.Uuid(), nullable=True),
        sa.Column("operation", json_type, nullable=False),
        sa.Column("problem", json_type, nullable=False),
        sa.Column("created_at", timestamp, nullable=False),
        sa.Column("resolved_at", timestamp, nullable=True),
        sa.Column("resolved_by", sa.Uuid(), nullable=True),
        sa.Column("resolution_note", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["app_user.id"], name=op.f("fk_sync_issue_author_id_app_user")),
        sa.ForeignKeyConstraint(["park_id"], ["park.id"], name=op.f("fk_sync_issue_park_id_park")),
        sa.ForeignKeyConstraint(["resolved_by"], ["app_user.id"], name=op.f("fk_sync_issue_resolved_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_issue")),
        sa.UniqueConstraint("author_id", "op_id", name=op.f("uq_sync_issue_author_id_op_id")),
    )
    with op.batch_alter_table("sync_issue", schema=None) as batch_op:
        batch_op.create_index("ix_sync_issue_author_created_id", ["author_id", "created_at", "id"], unique=False)
        batch_op.create_index("ix_sync_issue_park_created_id", ["park_id", "created_at", "id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("sync_issue", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_issue_park_created_id")
        batch_op.drop_index("ix_sync_issue_author_created_id")
    op.drop_table("sync_issue")
