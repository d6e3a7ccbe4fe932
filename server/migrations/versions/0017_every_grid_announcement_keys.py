"""a community's announcements for every grid of it carry ``cg:<community>`` (its social
workers read them: the community's welcome message, say)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 13:40:00
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_KEYS = sa.table('record_key', sa.column('key', sa.String), sa.column('entity', sa.String),
                 sa.column('record_id', sa.String), sa.column('version', sa.BigInteger))
_ANNOUNCEMENTS = sa.table('announcements', sa.column('id', sa.String),
                          sa.column('community_id', sa.String),
                          sa.column('grid_ids', sa.JSON))


def _targets(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


def upgrade() -> None:
    # Only the keys: the records' versions stay, so a worker's next pull backfills them
    # as for any key newly held (``server/scope.py``). Announcements are few.
    conn = op.get_bind()
    rows = conn.execute(sa.select(_ANNOUNCEMENTS.c.id, _ANNOUNCEMENTS.c.community_id,
                                  _ANNOUNCEMENTS.c.grid_ids)
                        .where(_ANNOUNCEMENTS.c.community_id.is_not(None))).all()
    for rid, community, grids in rows:
        if _targets(grids):
            continue
        version = conn.execute(sa.select(_KEYS.c.version).where(
            _KEYS.c.entity == 'announcement', _KEYS.c.record_id == rid,
            _KEYS.c.key == f'c:{community}')).scalar()
        if version is None:  # deleted (no longer keyed)
            continue
        conn.execute(sa.delete(_KEYS).where(
            _KEYS.c.entity == 'announcement', _KEYS.c.record_id == rid,
            _KEYS.c.key == f'cg:{community}'))
        conn.execute(sa.insert(_KEYS).values(key=f'cg:{community}', entity='announcement',
                                             record_id=rid, version=version))


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.delete(_KEYS).where(_KEYS.c.entity == 'announcement',
                                        _KEYS.c.key.like('cg:%')))
