"""Search index (FTS5, kept in step by triggers), local blobs, tickets by household.

The index of a household is rebuilt in Python (pinyin needs it) by
``gulou_desk.store.search.catch_up``, which runs before every write transaction of the
store commits; the triggers below only note which households need it, whoever writes
(use cases, the sync engine's bulk apply, the outbox undoing a rejected edit …). Every
household already held is noted here, so the index is built on the first write after
the upgrade (``open_store`` makes one).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gulou_desk.db import AwareDateTime

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None

FTS_COLUMNS = ("head", "head_initials", "head_part", "people", "people_initials",
               "people_part", "place", "phones", "ids")

# Columns whose change changes a household's index entry.
_HOUSEHOLD_COLUMNS = ("head_name", "estate", "building", "unit", "room", "address", "phone",
                      "tags", "visit_cadence_days", "last_visit_at")
_RESIDENT_COLUMNS = ("household_id", "name", "phone", "id_number")
_VISIT_COLUMNS = ("household_id", "visited_at")


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)


def _mark(value: str) -> str:
    # Not "INSERT OR IGNORE": a trigger takes the conflict policy of the statement that
    # fired it, and the sync engine's upsert (ON CONFLICT … DO UPDATE) makes it ABORT.
    return (f"INSERT INTO search_dirty (household_id) SELECT {value} "
            f"WHERE {value} IS NOT NULL AND NOT EXISTS "
            f"(SELECT 1 FROM search_dirty WHERE household_id = {value});")


TRIGGERS: dict[str, str] = {
    "search_household_inserted":
        f"AFTER INSERT ON households BEGIN {_mark('new.id')} END",
    "search_household_updated":
        f"AFTER UPDATE ON households WHEN {_changed(_HOUSEHOLD_COLUMNS)} "
        f"BEGIN {_mark('new.id')} END",
    "search_household_deleted":
        f"AFTER DELETE ON households BEGIN {_mark('old.id')} END",
    "search_resident_inserted":
        f"AFTER INSERT ON residents BEGIN {_mark('new.household_id')} END",
    "search_resident_updated":
        f"AFTER UPDATE ON residents WHEN {_changed(_RESIDENT_COLUMNS)} "
        f"BEGIN {_mark('old.household_id')} {_mark('new.household_id')} END",
    "search_resident_deleted":
        f"AFTER DELETE ON residents BEGIN {_mark('old.household_id')} END",
    "search_visit_inserted":
        f"AFTER INSERT ON visits BEGIN {_mark('new.household_id')} END",
    "search_visit_updated":
        f"AFTER UPDATE ON visits WHEN {_changed(_VISIT_COLUMNS)} "
        f"BEGIN {_mark('old.household_id')} {_mark('new.household_id')} END",
    "search_visit_deleted":
        f"AFTER DELETE ON visits BEGIN {_mark('old.household_id')} END",
}


def upgrade() -> None:
    op.create_table('search_docs',
    sa.Column('doc', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('household_id', sa.String(length=36), nullable=False),
    *(sa.Column(name, sa.Text(), nullable=False) for name in FTS_COLUMNS),
    sa.Column('sort_name', sa.Text(), nullable=False),
    sa.Column('sort_address', sa.Text(), nullable=False),
    sa.Column('last_visit_at', AwareDateTime(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('doc', name=op.f('pk_search_docs')),
    sa.UniqueConstraint('household_id', name=op.f('uq_search_docs_household_id'))
    )
    op.create_index('ix_search_docs_sort_address', 'search_docs', ['sort_address'],
                    unique=False)
    op.create_index('ix_search_docs_sort_name', 'search_docs', ['sort_name'], unique=False)
    op.create_table('search_dirty',
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('household_id', name=op.f('pk_search_dirty'))
    )
    # Contentless (the text is kept in search_docs), column-level detail (column filters,
    # no phrases: every query term is one token), prefix indexes for typing 1–3 letters.
    op.execute(
        f"CREATE VIRTUAL TABLE household_fts USING fts5({', '.join(FTS_COLUMNS)}, "
        "content='', columnsize=0, detail=column, prefix='1 2 3', "
        "tokenize='unicode61 remove_diacritics 0')"
    )
    # Merge segments less eagerly than the default (4): bulk pages write faster, and a
    # query still reads few enough segments.
    op.execute("INSERT INTO household_fts (household_fts, rank) VALUES ('automerge', 8)")
    op.create_table('local_blobs',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', AwareDateTime(), nullable=False),
    sa.Column('uploaded_at', AwareDateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_local_blobs'))
    )
    op.create_index('ix_tickets_household_id_status', 'tickets', ['household_id', 'status'],
                    unique=False)
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.execute("INSERT OR IGNORE INTO search_dirty (household_id) SELECT id FROM households")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index('ix_tickets_household_id_status', table_name='tickets')
    op.drop_table('local_blobs')
    op.execute("DROP TABLE household_fts")
    op.drop_table('search_dirty')
    op.drop_index('ix_search_docs_sort_name', table_name='search_docs')
    op.drop_index('ix_search_docs_sort_address', table_name='search_docs')
    op.drop_table('search_docs')
