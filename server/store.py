"""The server's one write path for synced records.

Every write of a synced record goes through :class:`RecordWriter`, inside the caller's
transaction: it takes a version from the one-row counter (``UPDATE … RETURNING``: the
row lock is held until commit, so versions are handed out in commit order and a reader
that has seen version *n* has seen every committed version below it), writes the row with
its per-field versions and its serialised wire form, appends the change log, and keeps the
record's scope keys current, cascading new keys to the records whose scope follows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa

from gulou_desk.records import ENTITIES, to_wire
from server import audit, scope
from server.schema import (
    RECORD_TABLES,
    change_key,
    change_log,
    record_key,
    sync_counter,
)

COUNTER = "version"


def wire_json(entity: str, values: Mapping[str, Any]) -> str:
    return orjson.dumps(to_wire(ENTITIES[entity], values)).decode()


# The statements of every write, built once (a push runs them for each mutation: built
# anew each time, building them cost more than running them).
_TAKE_VERSIONS = (sa.update(sync_counter).where(sync_counter.c.name == COUNTER)
                  .values(value=sync_counter.c.value + sa.bindparam("n"))
                  .returning(sync_counter.c.value))
_STORED_KEYS = sa.select(record_key.c.key).where(
    record_key.c.entity == sa.bindparam("entity"),
    record_key.c.record_id == sa.bindparam("record_id"))
_DELETE_KEYS = sa.delete(record_key).where(
    record_key.c.entity == sa.bindparam("entity"),
    record_key.c.record_id == sa.bindparam("record_id"))
_INSERT_KEYS = sa.insert(record_key)
_KEYS_VERSION = sa.update(record_key).where(
    record_key.c.entity == sa.bindparam("of_entity"),
    record_key.c.record_id == sa.bindparam("of_record")).values(
    version=sa.bindparam("new_version"))
_INSERT_LOG = sa.insert(change_log)
_INSERT_CHANGE_KEYS = sa.insert(change_key)
_ROW_ID = "row_id_"
_LOAD = {e: sa.select(t).where(t.c.id == sa.bindparam(_ROW_ID))
         for e, t in RECORD_TABLES.items()}
_LOAD_FOR_UPDATE = {e: q.with_for_update() for e, q in _LOAD.items()}
_UPDATE = {e: sa.update(t).where(t.c.id == sa.bindparam(_ROW_ID))
           for e, t in RECORD_TABLES.items()}


def take_versions(conn: sa.Connection, n: int = 1) -> int:
    """Reserve ``n`` consecutive versions; returns the first. Holds the counter's row lock
    until the transaction ends, which is what orders versions by commit."""
    value = conn.execute(_TAKE_VERSIONS, {"n": n}).scalar_one()
    return int(value) - n + 1


def current_version(conn: sa.Connection) -> int:
    return int(conn.execute(
        sa.select(sync_counter.c.value).where(sync_counter.c.name == COUNTER)
    ).scalar_one())


def ensure_counter(conn: sa.Connection) -> None:
    exists = conn.execute(
        sa.select(sync_counter.c.value).where(sync_counter.c.name == COUNTER)
    ).first()
    if exists is None:
        conn.execute(sa.insert(sync_counter).values(name=COUNTER, value=0))


def load(conn: sa.Connection, entity: str, record_id: str, *,
         for_update: bool = False) -> dict[str, Any] | None:
    """The record's row; ``for_update`` locks it until the transaction ends (PostgreSQL;
    on SQLite a writer holds the whole database from BEGIN IMMEDIATE anyway), so a write
    computed from what was read cannot undo another transaction's write."""
    query = (_LOAD_FOR_UPDATE if for_update else _LOAD)[entity]
    row = conn.execute(query, {_ROW_ID: record_id}).mappings().first()
    return dict(row) if row is not None else None


def load_many(conn: sa.Connection, entity: str, record_ids: Iterable[str], *,
              for_update: bool = False) -> dict[str, dict[str, Any]]:
    """:func:`load` of many records at once (those that exist, by id); ``for_update``
    locks their rows in id order, as :func:`lock` does."""
    t = RECORD_TABLES[entity]
    rows: dict[str, dict[str, Any]] = {}
    ids = sorted(set(record_ids))
    for start in range(0, len(ids), 500):
        query = sa.select(t).where(t.c.id.in_(ids[start:start + 500])).order_by(t.c.id)
        result = conn.execute(query.with_for_update() if for_update else query)
        names = list(result.keys())  # dict(RowMapping) lists the keys again for each row
        for row in result:
            rows[row.id] = dict(zip(names, row, strict=True))
    return rows


