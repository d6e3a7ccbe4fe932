"""The search index of the households: its entries, and keeping them in step.

One entry per household in the FTS5 tables ``household_fts`` (words, with prefix indexes
for typing 1–3 letters), ``household_phones`` (trigrams, migration 0020) and
``household_numbers`` (``ids``: looked for by 4 characters or more, so without prefix
indexes, migration 0018), rowid = ``search_docs.doc``, whose columns hold tokens made in
Python (:mod:`gulou_desk.store.search_names` for names). ``search_docs`` keeps the words'
tokens too (what deletes them from ``household_fts``), and the numbers compactly, each
phone's digits and each ID number once (the tables of the numbers delete a row by its
rowid, migration 0019; :func:`fts_ids` makes the ID numbers' tokens):

==================  ======================================================================
``head``            the head's name and its full pinyin (``张三 zhangsan``); a surname
                    read otherwise as a surname gets both readings (``单丽 shanli danli``)
``head_initials``   pinyin initials (``zs``; ``zhs`` too, for zh/ch/sh typed in full)
``head_part``       the given name, its ends and their pinyin (``小梅 xiaomei 梅 mei``),
                    each part of a name with a middle dot (``买买提``)
``people``…         the same three for the other residents
``place``           the estate and its endings (``颐和新村 和新村 新村``), ``3栋``,
                    ``2单元``, ``301``, ``301室``
``phones``          the digits of every phone, in trigrams (any part of ≥4 digits is a
                    phrase of them)
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

import contextlib
import datetime as dt
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import re
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from functools import lru_cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk.domain import cadence
from gulou_desk.records import SHANGHAI
from gulou_desk.store.schema import SEARCH_FTS, SEARCH_NUMBERS, SEARCH_PHONES
from gulou_desk.store.search_names import (
    DIGITS,
    HAN,
    make_name_keys,
    natural_key,
    normalize_text,
    place_pinyin,
    unique,
    unit_words,
)

log = logging.getLogger(__name__)

# --- index entries ------------------------------------------------------------------

FTS_COLUMNS = ("head", "head_initials", "head_part", "people", "people_initials",
               "people_part", "place", "phones", "ids")
WORD_COLUMNS = FTS_COLUMNS[:7]
"""The columns of ``household_fts`` (:data:`~gulou_desk.store.schema.SEARCH_FTS`)."""
NUMBER_COLUMNS = FTS_COLUMNS[7:]
"""The numbers: ``phones`` in ``household_phones``
(:data:`~gulou_desk.store.schema.SEARCH_PHONES`), ``ids`` in ``household_numbers``
(:data:`~gulou_desk.store.schema.SEARCH_NUMBERS`)."""
FTS_TABLES = {SEARCH_FTS: WORD_COLUMNS, SEARCH_PHONES: ("phones",), SEARCH_NUMBERS: ("ids",)}
"""Each FTS5 table of the index and its columns (``search_docs`` keeps all of them, the
numbers compactly)."""
MIN_PHONE_DIGITS = 4
_ADDRESS_PARTS = re.compile(r"(\d+)(栋|单元|室)")
_WORDS = re.compile(f"[{HAN}0-9a-z]+")
_IDS = FTS_COLUMNS.index("ids")


class Person(NamedTuple):
    """A resident as the index reads one (a plain tuple: one is made per resident)."""

    name: str | None
    phone: str | None
    id_number: str | None


def _digits(phone: str) -> str:
    # The usual phone is plain ASCII digits already (the regular expression costs more
    # than the rest of phone_number).
    return phone if phone.isascii() and phone.isdigit() else "".join(DIGITS.findall(phone))


def id_tokens(id_number: str | None) -> list[str]:
    text = id_number or ""
    if not (text.isascii() and text.isalnum()):  # the usual ID is plain ASCII already
        text = "".join(ch for ch in normalize_text(text) if ch.isalnum())
    text = text.lower()
    if len(text) < 4:
        return []
    return [text[-4:], text] if len(text) > 4 else [text]


def _address_tokens(address: str | None) -> list[str]:
    """``3栋``, ``2单元``, ``301室`` and ``301`` of an address given as text."""
    tokens: list[str] = []
    if not address:
        return tokens
    for number, unit in _ADDRESS_PARTS.findall(unit_words(address)):
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
    """A household's FTS columns (:data:`FTS_COLUMNS`)."""
    return _ENTRIES.columns(
        household.get("head_name"), household.get("estate"), household.get("building"),
        household.get("unit"), household.get("room"), household.get("address"),
        household.get("phone"), people)


