"""Progress reports and supervision bulletins generated in the background (issue 5).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 10:30:00
"""

from collections.abc import Sequence

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""


def downgrade() -> None:
    """Revert this revision."""