def stored_keys_many(conn: sa.Connection, entity: str,
                     record_ids: Iterable[str]) -> dict[str, frozenset[str]]:
    """:func:`stored_keys` of many records at once (a record without keys is left out)."""
    found: dict[str, set[str]] = {}
    ids = sorted(set(record_ids))
    for start in range(0, len(ids), 500):
        for rid, key in conn.execute(sa.select(record_key.c.record_id, record_key.c.key).where(
                record_key.c.entity == entity, record_key.c.record_id.in_(ids[start:start + 500]))):
            found.setdefault(rid, set()).add(key)
    return {rid: frozenset(keys) for rid, keys in found.items()}


def lock(conn: sa.Connection, entity: str, record_ids: Iterable[str]) -> set[str]:
    """Lock the rows of ``record_ids`` (those that exist) until the transaction ends, one
    at a time in id order (PostgreSQL; SQLite's writer holds the whole database anyway);
    returns the ids that exist.

    A transaction that writes two records of one table takes both locks here, before it
    reads either: two transactions that lock the same two rows in opposite orders wait
    for each other, and PostgreSQL aborts one of them (a deadlock). In id order the
    second simply waits, then reads what the first committed."""
    t = RECORD_TABLES[entity]
    found: set[str] = set()
    for record_id in sorted(set(record_ids)):
        if conn.execute(sa.select(t.c.id).where(t.c.id == record_id)
                        .with_for_update()).first() is not None:
            found.add(record_id)
    return found


def field_values(entity: str, row: Mapping[Any, Any]) -> dict[str, Any]:
    return {f.name: row.get(f.name) for f in ENTITIES[entity].fields}


def stored_keys(conn: sa.Connection, entity: str, record_id: str) -> frozenset[str]:
    return frozenset(conn.execute(
        _STORED_KEYS, {"entity": entity, "record_id": record_id}).scalars())


class _Unknown:
    """Not given (``None`` means something)."""


UNKNOWN = _Unknown()


