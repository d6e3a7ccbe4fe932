"""The audit log: an append-only history of every write of every synced record.

``RecordWriter`` (``server/store.py``), the one write path, appends one row per write
that changes a field: who (``Author``: a staff id, or the system), when, through which
device and mutation, the operation (``create``, ``update``, ``delete`` or the action's
name), the fields with their old and new values on the wire (sensitive fields such as an
ID number are kept as they are in the record), and the record's scope keys. Cascades that
only move a child's scope keys (a household moving grid rewrites its residents) change no
field and add nothing. Seeding (``bulk_insert``) is not history.

Reading: :func:`history` gives a record's entries to a user who may see the record (its
current scope keys meet the user's, a deleted record's last entry's keys; reference
records, devices and covers: admins and supervisors only); :func:`search` the log by
person, record and date for the administration section. Handing out entries that hold
sensitive fields is itself logged (an entry with ``op = "read"`` naming those fields).
The table refuses updates and deletes (triggers, migration 0008).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from gulou_desk.records import ENTITIES, format_datetime, now, value_to_wire
from server import scope
from server.schema import RECORD_TABLES, audit_log, record_key

READ = "read"
"""The op of an entry that logs a read of sensitive fields."""
DECIDERS_ONLY = frozenset({"device", "cover", "wechat_group"})
"""Entities whose history only admins and supervisors read, whatever their keys."""
MAX_ENTRIES = 1000


@dataclass(frozen=True, slots=True)
class Author:
    """Who a write is by: ``staff_id`` None is the system (jobs, the bot's intake)."""

    staff_id: str | None = None
    device_id: str | None = None
    mutation_id: str | None = None
    action: str | None = None
    """The push action that made the write (``revoke``, ``disable`` …), else None."""
    subject: tuple[str, str] | None = None
    """(entity, id) of the record the action is about: its entry's op is the action's
    name; the other records the step writes (a ticket's event …) read ``create`` /
    ``update``."""


SYSTEM = Author()


def changes(entity: str, old: Mapping[str, Any] | None,
            new: Mapping[str, Any] | None) -> dict[str, list[Any]]:
    """Field name → ``[old, new]`` (wire values) of the fields that differ; a missing
    side (create, delete) counts as empty, and empty fields of it are left out."""
    out: dict[str, list[Any]] = {}
    for spec in ENTITIES[entity].fields:
        before = old.get(spec.name) if old is not None else None
        after = new.get(spec.name) if new is not None else None
        if before == after or (old is None and after in (None, "", [], {})) or \
                (new is None and before in (None, "", [], {})):
            continue
        out[spec.name] = [value_to_wire(spec, before), value_to_wire(spec, after)]
    return out


def append(conn: sa.Connection, author: Author, entity: str, record_id: str, op: str,
           version: int | None, diff: Mapping[str, list[Any]], keys: Iterable[str],
           at: dt.datetime | None = None, fields: Iterable[str] | None = None) -> None:
    """One entry; nothing when the write changed no field. ``fields`` (default: those of
    ``diff``) names what a ``read`` entry read."""
    row = entry_row(author, entity, record_id, op, version, diff, keys, at, fields)
    if row is not None:
        conn.execute(_INSERT, row)


def append_rows(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Entries made with :func:`entry_row`, in one statement (a push's plain edits)."""
    if rows:
        conn.execute(_INSERT, rows)


def entry_row(author: Author, entity: str, record_id: str, op: str, version: int | None,
              diff: Mapping[str, list[Any]], keys: Iterable[str],
              at: dt.datetime | None = None,
              fields: Iterable[str] | None = None) -> dict[str, Any] | None:
    """The row of :func:`append`'s entry; None when the write changed no field."""
    names = sorted(diff if fields is None else fields)
    if not names:
        return None
    return {
        "at": at or now(), "staff_id": author.staff_id, "device_id": author.device_id,
        "mutation_id": author.mutation_id, "entity": entity, "record_id": record_id,
        "op": op, "version": version, "fields": names, "changes": dict(diff),
        "keys": sorted(keys)}


_INSERT = sa.insert(audit_log)
"""Built once: a push appends an entry for each mutation, and building the statement
each time cost more than running it."""


def sensitive_fields(entity: str) -> frozenset[str]:
    spec = ENTITIES.get(entity)
    return frozenset(f.name for f in spec.fields if f.sensitive) if spec else frozenset()


def _entry(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"], "at": format_datetime(row["at"]), "staff_id": row["staff_id"],
        "device_id": row["device_id"], "mutation_id": row["mutation_id"],
        "entity": row["entity"], "record_id": row["record_id"], "op": row["op"],
        "version": row["version"], "fields": list(row["fields"] or []),
        "changes": {name: {"old": pair[0], "new": pair[1]}
                    for name, pair in (row["changes"] or {}).items()},
    }


def may_read(user: scope.Principal, user_keys: frozenset[str], entity: str,
             keys: Iterable[str]) -> bool:
    spec = ENTITIES.get(entity)
    if spec is None:
        return False
    if spec.reference or entity in DECIDERS_ONLY:
        if user.role not in ("admin", "supervisor"):
            return False
        if user.role == "admin" or spec.reference:
            return True
    return scope.can_see(user_keys, keys)


def history(conn: sa.Connection, user: scope.Principal, entity: str,
            record_id: str) -> list[dict[str, Any]] | None:
    """The record's entries, oldest first, or None when the user may not see the record
    (or it never existed: the two read the same). Logs the read of sensitive fields.
    ``conn`` is a writing transaction."""
    rows = [dict(r) for r in conn.execute(
        sa.select(audit_log).where(audit_log.c.entity == entity,
                                   audit_log.c.record_id == record_id,
                                   audit_log.c.op != READ)
        .order_by(audit_log.c.id).limit(MAX_ENTRIES)).mappings()]
    keys = scope.user_keys(conn, user)
    current = list(conn.execute(sa.select(record_key.c.key).where(
        record_key.c.entity == entity, record_key.c.record_id == record_id)).scalars())
    if not rows:
        # A record written before the log (seeded) has no history yet: an empty one for
        # those who may see it, not found for the others.
        return [] if current and may_read(user, keys, entity, current) else None
    # Who sees the record now reads its history: its scope keys as they are, not those
    # of its newest entry, which are old when the keys moved without a write of it (a
    # household's move rekeys its residents; migration 0017 gave announcements for every
    # grid their workers' key). A deleted record keeps no keys: its last entry's say.
    live = bool(current) or _exists(conn, entity, record_id)
    if not may_read(user, keys, entity, current if live else rows[-1]["keys"]):
        return None
    _log_reads(conn, user, rows)
    return [_entry(r) for r in rows]


def _exists(conn: sa.Connection, entity: str, record_id: str) -> bool:
    t = RECORD_TABLES[entity]
    return conn.execute(sa.select(t.c.id).where(t.c.id == record_id)).first() is not None


def search(conn: sa.Connection, user: scope.Principal, *, staff_id: str | None = None,
           entity: str | None = None, record_id: str | None = None,
           since: dt.datetime | None = None, until: dt.datetime | None = None,
           before_id: int | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """The log, newest first, filtered; only entries the user may read (admins: all;
    supervisors: those of their street's scope). Logs the read of sensitive fields."""
    if user.role not in ("admin", "supervisor"):
        return []
    keys = scope.user_keys(conn, user)
    q = sa.select(audit_log).order_by(audit_log.c.id.desc())
    if staff_id:
        q = q.where(audit_log.c.staff_id == staff_id)
    if entity:
        q = q.where(audit_log.c.entity == entity)
    if record_id:
        q = q.where(audit_log.c.record_id == record_id)
    if since is not None:
        q = q.where(audit_log.c.at >= since)
    if until is not None:
        q = q.where(audit_log.c.at < until)
    if before_id is not None:
        q = q.where(audit_log.c.id < before_id)
    out: list[dict[str, Any]] = []
    offset = 0
    while len(out) < limit:
        rows = [dict(r) for r in conn.execute(q.limit(limit * 2).offset(offset)).mappings()]
        if not rows:
            break
        offset += len(rows)
        out += [r for r in rows if may_read(user, keys, r["entity"], r["keys"])]
    out = out[:limit]
    _log_reads(conn, user, out)
    return [_entry(r) for r in out]


def _log_reads(conn: sa.Connection, user: scope.Principal,
               rows: list[dict[str, Any]]) -> None:
    """One ``read`` entry per record whose sensitive fields the user was handed."""
    read: dict[tuple[str, str], tuple[set[str], list[str]]] = {}
    for r in rows:
        if r["op"] == READ:
            continue
        handed = sensitive_fields(r["entity"]) & set(r["changes"] or {})
        if handed:
            seen = read.setdefault((r["entity"], r["record_id"]), (set(), list(r["keys"])))
            seen[0].update(handed)
    author = Author(staff_id=user.id)
    stamp = now()
    for (entity, record_id), (names, keys) in sorted(read.items()):
        append(conn, author, entity, record_id, READ, None, {}, keys, at=stamp, fields=names)