def phone_number(phone: str | None) -> str:
    """The digits of ``phone`` as ``search_docs.phones`` keeps them (one word per phone);
    ``""`` when it has too few to be looked for."""
    if not phone:
        return ""
    digits = _digits(phone)
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


def fts_ids(ids: str) -> str:
    """The tokens ``household_numbers`` takes for the ID numbers as ``search_docs`` keeps
    them (each once, :func:`doc_columns`): the last 4 characters of each, and the whole.
    (``household_phones`` takes the phones as they are kept: its tokens are trigrams.)"""
    return " ".join(unique([t for n in ids.split() for t in id_tokens(n)]))


_NameColumns = tuple[str, str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], str]
"""A name's three columns joined, their tokens, and its sort key."""
_Resident = tuple[str | None, str | None, str | None]
"""A resident's name, phone and ID number (a :class:`Person`, or a row as read)."""


class _Names(dict[str, _NameColumns]):
    """The words of each name, made once (names repeat: a head is a resident of the
    household too, and the same names recur across a street). A plain dict of plain
    tuples: the garbage collector stops looking at them after one collection, and
    nothing is evicted and made again (an ``lru_cache`` of a street's 54,000 names
    did both). Emptied when it holds :data:`_HELD` names."""

    def __missing__(self, name: str) -> _NameColumns:
        keys = make_name_keys(name)
        value = (" ".join(keys.full), " ".join(keys.initials), " ".join(keys.parts),
                 keys.full, keys.initials, keys.parts, keys.sort_key)
        _make_room(self)
        self[name] = value
        return value


_HELD = 50_000
"""What an :class:`_Entries` keeps of each kind (names, places …) at most: the one that
:func:`catch_up` uses lives as long as the app."""


class NamesAhead:
    """The words of names, made ahead while a first sync waits for its next page, for
    the rebuild at its end (:func:`rebuild`).

    A social worker's first sync (16,600 records) is busy in Python, and waits for the
    server now and then; its rebuild made the words of every name (pinyin, initials:
    the largest part of it), one after the other, after the last page. The engine
    gives this the names of each page it wrote (:meth:`take`) and lets it work while
    it waits (:meth:`make`), so the rebuild finds most of them made."""

    def __init__(self) -> None:
        self.names = _Names()
        self._waiting: list[str] = []

    def take(self, names: Iterable[Any]) -> None:
        """Names to make (non-text values and those made already are passed over)."""
        held = self.names
        self._waiting.extend(n for n in names if type(n) is str and n and n not in held)

    def make(self, until: float) -> bool:
        """Make the waiting names' words until ``time.perf_counter()`` reaches ``until``
        (a few names at a time); returns whether names are still waiting."""
        waiting, names = self._waiting, self.names
        while waiting and time.perf_counter() < until:
            for name in waiting[-_AHEAD_STEP:]:
                if len(names) >= _HELD:  # the rebuild would empty it: no more
                    waiting.clear()
                    return False
                names[name]  # made by __missing__
            del waiting[-_AHEAD_STEP:]
        return bool(waiting)


_AHEAD_STEP = 20
"""How many names :meth:`NamesAhead.make` makes between two looks at the clock (some
tens of microseconds each)."""


