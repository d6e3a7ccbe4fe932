"""Inbox messages keep when they were dismissed (``dismissed_at``).

A dismissal can be undone on the day it was made (the ``restore`` step), so the
message keeps the moment. Column only: the next pull fills it for messages held.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gulou_desk.db import AwareDateTime

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dismissed_at', AwareDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('inbox_messages', schema=None) as batch_op:
        batch_op.drop_column('dismissed_at')
