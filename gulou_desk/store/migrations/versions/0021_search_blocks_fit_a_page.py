"""Each block of the search index's FTS5 tables fits in one page of the store (issue 15).

FTS5 keeps its index in blocks of about ``pgsz`` bytes (4,050 by default), each a row of
its ``_data`` table. A page of the store has 4,096 bytes, of which SQLCipher keeps 80 for
the page's IV and HMAC: a row fits in one page when its record has at most 3,981 bytes
(usable size less 35), so every block of 4,051 bytes spilled its last 3,576 bytes into an
overflow page and shared a leaf page with the starts of seven others. Reading a block
read (and decrypted) two pages. With blocks of at most :data:`BLOCK_BYTES` (the record:
its blob and 4 bytes of header) each block is one page. In a district store
(``bench/store_size.py``) the three tables' blocks took 308.4 MB of pages, now 280.6 MB
(``household_fts_data`` 220.9 → 201.5 MB), and a search reads one page per block.

The setting applies to the blocks written from then on, so each table is written anew
with it: ``optimize`` merges every segment into one, but leaves a table of one segment
alone, so a row is added and taken away first (the merge drops both). Every later write
of the index (:func:`gulou_desk.store.search_index.rebuild`'s ``delete-all`` keeps the
configuration) makes blocks of the new size. On a district store the upgrade takes 11 s
(4.8 s of CPU); the pages it frees stay in the file, for the index's later writes (a
store made by a first sync is the smaller by all of it).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 16:10:00
"""

from __future__ import annotations

from alembic import op

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None

BLOCK_BYTES = 3960
"""FTS5's ``pgsz``: it writes blocks of up to a few bytes more (3,963 seen), under the
3,977 bytes of blob that one page holds."""
DEFAULT_BLOCK_BYTES = 4050
"""FTS5's own ``pgsz``."""
_TABLES = {
    # table: its columns, and whether a row is deleted by its rowid alone (0019, 0020)
    "household_fts": (("head", "head_initials", "head_part", "people", "people_initials",
                       "people_part", "place"), False),
    "household_numbers": (("ids",), True),
    "household_phones": (("phones",), True),
}
_NOWHERE = -1
"""The rowid of the row added and taken away (docs are numbered from 1)."""


def _write_anew(block_bytes: int) -> None:
    """Set ``pgsz``, and write each table anew when the index holds anything (a new
    store's empty tables are left as a new table is made, as the snapshot makes them)."""
    indexed = op.get_bind().exec_driver_sql("SELECT 1 FROM search_docs LIMIT 1").first()
    for table, (columns, by_rowid) in _TABLES.items():
        op.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('pgsz', {block_bytes})")
        if indexed is None:
            continue
        values = ", ".join("'xxx'" for _ in columns)  # a trigram too
        names = ", ".join(columns)
        op.execute(f"INSERT INTO {table} (rowid, {names}) VALUES ({_NOWHERE}, {values})")
        if by_rowid:
            op.execute(f"DELETE FROM {table} WHERE rowid = {_NOWHERE}")
        else:  # contentless: a row is deleted by giving its text back
            op.execute(f"INSERT INTO {table} ({table}, rowid, {names}) "
                       f"VALUES ('delete', {_NOWHERE}, {values})")
        op.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")


def upgrade() -> None:
    _write_anew(BLOCK_BYTES)


def downgrade() -> None:
    _write_anew(DEFAULT_BLOCK_BYTES)
