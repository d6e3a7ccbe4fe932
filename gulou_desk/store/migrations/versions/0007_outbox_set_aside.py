"""A mutation that cannot be sent is set aside, not left at the head of the queue.

``held_at`` marks a mutation the server rejected as a whole request or failed on three
times (``failures`` counts the pushes that carried it alone and failed); ``held_code`` and
``last_error`` say why. Held mutations (and the later ones of the
same record, which build on them) are not pushed until the user retries them from the
outbox view; every other mutation goes on. New nullable columns only: nothing held
changes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gulou_desk.db import AwareDateTime

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.add_column('outbox', sa.Column('held_at', AwareDateTime(), nullable=True))
    op.add_column('outbox', sa.Column('held_code', sa.String(length=64), nullable=True))
    op.add_column('outbox', sa.Column('failures', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('failures')
        batch_op.drop_column('held_code')
        batch_op.drop_column('held_at')
