"""devices: the synced device record of each computer a staff member signs in on

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 17:00:00
"""
from alembic import op
import sqlalchemy as sa
import gulou_desk.db


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('devices',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('staff_id', sa.String(length=64), nullable=True),
    sa.Column('device_id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=128), nullable=True),
    sa.Column('first_seen_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('last_seen_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=64), nullable=True),
    sa.Column('revoked_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.String(length=64), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('field_clients', sa.JSON(), nullable=True),
    sa.Column('wire', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices'))
    )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.create_index('ix_devices_0_staff_id', ['staff_id'], unique=False)


def downgrade() -> None:
    op.drop_table('devices')
