"""The outbox and the bookkeeping of pending edits, for the use cases and the sync engine.

Invariant: for every record with pending mutations, the local row equals its server copy
(:class:`~gulou_desk.store.schema.PendingBase`, wire form) with the pending mutations'
changes laid over it in ``seq`` order (:func:`pending_fields`); a pending ``delete``
removes the row. The use cases keep it when they write; the sync engine keeps it by
calling these functions inside its own write transactions (``store.write()``):

Push: send :func:`pending_outbox` (each as :func:`to_mutation`), then per result
  - ``applied`` → :func:`mark_applied` (``version`` = the result's);
  - ``conflict`` → :func:`mark_conflict`;
  - ``rejected`` → :func:`mark_rejected` (the edit is undone locally, the user's values
    are kept in a :class:`~gulou_desk.store.schema.Rejection`);
  - ``duplicate`` → as the original result it carries: ``error`` set → rejected,
    ``conflicts`` → conflict, else applied;
  - no result (offline, 5xx, timeout) → :func:`mark_push_failed`; the mutations stay
    pending and are sent again with the same ``mutation_id``;
  - a push that carried one mutation alone and failed (the engine splits a failing batch
    to find it) → :func:`record_failure`: set aside (:func:`hold`) at once when the
    request itself was refused (``validation``, ``too_large``), else after
    :data:`SERVER_ERROR_TRIES` server errors. A set-aside mutation (and what builds on it)
    is not sent until the user retries it (:func:`retry`) or gives it up
    (:func:`discard`); it never blocks the others.

Pull: per page, in the transaction that also stores the cursor,
  - ``upsert`` of a record in :func:`records_with_pending` → write what
    :func:`rebase_pulled` returns (``None``: do not write, a delete is pending) with
    ``sync_version`` = the pulled version; other records are written as pulled;
  - ``delete`` of a record with pending edits → :func:`rebase_pulled_delete`, then
    delete the row as for any tombstone;
  - ``revoke`` of a record with pending edits → keep it until a push has settled them.

Versions: a pull sets ``sync_version``; a push result does not (the server's copy may
hold other users' changes we have not seen), except an ``exact`` one (the server's copy
at its version is ours: see :func:`mark_applied`; the server does not send that version
back to a pull that names our ``client_id``), and except when the server confirms a record
created here (a ``create``, or the ticket of an inbox ``convert``): its copy is then
what we sent, so its version becomes the row's ``sync_version`` and the base of the
later edits that were based on "created here" (NULL). Other pending mutations keep the
``base_version`` the user saw.

Provisional rows: a ticket action writes its timeline event at once, with the id it sends
as ``args["event_id"]`` (the server's event gets the same id); a ``convert`` writes the
new ticket with ``args["ticket_id"]``. Both stay when the action is applied (the pull
replaces them with the server's copies) and go when it is rejected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk import records
from gulou_desk.domain.problems import Problem
from gulou_desk.domain.validation import text_problems
from gulou_desk.store.changes import CONFLICTS, OUTBOX, REJECTIONS, ChangeSet
from gulou_desk.store.errors import ValidationFailed
from gulou_desk.store.rows import (
    delete_rows,
    load_row,
    python_fields,
    record_values,
    replace_row,
    spec_of,
    table_of,
)
from gulou_desk.store.schema import SYNC_VERSION, Conflict, Outbox, PendingBase, Rejection

OPS = ("create", "update", "delete", "action")
TICKET_EVENT = "ticket_event"


# --- reading ------------------------------------------------------------------------


def pending_outbox(session: Session, limit: int = 500, *,
                   skip: Collection[str] = ()) -> list[Outbox]:
    """The next mutations to push, in push order (``seq``), at most ``limit``.

    The batch stops before an ``update`` or ``delete`` whose ``base_version`` is still
    NULL (a record created here whose create is in the same batch): the server needs a
    base version, which :func:`mark_applied` fills in once the create is applied. Such a
    mutation at the head of the queue is returned (the server then says why it fails),
    so the queue never stalls.

    Mutations set aside (:func:`hold`) are left out, and so are those ``skip`` names (the
    engine's: failed in this cycle) — with every later mutation that builds on one of
    them (:func:`waiting_behind`): the same record's, and those that refer to a record
    whose create is left out. Everything else goes on.
    """
    stopped = _stopped(session, skip)
    query = sa.select(Outbox).where(Outbox.held_at.is_(None)).order_by(Outbox.seq)
    if not stopped:
        query = query.limit(limit)
    batch: list[Outbox] = []
    for mutation in session.scalars(query):
        if mutation.mutation_id in skip or _builds_on(mutation, stopped):
            continue
        if batch and mutation.base_version is None and mutation.op in ("update", "delete"):
            break
        batch.append(mutation)
        if len(batch) >= limit:
            break
    return batch


@dataclass(frozen=True, slots=True)
class _Stopped:
    records: set[tuple[str, str]]
    """Records with a mutation left out: their later mutations wait."""
    created: set[str]
    """Ids of records whose create is left out: mutations that refer to them wait."""

    def __bool__(self) -> bool:
        return bool(self.records)


def _stopped(session: Session, skip: Collection[str] = ()) -> _Stopped:
    left_out: sa.ColumnElement[bool] = Outbox.held_at.is_not(None)
    if skip:
        left_out = sa.or_(left_out, Outbox.mutation_id.in_(list(skip)))
    return _stopped_by(session.scalars(sa.select(Outbox).where(left_out)))


def _builds_on(mutation: Outbox, stopped: _Stopped) -> bool:
    if not stopped:
        return False
    if (mutation.entity, mutation.record_id) in stopped.records:
        return True
    return bool(stopped.created) and any(
        value in stopped.created for value in _referenced(mutation))


def _referenced(mutation: Outbox) -> Iterator[str]:
    """The strings a mutation's fields and arguments hold (ids of records among them)."""
    for values in (mutation.fields or {}, mutation.args or {}):
        for value in values.values():
            if isinstance(value, str):
                yield value
            elif isinstance(value, list):
                yield from (v for v in value if isinstance(v, str))


def pending_count(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Outbox)) or 0