class RecordWriter:
    """Writes synced records inside one transaction of ``conn``."""

    def __init__(self, conn: sa.Connection, author: audit.Author = audit.SYSTEM) -> None:
        self.conn = conn
        self.author = author
        """Who the writes are by, for the audit log (default: the system)."""
        self.versions: list[int] = []
        self.written: dict[tuple[str, str], int] = {}
        """(entity, id) → the version this writer gave it last."""

    def save(
        self, entity: str, record_id: str, values: Mapping[str, Any],
        *, changed: Iterable[str] | None = None, client_id: str | None = None,
        existing: Mapping[str, Any] | _Unknown | None = UNKNOWN,
        keys: frozenset[str] | None = None, old_keys: frozenset[str] | None = None,
    ) -> int:
        """Insert or update a record with all its field ``values``; ``changed`` names the
        fields this write changes (default: those whose value differs). Returns the
        version. A caller that has just read the row (``existing``, ``None`` for none) and
        its stored scope keys (``old_keys``), or worked out the record's scope keys for
        these values (``keys``), passes them, so that they are not read again."""
        conn = self.conn
        t = RECORD_TABLES[entity]
        spec = ENTITIES[entity]
        if isinstance(existing, _Unknown):
            existing = load(conn, entity, record_id)
        values = {f.name: values.get(f.name) for f in spec.fields}
        new_keys = keys if keys is not None else scope.record_keys(conn, entity, values)
        if not existing:
            old_keys = frozenset()
        elif old_keys is None:
            old_keys = stored_keys(conn, entity, record_id)
        if existing is not None and old_keys != new_keys:
            self._lock_children(entity, record_id)  # _cascade rewrites them below
        version = take_versions(conn)
        self.versions.append(version)
        self.written[(entity, record_id)] = version
        if existing is None:
            fv = dict.fromkeys(spec.field_names, version)
            fc = dict.fromkeys(spec.field_names, client_id) if client_id else {}
            conn.execute(sa.insert(t).values(
                id=record_id, sync_version=version, field_versions=fv, field_clients=fc,
                wire=wire_json(entity, values), **values,
            ))
        else:
            names = (
                {n for n in spec.field_names if values[n] != existing[n]}
                if changed is None else set(changed)
            )
            conn.execute(_UPDATE[entity], _updated_row(
                entity, record_id, values, existing, names, version, client_id))
        self._log(version, entity, record_id, "upsert", old_keys, new_keys)
        self._set_keys(entity, record_id, new_keys, version, old_keys)
        old_values = field_values(entity, existing) if existing is not None else None
        op = "create" if existing is None else "update"
        if self.author.action and (entity, record_id) == self.author.subject:
            op = self.author.action
        audit.append(conn, self.author, entity, record_id, op, version,
                     audit.changes(entity, old_values, values), new_keys)
        if existing is not None and old_keys != new_keys:
            self._cascade(entity, record_id)
        return version

    def update_many(self, entity: str, updates: list[Update],
                    client_id: str | None = None) -> list[int]:
        """:meth:`save` of each of ``updates`` (existing records of ``entity``, each at
        most once, that keep their scope keys), in a few statements for them all: the
        versions are taken at once, in the order of ``updates`` (after every row lock the
        caller took, as for one write), then each table is written with one
        ``executemany``. The same rows, change log, scope keys and audit entries as
        :meth:`save` one by one; returns the versions."""
        if not updates:
            return []
        conn = self.conn
        first = take_versions(conn, len(updates))
        versions = list(range(first, first + len(updates)))
        logs, change_keys, key_versions, entries = [], [], [], []
        # Only the changed columns are written (the others hold these values already):
        # one executemany per set of changed fields, most often one for the whole run.
        # Writing every column made the database driver convert (and the JSON columns
        # serialise) some forty values a row that did not change.
        rows: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for u, version in zip(updates, versions, strict=True):
            values = {f.name: u.values.get(f.name) for f in ENTITIES[entity].fields}
            names = tuple(sorted(set(u.changed)))
            rows.setdefault(names, []).append(_updated_row(
                entity, u.record_id, values, u.existing, names, version, client_id,
                only_changed=True))
            logs.append(_log_row(version, entity, u.record_id, "upsert", u.keys, u.keys,
                                 u.exact_client))
            change_keys += [{"key": k, "version": version} for k in sorted(u.keys)]
            if u.keys:
                key_versions.append({"of_entity": entity, "of_record": u.record_id,
                                     "new_version": version})
            entry = audit.entry_row(u.author, entity, u.record_id, "update", version,
                                    audit.changes(entity, field_values(entity, u.existing),
                                                  values), u.keys)
            if entry is not None:
                entries.append(entry)
            self.written[(entity, u.record_id)] = version
        self.versions += versions
        for same in rows.values():
            conn.execute(_UPDATE[entity], same)
        conn.execute(_INSERT_LOG, logs)
        if change_keys:
            conn.execute(_INSERT_CHANGE_KEYS, change_keys)
        if key_versions:
            conn.execute(_KEYS_VERSION, key_versions)
        audit.append_rows(conn, entries)
        return versions

    def delete(self, entity: str, record_id: str) -> int:
        conn = self.conn
        self._lock_children(entity, record_id)
        for child, ref in scope.CHILDREN_OF.get(entity, ()):
            ct = RECORD_TABLES[child]
            for cid in conn.execute(sa.select(ct.c.id).where(ct.c[ref] == record_id)).scalars():
                self.delete(child, cid)
        old_keys = stored_keys(conn, entity, record_id)
        old = load(conn, entity, record_id)
        version = take_versions(conn)
        self.versions.append(version)
        self.written[(entity, record_id)] = version
        t = RECORD_TABLES[entity]
        conn.execute(sa.delete(t).where(t.c.id == record_id))
        if old is not None:
            audit.append(conn, self.author, entity, record_id, "delete", version,
                         audit.changes(entity, field_values(entity, old), None), old_keys)
        conn.execute(sa.delete(record_key).where(
            record_key.c.entity == entity, record_key.c.record_id == record_id))
        self._log(version, entity, record_id, "delete", old_keys, frozenset())
        return version

    def _lock_children(self, entity: str, record_id: str) -> None:
        """Lock the rows of the records whose scope follows this one, before this write
        takes the version counter: a cascade or a delete writes them after taking it, and
        a push that edits one of them (a resident) locks its row first, then takes the
        counter. Each would hold what the other waits for (PostgreSQL aborts one: a
        deadlock); locked first, the edit waits for this transaction instead."""
        for child, ref in scope.CHILDREN_OF.get(entity, ()):
            ct = RECORD_TABLES[child]
            self.conn.execute(sa.select(ct.c.id).where(ct.c[ref] == record_id)
                              .order_by(ct.c.id).with_for_update())

    def _cascade(self, entity: str, record_id: str) -> None:
        """Rewrite the records whose scope follows this one, so that they reach (or are
        revoked from) the users whose scope the parent entered (or left)."""
        for child, ref in scope.CHILDREN_OF.get(entity, ()):
            ct = RECORD_TABLES[child]
            rows = self.conn.execute(sa.select(ct).where(ct.c[ref] == record_id)).mappings()
            for row in list(rows):
                self.save(child, row["id"], field_values(child, row), changed=())

    def _log(
        self, version: int, entity: str, record_id: str, op: str,
        old_keys: frozenset[str], new_keys: frozenset[str],
    ) -> None:
        self.conn.execute(_INSERT_LOG, _log_row(version, entity, record_id, op, old_keys,
                                                new_keys))
        keys = old_keys | new_keys
        if keys:
            self.conn.execute(_INSERT_CHANGE_KEYS, [
                {"key": k, "version": version} for k in sorted(keys)])

    def _set_keys(
        self, entity: str, record_id: str, keys: frozenset[str], version: int,
        old_keys: frozenset[str],
    ) -> None:
        if keys == old_keys:  # the usual edit: the same keys, at the new version
            if keys:
                self.conn.execute(_KEYS_VERSION, {"of_entity": entity, "of_record": record_id,
                                                  "new_version": version})
            return
        self.conn.execute(_DELETE_KEYS, {"entity": entity, "record_id": record_id})
        if keys:
            self.conn.execute(_INSERT_KEYS, [
                {"key": k, "entity": entity, "record_id": record_id, "version": version}
                for k in sorted(keys)])


