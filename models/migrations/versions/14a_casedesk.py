"""case desk: reference numbers, assignment, forwarding, sealed subject, two-way follow-up

Revision ID: i14a_casedesk
Revises: i13_no_gift
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = "i14a_casedesk"
down_revision = "i13_no_gift"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("reference_counters",
                    sa.Column("year", sa.Integer(), nullable=False),
                    sa.Column("last", sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint("year", name=op.f("pk_reference_counters")))
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference_year", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reference_number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("assigned_staff_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("division", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("forwarded_to", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("forwarded_at", models.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("subject_sealed", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("citizen_wrote_at", models.base.UTCDateTime(), nullable=True))
        batch_op.create_unique_constraint("uq_complaints_reference", ["reference_year", "reference_number"])
        batch_op.create_index(batch_op.f("ix_complaints_assigned_staff_id"), ["assigned_staff_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaints_division"), ["division"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_complaints_assigned_staff_id_staff_users"), "staff_users",
                                    ["assigned_staff_id"], ["id"])
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=16), nullable=True))
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shared_with_citizen", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("event_seq", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_column("event_seq")
        batch_op.drop_column("shared_with_citizen")
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_complaints_assigned_staff_id_staff_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_complaints_division"))
        batch_op.drop_index(batch_op.f("ix_complaints_assigned_staff_id"))
        batch_op.drop_constraint("uq_complaints_reference", type_="unique")
        for column in ("citizen_wrote_at", "subject_sealed", "forwarded_at", "forwarded_to", "division",
                       "assigned_staff_id", "reference_number", "reference_year"):
            batch_op.drop_column(column)
    op.drop_table("reference_counters")
