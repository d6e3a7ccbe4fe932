"""Pull: the changes a user has not seen yet, in pages, with a signed cursor.

The cursor is ``base64url(json) + "." + base64url(HMAC-SHA256)`` of a small state:

- ``v``: the change-log version the client has seen;
- ``k``: the scope keys the client holds once the queued phases are done;
- ``q``: queued phases, worked off before the log:
  ``["rv", keys, after]`` revoke every current record under ``keys`` that the user no
  longer sees (a scope that shrank); ``["bf", keys, after]`` send every current record
  under ``keys`` (a scope that grew, or a first pull) in version order;
- ``w``: ``[keys, until]``: lost keys still watched in the log up to version ``until``, so
  that a record that left a lost grid before the revoke phase read it is revoked too;
- ``e``: the estimate of changes left, for the client's progress bar.

On every pull the user's current keys are compared with ``k``: keys gained queue a
backfill, keys lost queue a revoke. A first pull is a backfill of all the user's keys and
then the log from the version current when it began (``v``), so writes made while the
backfill runs are not missed.

The log phase reads ``change_key`` for versions after ``v`` under the held (and watched)
keys, in version order. For each logged write: a record that is still in scope is sent
(``upsert``) only at the entry that matches its current version (so each record is sent
once, at its newest state, and versions ascend); a record that is out of scope now is sent
as ``revoke``; a deleted one as ``delete``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by

from server import scope
from server.schema import RECORD_TABLES, change_key, change_log, record_key
from server.store import current_version
from sync.wire import MAX_PULL_LIMIT

CHUNK = 500


class BadCursor(ValueError):
    """The cursor cannot be read or was tampered with (answered with 422)."""


@dataclass
class CursorState:
    v: int = 0
    k: list[str] = field(default_factory=list)
    q: list[list[Any]] = field(default_factory=list)
    w: list[Any] | None = None
    e: int | None = None


KeySetStore = Callable[[list[str]], str]
KeySetLoader = Callable[[str], list[str] | None]


def keyset_ref(keys: Sequence[str]) -> str:
    """The content address of a set of scope keys (what a cursor carries instead of it)."""
    return hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:32]


def encode_cursor(state: CursorState, secret: bytes, store_keyset: KeySetStore) -> str:
    """Sign the state. Key lists travel by reference (a supervisor holds a hundred grids,
    an admin a thousand: the cursor must stay short enough for a query string)."""
    payload = orjson.dumps({
        "v": state.v, "k": store_keyset(state.k),
        "q": [[kind, store_keyset(keys), after] for kind, keys, after in state.q],
        "w": [store_keyset(state.w[0]), state.w[1]] if state.w else None,
        "e": state.e,
    })
    body = base64.urlsafe_b64encode(payload).rstrip(b"=")
    sig = hmac.new(secret, body, hashlib.sha256).digest()
    return body.decode() + "." + base64.urlsafe_b64encode(sig).rstrip(b"=").decode()


def decode_cursor(text: str, secret: bytes, load_keyset: KeySetLoader) -> CursorState:
    try:
        body, sig = text.encode("ascii").split(b".", 1)
        expected = hmac.new(secret, body, hashlib.sha256).digest()
        given = base64.urlsafe_b64decode(sig + b"=" * (-len(sig) % 4))
        if not hmac.compare_digest(expected, given):
            raise BadCursor("cursor signature does not match")
        raw = orjson.loads(base64.urlsafe_b64decode(body + b"=" * (-len(body) % 4)))

        def keys(ref: str) -> list[str]:
            found = load_keyset(str(ref))
            if found is None:
                raise BadCursor("cursor refers to an unknown scope")
            return found

        state = CursorState(
            v=int(raw["v"]), k=keys(raw["k"]),
            q=[[str(kind), keys(ref), int(after)] for kind, ref, after in raw["q"]],
            w=[keys(raw["w"][0]), int(raw["w"][1])] if raw.get("w") else None,
            e=raw.get("e"),
        )
    except BadCursor:
        raise
    except (ValueError, KeyError, TypeError, UnicodeError, IndexError) as exc:
        raise BadCursor("cursor cannot be read") from exc
    return state


@dataclass
class Page:
    changes: list[str | bytes]
    """The changes' JSON, in order; one piece may hold several changes joined by commas,
    and a backfill's on PostgreSQL is UTF-8 bytes as the database wrote them. The answer
    joins the pieces with commas."""
    count: int
    """How many changes ``changes`` holds."""
    cursor: CursorState
    has_more: bool


def _upsert(entity: str, record_id: str, version: int, wire: str) -> str:
    return (f'{{"entity":"{entity}","id":"{record_id}","op":"upsert","version":{version},'
            f'"data":{wire}}}')


def _revoke(entity: str, record_id: str) -> str:
    return f'{{"entity":"{entity}","id":"{record_id}","op":"revoke"}}'


def _delete(entity: str, record_id: str, version: int) -> str:
    return f'{{"entity":"{entity}","id":"{record_id}","op":"delete","version":{version}}}'


def _chunks(items: Sequence[Any], n: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _chunk_size(conn: sa.Connection) -> int:
    # One array parameter carries any number of ids on PostgreSQL; SQLite binds each.
    return MAX_PULL_LIMIT if conn.dialect.name == "postgresql" else CHUNK


def _among(conn: sa.Connection, column: sa.ColumnElement[Any],
           values: Sequence[Any]) -> sa.ColumnElement[bool]:
    """``column IN values``; on PostgreSQL as ``= ANY(array)``: one parameter instead of
    hundreds, which PostgreSQL plans and psycopg sends much faster."""
    if conn.dialect.name == "postgresql":
        return column == sa.any_(sa.cast(sa.literal(list(values)), ARRAY(column.type)))
    return column.in_(values)


def _keys_of(conn: sa.Connection, refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str],
                                                                          set[str]]:
    by_entity: dict[str, list[str]] = {}
    for entity, rid in refs:
        by_entity.setdefault(entity, []).append(rid)
    out: dict[tuple[str, str], set[str]] = {}
    for entity, ids in by_entity.items():
        for chunk in _chunks(sorted(set(ids)), _chunk_size(conn)):
            q = sa.select(record_key.c.record_id, record_key.c.key).where(
                record_key.c.entity == entity, _among(conn, record_key.c.record_id, chunk))
            for rid, key in conn.execute(q):
                out.setdefault((entity, rid), set()).add(key)
    return out


def _rows_of(conn: sa.Connection, refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str],
                                                                          tuple[int, str]]:
    """Current (version, wire) of records."""
    by_entity: dict[str, list[str]] = {}
    for entity, rid in refs:
        by_entity.setdefault(entity, []).append(rid)
    out: dict[tuple[str, str], tuple[int, str]] = {}
    for entity, ids in by_entity.items():
        t = RECORD_TABLES[entity]
        for chunk in _chunks(sorted(set(ids)), _chunk_size(conn)):
            q = sa.select(t.c.id, t.c.sync_version, t.c.wire).where(
                _among(conn, t.c.id, chunk))
            for rid, version, wire in conn.execute(q).all():
                out[(entity, rid)] = (int(version), wire)
    return out


def _upserts_under(conn: sa.Connection, keys: Sequence[str], after: int, last: int,
                   entities: Iterable[str], records: int = 0) -> list[str]:
    """The upserts of the current records under ``keys`` with versions in
    (``after``, ``last``], in version order, each record once (a record under several of the
    keys has one version).

    The database finds each entity's records from ``record_key`` itself and writes each
    change's JSON text around the stored ``wire``: the page's ids never travel to the
    database and back, and Python only orders and joins strings. Ordered by the record's
    version, which its ``record_key`` rows carry too (written together). A backfill on
    PostgreSQL takes :func:`_backfill_text` instead (the whole page written by the
    database); this one is the path of SQLite, and the reference that one is tested
    against, byte for byte (tests/server/test_pull.py).

    ``records``: how many the page holds; an entity whose table holds no more rows than
    that is read through its own records under the keys (:func:`_entity_is`)."""
    found: dict[int, str] = {}
    small = _small_tables(conn, entities, records)
    for entity in sorted(entities):
        t = RECORD_TABLES[entity]
        q = (sa.select(record_key.c.version, _upsert_text(entity, t))
             .select_from(record_key.join(t, t.c.id == record_key.c.record_id))
             .where(_among(conn, record_key.c.key, keys),
                    _entity_is(conn, entity, whole=entity in small),
                    record_key.c.version > after, record_key.c.version <= last))
        for version, text in conn.execute(q).all():
            found[version] = text
    return [found[v] for v in sorted(found)]


def _upsert_text(entity: str, t: sa.Table) -> sa.ColumnElement[str]:
    """A record's upsert change as JSON text, written by the database around ``wire``."""
    return (sa.literal(f'{{"entity":"{entity}","id":"', sa.Text) + t.c.id
            + '","op":"upsert","version":' + sa.cast(t.c.sync_version, sa.Text)
            + ',"data":' + t.c.wire + "}")


