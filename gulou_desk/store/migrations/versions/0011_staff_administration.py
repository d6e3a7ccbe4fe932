"""Staff administration (issue 18): the staff record's phone,
the cover and wechat_group records. New tables and two columns.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 19:36:35
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import gulou_desk.db

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


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
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
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
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wechat_groups'))
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=32), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_column('phone')

    op.drop_table('wechat_groups')
    op.drop_table('covers')