class _Entries:
    """Makes index entries; holds what repeats between households (names, estates,
    buildings and units, rooms), so each is worked out once."""

    def __init__(self, names: _Names | None = None) -> None:
        self.names = _Names() if names is None else names
        self.places: dict[tuple[str | None, str | None, str | None],
                          tuple[tuple[str, ...], str]] = {}
        self.rooms: dict[str | None, tuple[tuple[str, ...], str]] = {}
        self.sort_places: dict[tuple[str, str | None, str | None], str] = {}

    def columns(self, head_name: str | None, estate: str | None, building: str | None,
                unit: str | None, room: str | None, address: str | None,
                phone: str | None, people: Sequence[_Resident]) -> tuple[str, ...]:
        """The FTS columns of a household (:data:`FTS_COLUMNS`)."""
        names = self.names
        head_name = head_name or ""
        head = names[head_name]
        others = [p[0] for p in people if p[0] and p[0] != head_name]
        if not others:
            full = initials = parts = ""
        elif len(others) == 1:  # most households
            full, initials, parts = names[others[0]][:3]
        else:  # each name's tokens are non-empty and distinct already
            keys = [names[name] for name in others]
            full = " ".join(dict.fromkeys([t for k in keys for t in k[3]]))
            initials = " ".join(dict.fromkeys([t for k in keys for t in k[4]]))
            parts = " ".join(dict.fromkeys([t for k in keys for t in k[5]]))
        phones = [phone] if phone else []  # each number once (the head's is the household's)
        ids: list[str] = []
        for _name, number, id_number in people:
            if number and number not in phones:
                phones.append(number)
            if id_number:
                ids += id_tokens(id_number)[-1:]  # the whole number, once (fts_ids: words)
        if not phones:
            phone_column = ""
        elif len(phones) == 1:
            phone_column = phone_number(phones[0])
        else:  # each phone's digits once (household_phones: trigrams of them)
            phone_column = " ".join(unique(phone_number(n) for n in phones))
        return (*head[:3], full, initials, parts,
                self._place(estate, building, unit, room, address), phone_column,
                " ".join(dict.fromkeys(ids)))

    def entry(self, household: Sequence[Any], people: Sequence[_Resident],
              visited_at: str | None) -> tuple[Any, ...]:
        """A household's index entry: its FTS columns, its sort keys (name, address), its
        last visit and due date. ``household``: a row of :data:`_HOUSEHOLD_COLUMNS`."""
        (_hid, head_name, estate, building, unit, room, address, phone, tags, cadence_days,
         last_visit_at) = household[:11]
        columns = self.columns(head_name, estate, building, unit, room, address, phone,
                               people)
        last = parse_time(last_visit_at)
        if visited_at is not None:
            visit = parse_time(visited_at)
            if last is None or (visit is not None and visit > last):
                last = visit
        due = None if last is None else _due_date(last, cadence_days, tags)
        return (*columns, self.names[head_name or ""][6],
                self._sort_address(estate or address or "", building, unit, room),
                utc_text(last), due)

    def _sort_address(self, estate: str, building: str | None, unit: str | None,
                      room: str | None) -> str:
        start = self.sort_places.get((estate, building, unit))
        if start is None:
            _make_room(self.sort_places)
            start = self.sort_places[(estate, building, unit)] = " ".join((
                place_pinyin(normalize_text(estate)), _natural_key(building),
                _natural_key(unit)))
        return f"{start} {_natural_key(room)}"

    def _place(self, estate: str | None, building: str | None, unit: str | None,
               room: str | None, address: str | None) -> str:
        place = self.places.get((estate, building, unit))
        if place is None:
            _make_room(self.places)
            tokens = unique((*_estate_tokens(estate or ""), *_unit_tokens(building, "栋"),
                             *_unit_tokens(unit, "单元")))
            place = self.places[(estate, building, unit)] = (tokens, " ".join(tokens))
        at = self.rooms.get(room)
        if at is None:
            _make_room(self.rooms)
            tokens = unique(_unit_tokens(room, "室"))
            at = self.rooms[room] = (tokens, " ".join(tokens))
        more = _address_tokens(address)
        if not (more or at[0]):
            return place[1]
        if not place[0]:
            return " ".join(dict.fromkeys((*at[0], *more)))
        return " ".join(dict.fromkeys((*place[0], *at[0], *more)))