def _backfill_window(conn: sa.Connection, keys: Sequence[str], after: int,
                     budget: int) -> tuple[int, int, set[str], bool]:
    """Where a backfill's next page ends: how many records it holds (at most
    ``budget``), its last version, its entities, and whether the backfill is done then.

    Counted in the database, one row a window of versions (windows as in
    :func:`_record_phase`): the page's ids and versions never become Python rows. The
    records are then read by their entities (:func:`_upserts_under`, or on PostgreSQL
    :func:`_backfill_text`'s second statement). Reading the 5,000 rows of a page's
    window into Python was a third of the server's time of a social worker's first
    sync on SQLite."""
    top = current_version(conn)
    found, last, entities = 0, after, set[str]()
    low, width = after, 2 * budget
    postgres = conn.dialect.name == "postgresql"
    while True:
        last_window = low + width >= top
        room = budget - found
        where = [_among(conn, record_key.c.key, keys), record_key.c.version > low]
        if not last_window:
            where.append(record_key.c.version <= low + width)
        window = (sa.select(record_key.c.version, record_key.c.entity).where(*where)
                  .distinct().order_by(record_key.c.version).limit(room + 1).subquery())
        ranked = sa.select(window.c.version, window.c.entity, sa.func.row_number().over(
            order_by=window.c.version).label("i")).subquery()
        inside = ranked.c.i <= room
        kinds_of = (sa.func.array_agg(sa.distinct(ranked.c.entity)) if postgres
                    else sa.func.group_concat(sa.distinct(ranked.c.entity)))
        n, newest, kinds = conn.execute(sa.select(
            sa.func.count(), sa.func.max(ranked.c.version).filter(inside),
            kinds_of.filter(inside))).one()
        if newest is not None:
            found += min(n, room)
            last = int(newest)
            entities.update(kinds if postgres else str(kinds).split(","))
        if n > room:
            done = False
            break
        if last_window:
            done = True
            break
        low, width = low + width, 2 * width
    return found, last, entities, done


