"""Households keep when they were registered (``created_at``).

No visit is dated before the day its household was registered. A household registered
here and not yet sent gets the time of that registration (its outbox entry); the others
keep none until the server sends one (unknown: the visit form refuses no date for them,
the server still checks its own).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 22:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gulou_desk.db import AwareDateTime

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_at', AwareDateTime(), nullable=True))
    op.execute("UPDATE households SET created_at = (SELECT min(o.created_at) FROM outbox o "
               "WHERE o.entity = 'household' AND o.record_id = households.id "
               "AND o.op = 'create')")


def downgrade() -> None:
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_column('created_at')