def _make_room(held: dict[Any, Any]) -> None:
    if len(held) >= _HELD:
        held.clear()


_ENTRIES = _Entries()
"""The entries made by :func:`catch_up` and :func:`doc_columns` (a rebuild makes its own,
given up at its end)."""


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
_HOUSEHOLD_KEYS = tuple(_HOUSEHOLD_COLUMNS.split(", "))
_FTS_PARTS = ((SEARCH_FTS, slice(0, len(WORD_COLUMNS))),
              (SEARCH_PHONES, slice(_IDS - 1, _IDS)), (SEARCH_NUMBERS, slice(_IDS, _IDS + 1)))
"""Each FTS5 table and its columns' place among :data:`FTS_COLUMNS`."""


def _fts_command(table: str) -> str:
    return f"INSERT INTO {table} ({table}, rank) VALUES (?, ?)"


def _fts_insert(table: str) -> str:
    columns = FTS_TABLES[table]
    return (f"INSERT INTO {table} (rowid, {', '.join(columns)}) "
            f"VALUES (?{', ?' * len(columns)})")


def _from_docs(table: str) -> str:
    """Docs ``?``…``?`` into ``table``, straight from ``search_docs``, which keeps the words
    and the phones as they are indexed (the ID numbers it keeps compactly, :func:`fts_ids`).
    Into the tables that delete by rowid, only docs with something to index go (a row of
    nothing but its column sizes is of no use, and a rowid that is not there is deleted
    for nothing); ``household_fts`` takes every doc, as its deletes expect."""
    columns = FTS_TABLES[table]
    some = "" if table == SEARCH_FTS else " AND " + " OR ".join(f"{c} != ''" for c in columns)
    return (f"INSERT INTO {table} (rowid, {', '.join(columns)}) "
            f"SELECT doc, {', '.join(columns)} FROM search_docs WHERE doc BETWEEN ? AND ?"
            f"{some} ORDER BY doc")


_FTS_DELETE = {
    # Contentless: a row is removed by giving its old text back (search_docs keeps it).
    SEARCH_FTS: (f"INSERT INTO {SEARCH_FTS} ({SEARCH_FTS}, rowid, {', '.join(WORD_COLUMNS)}) "
                 f"VALUES ('delete', ?{', ?' * len(WORD_COLUMNS)})"),
    # contentless_delete=1 (migrations 0019, 0020): by its rowid alone, since search_docs
    # keeps the numbers compactly, not the tokens they were indexed as.
    SEARCH_PHONES: f"DELETE FROM {SEARCH_PHONES} WHERE rowid = ?",
    SEARCH_NUMBERS: f"DELETE FROM {SEARCH_NUMBERS} WHERE rowid = ?",
}


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


def rebuild(session: Session, helper: EntryHelper | None = None,
            ahead: NamesAhead | None = None) -> int:
    """Drop the whole index and build it again from the records, in one pass in the
    households' order (in the caller's write transaction); returns how many households
    it holds. The end of a bulk load (:mod:`gulou_desk.store.bulk_load`), repairs and
    benchmarks: far cheaper than :func:`catch_up` of every household, since nothing old
    is read or compared, and the sort indexes are built once, after the rows.

    ``helper``: a second process that makes two of every three chunks' entries
    (:data:`HELPER_SHARE`; the caller started it early, so that it is up by now, and
    closes it). Without one, a rebuild of
    :data:`HELPER_HOUSEHOLDS` households or more starts its own, and uses it once it is up.
    ``ahead``: names whose words were made while the pull waited (:class:`NamesAhead`).
    """
    conn = session.connection()
    own_helper = None
    if helper is None and _households_about(conn) >= HELPER_HOUSEHOLDS:
        helper = own_helper = EntryHelper.start()
    try:
        return _rebuild(conn, helper, ahead)
    finally:
        if own_helper is not None:
            own_helper.close()


