"""office profile versions in the database; optional respondent answers on ratings

Revision ID: i14b_profile_versions
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = "i14b_profile_versions"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "profile_versions",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("toml", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_users.id"], name=op.f("fk_profile_versions_staff_id_staff_users")),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_profile_versions")),
    )
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("respondent_sex", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("respondent_age", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("respondent_occupation", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ratings", schema=None) as batch_op:
        batch_op.drop_column("respondent_occupation")
        batch_op.drop_column("respondent_age")
        batch_op.drop_column("respondent_sex")
    op.drop_table("profile_versions")
