"""The 鼓宝 console: knowledge entries, announcements, alert rules and unanswered
questions; the service catalogue's new fields (items held are the district's, active);
inbox messages' ``urgent`` (false for those held). New tables and columns only.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 19:14:13.947158
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import gulou_desk.db

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table('alert_rules',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=True),
    sa.Column('keywords', sa.JSON(), nullable=True),
    sa.Column('with_words', sa.JSON(), nullable=True),
    sa.Column('level', sa.String(length=64), nullable=True),
    sa.Column('notify', sa.JSON(), nullable=True),
    sa.Column('scope', sa.String(length=64), nullable=True),
    sa.Column('street_id', sa.String(length=64), nullable=True),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('created_by_id', sa.String(length=64), nullable=True),
    sa.Column('fired_count', sa.Integer(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_rules'))
    )
    op.create_table('announcements',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('grid_ids', sa.JSON(), nullable=True),
    sa.Column('kind', sa.String(length=64), nullable=True),
    sa.Column('title', sa.String(length=128), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('send_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('recurrence', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=64), nullable=True),
    sa.Column('created_by_id', sa.String(length=64), nullable=True),
    sa.Column('approved_by_id', sa.String(length=64), nullable=True),
    sa.Column('sent_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('sent_count', sa.Integer(), nullable=True),
    sa.Column('history', sa.JSON(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements'))
    )
    op.create_table('bot_questions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('grid_id', sa.String(length=64), nullable=True),
    sa.Column('group_id', sa.String(length=64), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('asked_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('best_score', sa.Float(), nullable=True),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=64), nullable=True),
    sa.Column('entry_id', sa.String(length=64), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bot_questions'))
    )
    op.create_table('knowledge_entries',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('question', sa.String(length=200), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('keywords', sa.JSON(), nullable=True),
    sa.Column('scope', sa.String(length=64), nullable=True),
    sa.Column('street_id', sa.String(length=64), nullable=True),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('owner_id', sa.String(length=64), nullable=True),
    sa.Column('hit_count', sa.Integer(), nullable=True),
    sa.Column('last_hit_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('created_at', gulou_desk.db.AwareDateTime(timezone=True), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_entries'))
    )
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgent', sa.Boolean(), nullable=True))

    with op.batch_alter_table('service_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('steps', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('online_link', sa.String(length=256), nullable=True))
        batch_op.add_column(sa.Column('keywords', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('scope', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('street_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('community_id', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=True))

    op.execute("UPDATE service_items SET scope = 'district', active = 1")
    op.execute("UPDATE inbox_messages SET urgent = 0")


def downgrade() -> None:
    with op.batch_alter_table('service_items', schema=None) as batch_op:
        batch_op.drop_column('active')
        batch_op.drop_column('community_id')
        batch_op.drop_column('street_id')
        batch_op.drop_column('scope')
        batch_op.drop_column('keywords')
        batch_op.drop_column('online_link')
        batch_op.drop_column('steps')

    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_column('urgent')

    op.drop_table('knowledge_entries')
    op.drop_table('bot_questions')
    op.drop_table('announcements')
    op.drop_table('alert_rules')