def pending_for(session: Session, entity: str, record_id: str) -> list[Outbox]:
    """The record's pending mutations, in push order."""
    return list(session.scalars(
        sa.select(Outbox)
        .where(Outbox.entity == entity, Outbox.record_id == record_id)
        .order_by(Outbox.seq)
    ))


def local_changes_of(mutation: Outbox) -> dict[str, Any]:
    """What a mutation changed in the local row (wire form): the fields of a create or an
    update, the workflow step's changes of an action, plus what the domain forced along
    (``local_changes``: a performance record edited after submission goes back to
    ``submitted``); nothing for a delete."""
    if mutation.op == "delete":
        return {}
    return {**(mutation.fields or {}), **(mutation.local_changes or {})}


def _merge(mutations: Iterable[Outbox]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for mutation in mutations:
        merged.update(local_changes_of(mutation))
    return merged


def pending_fields(session: Session, entity: str, record_id: str) -> dict[str, Any]:
    """The record's pending changes merged in push order (wire form; later wins).

    Fields of pending creates and updates, and the local changes of pending actions
    (a ticket accepted offline stays accepted when a pull brings the older copy).
    """
    return _merge(pending_for(session, entity, record_id))


def records_with_pending(session: Session, entity: str) -> set[str]:
    """Ids of the entity's records that have pending mutations."""
    return set(session.scalars(
        sa.select(Outbox.record_id).where(Outbox.entity == entity).distinct()
    ))


def has_pending_delete(session: Session, entity: str, record_id: str) -> bool:
    return session.scalar(
        sa.select(sa.func.count()).select_from(Outbox).where(
            Outbox.entity == entity, Outbox.record_id == record_id, Outbox.op == "delete"
        )
    ) != 0


def to_mutation(mutation: Outbox) -> dict[str, Any]:
    """The mutation as the push request carries it (``sync.wire.Mutation`` fields)."""
    out: dict[str, Any] = {
        "mutation_id": mutation.mutation_id,
        "entity": mutation.entity,
        "id": mutation.record_id,
        "op": mutation.op,
    }
    if mutation.op != "create":
        out["base_version"] = mutation.base_version
    if mutation.op in ("create", "update"):
        out["fields"] = dict(mutation.fields or {})
    if mutation.op == "action":
        out["action"] = mutation.action
        out["args"] = dict(mutation.args or {})
    return out


# --- writing (use cases) ------------------------------------------------------------

MAX_MUTATION_BYTES = 1024 * 1024
"""An edit larger than this (its JSON, UTF-8) is refused before it is queued: the server
takes push bodies up to 16 MiB, and nothing a person types or a form holds comes near
1 MiB (photos travel as blobs, by hash), so such an edit is a mistake to say at once,
not a push to fail later."""


def check_sendable(fields: Mapping[str, Any] | None, args: Mapping[str, Any] | None
                   ) -> None:
    """Raise :class:`ValidationFailed` for an edit the server could never take: text with
    NUL or a lone surrogate (:func:`~gulou_desk.domain.validation.text_problems`, what the
    server refuses too), or more than :data:`MAX_MUTATION_BYTES`. Every edit passes here
    (:func:`add_mutation`), whatever use case made it."""
    problems = text_problems(fields or {}) + text_problems(args or {}, "args.")
    if problems:
        raise ValidationFailed(problems)
    size = len(orjson.dumps({"fields": fields, "args": args}, default=str))
    if size > MAX_MUTATION_BYTES:
        raise ValidationFailed([Problem(
            "", "too_large", f"the edit has {size} bytes; at most {MAX_MUTATION_BYTES}",
            {"size": size, "max": MAX_MUTATION_BYTES})])


def ensure_base(session: Session, entity: str, row: Mapping[str, Any] | None,
                record_id: str) -> None:
    """Keep the server copy of a record before its first pending mutation is written.

    ``row`` is the current local row (no pending edits yet, so it is the server's copy);
    ``None`` for a record created here (the server holds no copy yet).
    """
    if session.get(PendingBase, (entity, record_id)) is not None:
        return
    if row is None:
        session.add(PendingBase(entity=entity, record_id=record_id, version=None, data=None))
        return
    spec = spec_of(entity)
    session.add(PendingBase(
        entity=entity, record_id=record_id, version=row[SYNC_VERSION],
        data=records.to_wire(spec, record_values(spec, row)),
    ))


def add_mutation(
    session: Session,
    *,
    entity: str,
    record_id: str,
    op: str,
    base_version: int | None,
    now: dt.datetime,
    fields: dict[str, Any] | None = None,
    action: str | None = None,
    args: dict[str, Any] | None = None,
    local_changes: dict[str, Any] | None = None,
    mutation_id: str | None = None,
) -> Outbox:
    if op not in OPS:
        raise ValueError(f"unknown op {op!r}")
    check_sendable(fields, args)
    mutation = Outbox(
        mutation_id=mutation_id or records.new_id(),
        entity=entity,
        record_id=record_id,
        op=op,
        base_version=base_version,
        fields=fields,
        action=action,
        args=args,
        local_changes=local_changes,
        created_at=now,
        attempts=0,
        failures=0,
    )
    session.add(mutation)
    session.flush()
    return mutation


# --- push results (sync engine) -----------------------------------------------------

EVENT_ID_ARG = "event_id"
"""A ticket action's argument naming the timeline event it writes: the client writes the
event at once with that id, the server writes its own with the same id."""


def _take(session: Session, mutation_id: str) -> Outbox | None:
    mutation = session.scalar(sa.select(Outbox).where(Outbox.mutation_id == mutation_id))
    if mutation is not None:
        session.delete(mutation)
        session.flush()
    return mutation


def provisional_record(mutation: Outbox) -> tuple[str, str] | None:
    """The record that an action creates on its own (a ticket made by converting an inbox
    message, or by a consultation's decision): ``(entity, id)``, or ``None``. The client
    writes it at once with the id the action carries; the server creates it with that
    id."""
    if mutation.op == "action" and (mutation.entity, mutation.action) in (
            ("inbox_message", "convert"), ("consultation", "create_ticket")):
        ticket_id = (mutation.args or {}).get("ticket_id")
        if isinstance(ticket_id, str):
            return "ticket", ticket_id
    return None


def _changed(mutation: Outbox, *tables: str) -> ChangeSet:
    return ChangeSet.of(mutation.entity, mutation.record_id) | ChangeSet.tables(OUTBOX, *tables)


def rebuild_row(session: Session, entity: str, record_id: str) -> None:
    """Make the local row its server copy plus the pending changes again, and forget the
    server copy when nothing is pending any more."""
    base = session.get(PendingBase, (entity, record_id))
    if base is None:
        return
    pending = pending_for(session, entity, record_id)
    ops = {m.op for m in pending}
    if "delete" in ops or (base.data is None and "create" not in ops):
        delete_rows(session, entity, [record_id])
    else:
        spec = spec_of(entity)
        data = {**(base.data or {}), **_merge(pending)}
        replace_row(session, entity, record_id, python_fields(spec, data), base.version)
    if not pending:
        session.delete(base)
    session.flush()


def _confirm_created(session: Session, entity: str, record_id: str, version: int | None,
                     data: Mapping[str, Any] | None, *, claim: bool = True) -> None:
    """The server now holds a record created here, at ``version``: that is the version
    the user saw, so it becomes the row's ``sync_version`` and the base of the later
    edits that were based on "created here" (NULL).

    ``claim=False`` for a record an action created on its own (the ticket of a convert):
    the result's version is then the message's, not the ticket's, so the row claims no
    version and the pulled ticket (with the number the server gave it) is taken whatever
    its version; only the later edits get a base.
    """
    session.execute(
        sa.update(Outbox)
        .where(Outbox.entity == entity, Outbox.record_id == record_id,
               Outbox.base_version.is_(None))
        .values(base_version=version)
    )
    if not claim:
        return
    table = table_of(entity)
    session.execute(
        sa.update(table).where(table.c.id == record_id).values({SYNC_VERSION: version})
    )
    base = session.get(PendingBase, (entity, record_id))
    if base is not None:
        base.version = version
        if data is not None:
            base.data = dict(data)


def mark_applied(session: Session, mutation_id: str, version: int | None, *,
                 exact: bool = False) -> ChangeSet:
    """The server applied the mutation (also for ``duplicate`` of an applied one).

    An unknown mutation id is ignored (already settled), so a result may be recorded
    twice. ``sync_version`` is left to the next pull, except for a record created here,
    and for an ``exact`` update (:func:`_claims`): the server's copy is then our copy
    at ``version``, which the pull will not send back.
    """
    mutation = _take(session, mutation_id)
    if mutation is None:
        return ChangeSet()
    entity, record_id = mutation.entity, mutation.record_id
    changed = _changed(mutation)
    base = session.get(PendingBase, (entity, record_id))
    if mutation.op == "create":
        _confirm_created(session, entity, record_id, version, mutation.fields or {})
    elif base is not None and mutation.op == "delete":
        base.data = None
    elif base is not None and base.data is not None:
        base.data = {**base.data, **local_changes_of(mutation)}
        if exact and version is not None and _claims(mutation, base.version):
            base.version = version  # rebuild_row writes it as the row's sync_version
    provisional = provisional_record(mutation)
    if provisional is not None:
        _confirm_created(session, *provisional, version, None, claim=False)
        changed |= ChangeSet.of(*provisional)
    rebuild_row(session, entity, record_id)
    return changed



def _pending_counts(session: Session, record_ids: list[str]) -> dict[tuple[str, str], int]:
    """How many mutations wait in the outbox for each of these records (one query)."""
    return {(entity, record_id): n for entity, record_id, n in session.execute(
        sa.select(Outbox.entity, Outbox.record_id, sa.func.count())
        .where(Outbox.record_id.in_(record_ids))
        .group_by(Outbox.entity, Outbox.record_id))}

def _claims(mutation: Outbox, held: int | None) -> bool:
    """Whether an ``exact`` result of ``mutation`` makes the server's copy at the result's
    version ours: an update made on the version we still hold as the server's
    (``held``), that changed nothing locally beyond its fields."""
    return (mutation.op == "update" and mutation.base_version is not None
            and mutation.base_version == held and not mutation.local_changes)


def mark_applied_many(session: Session, applied: Sequence[tuple[str, int | None]], *,
                      exact: Collection[str] = ()) -> tuple[ChangeSet, set[str]]:
    """:func:`mark_applied` of a push's results at once, for the common case: an update
    that was its record's only pending mutation. Its record's row already is the server
    copy with the update laid over it (:class:`PendingBase`'s rule), which is what the
    server holds now, so settling it is forgetting the mutation and the copy: two
    statements for the whole batch instead of a dozen per mutation. Returns the change
    set and the ids settled; the others go through :func:`mark_applied`, in order.

    An ``exact`` result (its mutation id in ``exact``) of an update made on the version
    the row holds, with nothing changed locally beyond its fields, also moves the row's
    ``sync_version`` to the result's version: the row is the server's copy at that
    version, which the pull does not send back."""
    by_id: dict[str, tuple[str, str, str]] = {}
    claims: dict[str, tuple[int, bool]] = {}
    ids = [mutation_id for mutation_id, _ in applied]
    for start in range(0, len(ids), 500):
        for mutation_id, entity, record_id, op, base_version, local in session.execute(
                sa.select(Outbox.mutation_id, Outbox.entity, Outbox.record_id, Outbox.op,
                          Outbox.base_version, Outbox.local_changes)
                .where(Outbox.mutation_id.in_(ids[start:start + 500]))):
            by_id[mutation_id] = (entity, record_id, op)
            if mutation_id in exact and base_version is not None:
                claims[mutation_id] = (base_version, bool(local))
    updates = {m: er for m, er in by_id.items() if er[2] == "update"}
    records = sorted({(entity, record_id) for entity, record_id, _ in updates.values()})
    pending: dict[tuple[str, str], int] = {}
    kept: set[tuple[str, str]] = set()
    for start in range(0, len(records), 500):
        chunk = [record_id for _, record_id in records[start:start + 500]]
        pending.update(_pending_counts(session, chunk))
        for entity, record_id in session.execute(
                sa.select(PendingBase.entity, PendingBase.record_id)
                .where(PendingBase.record_id.in_(chunk), PendingBase.data.is_(None))):
            kept.add((entity, record_id))  # no server copy: mark_applied decides
    settled = {m for m, (entity, record_id, _) in updates.items()
               if pending.get((entity, record_id)) == 1 and (entity, record_id) not in kept}
    if not settled:
        return ChangeSet(), settled
    done = sorted(settled)
    for start in range(0, len(done), 500):
        session.execute(sa.delete(Outbox).where(Outbox.mutation_id.in_(done[start:start + 500])))
    by_entity: dict[str, list[str]] = {}
    for m in done:
        by_entity.setdefault(updates[m][0], []).append(updates[m][1])
    versions = dict(applied)
    claimed: dict[str, list[dict[str, Any]]] = {}
    for m in done:
        base_version, local = claims.get(m, (None, True))
        version = versions.get(m)
        if base_version is not None and not local and version is not None:
            claimed.setdefault(updates[m][0], []).append(
                {"rid": updates[m][1], "v": version, "base": base_version})
    for entity, rows in claimed.items():
        table = table_of(entity)
        # Only where the row still holds the version the edit was made on.
        session.execute(sa.update(table).where(
            table.c.id == sa.bindparam("rid"),
            table.c[SYNC_VERSION] == sa.bindparam("base")).values(
            {SYNC_VERSION: sa.bindparam("v")}), rows)
    changed = ChangeSet.tables(OUTBOX)
    for entity, record_ids in by_entity.items():
        for start in range(0, len(record_ids), 500):
            session.execute(sa.delete(PendingBase).where(
                PendingBase.entity == entity,
                PendingBase.record_id.in_(record_ids[start:start + 500])))
        changed |= ChangeSet.of(entity, *record_ids)
    return changed, settled


def mark_conflict(
    session: Session,
    mutation_id: str,
    version: int | None,
    conflicts: Iterable[Mapping[str, Any]],
    *,
    now: dt.datetime | None = None,
) -> ChangeSet:
    """The server applied the update but kept its own value for some fields.

    ``conflicts`` are the result's ``{"field", "server_value", "client_value"}`` objects
    and ``version`` the result's. Each becomes a :class:`Conflict` (the user's value kept);
    the fields that did not conflict count as applied, and the local row shows the
    server's value of the conflicting ones from now on (unless a later pending edit of the
    same field overlays it).
    """
    mutation = _take(session, mutation_id)
    if mutation is None:
        return ChangeSet()
    now = now or records.now()
    entity, record_id = mutation.entity, mutation.record_id
    server_values: dict[str, Any] = {}
    for conflict in conflicts:
        name = str(conflict["field"])
        server_values[name] = conflict.get("server_value")
        session.add(Conflict(
            entity=entity, record_id=record_id, field=name,
            server_value=conflict.get("server_value"),
            client_value=conflict.get("client_value", (mutation.fields or {}).get(name)),
            mutation_id=mutation.mutation_id, base_version=mutation.base_version,
            server_version=version, created_at=now,
            changed_by=_text(conflict.get("changed_by")),
            changed_at=records.moment_or_none(conflict.get("changed_at")),
        ))
    base = session.get(PendingBase, (entity, record_id))
    if base is not None and base.data is not None:
        base.data = {**base.data, **local_changes_of(mutation), **server_values}
    rebuild_row(session, entity, record_id)
    return _changed(mutation, CONFLICTS)


def mark_conflict_many(
    session: Session, conflicted: Sequence[tuple[str, int | None, Sequence[Mapping[str, Any]]]],
    *, now: dt.datetime | None = None,
) -> tuple[ChangeSet, set[str]]:
    """:func:`mark_conflict` of a push's results at once (``(mutation_id, version,
    conflicts)`` each), for the common case: an update that was its record's only pending
    mutation, whose server copy is held. Its row becomes the server copy with the update
    laid over it and the server's value of each conflicting field, at the copy's version;
    the copy and the mutation are forgotten: a few statements for the whole batch instead
    of a dozen per conflict. Returns the change set and the ids settled; the others go
    through :func:`mark_conflict`, in order."""
    ids = [mutation_id for mutation_id, _, _ in conflicted]
    mutations: dict[str, Outbox] = {}
    for start in range(0, len(ids), 500):
        for mutation in session.scalars(
                sa.select(Outbox).where(Outbox.mutation_id.in_(ids[start:start + 500]))):
            if mutation.op == "update":
                mutations[mutation.mutation_id] = mutation
    records_ = sorted({(m.entity, m.record_id) for m in mutations.values()})
    pending: dict[tuple[str, str], int] = {}
    bases: dict[tuple[str, str], tuple[dict[str, Any], int | None]] = {}
    for start in range(0, len(records_), 500):
        chunk = [record_id for _, record_id in records_[start:start + 500]]
        pending.update(_pending_counts(session, chunk))
        for entity, record_id, data, version in session.execute(
                sa.select(PendingBase.entity, PendingBase.record_id, PendingBase.data,
                          PendingBase.version).where(PendingBase.record_id.in_(chunk))):
            if data is not None:
                bases[(entity, record_id)] = (data, version)
    now = now or records.now()
    changed = ChangeSet()
    settled: set[str] = set()
    conflicts_rows: list[dict[str, Any]] = []
    for mutation_id, version, conflicts in conflicted:
        found = mutations.get(mutation_id)
        if found is None or mutation_id in settled:
            continue
        mutation = found
        key = (mutation.entity, mutation.record_id)
        if pending.get(key) != 1 or key not in bases:
            continue
        settled.add(mutation_id)
        server_values: dict[str, Any] = {}
        for conflict in conflicts:
            name = str(conflict["field"])
            server_values[name] = conflict.get("server_value")
            conflicts_rows.append(dict(
                entity=mutation.entity, record_id=mutation.record_id, field=name,
                server_value=conflict.get("server_value"),
                client_value=conflict.get("client_value", (mutation.fields or {}).get(name)),
                mutation_id=mutation_id, base_version=mutation.base_version,
                server_version=version, created_at=now,
                changed_by=_text(conflict.get("changed_by")),
                changed_at=records.moment_or_none(conflict.get("changed_at"))))
        data, base_version = bases[key]
        row = {**data, **local_changes_of(mutation), **server_values}
        replace_row(session, mutation.entity, mutation.record_id,
                    python_fields(spec_of(mutation.entity), row), base_version)
        changed |= _changed(mutation, CONFLICTS)
    if not settled:
        return changed, settled
    done = sorted(settled)
    for start in range(0, len(done), 500):
        session.execute(sa.delete(Outbox).where(Outbox.mutation_id.in_(done[start:start + 500])))
    if conflicts_rows:
        session.execute(sa.insert(Conflict), conflicts_rows)
    by_entity: dict[str, list[str]] = {}
    for mutation_id in done:
        by_entity.setdefault(mutations[mutation_id].entity, []).append(
            mutations[mutation_id].record_id)
    for entity, record_ids in by_entity.items():
        for start in range(0, len(record_ids), 500):
            session.execute(sa.delete(PendingBase).where(
                PendingBase.entity == entity,
                PendingBase.record_id.in_(record_ids[start:start + 500])))
    return changed, settled


def _reject(
    session: Session, mutation: Outbox, code: str, message: str,
    details: Mapping[str, Any], now: dt.datetime, *, keep: bool = True,
) -> ChangeSet:
    """Undo ``mutation`` (taken from the outbox already) and what builds on it; with
    ``keep`` the user's values are kept as a :class:`Rejection` to show."""
    changed = _changed(mutation)
    if keep:
        session.add(Rejection(
            mutation_id=mutation.mutation_id, entity=mutation.entity,
            record_id=mutation.record_id, op=mutation.op, action=mutation.action,
            fields=mutation.fields, args=mutation.args, code=code, message=message,
            details=dict(details), created_at=now, dismissed_at=None,
        ))
        changed |= ChangeSet.tables(REJECTIONS)
    event_id = (mutation.args or {}).get(EVENT_ID_ARG)
    if mutation.entity == "ticket" and isinstance(event_id, str):
        _delete_provisional(session, TICKET_EVENT, event_id)
        changed |= ChangeSet.of(TICKET_EVENT, event_id)
    orphans: list[tuple[str, str]] = []
    if mutation.op == "create":
        orphans.append((mutation.entity, mutation.record_id))
    provisional = provisional_record(mutation)
    if provisional is not None:
        _delete_provisional(session, *provisional)
        changed |= ChangeSet.of(*provisional)
        orphans.append(provisional)
    for entity, record_id in orphans:
        # The record never reached the server: its later edits cannot succeed either.
        base = session.get(PendingBase, (entity, record_id))
        if base is not None:
            base.data = None
        for later in pending_for(session, entity, record_id):
            session.delete(later)
            session.flush()
            changed |= _reject(
                session, later, "depends_on_rejected",
                f"{mutation.entity} {mutation.record_id} was not accepted by the server",
                {"mutation_id": mutation.mutation_id, "code": code}, now, keep=keep,
            )
        rebuild_row(session, entity, record_id)
    rebuild_row(session, mutation.entity, mutation.record_id)
    return changed


def _delete_provisional(session: Session, entity: str, record_id: str) -> None:
    """Remove a row written only locally (never pulled) on behalf of a rejected action."""
    table = table_of(entity)
    session.execute(sa.delete(table).where(
        table.c.id == record_id, table.c[SYNC_VERSION].is_(None)
    ))


def mark_rejected(
    session: Session,
    mutation_id: str,
    code: str,
    message: str,
    details: Mapping[str, Any] | None = None,
    *,
    now: dt.datetime | None = None,
) -> ChangeSet:
    """The server refused the mutation: undo it locally, keep the user's values.

    The local row becomes its server copy plus the remaining pending edits: a rejected
    create removes the row (and rejects the record's later edits, code
    ``depends_on_rejected``), a rejected delete brings the row back, a rejected ticket
    action removes its provisional timeline event, a rejected convert its provisional
    ticket.
    """
    mutation = _take(session, mutation_id)
    if mutation is None:
        return ChangeSet()
    return _reject(session, mutation, code, message, details or {}, now or records.now())


def mark_push_failed(session: Session, mutation_ids: Iterable[str], error: str) -> None:
    """A push attempt failed before any result (offline, 5xx …): count it, keep the error."""
    ids = list(mutation_ids)
    if ids:
        session.execute(
            sa.update(Outbox)
            .where(Outbox.mutation_id.in_(ids))
            .values(attempts=Outbox.attempts + 1, last_error=error[:2000])
        )


# --- set aside (sync engine, outbox view) -----------------------------------------------

SERVER_ERROR_TRIES = 3
"""A mutation on which the server failed this many times (in as many cycles) is set aside."""
HOLD_AT_ONCE = frozenset({"validation", "too_large", "bad_request"})
"""Request-level refusals of a push that carried this mutation alone: sending it again
changes nothing, so it is set aside at once."""


def hold(session: Session, mutation_id: str, code: str, message: str, *,
         now: dt.datetime | None = None) -> ChangeSet:
    """Set a mutation aside: it is not pushed again until :func:`retry`; the later
    mutations that build on it wait behind it (:func:`pending_outbox`), every other one
    goes on. The local row keeps the edit (it is still the user's)."""
    mutation = session.scalar(sa.select(Outbox).where(Outbox.mutation_id == mutation_id))
    if mutation is None:
        return ChangeSet()
    mutation.held_at = now or records.now()
    mutation.held_code = code[:64]
    mutation.last_error = message[:2000]
    return ChangeSet.tables(OUTBOX)


def record_failure(session: Session, mutation_id: str, code: str, message: str, *,
                   now: dt.datetime | None = None) -> bool:
    """A push that carried this mutation alone failed: count it, keep the error, and set
    it aside when trying again is useless (:data:`HOLD_AT_ONCE`) or it failed
    :data:`SERVER_ERROR_TRIES` times. Returns whether it is set aside now."""
    mutation = session.scalar(sa.select(Outbox).where(Outbox.mutation_id == mutation_id))
    if mutation is None:
        return False
    mutation.attempts = (mutation.attempts or 0) + 1
    mutation.failures = (mutation.failures or 0) + 1
    mutation.last_error = f"{code}: {message}"[:2000]
    if code in HOLD_AT_ONCE or mutation.failures >= SERVER_ERROR_TRIES:
        hold(session, mutation_id, code, message, now=now)
        return True
    return False


def retry(session: Session, mutation_id: str) -> ChangeSet:
    """Put a set-aside mutation back in the queue (the next sync sends it again, with the
    same ``mutation_id``); its count of failures starts again."""
    mutation = session.scalar(sa.select(Outbox).where(Outbox.mutation_id == mutation_id))
    if mutation is None or mutation.held_at is None:
        return ChangeSet()
    mutation.held_at = None
    mutation.held_code = None
    mutation.failures = 0
    return ChangeSet.of(mutation.entity, mutation.record_id) | ChangeSet.tables(OUTBOX)


def discard(session: Session, mutation_id: str, *, now: dt.datetime | None = None
            ) -> ChangeSet:
    """The user gives up an unsent edit: it leaves the queue and is undone locally as a
    rejected one would be (a discarded create takes the record's later edits with it),
    but nothing is kept as a rejection: the user chose this."""
    mutation = _take(session, mutation_id)
    if mutation is None:
        return ChangeSet()
    return _reject(session, mutation, "discarded", "", {}, now or records.now(), keep=False)


def still_free(session: Session, mutation_ids: Sequence[str], *,
               skip: Collection[str] = ()) -> list[str]:
    """Those of ``mutation_ids`` that may still be sent (in their order): not set aside,
    not in ``skip``, building on no mutation that is (as :func:`pending_outbox`)."""
    stopped = _stopped(session, skip)
    by_id = {m.mutation_id: m for m in mutations_of(session, mutation_ids)}
    return [mid for mid in mutation_ids if mid in by_id and mid not in skip
            and by_id[mid].held_at is None and not _builds_on(by_id[mid], stopped)]


@dataclass(frozen=True, slots=True)
class UnsentChange:
    """One unsent edit as the outbox view lists it (plain values)."""

    mutation_id: str
    entity: str
    record_id: str
    op: str
    action: str | None
    fields: tuple[str, ...]
    """The fields it changes (a create's or update's), in the order the user set them."""
    created_at: dt.datetime
    attempts: int
    last_error: str | None
    held_code: str | None
    """Set aside (``None``: waiting to be sent)."""
    held_at: dt.datetime | None
    waiting_behind: str | None
    """The set-aside edit it waits behind (same record, or the record's create)."""


def unsent_changes(session: Session) -> list[UnsentChange]:
    """Every unsent edit, in the order it will be sent."""
    behind = waiting_behind(session)
    return [UnsentChange(
        mutation_id=m.mutation_id, entity=m.entity, record_id=m.record_id, op=m.op,
        action=m.action, fields=tuple(m.fields or ()), created_at=m.created_at,
        attempts=m.attempts or 0, last_error=m.last_error, held_code=m.held_code,
        held_at=m.held_at, waiting_behind=behind.get(m.mutation_id),
    ) for m in session.scalars(sa.select(Outbox).order_by(Outbox.seq))]


def held_count(session: Session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Outbox)
                          .where(Outbox.held_at.is_not(None))) or 0


