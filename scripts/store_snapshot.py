"""Write ``gulou_desk/store/schema_snapshot.py``: the schema the local store's migrations
end in, as the statements that make it in one go.

    .venv/bin/python scripts/store_snapshot.py

Run it after adding a migration of the local store. A new store (a user's first sign-in on
this computer) is made from the snapshot (:func:`gulou_desk.store.engine.create_at_head`)
instead of by every migration, as long as the snapshot is of the migrations' head; until
it is made again, new stores are migrated as before, and ``tests/unit/test_store_engine.py``
fails, saying to run this. The statements are read from a store the migrations built: its
``sqlite_master`` (tables in the order they were made, then indexes, then triggers; not the
tables SQLite or FTS5 make by themselves), each FTS5 table's configuration, and the
revision stamped in ``alembic_version``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET = ROOT / "gulou_desk" / "store" / "schema_snapshot.py"
FTS5_SHADOWS = ("data", "idx", "content", "docsize", "config")
"""The tables FTS5 makes for each of its tables (``<name>_<suffix>``)."""
KINDS = ("table", "index", "trigger", "view")
PIECE = 84
"""The longest piece of a statement on one line of the module (ruff's 100 columns)."""


def migrated_store(folder: Path) -> Path:
    """A new store built by every migration (Alembic), not from the snapshot."""
    from gulou_desk.store.engine import store_engine, upgrade

    path = folder / "migrated.sqlite"
    engine = store_engine(path)
    try:
        upgrade(engine, "head")
    finally:
        engine.dispose()
    return path


def statements(connection: Any) -> tuple[str, list[str]]:
    """The store's revision and the statements that make its schema (``connection``: a
    DB-API connection to a store the migrations built, nothing else in it)."""
    entries = connection.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    fts = [name for kind, name, sql in entries
           if kind == "table" and sql.upper().startswith("CREATE VIRTUAL TABLE")
           and "USING FTS5" in sql.upper()]
    made_by_sqlite = {f"{name}_{suffix}" for name in fts for suffix in FTS5_SHADOWS}
    made_by_sqlite.add("sqlite_sequence")  # made with the first AUTOINCREMENT table
    out = [sql for kind in KINDS for k, name, sql in entries
           if k == kind and name not in made_by_sqlite]
    for name in fts:
        for key, value in connection.execute(
                f'SELECT k, v FROM "{name}_config" WHERE k != \'version\' ORDER BY k'):
            out.append(f'INSERT INTO "{name}" ("{name}", rank) VALUES '
                       f"({_literal(key)}, {_literal(value)})")
    for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
            "'CREATE VIRTUAL TABLE%' AND name != 'alembic_version' ORDER BY name"):
        if name in made_by_sqlite:
            continue
        if connection.execute(f'SELECT 1 FROM "{name}" LIMIT 1').fetchone() is not None:
            raise SystemExit(f"a migration leaves rows in {name}: the snapshot holds only "
                             "the schema; make it hold them too")
    (revision,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    out.append(f"INSERT INTO alembic_version (version_num) VALUES ({_literal(revision)})")
    return revision, out


def _literal(value: object) -> str:
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise SystemExit(f"no SQL literal for {value!r} here")


def _pieces(statement: str) -> list[str]:
    """``statement`` cut into pieces of at most :data:`PIECE` characters, after a line
    break or a space where there is one (the module's lines stay short; the text is the
    same once the pieces are put together)."""
    pieces: list[str] = []
    rest = statement
    while len(rest) > PIECE:
        cut = max(rest.rfind("\n", 0, PIECE), rest.rfind(" ", 0, PIECE)) + 1
        if cut <= 0:
            cut = PIECE
        pieces.append(rest[:cut])
        rest = rest[cut:]
    pieces.append(rest)
    return pieces


def source(revision: str, made: list[str]) -> str:
    lines = [
        '"""The local store\'s schema at its migrations\' head, made in one go for a new store',
        "(:func:`gulou_desk.store.engine.create_at_head`). Made by scripts/store_snapshot.py",
        "from a store its migrations built; do not edit.",
        '"""',
        "",
        f"REVISION = {revision!r}",
        "STATEMENTS: tuple[str, ...] = (",
    ]
    for statement in made:
        pieces = _pieces(statement)
        lines += [f"    {piece!r}" for piece in pieces[:-1]]
        lines.append(f"    {pieces[-1]!r},")
    lines += [")", ""]
    return "\n".join(lines)


def snapshot() -> str:
    """The module's text, from a store built now by the migrations."""
    from gulou_desk.store import cipher

    with tempfile.TemporaryDirectory() as tmp:
        connection = cipher.dbapi().connect(str(migrated_store(Path(tmp))))
        try:
            return source(*statements(connection))
        finally:
            connection.close()


def main() -> int:
    TARGET.write_text(snapshot(), encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
