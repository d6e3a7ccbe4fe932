"""The search index's numbers table deletes a row by its rowid (``contentless_delete=1``),
so ``search_docs`` keeps each phone and ID number once instead of every token (issue 15).

A contentless FTS5 table of before removed a row only when given its old text back, so
``search_docs`` kept every token of every column: for a phone, every run of its last 4+
digits (``17749710921 7749710921 … 0921``), for an ID number its last four and the whole.
Those were a third of ``search_docs``. With ``contentless_delete=1`` (SQLite 3.43; the
store's SQLCipher has 3.53) a row goes by ``DELETE … WHERE rowid = ?``; ``search_docs``
keeps the phones' digits and the ID numbers, each once, and the tokens
``household_numbers`` takes are made from them (as ``_phone_tokens`` below; 0020 moves the
phones to a trigram table); the search
tests a page's rows on them (``search._needle``). ``contentless_delete=1`` needs the
column sizes (``columnsize=1``, a few bytes a row).

``household_numbers`` is made again (the option cannot be added to a table), from the
tokens ``search_docs`` holds before they are made compact, as migration 0018 did.
``household_fts`` is left as it is: the search tests a page's rows on the words that
``search_docs`` keeps, which are also what deletes them from it.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 13:00:00
"""

from __future__ import annotations

from collections.abc import Callable

from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None

NUMBER_COLUMNS = ("phones", "ids")
_TOKENIZE = "detail=column, tokenize='unicode61 remove_diacritics 0'"
_CHUNK = 20_000


def _create(table: str, columns: tuple[str, ...], options: str) -> None:
    op.execute(f"CREATE VIRTUAL TABLE {table} USING fts5({', '.join(columns)}, {options})")
    op.execute(f"INSERT INTO {table} (rowid, {', '.join(columns)}) "
               f"SELECT doc, {', '.join(columns)} FROM search_docs ORDER BY doc")
    op.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    # As migration 0003: merge segments less eagerly than the default (4).
    op.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 8)")


def _numbers_table(options: str) -> None:
    op.execute("DROP TABLE household_numbers")
    _create("household_numbers", NUMBER_COLUMNS, options)


def _unique(items: list[str]) -> str:
    return " ".join(dict.fromkeys(t for t in items if t))


def _phone_numbers(tokens: str) -> str:
    """The phones among their tokens: each run is the end of the phone before it."""
    kept: list[str] = []
    for token in tokens.split():
        if not any(k.endswith(token) for k in kept):
            kept.append(token)
    return " ".join(kept)


def _id_numbers(tokens: str) -> str:
    """The ID numbers among their tokens: a number's last four go (a number of four
    characters stays)."""
    words = tokens.split()
    return " ".join(w for w in words if len(w) != 4
                    or not any(len(o) > 4 and o.endswith(w) for o in words))


def _phone_tokens(numbers: str) -> str:
    return _unique([n[i:] for n in numbers.split() for i in range(len(n) - 3)])


def _id_tokens(numbers: str) -> str:
    return _unique([t for n in numbers.split() for t in ([n[-4:], n] if len(n) > 4 else [n])])


def _rewrite_numbers(phones: Callable[[str], str], ids: Callable[[str], str]) -> None:
    conn = op.get_bind()
    last = 0
    while True:
        rows = conn.exec_driver_sql(
            "SELECT doc, phones, ids FROM search_docs WHERE doc > ? ORDER BY doc LIMIT ?",
            (last, _CHUNK)).all()
        if not rows:
            return
        conn.exec_driver_sql(
            "UPDATE search_docs SET phones = ?, ids = ? WHERE doc = ?",
            [(phones(p or ""), ids(i or ""), doc) for doc, p, i in rows])
        last = rows[-1][0]


def upgrade() -> None:
    _numbers_table(f"content='', contentless_delete=1, {_TOKENIZE}")
    _rewrite_numbers(_phone_numbers, _id_numbers)


def downgrade() -> None:
    _rewrite_numbers(_phone_tokens, _id_tokens)
    _numbers_table(f"content='', columnsize=0, {_TOKENIZE}")