def _rebuild(conn: sa.Connection, helper: EntryHelper | None,
             names_ahead: NamesAhead | None = None) -> int:
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
    # what repeats, for this rebuild only
    entries = _Entries(None if names_ahead is None else names_ahead.names)
    # Three things at once, chunk by chunk: Python makes the entries of one chunk while
    # the helper process (when there is one, and it is up) makes those of the next two,
    # and FTS5 takes in the entries of the chunks before (one statement, in C, which lets
    # go of the GIL). The connection is used by one thread at a time: the FTS thread's statement
    # is waited for before the next rows are read or written.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-index") as pool:
        indexing: Future[Any] | None = None
        chunk = _rebuild_chunk(cursor, 0)
        ahead = _read_ahead(cursor, chunk, helper)
        while chunk is not None:
            first = doc + 1
            made = _made(entries, *chunk)
            households = chunk[0]
            for later, remote in ahead:
                made += _made_remotely(remote, helper, entries, later)
                households = households + later[0]
            doc_rows: list[tuple[Any, ...]] = []
            id_rows: list[tuple[Any, ...]] = []
            for household, (entry, ids) in zip(households, made, strict=True):
                doc += 1
                doc_rows.append((doc, household[0], *entry))
                if ids:
                    id_rows.append((doc, ids))
            if indexing is not None:
                indexing.result()
            cursor.executemany(_DOCS_INSERT, doc_rows)
            chunk = _rebuild_chunk(cursor, households[-1][-1])
            ahead = _read_ahead(cursor, chunk, helper)
            indexing = pool.submit(_index_docs, fts_cursor, first, doc, id_rows)
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


_Chunk = tuple[list[tuple[Any, ...]], list[tuple[int, str | None, str | None, str | None]],
               list[tuple[int, str]]]
"""What :func:`_rebuild_chunk` reads: households (rows of :data:`_HOUSEHOLD_COLUMNS` and
their rowid), their residents' names, phones and ID numbers and their last visits, each by
its household's rowid."""
_Made = list[tuple[tuple[Any, ...], str]]
"""Each household's index entry and its ID numbers' tokens (:func:`fts_ids`), in the
chunk's order."""

HELPER_HOUSEHOLDS = 40_000
"""From how many households a rebuild that was given no helper starts one of its own (a
bulk load finished when the store opens, after a crash): it is up after half a second or
so (it imports the store's code), and fewer households are indexed by then. A first
sync's pull starts one as it begins (``sync.engine.INDEX_HELPER_RECORDS``)."""
HELPER_WAIT_S = 5.0
"""How long the rebuild waits for the helper's entries of a chunk (a few tens of
milliseconds as a rule) before it gives the helper up (kills it) and makes them itself:
a helper that is stopped or stuck must not hold the store's write lock. Well under the
busy timeout of the store's other writers (``gulou_desk.db.SQLITE_BUSY_TIMEOUT_MS``), and
paid once: the chunks handed over after it fail at once with the helper gone."""


HELPER_SHARE = 2
"""How many chunks the helper makes for each one made here: the process making them here
shares its core with the FTS thread taking in the entries (and in the app, the GUI)."""


