"""Outbox retry bookkeeping (attempts, last_error) and the drafts table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 04:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gulou_desk.db import AwareDateTime

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    # ADD COLUMN keeps every outbox row as it is (no table copy); pending rows get 0 attempts.
    op.add_column('outbox', sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
    op.add_column('outbox', sa.Column('last_error', sa.Text(), nullable=True))
    op.create_table('drafts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('updated_at', AwareDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_drafts'))
    )
    op.create_index('ix_drafts_kind_record_id', 'drafts', ['kind', 'record_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_drafts_kind_record_id', table_name='drafts')
    op.drop_table('drafts')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('last_error')
        batch_op.drop_column('attempts')
