"""Issued documents, numbering and verification (issue 5).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import inspect_service.common.models

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
UTC = inspect_service.common.models.UTCDateTime


def _string(length: int):
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "document",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("park_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("doc_type", _string(32), nullable=False),
        sa.Column("variant", _string(32), nullable=False),
        sa.Column("counter_kind", _string(32), nullable=False),
        sa.Column("number", _string(100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", _string(16), nullable=False),
        sa.Column("supersedes_id", sa.Uuid(), nullable=True),
        sa.Column("subject_id", sa.Uuid(), nullable=True),
        sa.Column("view_model", JSON, nullable=False),
        sa.Column("content_sha256", _string(64), nullable=False),
        sa.Column("sha256", _string(64), nullable=False),
        sa.Column("storage_key", _string(64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("issued_by", sa.Uuid(), nullable=False),
        sa.Column("issued_at", UTC(timezone=True), nullable=False),
        sa.Column("acknowledged_at", UTC(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.Uuid(), nullable=True),
        sa.Column("voided_at", UTC(timezone=True), nullable=True),
        sa.Column("void_reason", _string(2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"], ["app_user.id"], name=op.f("fk_document_acknowledged_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprise.id"], name=op.f("fk_document_enterprise_id_enterprise")
        ),
        sa.ForeignKeyConstraint(["issued_by"], ["app_user.id"], name=op.f("fk_document_issued_by_app_user")),
        sa.ForeignKeyConstraint(["park_id"], ["park.id"], name=op.f("fk_document_park_id_park")),
        sa.ForeignKeyConstraint(["supersedes_id"], ["document.id"], name=op.f("fk_document_supersedes_id_document")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint(
            "park_id", "counter_kind", "year", "seq", name=op.f("uq_document_park_id_counter_kind_year_seq")
        ),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index("ix_document_enterprise_issued_id", ["enterprise_id", "issued_at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_number"), ["number"], unique=False)
        batch_op.create_index("ix_document_park_issued_id", ["park_id", "issued_at", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_subject_id"), ["subject_id"], unique=False)

    op.create_table(
        "document_hazard",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("hazard_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_document_hazard_document_id_document")),
        sa.ForeignKeyConstraint(["hazard_id"], ["hazard.id"], name=op.f("fk_document_hazard_hazard_id_hazard")),
        sa.PrimaryKeyConstraint("document_id", "hazard_id", name=op.f("pk_document_hazard")),
    )
    with op.batch_alter_table("document_hazard", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_hazard_hazard_id"), ["hazard_id"], unique=False)

    op.create_table(
        "document_event",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("park_id", sa.Uuid(), nullable=False),
        sa.Column("action", _string(32), nullable=False),
        sa.Column("from_status", _string(16), nullable=True),
        sa.Column("to_status", _string(16), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("at", UTC(timezone=True), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["app_user.id"], name=op.f("fk_document_event_actor_id_app_user")),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_document_event_document_id_document")),
        sa.ForeignKeyConstraint(["park_id"], ["park.id"], name=op.f("fk_document_event_park_id_park")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_event")),
    )
    with op.batch_alter_table("document_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_event_document_id"), ["document_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("document_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_event_document_id"))
    op.drop_table("document_event")
    with op.batch_alter_table("document_hazard", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_hazard_hazard_id"))
    op.drop_table("document_hazard")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_subject_id"))
        batch_op.drop_index("ix_document_park_issued_id")
        batch_op.drop_index(batch_op.f("ix_document_number"))
        batch_op.drop_index("ix_document_enterprise_issued_id")
    op.drop_table("document")
