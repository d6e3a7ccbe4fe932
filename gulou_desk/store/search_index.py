"""The search index of the households: its entries, and keeping them in step.

One entry per household in the FTS5 tables ``household_fts`` (words, with prefix indexes
for typing 1–3 letters) and ``household_numbers`` (``phones`` and ``ids``: looked for by 4
characters or more, so without prefix indexes, migration 0018), rowid = ``search_docs.doc``,
whose columns hold tokens made in Python (:mod:`gulou_desk.store.search_names` for names);
``search_docs`` keeps every column's tokens too:

==================  ======================================================================
``head``            the head's name and its full pinyin (``张三 zhangsan``); a surname
                    read otherwise as a surname gets both readings (``单丽 shanli danli``)
``head_initials``   pinyin initials (``zs``; ``zhs`` too, for zh/ch/sh typed in full)
``head_part``       the given name, its ends and their pinyin (``小梅 xiaomei 梅 mei``),
                    each part of a name with a middle dot (``买买提``)
``people``…         the same three for the other residents
``place``           the estate and its endings (``颐和新村 和新村 新村``), ``3栋``,
                    ``2单元``, ``301``, ``301室``
``phones``          every run of the last 4+ digits of every phone (any part of ≥4 digits
                    is a prefix of one of them)
``ids``             the last 4 characters of every ID number, and the whole number
==================  ======================================================================

Keeping it in step: SQL triggers (migration 0003) note the household in ``search_dirty``
on every write to ``households``, ``residents`` or ``visits``, whatever wrote it (the use
cases, the sync engine's apply, the outbox undoing a rejected edit …). Triggers cannot run
pypinyin, so :func:`catch_up` rebuilds the noted entries in Python, in the same
transaction: :meth:`Store.write <gulou_desk.store.engine.Store.write>` calls it before
every commit. Nothing else has to remember to reindex.

A bulk load (the first pull of a store, a full re-pull: :mod:`gulou_desk.store.bulk_load`)
takes the triggers away while it runs and builds the whole index once at its end
(:func:`rebuild`), which is far cheaper than keeping it in step page by page.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk.domain import cadence
from gulou_desk.records import SHANGHAI
from gulou_desk.store.schema import SEARCH_FTS, SEARCH_NUMBERS
from gulou_desk.store.search_names import (
    DIGITS,
    HAN,
    name_keys,
    natural_key,
    normalize_text,
    place_pinyin,
    unique,
    unit_words,
)

# --- index entries ------------------------------------------------------------------

FTS_COLUMNS = ("head", "head_initials", "head_part", "people", "people_initials",
               "people_part", "place", "phones", "ids")
WORD_COLUMNS = FTS_COLUMNS[:7]
"""The columns of ``household_fts`` (:data:`~gulou_desk.store.schema.SEARCH_FTS`)."""
NUMBER_COLUMNS = FTS_COLUMNS[7:]
"""The columns of ``household_numbers`` (:data:`~gulou_desk.store.schema.SEARCH_NUMBERS`)."""
FTS_TABLES = {SEARCH_FTS: WORD_COLUMNS, SEARCH_NUMBERS: NUMBER_COLUMNS}
"""Each FTS5 table of the index and its columns (``search_docs`` keeps all of them)."""
MIN_PHONE_DIGITS = 4
_ADDRESS_PARTS = re.compile(r"(\d+)(栋|单元|室)")
_WORDS = re.compile(f"[{HAN}0-9a-z]+")


@dataclass(frozen=True, slots=True)
class Person:
    name: str | None
    phone: str | None
    id_number: str | None


def phone_tokens(phone: str | None) -> list[str]:
    if not phone:
        return []
    # The usual phone is plain ASCII digits already (the regular expression costs more
    # than the rest of this function).
    digits = phone if phone.isascii() and phone.isdigit() else "".join(DIGITS.findall(phone))
    return [digits[i:] for i in range(len(digits) - MIN_PHONE_DIGITS + 1)]


def id_tokens(id_number: str | None) -> list[str]:
    text = id_number or ""
    if not (text.isascii() and text.isalnum()):  # the usual ID is plain ASCII already
        text = "".join(ch for ch in normalize_text(text) if ch.isalnum())
    text = text.lower()
    if len(text) < 4:
        return []
    return [text[-4:], text] if len(text) > 4 else [text]


def _place_tokens(household: Mapping[str, Any]) -> list[str]:
    tokens = [*_estate_tokens(household.get("estate") or ""),
              *_unit_tokens(household.get("building"), "栋"),
              *_unit_tokens(household.get("unit"), "单元"),
              *_unit_tokens(household.get("room"), "室")]
    address = unit_words(household.get("address"))
    for number, unit in _ADDRESS_PARTS.findall(address):
        tokens.append(number + unit)
        if unit == "室":
            tokens.append(number)
    return tokens


@lru_cache(maxsize=20_000)
def _estate_tokens(estate: str) -> tuple[str, ...]:
    """The estate and its endings (cached: a street has a few hundred estates)."""
    tokens: list[str] = []
    for word in _WORDS.findall(normalize_text(estate)):
        tokens += [word[i:] for i in range(max(len(word) - 1, 1))]
    return tuple(tokens)


@lru_cache(maxsize=20_000)
def _unit_tokens(value: str | None, unit: str) -> tuple[str, ...]:
    tokens: list[str] = []
    for word in _WORDS.findall(unit_words(value)):
        word = word.removesuffix(unit)  # "3栋" typed into the building field
        tokens.append(word + unit)
        if unit == "室":
            tokens.append(word)
    return tuple(tokens)


def doc_columns(household: Mapping[str, Any], people: Sequence[Person]) -> tuple[str, ...]:
    head_name = household.get("head_name") or ""
    head = _name_columns(head_name)
    others = [p.name for p in people if p.name and p.name != head_name]
    if not others:
        rest: tuple[str, ...] = ("", "", "")
    elif len(others) == 1:  # most households: the joined words of one name, cached
        rest = _name_columns(others[0])
    else:
        keys = [name_keys(name) for name in others]
        rest = (" ".join(unique(t for k in keys for t in k.full)),
                " ".join(unique(t for k in keys for t in k.initials)),
                " ".join(unique(t for k in keys for t in k.parts)))
    phone = household.get("phone")
    phones = [phone] if phone else []  # each number once (the head's is the household's)
    ids: list[str] = []
    for p in people:
        if p.phone and p.phone not in phones:
            phones.append(p.phone)
        if p.id_number:
            ids += id_tokens(p.id_number)
    return (*head, *rest, " ".join(unique(_place_tokens(household))),
            " ".join(unique(t for n in phones for t in phone_tokens(n))),
            " ".join(unique(ids)))


@lru_cache(maxsize=50_000)
def _name_columns(name: str) -> tuple[str, str, str]:
    """The words of one name for the three name columns, joined (names repeat: a head is
    a resident of the household too, and the same names recur across a street)."""
    keys = name_keys(name)
    return " ".join(keys.full), " ".join(keys.initials), " ".join(keys.parts)


def sort_address(household: Mapping[str, Any]) -> str:
    estate = household.get("estate") or household.get("address") or ""
    return " ".join((place_pinyin(normalize_text(estate)), _natural_key(household.get("building")),
                     _natural_key(household.get("unit")), _natural_key(household.get("room"))))


@lru_cache(maxsize=20_000)
def _natural_key(text: str | None) -> str:
    """:func:`natural_key`, cached: buildings, units and room numbers repeat massively."""
    return natural_key(text)


def parse_time(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, dt.datetime)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def utc_text(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat(
        timespec="microseconds")


def tags_of(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [t for t in value if isinstance(t, str)] if isinstance(value, list) else []


def due_date_of(last_visit_at: dt.datetime | None, cadence_days: int | None,
                tags: Iterable[str]) -> dt.date | None:
    """When the next visit is due (:func:`cadence.visit_due`); ``None``: never visited."""
    if last_visit_at is None:
        return None
    return cadence.visit_due(last_visit_at, cadence_days, list(tags), dt.date.min).due_date


# --- keeping the index in step --------------------------------------------------------

_CHUNK = 500
_DOC_COLUMNS = ("doc", "household_id", *FTS_COLUMNS, "sort_name", "sort_address",
                "last_visit_at", "due_date")
_DOCS_INSERT = (f"INSERT INTO search_docs ({', '.join(_DOC_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_DOC_COLUMNS))})")
_HOUSEHOLD_COLUMNS = ("id, head_name, estate, building, unit, room, address, phone, tags, "
                      "visit_cadence_days, last_visit_at")
_REBUILD_CHUNK = 2000
_HOUSEHOLD_KEYS = ("rowid_", *_HOUSEHOLD_COLUMNS.split(", "))
_FTS_PARTS = ((SEARCH_FTS, slice(0, len(WORD_COLUMNS))),
              (SEARCH_NUMBERS, slice(len(WORD_COLUMNS), len(FTS_COLUMNS))))
"""Each FTS5 table and its columns' place among :data:`FTS_COLUMNS`."""


