"""Records seen by a full re-pull under way, so that its sweep survives a crash.

When the server refuses our cursor the engine pulls everything again and, at the last
page, removes the synced records the server did not send. The ids it sent are now kept
in ``repull_seen`` (one JSON list per page and entity) and a ``repull`` flag in
``sync_state``, written with each page, so a re-pull cut short still ends with its sweep.
New table only: nothing held changes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table('repull_seen',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('entity', sa.String(length=32), nullable=False),
    sa.Column('record_ids', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_repull_seen'))
    )


def downgrade() -> None:
    op.drop_table('repull_seen')
    # Older code has no use for the flag; the re-pull's own pages are kept.
    op.execute("DELETE FROM sync_state WHERE key = 'repull'")
