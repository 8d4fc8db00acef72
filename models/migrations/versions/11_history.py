"""record when complaints and their history entries were written, so remade reports can name late data;
index the status change time, so a report as of T finds the complaints changed since, and cover the
statistics' columns in the received-time index

Revision ID: i11_history
Revises: i14a_casedesk
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = "i11_history"
down_revision = "i14a_casedesk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing rows were written when they say they happened, as far as anyone can tell.
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_at", models.base.UTCDateTime(), nullable=True))
    op.execute("UPDATE complaints SET recorded_at = received_at")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.alter_column("recorded_at", existing_type=models.base.UTCDateTime(), nullable=False)
        # Left empty for existing rows: a report then replays their history, which is always right.
        batch_op.add_column(sa.Column("previous_status", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("previous_changed_at", models.base.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_complaints_status_changed_at"), ["status_changed_at"], unique=False)
        batch_op.drop_index("ix_complaints_received_status")
        batch_op.create_index("ix_complaints_received_status", ["received_at", "status", "status_changed_at", "channel",
                                                                "category", "due_at"], unique=False)
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recorded_at", models.base.UTCDateTime(), nullable=True))
    op.execute('UPDATE complaint_events SET recorded_at = "at"')
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.alter_column("recorded_at", existing_type=models.base.UTCDateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.drop_column("recorded_at")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index("ix_complaints_received_status")
        batch_op.create_index("ix_complaints_received_status", ["received_at", "status"], unique=False)
        batch_op.drop_index(batch_op.f("ix_complaints_status_changed_at"))
        batch_op.drop_column("previous_changed_at")
        batch_op.drop_column("previous_status")
        batch_op.drop_column("recorded_at")
