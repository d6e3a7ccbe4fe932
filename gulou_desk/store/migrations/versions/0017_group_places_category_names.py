"""Unmapped WeChat groups proposed to a community, inbox messages routed to a community
(a function group), ticket categories with their Chinese and English names (issue 18).
New columns only: a group held has no proposal until the server sends one, a message no
community, a category entry without a name shows the built-in one.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    with op.batch_alter_table('wechat_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposed_community_id', sa.String(length=64),
                                      nullable=True))
        batch_op.add_column(sa.Column('proposed_street_id', sa.String(length=64),
                                      nullable=True))
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('community_id', sa.String(length=64), nullable=True))
    with op.batch_alter_table('catalogue_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('name_en', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('catalogue_entries', schema=None) as batch_op:
        batch_op.drop_column('name_en')
        batch_op.drop_column('name')
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_column('community_id')
    with op.batch_alter_table('wechat_groups', schema=None) as batch_op:
        batch_op.drop_column('proposed_street_id')
        batch_op.drop_column('proposed_community_id')
