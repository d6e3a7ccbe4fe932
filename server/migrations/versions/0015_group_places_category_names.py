"""unmapped groups proposed to a community; messages routed to a community; named
ticket categories

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 02:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


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
