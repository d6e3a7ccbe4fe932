"""Initial schema: record tables, outbox, pending bases, conflicts, rejections, sync state.

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 04:33:45.521709
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gulou_desk.db import AwareDateTime

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table('communities',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('street_id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=64), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_communities'))
    )
    op.create_table('conflicts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('server_value', sa.JSON(), nullable=True),
    sa.Column('client_value', sa.JSON(), nullable=True),
    sa.Column('mutation_id', sa.String(length=36), nullable=False),
    sa.Column('base_version', sa.BigInteger(), nullable=True),
    sa.Column('server_version', sa.BigInteger(), nullable=True),
    sa.Column('created_at', AwareDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflicts'))
    )
    op.create_index('ix_conflicts_entity_record_id', 'conflicts', ['entity', 'record_id'], unique=False)

    op.create_table('grids',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=64), nullable=True),
    sa.Column('worker_ids', sa.JSON(), nullable=True),
    sa.Column('wechat_group_id', sa.String(length=64), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grids'))
    )
    op.create_table('households',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('grid_id', sa.String(length=64), nullable=True),
    sa.Column('estate', sa.String(length=64), nullable=True),
    sa.Column('building', sa.String(length=16), nullable=True),
    sa.Column('unit', sa.String(length=16), nullable=True),
    sa.Column('room', sa.String(length=16), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('head_name', sa.String(length=64), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=True),
    sa.Column('visit_cadence_days', sa.Integer(), nullable=True),
    sa.Column('last_visit_at', AwareDateTime(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=64), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_households'))
    )
    op.create_index('ix_households_estate_building', 'households', ['estate', 'building'], unique=False)
    op.create_index('ix_households_grid_id', 'households', ['grid_id'], unique=False)

    op.create_table('inbox_messages',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=True),
    sa.Column('group_id', sa.String(length=64), nullable=True),
    sa.Column('group_name', sa.String(length=128), nullable=True),
    sa.Column('grid_id', sa.String(length=64), nullable=True),
    sa.Column('sender_id', sa.String(length=64), nullable=True),
    sa.Column('sender_name', sa.String(length=64), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('keyword', sa.String(length=32), nullable=True),
    sa.Column('sent_at', AwareDateTime(), nullable=True),
    sa.Column('status', sa.String(length=64), nullable=True),
    sa.Column('ticket_id', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('reply_text', sa.Text(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_messages'))
    )
    op.create_index('ix_inbox_messages_grid_id', 'inbox_messages', ['grid_id'], unique=False)
    op.create_index('ix_inbox_messages_status', 'inbox_messages', ['status'], unique=False)

    op.create_table('outbox',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mutation_id', sa.String(length=36), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('op', sa.String(length=8), nullable=False),
    sa.Column('base_version', sa.BigInteger(), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=True),
    sa.Column('args', sa.JSON(), nullable=True),
    sa.Column('local_changes', sa.JSON(), nullable=True),
    sa.Column('created_at', AwareDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_outbox')),
    sa.UniqueConstraint('mutation_id', name=op.f('uq_outbox_mutation_id')),
    sqlite_autoincrement=True
    )
    op.create_index('ix_outbox_entity_record_id', 'outbox', ['entity', 'record_id'], unique=False)

    op.create_table('pending_bases',
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('entity', 'record_id', name=op.f('pk_pending_bases'))
    )
    op.create_table('performance_records',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('worker_id', sa.String(length=64), nullable=True),
    sa.Column('period', sa.String(length=7), nullable=True),
    sa.Column('figures', sa.JSON(), nullable=True),
    sa.Column('self_assessment', sa.Text(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=64), nullable=True),
    sa.Column('supervisor_id', sa.String(length=64), nullable=True),
    sa.Column('decision_comment', sa.Text(), nullable=True),
    sa.Column('history', sa.JSON(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_performance_records'))
    )
    op.create_table('rejections',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mutation_id', sa.String(length=36), nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('op', sa.String(length=8), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=True),
    sa.Column('args', sa.JSON(), nullable=True),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.Column('created_at', AwareDateTime(), nullable=False),
    sa.Column('dismissed_at', AwareDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rejections'))
    )
    op.create_table('residents',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('household_id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=64), nullable=True),
    sa.Column('gender', sa.String(length=64), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('relation', sa.String(length=32), nullable=True),
    sa.Column('tags', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=64), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_residents'))
    )
    op.create_index('ix_residents_household_id', 'residents', ['household_id'], unique=False)

    op.create_table('service_items',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('name', sa.String(length=128), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('hours', sa.String(length=128), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('documents', sa.JSON(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_items'))
    )
    op.create_table('staff',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=True),
    sa.Column('display_name', sa.String(length=64), nullable=True),
    sa.Column('role', sa.String(length=64), nullable=True),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('street_id', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    op.create_table('streets',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_streets'))
    )
    op.create_table('sync_state',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_sync_state'))
    )
    op.create_table('ticket_events',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('ticket_id', sa.String(length=64), nullable=True),
    sa.Column('actor_id', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=True),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('at', AwareDateTime(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket_events'))
    )
    op.create_index('ix_ticket_events_ticket_id_at', 'ticket_events', ['ticket_id', 'at'], unique=False)

    op.create_table('tickets',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=True),
    sa.Column('title', sa.String(length=128), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('priority', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=64), nullable=True),
    sa.Column('source', sa.String(length=64), nullable=True),
    sa.Column('household_id', sa.String(length=64), nullable=True),
    sa.Column('visit_id', sa.String(length=64), nullable=True),
    sa.Column('grid_id', sa.String(length=64), nullable=True),
    sa.Column('assignee_id', sa.String(length=64), nullable=True),
    sa.Column('created_by_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', AwareDateTime(), nullable=True),
    sa.Column('due_at', AwareDateTime(), nullable=True),
    sa.Column('source_message_ids', sa.JSON(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('satisfaction', sa.String(length=64), nullable=True),
    sa.Column('merged_into_id', sa.String(length=64), nullable=True),
    sa.Column('escalated', sa.Boolean(), nullable=True),
    sa.Column('paused_at', AwareDateTime(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tickets'))
    )
    op.create_index('ix_tickets_assignee_id', 'tickets', ['assignee_id'], unique=False)
    op.create_index('ix_tickets_grid_id', 'tickets', ['grid_id'], unique=False)
    op.create_index('ix_tickets_status', 'tickets', ['status'], unique=False)

    op.create_table('visit_templates',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=True),
    sa.Column('version', sa.Integer(), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_templates'))
    )
    op.create_table('visits',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('household_id', sa.String(length=64), nullable=True),
    sa.Column('worker_id', sa.String(length=64), nullable=True),
    sa.Column('template_id', sa.String(length=64), nullable=True),
    sa.Column('template_version', sa.Integer(), nullable=True),
    sa.Column('visited_at', AwareDateTime(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('follow_up', sa.Boolean(), nullable=True),
    sa.Column('photos', sa.JSON(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visits'))
    )
    op.create_index('ix_visits_household_id_visited_at', 'visits', ['household_id', 'visited_at'], unique=False)



def downgrade() -> None:
    op.drop_index('ix_visits_household_id_visited_at', table_name='visits')

    op.drop_table('visits')
    op.drop_table('visit_templates')
    op.drop_index('ix_tickets_status', table_name='tickets')
    op.drop_index('ix_tickets_grid_id', table_name='tickets')
    op.drop_index('ix_tickets_assignee_id', table_name='tickets')

    op.drop_table('tickets')
    op.drop_index('ix_ticket_events_ticket_id_at', table_name='ticket_events')

    op.drop_table('ticket_events')
    op.drop_table('sync_state')
    op.drop_table('streets')
    op.drop_table('staff')
    op.drop_table('service_items')
    op.drop_index('ix_residents_household_id', table_name='residents')

    op.drop_table('residents')
    op.drop_table('rejections')
    op.drop_table('performance_records')
    op.drop_table('pending_bases')
    op.drop_index('ix_outbox_entity_record_id', table_name='outbox')

    op.drop_table('outbox')
    op.drop_index('ix_inbox_messages_status', table_name='inbox_messages')
    op.drop_index('ix_inbox_messages_grid_id', table_name='inbox_messages')

    op.drop_table('inbox_messages')
    op.drop_index('ix_households_grid_id', table_name='households')
    op.drop_index('ix_households_estate_building', table_name='households')

    op.drop_table('households')
    op.drop_table('grids')
    op.drop_index('ix_conflicts_entity_record_id', table_name='conflicts')

    op.drop_table('conflicts')
    op.drop_table('communities')
