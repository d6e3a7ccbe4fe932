"""gubao console: knowledge entries, announcements, alert rules, unanswered questions

New record tables; the service catalogue becomes editable content with a place (the
items held are the district's, active); inbox messages gain ``urgent`` (false for those
held). New tables and nullable columns only.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 19:14:05.327057
"""
from alembic import op
import sqlalchemy as sa
import gulou_desk.db


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


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
    sa.Column('sync_version', sa.BigInteger(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('field_clients', sa.JSON(), nullable=True),
    sa.Column('wire', sa.Text(), nullable=False),
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
    sa.Column('sync_version', sa.BigInteger(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('field_clients', sa.JSON(), nullable=True),
    sa.Column('wire', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_announcements'))
    )
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.create_index('ix_announcements_0_status_send_at', ['status', 'send_at'], unique=False)
        batch_op.create_index('ix_announcements_1_community_id', ['community_id'], unique=False)

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
    sa.Column('sync_version', sa.BigInteger(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('field_clients', sa.JSON(), nullable=True),
    sa.Column('wire', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bot_questions'))
    )
    with op.batch_alter_table('bot_questions', schema=None) as batch_op:
        batch_op.create_index('ix_bot_questions_0_community_id_status', ['community_id', 'status'], unique=False)

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
    sa.Column('sync_version', sa.BigInteger(), nullable=False),
    sa.Column('field_versions', sa.JSON(), nullable=False),
    sa.Column('field_clients', sa.JSON(), nullable=True),
    sa.Column('wire', sa.Text(), nullable=False),
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

    op.execute("UPDATE service_items SET scope = 'district', active = true")
    op.execute("UPDATE inbox_messages SET urgent = false")


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
    with op.batch_alter_table('bot_questions', schema=None) as batch_op:
        batch_op.drop_index('ix_bot_questions_0_community_id_status')

    op.drop_table('bot_questions')
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_index('ix_announcements_1_community_id')
        batch_op.drop_index('ix_announcements_0_status_send_at')

    op.drop_table('announcements')
    op.drop_table('alert_rules')
