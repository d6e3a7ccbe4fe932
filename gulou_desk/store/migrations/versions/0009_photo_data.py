"""Photos inside the (encrypted) store: the ``photo_data`` table. Photos kept as files
under ``<data>/blobs`` and ``<data>/thumbs`` by earlier versions are moved in when the
store opens (``photos.move_files_in``). New table only.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 19:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table('photo_data',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('thumbnail', sa.LargeBinary(), nullable=True),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_photo_data'))
    )


def downgrade() -> None:
    op.drop_table('photo_data')
