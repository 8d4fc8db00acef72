"""monthly roll-ups of the ratings (per month, service point, aspect and score; respondents per channel),
kept current by triggers and filled from the existing ratings; complaint snapshots at month and day boundaries,
dropped by triggers when a late write would falsify them; due dates and history entries indexed by time

Revision ID: i15_statistics_rollups
Revises: i10_reader_certificates
"""
from alembic import op
import sqlalchemy as sa
import models.base

from models.rollup import create_triggers, drop_triggers, rebuild


revision = "i15_statistics_rollups"
down_revision = "i10_reader_certificates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("rating_answer_months",
                    sa.Column("month", sa.String(length=7), nullable=False),
                    sa.Column("service_point_id", sa.Integer(), nullable=False),
                    sa.Column("aspect", sa.String(length=32), nullable=False),
                    sa.Column("score", sa.SmallInteger(), nullable=False),
                    sa.Column("n", sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(["service_point_id"], ["service_points.id"],
                                            name=op.f("fk_rating_answer_months_service_point_id_service_points")),
                    sa.PrimaryKeyConstraint("month", "service_point_id", "aspect", "score",
                                            name=op.f("pk_rating_answer_months")))
    op.create_table("rating_months",
                    sa.Column("month", sa.String(length=7), nullable=False),
                    sa.Column("service_point_id", sa.Integer(), nullable=False),
                    sa.Column("channel", sa.String(length=16), nullable=False),
                    sa.Column("n", sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(["service_point_id"], ["service_points.id"],
                                            name=op.f("fk_rating_months_service_point_id_service_points")),
                    sa.PrimaryKeyConstraint("month", "service_point_id", "channel", name=op.f("pk_rating_months")))
    op.create_table("complaint_snapshots",
                    sa.Column("as_of", models.base.UTCDateTime(), nullable=False),
                    sa.Column("month_boundary", sa.Boolean(), nullable=False),
                    sa.Column("first_month", sa.String(length=7), nullable=False),
                    sa.Column("made_at", models.base.UTCDateTime(), nullable=False),
                    sa.PrimaryKeyConstraint("as_of", name=op.f("pk_complaint_snapshots")))
    op.create_table("complaint_snapshot_counts",
                    sa.Column("as_of", models.base.UTCDateTime(), nullable=False),
                    sa.Column("month", sa.String(length=7), nullable=False),
                    sa.Column("channel", sa.String(length=16), nullable=False),
                    sa.Column("category", sa.String(length=64), nullable=False),
                    sa.Column("status", sa.String(length=16), nullable=False),
                    sa.Column("late", sa.Boolean(), nullable=False),
                    sa.Column("n", sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint("as_of", "month", "channel", "category", "status", "late",
                                            name=op.f("pk_complaint_snapshot_counts")))
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaints_due_at"), ["due_at"], unique=False)
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.create_index("ix_complaint_events_at", ["at", "complaint_id"], unique=False)
    connection = op.get_bind()
    create_triggers(connection)
    rebuild(connection)


def downgrade() -> None:
    drop_triggers(op.get_bind())
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaints_due_at"))
    with op.batch_alter_table("complaint_events", schema=None) as batch_op:
        batch_op.drop_index("ix_complaint_events_at")
    op.drop_table("complaint_snapshot_counts")
    op.drop_table("complaint_snapshots")
    op.drop_table("rating_months")
    op.drop_table("rating_answer_months")
