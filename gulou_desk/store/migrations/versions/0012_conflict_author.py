"""A conflict keeps who wrote the server's value and when (``changed_by``, ``changed_at``).

The server says it with each field conflict (from its audit log); the Conflicts card
shows it. Columns only: conflicts already held show no author.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 20:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gulou_desk.db import AwareDateTime

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changed_by', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('changed_at', AwareDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('conflicts', schema=None) as batch_op:
        batch_op.drop_column('changed_at')
        batch_op.drop_column('changed_by')
