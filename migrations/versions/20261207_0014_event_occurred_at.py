"""Device time of a hazard action, stored beside the server's receipt time (issue 10).

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import inspect_service.common.models

revision: str = "0014"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("hazard_event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("occurred_at", inspect_service.common.models.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("hazard_event", schema=None) as batch_op:
        batch_op.drop_column("occurred_at")