def _fts_command(table: str) -> str:
    return f"INSERT INTO {table} ({table}, rank) VALUES (?, ?)"


def _fts_insert(table: str) -> str:
    columns = FTS_TABLES[table]
    return (f"INSERT INTO {table} (rowid, {', '.join(columns)}) "
            f"VALUES (?{', ?' * len(columns)})")


def _fts_from_docs(table: str) -> str:
    columns = ", ".join(FTS_TABLES[table])
    return (f"INSERT INTO {table} (rowid, {columns}) SELECT doc, {columns} FROM search_docs "
            "WHERE doc BETWEEN ? AND ? ORDER BY doc")


def _fts_delete(table: str) -> str:
    columns = FTS_TABLES[table]
    return (f"INSERT INTO {table} ({table}, rowid, {', '.join(columns)}) "
            f"VALUES ('delete', ?{', ?' * len(columns)})")


def catch_up(session: Session) -> int:
    """Rebuild the index entries of the households noted dirty; returns how many.

    Runs inside the caller's write transaction (``Store.write`` calls it before every
    commit, so callers of the store never need to). Cheap when nothing is dirty: one
    indexed lookup.
    """
    conn = session.connection()
    if conn.exec_driver_sql("SELECT 1 FROM search_dirty LIMIT 1").first() is None:
        return 0
    # In the order the households were written, so that entries of a pulled page get
    # their doc numbers in the server's order (the order within a rank).
    ids = list(conn.exec_driver_sql(
        "SELECT d.household_id FROM search_dirty d LEFT JOIN households h "
        "ON h.id = d.household_id ORDER BY h.rowid").scalars())
    next_doc = int(conn.exec_driver_sql("SELECT coalesce(max(doc), 0) FROM search_docs")
                   .scalar_one()) + 1
    for start in range(0, len(ids), _CHUNK):
        next_doc = _reindex(conn, ids[start:start + _CHUNK], next_doc)
    conn.exec_driver_sql("DELETE FROM search_dirty")
    return len(ids)


