"""staff administration: covers, wechat groups

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:36:11
"""
from alembic import op
import sqlalchemy as sa
import gulou_desk.db


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('covers',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('staff_id', sa.String(length=64), nullable=True),
    sa.Column('grid_id', sa.String(length=64), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=64), nullable=True),
    sa.Column('created_by_id', sa.String(length=64), nullable=True),
    sa.Column('ended_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('field_clients', sa.JSON(), nullable=True),
    sa.Column('wire', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_covers'))
    )
    op.create_table('wechat_groups',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('group_id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=128), nullable=True),
    sa.Column('kind', sa.String(length=64), nullable=True),
    sa.Column('grid_id', sa.String(length=64), nullable=True),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('first_seen_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('waiting', sa.Integer(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('field_clients', sa.JSON(), nullable=True),
    sa.Column('wire', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wechat_groups'))
    )
    with op.batch_alter_table('covers', schema=None) as batch_op:
        batch_op.create_index('ix_covers_0_staff_id', ['staff_id'], unique=False)
    with op.batch_alter_table('wechat_groups', schema=None) as batch_op:
        batch_op.create_index('ix_wechat_groups_0_group_id', ['group_id'], unique=False)
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=32), nullable=True))
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))



def downgrade() -> None:
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('phone')

    op.drop_table('wechat_groups')
    op.drop_table('covers')
