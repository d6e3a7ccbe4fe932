"""The search index's phones in an FTS5 table of trigrams of their own (issue 15).

Since migration 0018, ``household_numbers`` took every run of the last 4+ digits of each
phone as a token (``17749710921 7749710921 … 0921``), made in Python, so that the runs of
4+ digits typed are found as prefixes of them. FTS5's trigram tokenizer finds any run of
3+ characters as it is, from the digits alone: ``household_phones`` takes the phones as
``search_docs`` keeps them (each phone's digits once, migration 0019), straight from it in
SQL, and the search asks for the digits typed as a phrase (``search._rank_expr``), which
matches what the runs' prefixes did. For a street: the phones' FTS data 3.9 MB instead of
9.1 MB, and 0.15 s of CPU to index them instead of 1.45 s. ``household_numbers`` keeps
the ID numbers alone.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 13:20:00
"""

from __future__ import annotations

from alembic import op

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | tuple[str, ...] | None = None
depends_on: str | tuple[str, ...] | None = None

_CHUNK = 20_000


def _optimize(table: str) -> None:
    op.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    # As migration 0003: merge segments less eagerly than the default (4).
    op.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 8)")


def _id_tokens(ids: str) -> str:
    """As ``search_index.fts_ids``: each ID number's last 4 characters, and the whole."""
    return " ".join(dict.fromkeys(
        t for n in ids.split() for t in ((n[-4:], n) if len(n) > 4 else (n,))))


def _phone_tokens(phones: str) -> str:
    """As migration 0019's: every run of the last 4+ digits of each phone."""
    return " ".join(dict.fromkeys(n[i:] for n in phones.split() for i in range(len(n) - 3)))


def _numbers_table(columns: tuple[str, ...]) -> None:
    """``household_numbers`` made again with ``columns``, filled from ``search_docs``."""
    op.execute("DROP TABLE household_numbers")
    op.execute(f"CREATE VIRTUAL TABLE household_numbers USING fts5({', '.join(columns)}, "
               "content='', contentless_delete=1, detail=column, "
               "tokenize='unicode61 remove_diacritics 0')")
    conn = op.get_bind()
    held = " OR ".join(f"{c} != ''" for c in columns)  # a row only where it holds a number
    last = 0
    while True:
        rows = conn.exec_driver_sql(
            f"SELECT doc, phones, ids FROM search_docs WHERE doc > ? AND ({held}) "
            "ORDER BY doc LIMIT ?", (last, _CHUNK)).all()
        if not rows:
            break
        values = {"phones": lambda r: _phone_tokens(r[1] or ""),
                  "ids": lambda r: _id_tokens(r[2] or "")}
        conn.exec_driver_sql(
            f"INSERT INTO household_numbers (rowid, {', '.join(columns)}) "
            f"VALUES (?{', ?' * len(columns)})",
            [(r[0], *(values[c](r) for c in columns)) for r in rows])
        last = rows[-1][0]
    _optimize("household_numbers")


def upgrade() -> None:
    op.execute("CREATE VIRTUAL TABLE household_phones USING fts5(phones, content='', "
               "contentless_delete=1, tokenize='trigram')")
    op.execute("INSERT INTO household_phones (rowid, phones) SELECT doc, phones "
               "FROM search_docs WHERE phones != '' ORDER BY doc")
    _optimize("household_phones")
    _numbers_table(("ids",))


def downgrade() -> None:
    op.execute("DROP TABLE household_phones")
    _numbers_table(("phones", "ids"))