def waiting_behind(session: Session) -> dict[str, str]:
    """Mutation id → the id of the set-aside mutation it waits behind (same record, or a
    record whose create is set aside), for each mutation that is not sent for that."""
    held = list(session.scalars(sa.select(Outbox).where(Outbox.held_at.is_not(None))
                                .order_by(Outbox.seq)))
    if not held:
        return {}
    out: dict[str, str] = {}
    for mutation in session.scalars(sa.select(Outbox).where(Outbox.held_at.is_(None))
                                    .order_by(Outbox.seq)):
        for blocker in held:
            if blocker.seq < mutation.seq and _builds_on(mutation, _stopped_by([blocker])):
                out[mutation.mutation_id] = blocker.mutation_id
                break
    return out


def _stopped_by(mutations: Iterable[Outbox]) -> _Stopped:
    out = _Stopped(set(), set())
    for mutation in mutations:
        out.records.add((mutation.entity, mutation.record_id))
        provisional = provisional_record(mutation)
        if provisional is not None:
            out.records.add(provisional)
            out.created.add(provisional[1])
        if mutation.op == "create":
            out.created.add(mutation.record_id)
    return out


# --- pull (sync engine) -------------------------------------------------------------


def rebase_pulled(
    session: Session, entity: str, record_id: str, version: int | None,
    data: Mapping[str, Any],
) -> dict[str, Any] | None:
    """The wire data to write for a pulled ``upsert`` of a record with pending edits.

    Keeps ``data`` and ``version`` as the record's server copy and returns ``data`` with
    :func:`pending_fields` laid over it; ``None`` when a delete is pending (the row stays
    deleted). For a record without pending edits it returns ``data`` unchanged. The caller
    writes the row with ``sync_version = version``.
    """
    pending = pending_for(session, entity, record_id)
    base = session.get(PendingBase, (entity, record_id))
    if not pending:
        if base is not None:
            session.delete(base)
        return dict(data)
    if base is None:
        base = PendingBase(entity=entity, record_id=record_id)
        session.add(base)
    base.version = version
    base.data = dict(data)
    if any(m.op == "delete" for m in pending):
        return None
    return {**data, **_merge(pending)}


def rebase_pulled_delete(session: Session, entity: str, record_id: str) -> None:
    """A pulled tombstone for a record with pending edits: the server holds no copy any
    more, so whatever of them is rejected leaves no row behind."""
    base = session.get(PendingBase, (entity, record_id))
    if base is not None:
        base.data = None


def server_copy(session: Session, entity: str, record_id: str) -> dict[str, Any] | None:
    """The record as the server last gave it (wire form): the pending base when edits are
    pending, else the row itself."""
    base = session.get(PendingBase, (entity, record_id))
    if base is not None:
        return dict(base.data) if base.data is not None else None
    row = load_row(session, entity, record_id)
    if row is None:
        return None
    spec = spec_of(entity)
    return records.to_wire(spec, record_values(spec, row))


def mutations_of(session: Session, mutation_ids: Sequence[str]) -> list[Outbox]:
    return list(session.scalars(
        sa.select(Outbox).where(Outbox.mutation_id.in_(list(mutation_ids))).order_by(Outbox.seq)
    ))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