def _backfill_text(conn: sa.Connection, keys: Sequence[str], after: int,
                   budget: int) -> tuple[bytes, int, int, bool]:
    """A backfill's next changes on PostgreSQL, written whole by the database: the
    upserts of the current records under ``keys`` after version ``after``, at most
    ``budget``, in version order, as one UTF-8 text (the changes joined by commas).
    Returns (text, how many, new after, exhausted).

    Two statements, each answering one row: the first finds the page's last version in
    windows of versions (as :func:`_record_phase`, counting in the database), the second
    joins the records' JSON with ``string_agg``. A page's 5,000 rows never become Python
    objects: reading them (the record phase's 5,000 ids and versions, then 5,000 texts)
    was most of the server's Python time of a supervisor's pull. The text comes as the
    database's bytes (a binary result of ``textsend``), which the answer sends as they are:
    decoding a page's 2 MB into a Python string and encoding it again cost ~3 ms a page."""
    found, last, entities, done = _backfill_window(conn, keys, after, budget)
    if not found:
        return b"", 0, last, done
    sql, params = _page_statement(conn, tuple(sorted(entities)))
    cursor = conn.connection.driver_connection.cursor(binary=True)  # type: ignore[union-attr]
    try:
        text, sent = cursor.execute(sql, {**params, "keys": list(keys), "after": after,
                                          "last": last}).fetchone()
    finally:
        cursor.close()
    return bytes(text or b""), int(sent), last, done


_PAGE_STATEMENTS: dict[tuple[str, ...], tuple[str, dict[str, Any]]] = {}
"""A backfill page's statement by the entities on the page, compiled once (a page holds
one or two entities, a pull a dozen combinations)."""