def rebuild(session: Session) -> int:
    """Drop the whole index and build it again from the records, in one pass in the
    households' order (in the caller's write transaction); returns how many households
    it holds. The end of a bulk load (:mod:`gulou_desk.store.bulk_load`), repairs and
    benchmarks: far cheaper than :func:`catch_up` of every household, since nothing old
    is read or compared, and the sort indexes are built once, after the rows."""
    conn = session.connection()
    for table in FTS_TABLES:
        conn.exec_driver_sql(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
    conn.exec_driver_sql("DELETE FROM search_docs")
    conn.exec_driver_sql("DELETE FROM search_dirty")
    sort_indexes = list(conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
        "AND tbl_name = 'search_docs' AND sql IS NOT NULL"))
    for name, _sql in sort_indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    # FTS5 merges its segments as they grow; with no merging while the rows go in and
    # one merge ('optimize') at the end, the bulk insert takes about two thirds the time
    # and leaves one segment, the quickest to search.
    automerge = {table: conn.exec_driver_sql(
        f"SELECT v FROM {table}_config WHERE k = 'automerge'").scalar() for table in FTS_TABLES}
    for table in FTS_TABLES:
        conn.exec_driver_sql(_fts_command(table), ("automerge", 0))
    cursor = conn.connection.cursor()  # plain tuples: no result rows made per row
    fts_cursor = conn.connection.cursor()
    doc = 0
    # Two things at once: while FTS5 takes in the entries of one chunk (one statement, in
    # C, which lets go of the GIL), Python makes the entries of the next. The connection
    # is used by one thread at a time: the other thread's statement is waited for first.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-index") as pool:
        indexing: Future[Any] | None = None
        chunk = _rebuild_chunk(cursor, 0)
        while chunk is not None:
            households, people, visited = chunk
            first = doc + 1
            doc_rows: list[tuple[Any, ...]] = []
            for household in households:
                doc += 1
                hid = household["id"]
                columns, sort_keys, rest = _entry(household, people.get(hid, ()),
                                                  visited.get(hid))
                doc_rows.append((doc, hid, *columns, *sort_keys, *rest))
            if indexing is not None:
                indexing.result()
            cursor.executemany(_DOCS_INSERT, doc_rows)
            chunk = _rebuild_chunk(cursor, households[-1]["rowid_"])
            indexing = pool.submit(_index_docs, fts_cursor, first, doc)
        if indexing is not None:
            indexing.result()
    fts_cursor.close()
    cursor.close()
    for table, merge in automerge.items():
        conn.exec_driver_sql(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        conn.exec_driver_sql(_fts_command(table), ("automerge", 4 if merge is None else merge))
    for _name, sql in sort_indexes:
        conn.exec_driver_sql(sql)
    return doc


def _index_docs(cursor: Any, first: int, last: int) -> None:
    """Put the docs ``first``…``last`` of ``search_docs`` into the FTS5 tables."""
    for table in FTS_TABLES:
        cursor.execute(_fts_from_docs(table), (first, last))


def _rebuild_chunk(cursor: Any, after: int) -> tuple[
        list[dict[str, Any]], dict[str, list[Person]], dict[str, str]] | None:
    """The next households after rowid ``after`` for :func:`rebuild`, with their residents
    and last visits; ``None`` after the last."""
    households = [dict(zip(_HOUSEHOLD_KEYS, row, strict=True)) for row in cursor.execute(
        f"SELECT rowid, {_HOUSEHOLD_COLUMNS} FROM households "
        "WHERE rowid > ? ORDER BY rowid LIMIT ?", (after, _REBUILD_CHUNK)).fetchall()]
    if not households:
        return None
    ids = [h["id"] for h in households]
    return households, _people(cursor, ids), _visited(cursor, ids)


def _in(n: int) -> str:
    return ", ".join("?" * n)


def _people(cursor: Any, ids: Sequence[str]) -> dict[str, list[Person]]:
    """The residents of the households ``ids`` (a DB-API cursor or a connection)."""
    people: dict[str, list[Person]] = {}
    for hid, name, phone, id_number in _fetch(
            cursor, "SELECT household_id, name, phone, id_number FROM residents "
            f"WHERE household_id IN ({_in(len(ids))}) ORDER BY household_id, id", ids):
        people.setdefault(hid, []).append(Person(name, phone, id_number))
    return people


def _visited(cursor: Any, ids: Sequence[str]) -> dict[str, str]:
    return dict(_fetch(cursor, "SELECT household_id, max(visited_at) FROM visits "
                       f"WHERE household_id IN ({_in(len(ids))}) GROUP BY household_id",
                       ids))


def _fetch(source: Any, sql: str, params: Sequence[Any]) -> list[Any]:
    if isinstance(source, sa.Connection):
        return list(source.exec_driver_sql(sql, tuple(params)).all())
    return list(source.execute(sql, tuple(params)).fetchall())


def _entry(household: Mapping[str, Any], people: Sequence[Person], visited_at: str | None
           ) -> tuple[tuple[str, ...], tuple[str, str], tuple[str | None, str | None]]:
    """A household's index entry: its FTS columns, its sort keys (name, address), and
    its last visit and due date."""
    columns = doc_columns(household, people)
    last = max((t for t in (parse_time(household["last_visit_at"]), parse_time(visited_at))
                if t is not None), default=None)
    due = None if last is None else _due_date(last, household["visit_cadence_days"],
                                              household["tags"])
    sort_keys = (_sort_name(household["head_name"] or ""), sort_address(household))
    return columns, sort_keys, (utc_text(last), due)


def _due_date(last: dt.datetime, cadence_days: int | None, tags: Any) -> str:
    """:func:`due_date_of` as the index keeps it (ISO text); the cadence of the tags is
    worked out once per distinct tags text (a few dozen in a street)."""
    if cadence_days is not None and cadence_days > 0:
        days = cadence_days
    else:
        days = _tags_cadence(tags) if isinstance(tags, str) else \
            cadence.default_cadence_days(tags_of(tags))
    return (last.astimezone(SHANGHAI).date() + dt.timedelta(days=days)).isoformat()


@lru_cache(maxsize=2_000)
def _tags_cadence(tags: str) -> int:
    return cadence.default_cadence_days(tags_of(tags))


@lru_cache(maxsize=50_000)
def _sort_name(name: str) -> str:
    return name_keys(name).sort_key


def _reindex(conn: sa.Connection, ids: Sequence[str], next_doc: int) -> int:
    """Rebuild the entries of ``ids``; writes only what changed (a page of residents
    leaves the sort keys alone, a page of visits the text)."""
    marks = _in(len(ids))
    params = tuple(ids)
    households: dict[str, dict[str, Any]] = {
        row["id"]: dict(row) for row in conn.exec_driver_sql(
            f"SELECT {_HOUSEHOLD_COLUMNS} FROM households WHERE id IN ({marks})",
            params).mappings()
    }
    people, visited = _people(conn, ids), _visited(conn, ids)
    old = {
        row[1]: row for row in conn.exec_driver_sql(
            f"SELECT {', '.join(_DOC_COLUMNS)} FROM search_docs "
            f"WHERE household_id IN ({marks})", params)
    }
    fts_changes: list[tuple[int, tuple[Any, ...] | None, tuple[Any, ...] | None]] = []
    inserts: list[tuple[Any, ...]] = []
    text_updates: list[tuple[Any, ...]] = []
    full_updates: list[tuple[Any, ...]] = []
    gone: list[tuple[int]] = []
    n_fts = len(FTS_COLUMNS)
    for hid in ids:
        before = old.get(hid)
        household = households.get(hid)
        if household is None:
            if before is not None:
                fts_changes.append((before[0], tuple(before[2:2 + n_fts]), None))
                gone.append((before[0],))
            continue
        columns, sort_keys, rest = _entry(household, people.get(hid, ()), visited.get(hid))
        if before is None:
            doc = next_doc
            next_doc += 1
            fts_changes.append((doc, None, columns))
            inserts.append((doc, hid, *columns, *sort_keys, *rest))
            continue
        doc = before[0]
        old_columns = tuple(before[2:2 + n_fts])
        if old_columns != columns:
            fts_changes.append((doc, old_columns, columns))
        if tuple(before[2 + n_fts:2 + n_fts + 2]) != sort_keys:
            full_updates.append((*columns, *sort_keys, *rest, doc))
        elif old_columns != columns or tuple(before[2 + n_fts + 2:]) != rest:
            text_updates.append((*columns, *rest, doc))
    # Each FTS5 table takes only the entries whose columns in it changed.
    fts_delete: dict[str, list[tuple[Any, ...]]] = {}
    fts_insert: dict[str, list[tuple[Any, ...]]] = {}
    for table, part in _FTS_PARTS:
        for doc, was, now in fts_changes:
            if was is not None and now is not None and was[part] == now[part]:
                continue
            if was is not None:
                fts_delete.setdefault(table, []).append((doc, *was[part]))
            if now is not None:
                fts_insert.setdefault(table, []).append((doc, *now[part]))
    for table, rows in fts_delete.items():
        conn.exec_driver_sql(_fts_delete(table), rows)
    if gone:
        conn.exec_driver_sql("DELETE FROM search_docs WHERE doc = ?", gone)
    if inserts:
        conn.exec_driver_sql(_DOCS_INSERT, inserts)
    if full_updates:
        conn.exec_driver_sql(_update_sql(_DOC_COLUMNS[2:]), full_updates)
    if text_updates:
        conn.exec_driver_sql(_update_sql((*FTS_COLUMNS, *_DOC_COLUMNS[-2:])), text_updates)
    for table, rows in fts_insert.items():
        conn.exec_driver_sql(_fts_insert(table), rows)
    return next_doc


def _update_sql(columns: Sequence[str]) -> str:
    # Only the columns named are set, so SQLite leaves the other columns' indexes alone.
    return f"UPDATE search_docs SET {', '.join(f'{c} = ?' for c in columns)} WHERE doc = ?"


def dirty_count(session: Session) -> int:
    """Households waiting for :func:`catch_up` (0 after every ``Store.write``)."""
    return int(session.execute(sa.text("SELECT count(*) FROM search_dirty")).scalar_one())
