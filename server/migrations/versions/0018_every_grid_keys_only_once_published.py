"""a community's announcement for every grid reaches its social workers only once
published: 0017 gave ``cg:<community>`` to drafts, pending and cancelled ones too

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 16:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

_PUBLISHED = ('scheduled', 'sent')  # gulou_desk.domain.gubao.PUBLISHED, as of this revision
_KEYS = sa.table('record_key', sa.column('key', sa.String), sa.column('entity', sa.String),
                 sa.column('record_id', sa.String), sa.column('version', sa.BigInteger))
_ANNOUNCEMENTS = sa.table('announcements', sa.column('id', sa.String),
                          sa.column('status', sa.String))
_LOG = sa.table('change_log', sa.column('version', sa.BigInteger),
                sa.column('entity', sa.String), sa.column('record_id', sa.String),
                sa.column('op', sa.String), sa.column('old_keys', sa.JSON),
                sa.column('new_keys', sa.JSON), sa.column('exact_client', sa.String))
_CHANGE_KEYS = sa.table('change_key', sa.column('key', sa.String),
                        sa.column('version', sa.BigInteger))
_COUNTER = sa.table('sync_counter', sa.column('name', sa.String),
                    sa.column('value', sa.BigInteger))


def upgrade() -> None:
    # The key goes, and the change is logged at a new version under the old keys (as
    # ``RecordWriter`` logs a write that moves a record's keys): a worker who pulled the
    # draft since 0017 is told to drop it at their next pull (a revoke); the clerks, who
    # still see it, are sent nothing (the record's version stays).
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_KEYS.c.record_id, _KEYS.c.key)
        .select_from(_KEYS.join(_ANNOUNCEMENTS, _ANNOUNCEMENTS.c.id == _KEYS.c.record_id))
        .where(_KEYS.c.entity == 'announcement', _KEYS.c.key.like('cg:%'),
               sa.or_(_ANNOUNCEMENTS.c.status.is_(None),
                      _ANNOUNCEMENTS.c.status.not_in(_PUBLISHED)))
        .order_by(_KEYS.c.record_id)).all()
    for rid, dropped in rows:
        old = sorted(conn.execute(sa.select(_KEYS.c.key).where(
            _KEYS.c.entity == 'announcement', _KEYS.c.record_id == rid)).scalars())
        version = _take_version(conn)
        conn.execute(sa.insert(_LOG).values(
            version=version, entity='announcement', record_id=rid, op='upsert',
            old_keys=old, new_keys=[k for k in old if k != dropped], exact_client=None))
        conn.execute(sa.insert(_CHANGE_KEYS), [{'key': k, 'version': version} for k in old])
        conn.execute(sa.delete(_KEYS).where(
            _KEYS.c.entity == 'announcement', _KEYS.c.record_id == rid, _KEYS.c.key == dropped))


def _take_version(conn: sa.Connection) -> int:
    taken = conn.execute(sa.update(_COUNTER).where(_COUNTER.c.name == 'version')
                         .values(value=_COUNTER.c.value + 1)
                         .returning(_COUNTER.c.value)).scalar()
    if taken is not None:
        return int(taken)
    # No counter yet (the server creates it after migrating): it starts past the log.
    last = conn.execute(sa.select(sa.func.max(_LOG.c.version))).scalar() or 0
    conn.execute(sa.insert(_COUNTER).values(name='version', value=int(last) + 1))
    return int(last) + 1


def downgrade() -> None:
    pass  # 0017's downgrade takes every ``cg:`` key away