class EntryHelper:
    """A second process that makes index entries, so that a street's or a district's
    rebuild uses both cores: Python makes entries one at a time under the GIL, the largest
    part of a rebuild's own Python work (a supervisor's 57,000 households: 1.6 s of the
    4.2 s of CPU the rebuild took, the rest SQLite's, much of it on the FTS thread).

    Started (:meth:`start`) when a big first pull begins, it imports its code while the
    pull runs, and :func:`rebuild` gives it work once it is up (:meth:`up`): never waiting
    for it to start. A helper that fails (killed, out of memory) is given up: the rebuild
    makes the rest of the entries itself. Households cross to the helper as plain tuples
    and come back as plain tuples; nothing of them is logged.
    """

    def __init__(self, pool: ProcessPoolExecutor | None) -> None:
        self._pool = pool
        self._ready: Future[bool] | None = None
        self.chunks = 0
        """How many chunks it was given."""
        if pool is not None:
            try:
                self._ready = pool.submit(_ready)  # starts the process
            except Exception as exc:
                _not_started(exc)
                pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None

    @classmethod
    def start(cls) -> EntryHelper:
        """A helper, starting; one that cannot start (no file handles left, no memory, no
        shared memory for the pool's locks …) is never up, and the rebuild does without."""
        try:
            # "spawn" everywhere: a fork of a process with threads (Qt's, the sync's) is
            # not safe, and it is what Windows and macOS do anyway.
            pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_leave_with_parent)
        except Exception as exc:
            _not_started(exc)
            return cls(None)
        return cls(pool)

    @property
    def open(self) -> bool:
        """Not closed (nor given up)."""
        return self._pool is not None

    def up(self) -> bool:
        ready = self._ready
        return self._pool is not None and ready is not None and ready.done() and \
            not ready.cancelled() and ready.exception() is None

    def make(self, chunk: _Chunk) -> Future[_Made] | None:
        """The entries of ``chunk``, made in the helper; ``None`` when it is not up."""
        if not self.up():
            return None
        assert self._pool is not None
        try:
            made = self._pool.submit(_made, None, *chunk)
        except RuntimeError:  # broken, or shut down
            self.close()
            return None
        self.chunks += 1
        return made

    def close(self) -> None:
        """Stop the helper now: its process is killed, whatever it is doing (it holds
        nothing of ours; entries it was making are made here), and not waited for.

        Not killed, a helper with a call outstanding (stuck, stopped, or still starting:
        an antivirus scanning the new process) kept the app from quitting: at exit,
        ``concurrent.futures`` joins the pool's manager thread, which waits for that call
        for ever; the window was gone, the process and its open store stayed."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # The pool's own record of its process and of its results' pipe (CPython's
        # ``_processes`` and ``_result_queue``; a public way to kill the workers comes
        # with Python 3.14's ``kill_workers``).
        processes = list((getattr(pool, "_processes", None) or {}).values())
        results = getattr(pool, "_result_queue", None)
        pool.shutdown(wait=False, cancel_futures=True)
        # This process's copy of the pipe's sending end (it never sends): killed in the
        # middle of a result (a chunk's entries are more than the pipe holds), the helper
        # left the pool's thread reading the rest for ever, and the app unable to quit;
        # with no sending end left open, the read ends and the pool is broken.
        with contextlib.suppress(Exception):
            results._writer.close()  # type: ignore[union-attr]
        for process in processes:
            with contextlib.suppress(Exception):  # ended already
                process.kill()


def check_helper(timeout: float = 60.0) -> str:
    """Start a helper, have it make one household's entry, and compare it with the one
    made here: what the bundle's smoke test runs (``gulou-desk --check-index-helper``), so
    a frozen app whose helper cannot start (PyInstaller's multiprocessing hook, spawn on
    Windows) is seen before it ships. Returns what it found; raises if the helper fails.
    The household is made up (no one's data)."""
    started = time.monotonic()
    helper = EntryHelper.start()
    try:
        while not helper.up():
            if not helper.open or time.monotonic() - started > timeout:
                raise RuntimeError("the search index's helper process did not come up")
            time.sleep(0.02)
        up = time.monotonic() - started
        household = ("h1", "张三", "颐和新村", "3", "2", "301", "颐和新村3栋2单元301室",
                     "13912345678", "[]", None, None, 1)
        chunk: _Chunk = ([household], [(1, "李四", "13800000000", "320106196001020011")],
                         [(1, "2026-11-02T01:00:00.000000+00:00")])
        remote = helper.make(chunk)
        if remote is None:
            raise RuntimeError("the search index's helper process went away")
        made = remote.result(timeout=timeout)
        if made != _made(_Entries(), *chunk):
            raise RuntimeError("the search index's helper process made another entry")
        return f"index helper up in {up:.2f} s; one entry made there as here"
    finally:
        helper.close()


def _not_started(exc: Exception) -> None:
    log.warning("the search index's helper process could not start (%s); indexing "
                "without it", type(exc).__name__)


def _ready() -> bool:
    return True


def _leave_with_parent() -> None:
    """In the helper: end it when the app ends, however it ends (a kill -9 of the app
    leaves the pool's queue open: the helper would wait on it for ever)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


_HELPER_ENTRIES: list[_Entries] = []
"""The helper process's :class:`_Entries` (what repeats between its chunks)."""


def _made(entries: _Entries | None, households: list[tuple[Any, ...]],
          residents: list[tuple[int, str | None, str | None, str | None]],
          visits: list[tuple[int, str]]) -> _Made:
    """The entries of a chunk (:data:`_Chunk`); ``entries`` ``None``: in the helper
    process."""
    if entries is None:
        if not _HELPER_ENTRIES:
            _HELPER_ENTRIES.append(_Entries())
        entries = _HELPER_ENTRIES[0]
    people: dict[int, list[_Resident]] = {}
    for at, name, phone, id_number in residents:
        if at in people:
            people[at].append((name, phone, id_number))
        else:
            people[at] = [(name, phone, id_number)]
    visited = dict(visits)
    made: _Made = []
    for household in households:
        at = household[-1]
        entry = entries.entry(household, people.get(at, ()), visited.get(at))
        made.append((entry, fts_ids(entry[_IDS]) if entry[_IDS] else ""))
    return made


def _read_ahead(cursor: Any, chunk: _Chunk | None, helper: EntryHelper | None
                ) -> list[tuple[_Chunk, Future[_Made] | None]]:
    """The helper's share of chunks after ``chunk`` (:data:`HELPER_SHARE`; one when there
    is no helper up), each with the helper's making of its entries (``None``: made
    here)."""
    ahead: list[tuple[_Chunk, Future[_Made] | None]] = []
    while chunk is not None and len(ahead) < (HELPER_SHARE if helper and helper.up() else 1):
        chunk = _rebuild_chunk(cursor, chunk[0][-1][-1])
        if chunk is not None:
            ahead.append((chunk, None if helper is None else helper.make(chunk)))
    return ahead


def _made_remotely(remote: Future[_Made] | None, helper: EntryHelper | None,
                   entries: _Entries, chunk: _Chunk) -> _Made:
    if remote is not None:
        try:
            return remote.result(timeout=HELPER_WAIT_S)
        except Exception as exc:  # BrokenProcessPool, a timeout: carry on without it
            if helper is not None and helper.open:
                # Its type alone: a message could quote a record's values.
                log.warning("the search index's helper process failed (%s); indexing on "
                            "without it", type(exc).__name__)
                helper.close()  # killed: the chunks it still has fail at once
    return _made(entries, *chunk)


def _households_about(conn: sa.Connection) -> int:
    """About how many households the store holds (their largest rowid: no count of
    every row)."""
    return int(conn.exec_driver_sql(
        "SELECT coalesce(max(rowid), 0) FROM households").scalar_one())


def _index_docs(cursor: Any, first: int, last: int, ids: list[tuple[Any, ...]]) -> None:
    """Put the docs ``first``…``last`` of ``search_docs`` into the FTS5 tables: their
    words and phones from ``search_docs``, their ID numbers' tokens (``ids``: doc, tokens;
    only the docs that have any)."""
    for table in (SEARCH_FTS, SEARCH_PHONES):
        cursor.execute(_from_docs(table), (first, last))
    cursor.executemany(_fts_insert(SEARCH_NUMBERS), ids)


def _rebuild_chunk(cursor: Any, after: int) -> _Chunk | None:
    """The next households after rowid ``after`` for :func:`rebuild` (rows of
    :data:`_HOUSEHOLD_COLUMNS` and the rowid), with the name, phone and ID number of their
    residents and their last visits, each by its household's rowid (a small number, not
    its id: a chunk crosses to the helper process, and back, in a third of the bytes);
    ``None`` after the last."""
    households: list[tuple[Any, ...]] = cursor.execute(
        f"SELECT {_HOUSEHOLD_COLUMNS}, rowid FROM households "
        "WHERE rowid > ? ORDER BY rowid LIMIT ?", (after, _REBUILD_CHUNK)).fetchall()
    if not households:
        return None
    span = (households[0][-1], households[-1][-1])
    return households, cursor.execute(
        "SELECT h.rowid, r.name, r.phone, r.id_number FROM households h "
        "JOIN residents r ON r.household_id = h.id WHERE h.rowid BETWEEN ? AND ? "
        "ORDER BY h.rowid, r.id", span).fetchall(), cursor.execute(
        "SELECT h.rowid, max(v.visited_at) FROM households h "
        "JOIN visits v ON v.household_id = h.id WHERE h.rowid BETWEEN ? AND ? "
        "GROUP BY h.rowid", span).fetchall()


def _in(n: int) -> str:
    return ", ".join("?" * n)


def _people(cursor: Any, ids: Sequence[str]) -> dict[str, list[_Resident]]:
    """The residents of the households ``ids`` (a DB-API cursor or a connection): their
    name, phone and ID number."""
    people: dict[str, list[_Resident]] = {}
    for row in _fetch(
            cursor, "SELECT household_id, name, phone, id_number FROM residents "
            f"WHERE household_id IN ({_in(len(ids))}) ORDER BY household_id, id", ids):
        hid = row[0]
        if hid in people:
            people[hid].append(tuple(row[1:]))
        else:
            people[hid] = [tuple(row[1:])]
    return people


def _visited(cursor: Any, ids: Sequence[str]) -> dict[str, str]:
    return dict(_fetch(cursor, "SELECT household_id, max(visited_at) FROM visits "
                       f"WHERE household_id IN ({_in(len(ids))}) GROUP BY household_id",
                       ids))


def _fetch(source: Any, sql: str, params: Sequence[Any]) -> list[Any]:
    if isinstance(source, sa.Connection):
        return list(source.exec_driver_sql(sql, tuple(params)).all())
    return list(source.execute(sql, tuple(params)).fetchall())


def _entry(household: Mapping[str, Any], people: Sequence[_Resident], visited_at: str | None
           ) -> tuple[tuple[str, ...], tuple[str, str], tuple[str | None, str | None]]:
    """A household's index entry: its FTS columns, its sort keys (name, address), and
    its last visit and due date."""
    entry = _ENTRIES.entry(tuple(household[k] for k in _HOUSEHOLD_KEYS), people, visited_at)
    n = len(FTS_COLUMNS)
    return entry[:n], (entry[n], entry[n + 1]), (entry[n + 2], entry[n + 3])


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
                fts_delete.setdefault(table, []).append(
                    (doc, *was[part]) if table == SEARCH_FTS else (doc,))
            if now is None:
                continue
            if table == SEARCH_FTS:
                fts_insert.setdefault(table, []).append((doc, *now[part]))
            elif now[part][0]:  # the phones as kept; the ID numbers' tokens
                fts_insert.setdefault(table, []).append(
                    (doc, now[part][0] if table == SEARCH_PHONES else fts_ids(now[part][0])))
    for table, rows in fts_delete.items():
        conn.exec_driver_sql(_FTS_DELETE[table], rows)
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