def _page_statement(conn: sa.Connection,
                    entities: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    """The statement that writes the upserts of ``entities``' records under ``%(keys)s``
    with versions in (``%(after)s``, ``%(last)s``], joined in version order, as bytes, and
    counts them; with its constant parameters."""
    found = _PAGE_STATEMENTS.get(entities)
    if found is None:
        keys = sa.bindparam("keys", type_=ARRAY(record_key.c.key.type))
        after = sa.bindparam("after", type_=sa.BigInteger)
        last = sa.bindparam("last", type_=sa.BigInteger)
        parts = []
        for entity in entities:
            t = RECORD_TABLES[entity]
            ids = sa.select(sa.func.array_agg(record_key.c.record_id)).where(
                record_key.c.key == sa.any_(keys), record_key.c.entity == entity,
                record_key.c.version > after, record_key.c.version <= last)
            parts.append(sa.select(t.c.sync_version.label("v"),
                                   _upsert_text(entity, t).label("c")).where(
                t.c.id == sa.any_(sa.cast(ids.scalar_subquery(), ARRAY(t.c.id.type)))))
        union = (parts[0] if len(parts) == 1 else sa.union_all(*parts)).subquery()
        compiled = sa.select(
            sa.func.textsend(sa.func.string_agg(
                union.c.c, aggregate_order_by(sa.literal(","), union.c.v))),
            sa.func.count()).compile(dialect=conn.dialect)
        if len(_PAGE_STATEMENTS) >= 256:  # a bound, never reached in practice
            _PAGE_STATEMENTS.clear()
        found = _PAGE_STATEMENTS[entities] = (str(compiled), dict(compiled.params))
    return found


def _entity_is(conn: sa.Connection, entity: str, *,
               whole: bool = False) -> sa.ColumnElement[bool]:
    """``record_key.entity = entity`` beside a version window. SQLite's planner took the
    primary key (key, entity, record_id) for it and read every record of each key to keep
    the window's (a supervisor's 10,000 residents: 660-760 ms); written as an expression,
    it reads the window through (key, version) and checks the entity (120-230 ms).

    ``whole``: the entity's table is smaller than the window (:func:`_small_tables`), so
    reading all its records under the keys through the primary key is the cheaper plan:
    a first page's ten kinds of reference records (grids, staff, templates …) each read
    the whole window of 5,000 versions for a few dozen rows, 1-2 ms each, or 0.2-0.4 ms
    through the primary key."""
    if conn.dialect.name == "sqlite" and not whole:
        return record_key.c.entity.concat("") == entity
    return record_key.c.entity == entity


def _small_tables(conn: sa.Connection, entities: Iterable[str], records: int) -> set[str]:
    """The entities among ``entities`` whose tables hold at most ``records`` rows, on
    SQLite (``max(rowid)``, one index step per table: at least the rows there are)."""
    names = sorted(entities)
    if conn.dialect.name != "sqlite" or not names or records <= 0:
        return set()
    sizes = conn.exec_driver_sql("SELECT " + ", ".join(
        f'(SELECT max(rowid) FROM "{RECORD_TABLES[entity].name}")' for entity in names)
    ).one()
    return {entity for entity, size in zip(names, sizes, strict=True)
            if (size or 0) <= records}


def _plan_for_pages(conn: sa.Connection) -> None:
    """Plan this pull's reads (its transaction only) as the short lookups they are, on
    PostgreSQL:

    - records looked up by their ids go through the primary key with a bitmap
      (``enable_seqscan`` and ``enable_indexscan`` off): for a page's 5,000 ids of one
      table the planner preferred reading the whole table against a hash of the ids,
      where the index finds them in half the time (a street's residents: median 319 ms a
      page with the table read, 158 ms through the index), and a bitmap reads the heap
      pages in order, once each — the ids of a backfill page are neighbours, written in
      version order; the pull's other reads are index ranges that a bitmap serves as well;
    - no JIT compilation (``jit`` off): a plan made expensive by a disabled sequential
      scan crossed ``jit_above_cost``, and compiling took 0.6 s for a 40 ms query;
    - no parallel workers: a page's join is a few thousand index probes, which two
      workers on a busy 2-core machine only slow down.

    One statement, set once for the page's transaction (``set_config(..., true)`` is
    ``SET LOCAL``), instead of switching around each lookup."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true),"
            " set_config('enable_indexscan', 'off', true),"
            " set_config('max_parallel_workers_per_gather', '0', true)")


def _count_records(conn: sa.Connection, keys: Sequence[str], after: int) -> int:
    """How many records a backfill of ``keys`` will send, for the progress estimate
    (``e``): a record under several of the keys counts once per key (a supervisor's
    street: 267,841 for 267,533 records). Counting distinct records took 650-840 ms of
    a supervisor's first page on PostgreSQL, this 90-105 ms."""
    if not keys:
        return 0
    return int(conn.execute(
        sa.select(sa.func.count()).select_from(record_key)
        .where(_among(conn, record_key.c.key, keys), record_key.c.version > after)).scalar_one())


def _count_log(conn: sa.Connection, keys: Sequence[str], after: int) -> int:
    sub = sa.select(change_key.c.version).where(
        _among(conn, change_key.c.key, keys), change_key.c.version > after).distinct().subquery()
    return int(conn.execute(sa.select(sa.func.count()).select_from(sub)).scalar_one())


def _record_phase(
    conn: sa.Connection, keys: Sequence[str], after: int, budget: int,
) -> tuple[list[tuple[str, str, int]], int, bool]:
    """Current records under ``keys`` with version > ``after``, in version order.
    Returns ((entity, id, version) …, new after, exhausted).

    Read in windows of versions, each twice as wide as the one before, until a page's
    worth is found or the window reaches the newest version: ``version > after`` alone,
    ordered and limited, made the database read every record left under the keys and
    sort them for each page (PostgreSQL read the whole table: a supervisor's street
    pull read it 54 times); a window is one range of the (key, version) index per key.
    The first window is as wide as a page would be if every version were the user's."""
    limit = budget + len(keys)
    top = current_version(conn)
    rows: list[Any] = []
    low, width = after, 2 * budget
    while True:
        last_window = low + width >= top
        where = [_among(conn, record_key.c.key, keys), record_key.c.version > low]
        if not last_window:
            where.append(record_key.c.version <= low + width)
        got = conn.execute(
            sa.select(record_key.c.entity, record_key.c.record_id, record_key.c.version)
            .where(*where).order_by(record_key.c.version).limit(limit - len(rows))
        ).all()
        rows += got
        if last_window or len(rows) >= limit or len({r[2] for r in rows}) > budget:
            break
        low, width = low + width, 2 * width
    out: list[tuple[str, str, int]] = []
    seen: set[int] = set()
    last = after
    for entity, rid, version in rows:
        if version in seen:
            continue
        if len(out) >= budget:
            return out, last, False
        seen.add(version)
        out.append((entity, rid, int(version)))
        last = int(version)
    return out, last, last_window and len(rows) < limit


def pull_page(
    conn: sa.Connection, user: scope.Principal, state: CursorState | None, limit: int,
    *, client_id: str | None = None,
) -> Page:
    """One page of changes for ``user`` after ``state`` (``None``: from the start).

    ``client_id``: the pulling device's push id. The log part then leaves out a record
    whose current version that device's own update wrote exactly as it holds it
    (``change_log.exact_client``): it would only send the device its own edit back."""
    _plan_for_pages(conn)
    keys_now = sorted(scope.user_keys(conn, user))
    if state is None:
        head = current_version(conn)
        state = CursorState(v=head, k=keys_now, q=[["bf", keys_now, 0]],
                            e=_count_records(conn, keys_now, 0))
    elif state.k != keys_now:
        _rescope(conn, state, keys_now)

    changes: list[str | bytes] = []
    count = 0
    while state.q and count < limit:
        phase = state.q[0]
        kind, keys, after = phase[0], phase[1], int(phase[2])
        if kind == "bf" and conn.dialect.name == "postgresql":
            text, sent, new_after, done = _backfill_text(conn, keys, after, limit - count)
            if sent:
                changes.append(text)
                count += sent
        elif kind == "bf":
            sent, new_after, entities, done = _backfill_window(conn, keys, after,
                                                               limit - count)
            if sent:
                upserts = _upserts_under(conn, keys, after, new_after, entities, sent)
                changes.append(",".join(upserts))
                count += len(upserts)
        else:  # "rv": revoke what the user no longer sees
            refs, new_after, done = _record_phase(conn, keys, after, limit - count)
            sent = len(refs)
            held = set(keys_now)
            current = _keys_of(conn, ((e, r) for e, r, _ in refs))
            for entity, rid, _v in refs:
                if held.isdisjoint(current.get((entity, rid), ())):
                    changes.append(_revoke(entity, rid))
                    count += 1
        phase[2] = new_after
        if done:
            state.q.pop(0)
            if kind == "rv" and state.w is not None:
                state.w[1] = current_version(conn)
        if not sent and not done:
            break

    has_more = bool(state.q)
    if not state.q and count < limit:
        logged: list[str] = []
        has_more = _log_phase(conn, state, keys_now, limit - count, logged, client_id)
        if logged:
            changes.append(",".join(logged))
            count += len(logged)
    if state.e is not None:
        state.e = max(0, state.e - count) if has_more else 0
    return Page(changes=changes, count=count, cursor=state, has_more=has_more)


def _rescope(conn: sa.Connection, state: CursorState, keys_now: list[str]) -> None:
    """The user's scope changed since the cursor: queue a revoke of the keys lost and a
    backfill of the keys gained (also when an earlier change is still being worked off)."""
    old = set(state.k)
    new = set(keys_now)
    lost = sorted(old - new)
    gained = sorted(new - old)
    queue: list[list[Any]] = []
    for kind, keys, after in state.q:
        keep = [k for k in keys if k in new] if kind == "bf" else list(keys)
        if keep:
            queue.append([kind, keep, after])
    if lost:
        queue.insert(0, ["rv", lost, 0])
        watched = set(state.w[0]) if state.w else set()
        state.w = [sorted(watched | set(lost)), current_version(conn)]
    if gained:
        queue.append(["bf", gained, 0])
        state.e = (state.e or 0) + _count_records(conn, gained, 0)
    state.q = queue
    state.k = keys_now


def _log_phase(
    conn: sa.Connection, state: CursorState, keys_now: list[str], budget: int,
    changes: list[str], client_id: str | None = None,
) -> bool:
    select_keys = set(keys_now)
    if state.w is not None:
        if state.v >= int(state.w[1]):
            state.w = None
        else:
            select_keys |= set(state.w[0])
    keys = sorted(select_keys)
    versions = conn.execute(
        sa.select(change_key.c.version)
        .where(_among(conn, change_key.c.key, keys), change_key.c.version > state.v)
        .group_by(change_key.c.version)
        .order_by(change_key.c.version)
        .limit(budget + 1)
    ).scalars().all()
    has_more = len(versions) > budget
    if not state.e:
        # The estimate (the progress bar's) is counted only for a log longer than a
        # page: a pull that ends with this page leaves it at 0 whatever it was (every
        # no-op and most incremental pulls counted it for nothing).
        state.e = _count_log(conn, keys, state.v) if has_more else 0
    versions = list(versions[:budget])
    if not versions:
        return False
    entries: list[Any] = []
    for chunk in _chunks(versions):
        entries += conn.execute(
            sa.select(change_log).where(change_log.c.version.in_(chunk))
        ).mappings().all()
    entries.sort(key=lambda e: e["version"])
    refs = {(e["entity"], e["record_id"]) for e in entries}
    rows = _rows_of(conn, refs)
    current_keys = _keys_of(conn, refs)
    held = set(keys_now)
    for entry in entries:
        ref = (entry["entity"], entry["record_id"])
        version = int(entry["version"])
        if entry["op"] == "delete":
            if not held.isdisjoint(entry["old_keys"]) or not select_keys.isdisjoint(
                    entry["old_keys"]):
                changes.append(_delete(ref[0], ref[1], version))
            continue
        now = rows.get(ref)
        if now is None:
            continue  # deleted later: its delete entry follows
        if not held.isdisjoint(current_keys.get(ref, ())):
            if now[0] == version and (client_id is None
                                      or entry["exact_client"] != client_id):
                changes.append(_upsert(ref[0], ref[1], now[0], now[1]))
        elif not select_keys.isdisjoint(entry["old_keys"]) or not select_keys.isdisjoint(
                entry["new_keys"]):
            changes.append(_revoke(ref[0], ref[1]))
    state.v = versions[-1]
    return has_more
