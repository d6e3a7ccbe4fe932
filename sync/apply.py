"""Applying pulled pages to the local store.

A page is applied in ONE write transaction together with its cursor, so a crash at any
point resumes at the page after the last one committed, without gaps or duplicates.

Fast path: records with no pending edits are written with one bulk
``INSERT … ON CONFLICT DO UPDATE`` per entity (executemany), guarded so that an older or
equal version never overwrites a newer one held. Records with pending edits go through
:func:`gulou_desk.store.outbox.rebase_pulled`, which keeps the server copy and lays the
pending changes over it, so a pull never erases an edit that is still in the outbox.

Full re-pull (the server refused our cursor): no revoke can reach us for what left the
scope meanwhile, so the last page sweeps every synced record the re-pull did not send.
What it sent is noted in the store (``repull_seen``) with each page, in the page's
transaction, so a re-pull cut short and resumed from its cursor still sweeps at its end.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
import re
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from dataclasses import dataclass, field
from functools import cache, partial
from itertools import chain, repeat
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk.db import json_text
from gulou_desk.records import (
    ENTITIES,
    INT_RANGE,
    JSON_MAX_DEPTH,
    FieldSpec,
    Kind,
    WireError,
    date_in_range,
    text_limit,
    value_from_wire,
    value_to_wire,
)
from gulou_desk.store import outbox
from gulou_desk.store.rows import delete_rows, python_fields, replace_row
from gulou_desk.store.schema import RECORD_TABLES, SYNC_VERSION, Outbox, RepullSeen
from gulou_desk.store.sync_state import SyncKey, get_state, set_state
from sync.wire import WireChange

DEFERRED_REVOKES = "deferred_revokes"


@dataclass
class PageResult:
    upserted: int = 0
    deleted: int = 0
    revoked: int = 0
    skipped: int = 0
    changed: dict[str, set[str]] = field(default_factory=dict)

    def touch(self, entity: str, ids: Iterable[str]) -> None:
        self.changed.setdefault(entity, set()).update(ids)


class BadChange(ValueError):
    """A pulled change does not fit the record spec (a server bug or a newer protocol)."""


def apply_page(session: Session, changes: Sequence[WireChange], cursor: str) -> PageResult:
    """Write one pulled page and its cursor (in the caller's write transaction)."""
    result = PageResult()
    by_entity: dict[str, list[WireChange]] = {}
    for change in changes:
        if change.entity not in ENTITIES:
            result.skipped += 1  # an entity this client does not know yet
            continue
        by_entity.setdefault(change.entity, []).append(change)
    deferred: list[list[str]] = []
    pending = _records_with_pending(session, by_entity)
    for entity, items in by_entity.items():
        _apply_entity(session, entity, items, pending.get(entity, _NO_IDS), result,
                      deferred)
    if deferred:
        _defer_revokes(session, deferred)
    set_state(session, SyncKey.CURSOR, cursor)
    return result


_NO_IDS: frozenset[str] = frozenset()


def _records_with_pending(session: Session, entities: Iterable[str]) -> dict[str, set[str]]:
    """Per entity of a page, the ids of its records with pending mutations (one query
    for the page, not one per entity)."""
    names = list(entities)
    pending: dict[str, set[str]] = {}
    for entity, rid in session.connection().exec_driver_sql(
            f'SELECT DISTINCT entity, record_id FROM "{Outbox.__tablename__}" '
            f'WHERE entity IN ({", ".join("?" * len(names))})', tuple(names)):
        pending.setdefault(entity, set()).add(rid)
    return pending


def _defer_revokes(session: Session, deferred: list[list[str]]) -> None:
    """Keep ``[entity, id]`` records that left the scope until their pending edits are
    pushed (:func:`settle_deferred_revokes` drops them then)."""
    held = [tuple(x) for x in get_state(session, DEFERRED_REVOKES, [])]
    merged = sorted({*held, *(tuple(x) for x in deferred)})
    set_state(session, DEFERRED_REVOKES, [list(x) for x in merged])


def _apply_entity(session: Session, entity: str, items: list[WireChange],
                  pending: Set[str], result: PageResult, deferred: list[list[str]]) -> None:
    # Within a page the last word about a record wins.
    last: dict[str, WireChange] = dict(zip(map(_ID, items), items, strict=True))
    changes = list(last.values())
    if (set(map(_OP, changes)) == {"upsert"} and pending.isdisjoint(last)
            and set(map(type, map(_DATA, changes))) == {dict}
            and None not in map(_VERSION, changes)):
        # The usual page (a first sync's, a re-pull's): upserts of records without
        # pending edits, written at once.
        result.upserted += len(changes)
        result.touch(entity, last)
        _write(session, entity, changes)
        return
    spec = ENTITIES[entity]
    bulk: list[WireChange] = []
    drop: list[str] = []
    for rid, change in last.items():
        if change.op == "upsert":
            if type(change.data) is not dict or change.version is None:
                raise BadChange(f"upsert of {entity} {rid} without data or version")
            try:
                if rid in pending:
                    rebased = outbox.rebase_pulled(session, entity, rid, change.version,
                                                   change.data)
                    if rebased is not None:
                        replace_row(session, entity, rid, python_fields(spec, rebased),
                                    change.version)
                else:
                    bulk.append(change)
            except WireError as exc:
                raise BadChange(f"{entity} {rid}: {exc}") from exc
            result.upserted += 1
        elif change.op == "delete":
            if rid in pending:
                outbox.rebase_pulled_delete(session, entity, rid)
            drop.append(rid)
            result.deleted += 1
        else:  # revoke: out of scope now; keep it while an edit of it waits to be pushed
            if rid in pending:
                deferred.append([entity, rid])
            else:
                drop.append(rid)
            result.revoked += 1
    result.touch(entity, last)
    if bulk:
        _write(session, entity, bulk)
    if drop:
        for i in range(0, len(drop), 500):
            delete_rows(session, entity, drop[i:i + 500])


# --- pulled rows as the store keeps them ----------------------------------------------
#
# A pulled page is written with one prepared statement per entity and plain tuples
# (``executemany``), the values converted from the wire straight to what SQLite keeps
# (the text, numbers and JSON text that SQLAlchemy's column types would make of the
# Python values): no Python objects per value, no per-row statement work. Each value is
# checked as :func:`gulou_desk.records.value_from_wire` checks it; anything the quick
# checks do not clear goes through ``value_from_wire`` itself, which says what is wrong.


Converter = Callable[[Any], Any]


def _upsert_sql_of(table: sa.Table) -> str:
    names = [c.name for c in table.columns]
    quoted = ", ".join(f'"{n}"' for n in names)
    updates = ", ".join(f'"{n}" = excluded."{n}"' for n in names if n != "id")
    held = f'"{table.name}"."{SYNC_VERSION}"'
    differs = " OR ".join(f'"{table.name}"."{n}" IS NOT excluded."{n}"'
                          for n in names if n not in ("id", SYNC_VERSION))
    return (f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" * len(names))}) '
            f'ON CONFLICT ("id") DO UPDATE SET {updates} '
            f'WHERE {held} IS NULL OR {held} < excluded."{SYNC_VERSION}" '
            f'OR ({held} = excluded."{SYNC_VERSION}" AND ({differs}))')


@cache
def _upsert_sql(entity: str) -> str:
    """Insert or update a pulled row, never over a newer version held here, and not over
    the same row held already: a re-pull sends every record again, nearly all of them
    as held, and a row left alone costs no write (its pages, indexes and triggers
    untouched). At the version held, other fields are still written: a push the server
    took with changes is told its version before the pull brings what it stored."""
    return _upsert_sql_of(RECORD_TABLES[entity])


def _write(session: Session, entity: str, changes: Sequence[WireChange]) -> None:
    """The upserts of one entity, with one prepared statement (executemany on the
    session's own connection, in its transaction). The rows are made as the driver
    binds them, each freed at once: a page's 5,000 row tuples never live together, so
    the garbage collector does not look at them, again and again, in every collection
    of the older generations."""
    rows = _rows(entity, changes)
    driver: Any = session.connection().connection.driver_connection
    cursor = driver.cursor()
    try:
        cursor.executemany(_upsert_sql(entity), rows)
    finally:
        cursor.close()


def _rows(entity: str, changes: Sequence[WireChange]) -> Iterator[tuple[Any, ...]]:
    """The rows of pulled upserts, in the table's column order, converted column by
    column: a column that passes the quick checks as a whole (types, lengths, choices,
    text that can be stored, JSON that needs no further look) is taken as it is, in C
    loops; any other goes value by value through the exact converters."""
    datas = [c.data or {} for c in changes]
    ids = [c.id for c in changes]
    plan = _plan(entity)
    try:  # the server sends every field: the columns come out of C loops (no tuples)
        given: list[Sequence[Any]] = [list(map(get, datas)) for get in _getters(entity)]
    except KeyError:
        given = [[d.get(f.name, _MISSING) for d in datas] for f, _, _ in plan]
    columns: list[Sequence[Any]] = [ids]
    for (f, convert, missing), column in zip(plan, given, strict=True):
        if _MISSING in column:
            column = [missing() if v is _MISSING else v for v in column]
        quick = _QUICK.get(f.kind)
        converted = quick(f, column) if quick is not None else None
        if converted is None:
            converted = (_by_value(entity, ids, convert, column) if f.kind in _REPEATED
                         else _one_by_one(entity, ids, convert, column))
        columns.append(converted)
    columns.append([c.version for c in changes])
    return zip(*columns, strict=True)


@cache
def _getters(entity: str) -> list[Callable[[dict[str, Any]], Any]]:
    return [operator.itemgetter(name) for name in ENTITIES[entity].field_names]


def _one_by_one(entity: str, ids: Sequence[str], convert: Converter,
                column: Sequence[Any]) -> list[Any]:
    out = []
    for rid, value in zip(ids, column, strict=True):
        try:
            out.append(convert(value))
        except WireError as exc:
            raise BadChange(f"{entity} {rid}: {exc}") from exc
    return out


def _by_value(entity: str, ids: Sequence[str], convert: Converter,
              column: Sequence[Any]) -> list[Any]:
    """Each distinct value converted once (birth dates, tags: a page repeats them)."""
    try:
        done = {v: convert(v) for v in set(column)}
    except (WireError, TypeError):  # say which record; unhashable: one by one
        return _one_by_one(entity, ids, convert, column)
    return list(map(done.__getitem__, column))


_REPEATED = frozenset({Kind.DATE, Kind.DATETIME})
"""Kinds converted once per distinct value of a column."""

_NONE = type(None)


def _quick_text(f: FieldSpec, column: Sequence[Any]) -> Sequence[Any] | None:
    if not set(map(type, column)) <= {str, _NONE}:
        return None
    limit = text_limit(f)
    if limit is not None and max(map(len, filter(None, column)), default=0) > limit:
        return None
    if f.choices is not None and not set(column) - {None} <= set(f.choices):
        return None
    if f.choices is None and not _plain_text("".join(filter(None, column))):
        return None  # a NUL or half a character somewhere: the exact check says which
    return column


def _quick_int(f: FieldSpec, column: Sequence[Any]) -> Sequence[Any] | None:
    if not set(map(type, column)) <= {int, _NONE}:
        return None
    numbers = [v for v in column if v is not None]
    if numbers and not (INT_RANGE[0] <= min(numbers) and max(numbers) <= INT_RANGE[1]):
        return None
    return column


def _quick_bool(f: FieldSpec, column: Sequence[Any]) -> Sequence[Any] | None:
    # SQLite's driver binds True and False as 1 and 0, as the Boolean type does.
    return column if set(map(type, column)) <= {bool, _NONE} else None


def _quick_date(f: FieldSpec, column: Sequence[Any]) -> Sequence[Any] | None:
    """Dates in C loops: each parses, lies in the range, and is written as parsed
    (``2026-1-5`` or ``20260105`` are not the store's text)."""
    if not set(map(type, column)) <= {str, _NONE}:
        return None
    given = [v for v in column if v is not None]
    if not set(map(len, given)) <= {10}:
        return None
    try:
        days = list(map(_DATE_FROM_TEXT, given))
    except ValueError:
        return None
    if days and not (date_in_range(min(days)) and date_in_range(max(days))):
        return None
    if list(map(_DATE_TO_TEXT, days)) != given:
        return None
    return column


_DATE_FROM_TEXT = dt.date.fromisoformat
_DATE_TO_TEXT = dt.date.isoformat


def _quick_json(f: FieldSpec, column: Sequence[Any]) -> Sequence[Any] | None:
    """A JSON column written by orjson in one C loop, and checked in its text
    (:func:`_json_texts`). Lists of texts (tags, photos) are written once per distinct
    list: a page repeats a few dozen."""
    wanted = list if f.kind is Kind.JSON_LIST else dict
    if not set(map(type, column)) <= {wanted, _NONE}:
        return None
    if (wanted is list and None not in column
            and set(map(type, chain.from_iterable(column))) <= {str}):
        keys = list(map(tuple, column))  # texts compare exactly: equal keys, equal JSON
        distinct = list(set(keys))
        texts = _json_texts(list(map(list, distinct)))
        if texts is None:
            return None
        return list(map(dict(zip(distinct, texts, strict=True)).__getitem__, keys))
    return _json_texts(column)


def _json_texts(column: Sequence[Any]) -> list[str] | None:
    """The JSON text of each value, or None when one may be refused. What
    ``json_problem`` looks for shows in orjson's text: a NUL as an escape, a lone
    surrogate as a JSONEncodeError, a NaN or an infinity as null, and nothing nests
    deeper than the brackets written. The few values whose text has more than
    ``JSON_MAX_DEPTH`` brackets or a null that is not the whole value are looked at in
    full (:func:`_json_ok`)."""
    texts: list[bytes] = []
    try:  # None is written "null", as it is stored
        for start in range(0, len(column), _JSON_STEP):
            texts += map(_json_bytes, column[start:start + _JSON_STEP])
    except orjson.JSONEncodeError:
        return None
    if _NUL_ESCAPE in b"".join(texts):  # each text ends in ] } or l: no false match
        return None
    brackets = map(operator.add, map(bytes.count, texts, repeat(b"[")),
                   map(bytes.count, texts, repeat(b"{")))
    nulls = map(bytes.count, texts, repeat(b"null"))
    look = [v for v, n, b in zip(column, nulls, brackets, strict=True)
            if b > JSON_MAX_DEPTH or (n and v is not None)]
    if not all(map(_json_ok, look)):
        return None
    return list(map(bytes.decode, texts))


_json_bytes = partial(orjson.dumps, option=orjson.OPT_NON_STR_KEYS)
_JSON_STEP = 16
"""A column's values are written :data:`_JSON_STEP` at a time: one C loop over all of
them holds the GIL throughout, and a supervisor's first sync has a page whose 75
performance records' ``figures`` (200-360 KB each) took 47-62 ms to write so (load 15
on 2 cores), all that time with the GUI thread waiting; 16 of them take at most a fifth
of that, and between two steps a thread that asked for the GIL gets it."""


_NUL_ESCAPE = b"\\u0000"


def _json_ok(value: Any, depth: int = 0) -> bool:
    """Whether a JSON value that orjson wrote without a NUL escape holds no NaN or
    infinity and nests at most ``JSON_MAX_DEPTH`` deep (``json_problem``'s other checks,
    of text, orjson's text has made already)."""
    if depth >= JSON_MAX_DEPTH:
        return False
    items = value.values() if type(value) is dict else value
    kinds = set(map(type, items))
    if float in kinds and not all(math.isfinite(v) for v in items if type(v) is float):
        return False
    if list in kinds or dict in kinds:
        return all(_json_ok(v, depth + 1) for v in items
                   if type(v) is list or type(v) is dict)
    return True


_QUICK: dict[Kind, Callable[[FieldSpec, Sequence[Any]], Sequence[Any] | None]] = {
    Kind.STR: _quick_text, Kind.TEXT: _quick_text, Kind.REF: _quick_text,
    Kind.INT: _quick_int, Kind.BOOL: _quick_bool, Kind.DATE: _quick_date,
    Kind.JSON_LIST: _quick_json, Kind.JSON_OBJECT: _quick_json,
}
"""Kinds whose whole column can be checked at once and stored as it came."""


@cache
def _plan(entity: str) -> list[tuple[FieldSpec, Converter, Callable[[], Any]]]:
    """Per field of ``entity``: the field, its exact converter, and what it is when the
    server did not send it. Checks that the table's columns come in the spec's order."""
    spec = ENTITIES[entity]
    order = [c.name for c in RECORD_TABLES[entity].columns]
    if order != ["id", *spec.field_names, SYNC_VERSION]:
        raise AssertionError(f"{entity}: unexpected column order {order}")
    return [(f, _converter(f), _missing(f)) for f in spec.fields]


_MISSING: Any = object()


def _missing(f: FieldSpec) -> Callable[[], Any]:
    """What a field the server did not send becomes (its empty value, as wire; the
    column's converter stores it)."""
    if callable(f.default):
        return lambda: value_to_wire(f, f.empty_value())
    empty = value_to_wire(f, f.empty_value())
    return lambda: empty


def _converter(f: FieldSpec) -> Converter:
    def slow(value: Any) -> Any:
        """The exact checks (and their error) of ``value_from_wire``, then storage."""
        return _store(f, value_from_wire(f, value))

    kind = f.kind
    if kind in (Kind.STR, Kind.TEXT, Kind.REF):
        limit = text_limit(f)
        choices = frozenset(f.choices) if f.choices is not None else None

        def text(value: Any) -> Any:
            if (type(value) is str and "\x00" not in value
                    and (limit is None or len(value) <= limit)
                    and (choices is None or value in choices)
                    and (value.isascii() or _encodable(value))):
                return value
            return None if value is None else slow(value)

        return text
    if kind is Kind.INT:
        low, high = INT_RANGE

        def integer(value: Any) -> Any:
            if type(value) is int and low <= value <= high:
                return value
            return None if value is None else slow(value)

        return integer
    if kind is Kind.FLOAT:
        def number(value: Any) -> Any:
            if type(value) in (int, float) and math.isfinite(value):
                return float(value)
            return None if value is None else slow(value)

        return number
    if kind is Kind.BOOL:
        def boolean(value: Any) -> Any:
            if type(value) is bool:
                return int(value)
            return None if value is None else slow(value)

        return boolean
    if kind is Kind.DATE:
        def day(value: Any) -> Any:
            if type(value) is str and len(value) == 10:
                try:
                    parsed = dt.date.fromisoformat(value)
                except ValueError:
                    return slow(value)
                if date_in_range(parsed) and parsed.isoformat() == value:
                    return value
            return None if value is None else slow(value)

        return day
    if kind is Kind.DATETIME:
        def exact_moment(value: Any) -> Any:
            if type(value) is str:
                try:
                    parsed = dt.datetime.fromisoformat(value)
                except ValueError:
                    return slow(value)
                offset = parsed.utcoffset()
                if (offset is not None and not offset % _MINUTE
                        and date_in_range(parsed)):
                    return parsed.astimezone(dt.UTC).isoformat(timespec="microseconds")
            return None if value is None else slow(value)

        hours: dict[str, str] = {}

        def moment(value: Any) -> Any:
            """Times as the server sends them (whole seconds, an offset of whole hours)
            keep their minutes and seconds in UTC: only the date and hour change, and
            those are worked out once per hour (a page's times share a few hundred)."""
            if type(value) is str and len(value) == 25 and _WHOLE_HOURS.fullmatch(value):
                key = value[:13] + value[19:]
                utc = hours.get(key)
                if utc is None:
                    try:
                        utc = exact_moment(value[:13] + ":00:00" + value[19:])[:13]
                    except WireError:
                        return exact_moment(value)
                    if len(hours) >= _HOURS_KEPT:
                        hours.clear()
                    hours[key] = utc
                return utc + value[13:19] + ".000000+00:00"
            return exact_moment(value)

        return moment
    wanted = list if kind is Kind.JSON_LIST else dict

    def json_value(value: Any) -> Any:
        if type(value) is wanted:
            try:
                text = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
            except orjson.JSONEncodeError:  # a lone surrogate: the exact check says so
                return slow(value)
            # What the exact check looks for shows in orjson's text: a NUL as an escape,
            # a NaN or an infinity as null; and nothing nests deeper than the brackets
            # written. Text without them is what json_text would make of the value.
            if (b"null" not in text and b"\\u0000" not in text
                    and text.count(b"[") + text.count(b"{") <= JSON_MAX_DEPTH):
                return text.decode()
            if _flat_json_ok(value):
                return text.decode()
        return "null" if value is None else slow(value)

    return json_value


_ID = operator.attrgetter("id")
_OP = operator.attrgetter("op")
_DATA = operator.attrgetter("data")
_VERSION = operator.attrgetter("version")
_MINUTE = dt.timedelta(minutes=1)
_WHOLE_HOURS = re.compile(r"\d{4}-\d\d-\d\dT\d\d:[0-5]\d:[0-5]\d[+-]\d\d:00", re.ASCII)
_HOURS_KEPT = 100_000


def _store(f: FieldSpec, value: Any) -> Any:
    """A Python value of a field as the store keeps it (SQLAlchemy's column types)."""
    if value is None:
        return "null" if f.kind in (Kind.JSON_LIST, Kind.JSON_OBJECT) else None
    if f.kind is Kind.DATETIME:
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if f.kind is Kind.DATE:
        return value.isoformat()
    if f.kind is Kind.BOOL:
        return int(value)
    if f.kind in (Kind.JSON_LIST, Kind.JSON_OBJECT):
        return json_text(value)
    return value


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _plain_text(value: str) -> bool:
    return "\x00" not in value and (value.isascii() or _encodable(value))


def _flat_json_ok(value: list[Any] | dict[str, Any]) -> bool:
    """Whether a list or object holds only plain scalars that need no further check
    (nesting, rarer, is left to the slow path's ``json_problem``)."""
    if isinstance(value, dict) and not all(type(k) is str and _plain_text(k) for k in value):
        return False
    for item in (value.values() if isinstance(value, dict) else value):
        kind = type(item)
        if kind is str:
            if not _plain_text(item):
                return False
        elif kind is float:
            if not math.isfinite(item):
                return False
        elif not (item is None or kind is int or kind is bool):
            return False
    return True


def settle_deferred_revokes(session: Session) -> int:
    """Drop revoked records whose pending edits have been pushed since. Returns how many."""
    held = [tuple(x) for x in get_state(session, DEFERRED_REVOKES, [])]
    keep: list[list[str]] = []
    dropped = 0
    for entity, rid in held:
        if rid in outbox.records_with_pending(session, entity):
            keep.append([entity, rid])
        else:
            delete_rows(session, entity, [rid])
            dropped += 1
    set_state(session, DEFERRED_REVOKES, keep or None)
    return dropped


def begin_repull(session: Session) -> None:
    """The server refused our cursor: start a full re-pull from no cursor, forgetting what
    an earlier re-pull had noted (it starts again from scratch too). Committed before the
    first page is asked for, so a crash from here on resumes the re-pull."""
    session.execute(sa.delete(RepullSeen))
    set_state(session, SyncKey.REPULL, True)
    set_state(session, SyncKey.CURSOR, None)


def repull_under_way(session: Session) -> bool:
    return bool(get_state(session, SyncKey.REPULL))


def note_repulled(session: Session, changes: Sequence[WireChange]) -> None:
    """Note the records a page of the re-pull sends (in the page's transaction): one row
    per entity holding the page's ids (``RepullSeen`` says why not one row per record)."""
    sent: dict[str, list[str]] = {}
    for change in changes:
        if change.op == "upsert" and change.entity in ENTITIES:
            sent.setdefault(change.entity, []).append(change.id)
    if sent:
        session.execute(sa.insert(RepullSeen),
                        [{"entity": e, "record_ids": ids} for e, ids in sent.items()])


def sweep_unseen(session: Session) -> int:
    """At the last page of a full re-pull: remove the synced records the server did not
    send (they left the user's scope, or were deleted meanwhile), then end the re-pull.

    A record with pending edits stays until they are pushed, then goes like a deferred
    revoke (:func:`settle_deferred_revokes`). Returns how many were removed."""
    conn = session.connection()
    removed = 0
    deferred: list[list[str]] = []
    for entity, table in RECORD_TABLES.items():
        # SQLite compares the held ids with the noted lists (json_each) in C: a street's
        # 267k ids are not fetched into Python to find the few that are left over.
        unseen = {rid for (rid,) in conn.exec_driver_sql(
            f'SELECT id FROM "{table.name}" WHERE "{SYNC_VERSION}" IS NOT NULL '
            f'AND id NOT IN (SELECT j.value FROM "{RepullSeen.__tablename__}" AS r, '
            'json_each(r.record_ids) AS j WHERE r.entity = ?)', (entity,))}
        if not unseen:
            continue
        pending = outbox.records_with_pending(session, entity)
        deferred += [[entity, rid] for rid in sorted(unseen & pending)]
        gone = sorted(unseen - pending)
        for i in range(0, len(gone), 500):
            delete_rows(session, entity, gone[i:i + 500])
        removed += len(gone)
    if deferred:
        _defer_revokes(session, deferred)
    session.execute(sa.delete(RepullSeen))
    set_state(session, SyncKey.REPULL, None)
    return removed
