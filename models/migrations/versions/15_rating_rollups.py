"""monthly roll-ups of the ratings (per month, service point, aspect and score; respondents per channel),
kept current by triggers and filled from the existing ratings

Revision ID: i15_rating_rollups
Revises: i10_reader_certificates
"""
from alembic import op
import sqlalchemy as sa

from models.rollup import create_triggers, drop_triggers, rebuild


revision = "i15_rating_rollups"
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
    connection = op.get_bind()
    create_triggers(connection)
    rebuild(connection)


def downgrade() -> None:
    drop_triggers(op.get_bind())
    op.drop_table("rating_months")
    op.drop_table("rating_answer_months")
