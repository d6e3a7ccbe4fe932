"""Devices: the ``device`` record (a computer a staff member signed in on), which admins
and supervisors see and may revoke. New table only.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 17:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gulou_desk.db import AwareDateTime

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None


def upgrade() -> None:
    op.create_table('devices',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('staff_id', sa.String(length=64), nullable=True),
    sa.Column('device_id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=128), nullable=True),
    sa.Column('first_seen_at', AwareDateTime(), nullable=True),
    sa.Column('last_seen_at', AwareDateTime(), nullable=True),
    sa.Column('status', sa.String(length=64), nullable=True),
    sa.Column('revoked_at', AwareDateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.String(length=64), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('sync_version', sa.BigInteger(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_devices'))
    )


def downgrade() -> None:
    op.drop_table('devices')
