"""reader certificates: signing keys for staff and recovery keys, and the signed certificates

Revision ID: i10_reader_certificates
Revises: i11_history
"""
from alembic import op
import sqlalchemy as sa
import models.base


revision = 'i10_reader_certificates'
down_revision = 'i11_history'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verify_key', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('recovery_keys', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verify_key', sa.LargeBinary(), nullable=True))
    op.create_table('reader_certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('public_key', sa.LargeBinary(), nullable=False),
    sa.Column('verify_key', sa.LargeBinary(), nullable=False),
    sa.Column('signer_label', sa.String(length=32), nullable=False),
    sa.Column('signer_key', sa.LargeBinary(), nullable=False),
    sa.Column('signature', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], name=op.f('fk_reader_certificates_staff_id_staff_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reader_certificates'))
    )
    with op.batch_alter_table('reader_certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reader_certificates_staff_id'), ['staff_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reader_certificates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reader_certificates_staff_id'))
    op.drop_table('reader_certificates')
    with op.batch_alter_table('recovery_keys', schema=None) as batch_op:
        batch_op.drop_column('verify_key')
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('verify_key')
