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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from gulou_desk.records import ENTITIES, WireError
from gulou_desk.store import outbox
from gulou_desk.store.rows import delete_rows, python_fields, replace_row
from gulou_desk.store.schema import RECORD_TABLES, SYNC_VERSION, RepullSeen
from gulou_desk.store.sync_state import SyncKey, get_state, set_state
from sync.wire import Change

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


def apply_page(session: Session, changes: Sequence[Change], cursor: str) -> PageResult:
    """Write one pulled page and its cursor (in the caller's write transaction)."""
    result = PageResult()
    by_entity: dict[str, list[Change]] = {}
    for change in changes:
        if change.entity not in ENTITIES:
            result.skipped += 1  # an entity this client does not know yet
            continue
        by_entity.setdefault(change.entity, []).append(change)
    deferred: list[list[str]] = []
    for entity, items in by_entity.items():
        pending = outbox.records_with_pending(session, entity)
        _apply_entity(session, entity, items, pending, result, deferred)
    if deferred:
        _defer_revokes(session, deferred)
    set_state(session, SyncKey.CURSOR, cursor)
    return result


def _defer_revokes(session: Session, deferred: list[list[str]]) -> None:
    """Keep ``[entity, id]`` records that left the scope until their pending edits are
    pushed (:func:`settle_deferred_revokes` drops them then)."""
    held = [tuple(x) for x in get_state(session, DEFERRED_REVOKES, [])]
    merged = sorted({*held, *(tuple(x) for x in deferred)})
    set_state(session, DEFERRED_REVOKES, [list(x) for x in merged])


def _apply_entity(session: Session, entity: str, items: list[Change], pending: set[str],
                  result: PageResult, deferred: list[list[str]]) -> None:
    spec = ENTITIES[entity]
    table = RECORD_TABLES[entity]
    # Within a page the last word about a record wins.
    last: dict[str, Change] = {}
    for change in items:
        last[change.id] = change
    bulk: list[dict[str, object]] = []
    drop: list[str] = []
    for rid, change in last.items():
        if change.op == "upsert":
            if change.data is None or change.version is None:
                raise BadChange(f"upsert of {entity} {rid} without data or version")
            try:
                if rid in pending:
                    rebased = outbox.rebase_pulled(session, entity, rid, change.version,
                                                   change.data)
                    if rebased is not None:
                        replace_row(session, entity, rid, python_fields(spec, rebased),
                                    change.version)
                    values = None
                else:
                    values = python_fields(spec, change.data)
            except WireError as exc:
                raise BadChange(f"{entity} {rid}: {exc}") from exc
            if values is not None:
                full = {f.name: values.get(f.name, f.empty_value()) for f in spec.fields}
                full["id"] = rid
                full[SYNC_VERSION] = change.version
                bulk.append(full)
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
        result.touch(entity, [rid])
    if bulk:
        stmt = sqlite_insert(table)
        columns = {c.name: stmt.excluded[c.name] for c in table.columns if c.name != "id"}
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.id], set_=columns,
            where=sa.or_(table.c[SYNC_VERSION].is_(None),
                         table.c[SYNC_VERSION] <= stmt.excluded[SYNC_VERSION]),
        )
        session.execute(stmt, bulk)
    if drop:
        for i in range(0, len(drop), 500):
            delete_rows(session, entity, drop[i:i + 500])


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


def note_repulled(session: Session, changes: Sequence[Change]) -> None:
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
    seen: dict[str, set[str]] = {}
    for entity, ids in session.execute(sa.select(RepullSeen.entity, RepullSeen.record_ids)):
        seen.setdefault(entity, set()).update(ids)
    removed = 0
    deferred: list[list[str]] = []
    for entity, table in RECORD_TABLES.items():
        have = set(session.scalars(
            sa.select(table.c.id).where(table.c[SYNC_VERSION].is_not(None))))
        unseen = have - seen.get(entity, set())
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
