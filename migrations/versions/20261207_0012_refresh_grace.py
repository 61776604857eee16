"""Refresh grace window: a used refresh token remembers its successor pair (issue 10).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inspect_service.common.models

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("refresh_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("successor_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("access_jti", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("access_expires_at", inspect_service.common.models.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("refresh_token", schema=None) as batch_op:
        batch_op.drop_column("access_expires_at")
        batch_op.drop_column("access_jti")
        batch_op.drop_column("successor_id")
