"""Phones and ID numbers of the search index in an FTS5 table of their own, without
prefix indexes (issue 15).

FTS5's prefix indexes (``prefix='1 2 3'``) are per table, and ``household_fts`` made
them for every token of every column: for a phone, each of its ~8 suffixes got three
more entries, though a phone or ID is only ever looked for by four characters or more
(``search._rank_applies``), which those indexes never serve. Apart, the numbers take no
prefix entries: for a street, FTS5's insert and merge take 2.0 s of CPU instead of 2.6 s,
its data is 27.0 MB instead of 34.8 MB, and the store 163.9 MB instead of 172.8 MB.
``search_docs`` keeps every column's tokens as before, so both tables are filled again
from it here, in SQL, without making any token anew.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 09:30:00
"""

from __future__ import annotations

from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None

WORD_COLUMNS = ("head", "head_initials", "head_part", "people", "people_initials",
                "people_part", "place")
NUMBER_COLUMNS = ("phones", "ids")
_OPTIONS = ("content='', columnsize=0, detail=column, "
            "tokenize='unicode61 remove_diacritics 0'")


def _create(table: str, columns: tuple[str, ...], prefix: str) -> None:
    op.execute(f"CREATE VIRTUAL TABLE {table} USING fts5({', '.join(columns)}, "
               f"{_OPTIONS}{prefix})")
    op.execute(f"INSERT INTO {table} (rowid, {', '.join(columns)}) "
               f"SELECT doc, {', '.join(columns)} FROM search_docs ORDER BY doc")
    op.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    # As migration 0003: merge segments less eagerly than the default (4).
    op.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 8)")


def upgrade() -> None:
    op.execute("DROP TABLE household_fts")
    _create("household_fts", WORD_COLUMNS, ", prefix='1 2 3'")
    _create("household_numbers", NUMBER_COLUMNS, "")


def downgrade() -> None:
    op.execute("DROP TABLE household_numbers")
    op.execute("DROP TABLE household_fts")
    _create("household_fts", (*WORD_COLUMNS, *NUMBER_COLUMNS), ", prefix='1 2 3'")