@dataclass(frozen=True, slots=True)
class Update:
    """One write of :meth:`RecordWriter.update_many`."""

    record_id: str
    values: Mapping[str, Any]
    """Every field's value after the write."""
    existing: Mapping[str, Any]
    """The row as the caller read (and locked) it."""
    changed: Iterable[str]
    keys: frozenset[str]
    """The record's scope keys, before the write and after it."""
    author: audit.Author
    exact_client: str | None = None
    """The device whose update this is, when it writes exactly what that device holds
    then (``change_log.exact_client``)."""


def _updated_row(entity: str, record_id: str, values: Mapping[str, Any],
                 existing: Mapping[str, Any], names: Iterable[str], version: int,
                 client_id: str | None, *, only_changed: bool = False) -> dict[str, Any]:
    """The parameters of ``_UPDATE[entity]``: ``values`` at ``version``, the fields
    ``names`` marked as written then (by ``client_id``'s device, or by none). With
    ``only_changed`` the row's other fields are left out (the statement then sets only
    the ``names``: the caller knows the others hold ``values`` already)."""
    fv = dict(existing["field_versions"] or {})
    fc = dict(existing["field_clients"] or {})
    for name in names:
        fv[name] = version
        if client_id:
            fc[name] = client_id
        else:
            fc.pop(name, None)
    written = {name: values[name] for name in names} if only_changed else values
    return {_ROW_ID: record_id, "sync_version": version, "field_versions": fv,
            "field_clients": fc, "wire": wire_json(entity, values), **written}


def _log_row(version: int, entity: str, record_id: str, op: str, old_keys: frozenset[str],
             new_keys: frozenset[str], exact_client: str | None = None) -> dict[str, Any]:
    return {"version": version, "entity": entity, "record_id": record_id, "op": op,
            "old_keys": sorted(old_keys), "new_keys": sorted(new_keys),
            "exact_client": exact_client}


def bulk_insert(conn: sa.Connection, entity: str, rows: list[dict[str, Any]]) -> None:
    """Insert many new records at once (seeding an empty server).

    No change-log entries are written: a client's first pull reads current records through
    ``record_key`` (the backfill), and the log only matters after that.
    """
    if not rows:
        return
    spec = ENTITIES[entity]
    t = RECORD_TABLES[entity]
    first = take_versions(conn, len(rows))
    parent_keys: dict[str, frozenset[str]] = {}
    if entity in scope.PARENT_OF:
        parent, ref = scope.PARENT_OF[entity]
        ids = {r[ref] for r in rows}
        for chunk in _chunks(sorted(ids), 500):
            for rid, key in conn.execute(sa.select(record_key.c.record_id, record_key.c.key).where(
                record_key.c.entity == parent, record_key.c.record_id.in_(chunk))
            ):
                parent_keys[rid] = parent_keys.get(rid, frozenset()) | {key}
    grid_cache: dict[str, frozenset[str]] = {}
    table_rows = []
    key_rows = []
    for i, row in enumerate(rows):
        version = first + i
        values = {f.name: row.get(f.name) for f in spec.fields}
        if entity in scope.PARENT_OF:
            keys = parent_keys.get(str(row[scope.PARENT_OF[entity][1]]), frozenset())
        elif entity == "performance_record":
            worker = str(values["worker_id"])
            if worker not in grid_cache:
                grid_cache[worker] = scope.record_keys(conn, entity, values)
            keys = grid_cache[worker]
        else:
            keys = scope.record_keys(conn, entity, values)
        table_rows.append({
            "id": row["id"], "sync_version": version,
            "field_versions": dict.fromkeys(spec.field_names, version),
            "wire": wire_json(entity, values), **values,
        })
        key_rows += [
            {"key": k, "entity": entity, "record_id": row["id"], "version": version}
            for k in keys]
    conn.execute(sa.insert(t), table_rows)
    if key_rows:
        conn.execute(sa.insert(record_key), key_rows)


def _chunks(items: list[str], n: int) -> Iterable[list[str]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]
