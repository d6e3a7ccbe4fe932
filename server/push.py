"""Push: apply a client's mutations in order, in one transaction, each in a savepoint.

Every mutation is checked again here, whatever the client checked: entity and operation,
field types, the domain's validation, the actor's scope and role, the record's state.
Results are stored by ``mutation_id`` so that a mutation sent twice has the effect of
sending it once (``duplicate``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from gulou_desk.domain import addresses, catalogue, sla, validation, workflows
from gulou_desk.records import (
    ENTITIES,
    SHANGHAI,
    WireError,
    format_datetime,
    from_wire,
    is_uuid,
    json_problem,
    new_id,
    now,
    text_problem,
    value_to_wire,
)
from server import (
    audit,
    devices,
    form_admin,
    gubao,
    outbound,
    participation,
    performance,
    scope,
    staff_admin,
)
from server.errors import describe_error
from server.schema import RECORD_TABLES, applied_mutations, audit_log, ticket_numbers
from server.store import (
    RecordWriter,
    Update,
    field_values,
    load,
    load_many,
    lock,
    stored_keys,
    stored_keys_many,
)
from sync.wire import FieldConflict, Mutation, MutationResult, ResultError

log = logging.getLogger(__name__)


class Rejected(Exception):
    def __init__(self, code: str, message: str, details: Mapping[str, Any] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = dict(details or {})


def actor_of(conn: sa.Connection, user: scope.Principal) -> workflows.Actor:
    grids = scope.worker_grid_ids(conn, user.id) if user.role == "social_worker" else []
    return workflows.Actor(
        id=user.id, role=user.role, community_id=user.community_id,
        street_id=user.street_id, grid_ids=frozenset(grids),
    )


LOCK_WAIT_IN_BATCH = "200ms"
"""On PostgreSQL, how long a mutation after the first of its transaction waits for a row
lock (the transaction holds the locks of the mutations before it, the counter's among
them once one wrote). See :func:`push`."""

_LOCK_CONFLICTS = frozenset({"55P03", "40P01"})
"""lock_not_available (``lock_timeout``), deadlock_detected."""
FIRST_ATTEMPTS = 3
"""A transaction's first mutation, which holds nothing else, is tried this often when
PostgreSQL picks it as a deadlock's victim before it is answered ``internal``."""


@dataclass
class _Batch:
    """What one transaction of a push knows: the user's scope keys (read once: reference
    data decides them, which no push changes)."""

    conn: sa.Connection
    user: scope.Principal
    client_id: str
    keys: frozenset[str]
    unseen: set[str] = field(default_factory=set)
    """Mutation ids that no earlier request applied (looked up once for the batch): the
    first of each needs no look-up of its own (:func:`_prior`)."""
    slas: sla.SlaTable | None = None
    """The catalogue's SLAs, read once for the batch (again after a catalogue edit)."""
    plain_failed: bool = False
    """A statement of :func:`_apply_plain_run` failed: the rest goes one by one."""


class _LockConflict(Exception):
    """A mutation after the first of its transaction met a row lock (or a deadlock):
    commit what is done and go on in a new transaction."""


def push(engine: sa.Engine, user: scope.Principal, mutations: list[Mutation],
         client_id: str = "") -> list[MutationResult]:
    """Apply ``mutations`` in order: one transaction, a savepoint per mutation.

    A mutation that is refused (``Rejected``) or fails unexpectedly is rolled back to its
    savepoint alone and answered ``rejected`` (code ``internal`` for a failure, logged
    with its id); the rest of the batch proceeds, and everything applied commits at once.

    Lock order (docs/architecture.md): a transaction takes row locks before the version
    counter, several rows of one table in id order. A batch holds the locks of its earlier
    mutations (the rows they read for update, the counter once one wrote), so a later
    mutation that must wait for a row (another transaction holds it, and may be waiting
    for one of ours) would turn the order round. On PostgreSQL every mutation after the
    first of a transaction waits at most ``LOCK_WAIT_IN_BATCH`` (``lock_timeout``; a
    deadlock PostgreSQL detects is taken the same way): then it is rolled back to its
    savepoint, the mutations before it commit, and the batch goes on from it in a new
    transaction, where it waits as a first mutation does, holding nothing else. SQLite has
    one writer at a time: no waits.
    """
    results: list[MutationResult] = []
    while len(results) < len(mutations):
        results += _push_some(engine, user, mutations[len(results):], client_id)
    _refresh_figures(engine, user, mutations, results)
    return results


FIGURES_MOVE = frozenset({"visit", "ticket"})
"""Entities whose applied mutations (a visit; a ticket's step) move a social worker's
monthly figures: their drafts are refreshed after the push (:func:`_refresh_figures`)."""


def _refresh_figures(engine: sa.Engine, user: scope.Principal, mutations: list[Mutation],
                     results: list[MutationResult]) -> None:
    """A social worker's push that brought visits or ticket steps refreshes their drafts
    at once (:func:`server.performance.refresh_worker`), so the next pull agrees with the
    live preview on their device; the hourly run does the rest (colleagues' figures, a
    clerk's follow-up call). After the push has committed: a failure here loses nothing
    of it, and is logged."""
    if user.role != "social_worker" or not any(
            m.entity in FIGURES_MOVE and r.status in ("applied", "conflict")
            for m, r in zip(mutations, results, strict=False)):
        return
    try:
        performance.refresh_worker(engine, user.id, now())
    except Exception as exc:
        log.error("push: the figures of %s were not refreshed: %s", user.id,
                  describe_error(exc))


def _push_some(engine: sa.Engine, user: scope.Principal, mutations: list[Mutation],
               client_id: str) -> list[MutationResult]:
    """Apply a prefix of ``mutations`` (at least one) in one transaction; their results."""
    results: list[MutationResult] = []
    with engine.begin() as conn:
        batch = _Batch(conn, user, client_id, scope.user_keys(conn, user),
                       _unseen(conn, mutations))
        bounded = conn.dialect.name != "postgresql"
        while len(results) < len(mutations):
            if results and not bounded:
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_WAIT_IN_BATCH}'")
                bounded = True
            run = _plain_run(batch, mutations[len(results):])
            if run:
                try:
                    done = _apply_plain_run(batch, run)
                except _LockConflict:
                    if results:
                        break
                    done = []  # first in the transaction: one by one, as a first waits
                if done:
                    results += done
                    continue
            m = mutations[len(results)]
            if results:
                try:
                    results.append(_apply_one(batch, m))
                except _LockConflict:
                    break
                continue
            for attempt in range(1, FIRST_ATTEMPTS + 1):  # holding nothing else: try again
                try:
                    results.append(_apply_one(batch, m, last=attempt == FIRST_ATTEMPTS))
                    break
                except _LockConflict:
                    continue
    return results


def _apply_one(batch: _Batch, m: Mutation, *, last: bool = False) -> MutationResult:
    """One mutation in its savepoint. A lock wait that ran out or a deadlock raises
    :class:`_LockConflict` (the caller commits what is done, or tries a first mutation
    again), unless ``last``: then it is answered ``internal``."""
    conn, user = batch.conn, batch.user
    if m.mutation_id in batch.unseen:  # a second copy in the same batch is looked up
        batch.unseen.discard(m.mutation_id)
    else:
        prior = _prior(conn, user, m)
        if prior is not None:
            return prior
    savepoint = conn.begin_nested()
    try:
        writer = RecordWriter(conn, audit.Author(
            staff_id=user.id, device_id=batch.client_id or None, mutation_id=m.mutation_id,
            action=m.action if m.op == "action" else None, subject=(m.entity, m.id)))
        if batch.slas is None or m.entity == "catalogue_entry":
            batch.slas = _sla_table(conn)
        with sla.using(batch.slas):  # due times follow the catalogue's SLAs
            result = _apply(batch, writer, m)
        if m.entity == "catalogue_entry":
            batch.slas = None  # what this edit changed is read by the next mutation
        _remember(conn, user, result)
        savepoint.commit()
        return result
    except Rejected as exc:
        savepoint.rollback()
        result = _rejection(m, exc)
    except sa.exc.DBAPIError as exc:
        if _database_away(exc):
            raise  # the whole request: 503 + Retry-After, nothing kept; sent again later
        savepoint.rollback()
        if getattr(exc.orig, "sqlstate", None) in _LOCK_CONFLICTS and not last:
            raise _LockConflict from None
        # The same mutation_id (or a create of the same id) arrived at once in another
        # request, which committed first: answer what it did.
        prior = _prior(conn, user, m)
        return prior if prior is not None else _internal(m, exc)
    except Exception as exc:
        savepoint.rollback()
        return _internal(m, exc)
    remembered = conn.begin_nested()  # a rejection is remembered too, in its own savepoint
    try:
        _remember(conn, user, result)
        remembered.commit()
    except sa.exc.DBAPIError as exc:
        if _database_away(exc):
            raise
        remembered.rollback()
        if getattr(exc.orig, "sqlstate", None) in _LOCK_CONFLICTS and not last:
            raise _LockConflict from None
        prior = _prior(conn, user, m)  # the same mutation, remembered by another request
        return prior if prior is not None else result
    return result


def _rejection(m: Mutation, exc: Rejected) -> MutationResult:
    return MutationResult(
        mutation_id=m.mutation_id, status="rejected",
        error=ResultError(code=exc.code, message=exc.message, details=exc.details))


_NOT_PLAIN = frozenset({"catalogue_entry", "performance_record", "visit"}) \
    | participation.ENTITIES_WITH_RULES | gubao.ENTITIES_WITH_RULES
"""Entities whose updates check more than fields, scope and conflicts: one by one."""


def _plain_run(batch: _Batch, mutations: list[Mutation]) -> list[Mutation]:
    """The longest prefix of ``mutations`` that :func:`_apply_plain_run` applies at once:
    updates of records of one entity whose updates are plain (fields, scope, conflicts;
    a ticket's household is checked one by one), each record and each mutation id once,
    none sent before."""
    if batch.plain_failed:
        return []
    run: list[Mutation] = []
    records: set[str] = set()
    ids: set[str] = set()
    for m in mutations:
        spec = ENTITIES.get(m.entity)
        if (m.op != "update" or spec is None or not spec.client_update
                or m.entity in _NOT_PLAIN or m.base_version is None
                or (run and m.entity != run[0].entity) or m.id in records
                or m.mutation_id in ids or m.mutation_id not in batch.unseen
                or (m.entity == "ticket" and "household_id" in (m.fields or {}))):
            break
        run.append(m)
        records.add(m.id)
        ids.add(m.mutation_id)
    return run


def _apply_plain_run(batch: _Batch, run: list[Mutation]) -> list[MutationResult]:
    """Results of a prefix of ``run`` (:func:`_plain_run`), applied together in one
    savepoint: the same checks, writes and results as :func:`_apply_one` of each, in a
    few statements for them all. The rows are read and locked at once in id order, the
    mutations checked in order (refused or conflicting ones write nothing they should
    not: nothing is written before every check is done), then the versions are taken
    together, after the row locks as the lock order wants, and each table is written
    with one ``executemany``.

    The prefix ends before an update that moves its record to another place (its
    cascade goes one by one). Empty: nothing done (the first mutation goes one by one);
    a statement that failed other than by a lock wait makes the rest of the batch go
    one by one too. A lock wait that ran out or a deadlock raises :class:`_LockConflict`
    with nothing kept."""
    conn, user, entity = batch.conn, batch.user, run[0].entity
    savepoint = conn.begin_nested()
    try:
        rows = load_many(conn, entity, [m.id for m in run], for_update=True)
        stored = stored_keys_many(conn, entity, rows)
        if batch.slas is None:
            batch.slas = _sla_table(conn)
        results: list[MutationResult] = []
        planned: list[tuple[int, Mutation, _UpdatePlan]] = []
        with sla.using(batch.slas):
            for m in run:
                keys = stored.get(m.id, frozenset())
                try:
                    row = _visible(batch.keys, entity, m.id, rows.get(m.id), keys)
                    plan = _plan_update(conn, user, batch.keys, m, batch.client_id, row, keys)
                except Rejected as exc:
                    results.append(_rejection(m, exc))
                    continue
                except sa.exc.DBAPIError:
                    raise
                except Exception as exc:
                    results.append(_internal(m, exc))
                    continue
                if plan.new_keys != plan.old_keys:
                    break
                planned.append((len(results), m, plan))
                results.append(MutationResult(mutation_id=m.mutation_id, status="applied"))
        writer = RecordWriter(conn)
        exact = {m.mutation_id for _, m, plan in planned
                 if batch.client_id and _exact(m, rows[m.id], plan, batch.client_id)}
        writer.update_many(entity, [
            Update(m.id, plan.values, rows[m.id], plan.apply.keys(), plan.old_keys,
                   audit.Author(staff_id=user.id, device_id=batch.client_id or None,
                                mutation_id=m.mutation_id, subject=(entity, m.id)),
                   batch.client_id if m.mutation_id in exact else None)
            for _, m, plan in planned if plan.apply], client_id=batch.client_id)
        for i, m, plan in planned:
            version = writer.written.get((entity, m.id))
            if plan.conflicts:
                results[i] = MutationResult(
                    mutation_id=m.mutation_id, status="conflict",
                    version=version or rows[m.id]["sync_version"],
                    conflicts=[FieldConflict.model_validate(c) for c in plan.conflicts])
            else:
                results[i] = MutationResult(
                    mutation_id=m.mutation_id, status="applied", version=version,
                    exact=True if m.mutation_id in exact and version is not None else None)
        at = now()
        remembered = [{"mutation_id": r.mutation_id, "staff_id": user.id,
                       "result": r.model_dump(mode="json"), "at": at}
                      for r in results if r.error is None or r.error.code != "internal"]
        if remembered:
            conn.execute(_REMEMBER, remembered)
        savepoint.commit()
    except sa.exc.DBAPIError as exc:
        if _database_away(exc):
            raise
        savepoint.rollback()
        if getattr(exc.orig, "sqlstate", None) in _LOCK_CONFLICTS:
            raise _LockConflict from None
        batch.plain_failed = True  # e.g. a mutation id remembered meanwhile by another
        return []
    except Exception as exc:
        savepoint.rollback()
        log.error("push: a run of %d updates failed, applied one by one: %s", len(run),
                  describe_error(exc))
        batch.plain_failed = True
        return []
    for r in results:
        batch.unseen.discard(r.mutation_id)
    return results


def _exact(m: Mutation, row: Mapping[str, Any], plan: _UpdatePlan, client_id: str) -> bool:
    """Whether the update writes the record exactly as its device holds it afterwards:
    the base it was made on is the current version, no field conflicts, every field
    sent is kept as sent (its wire value unchanged: nothing normalised), and nothing
    else changes (no derived address, no field forced along). The device's copy is then
    the server's at the new version (``MutationResult.exact``, ``change_log.exact_client``).

    Not when that device created the record at its base version (every field written
    then, by it): the device holds the version its create was answered with, but not
    what the server added to the create (a ticket's number, a household's created_at)
    until a pull brings it, and this version's pull must.
    """
    if plan.conflicts or not plan.apply or row["sync_version"] != m.base_version:
        return False
    versions: dict[str, int] = row["field_versions"] or {}
    clients: dict[str, str] = row["field_clients"] or {}
    if versions and all(v == m.base_version and clients.get(n) == client_id
                        for n, v in versions.items()):
        return False
    fields = m.fields or {}
    if not set(plan.apply) <= set(fields):
        return False
    spec = ENTITIES[m.entity]
    return all(value_to_wire(spec.field(name), plan.values.get(name)) == value
               for name, value in fields.items())


def _database_away(exc: sa.exc.DBAPIError) -> bool:
    """The connection broke (the database restarted, the network dropped): not this
    mutation's fault, and nothing more can run in this transaction. Answering it
    ``rejected``/``internal`` would make the client set a good edit aside; the request
    fails as a whole instead (``503`` with Retry-After, see ``server.app``)."""
    if exc.connection_invalidated:
        return True
    return (isinstance(exc, (sa.exc.OperationalError, sa.exc.InterfaceError))
            and getattr(exc.orig, "sqlstate", None) not in _LOCK_CONFLICTS)


def _internal(m: Mutation, exc: BaseException) -> MutationResult:
    """An unexpected failure of one mutation: logged with its id (the error's type and
    where it happened, not its message, which may quote the record's data), answered
    ``rejected`` / ``internal``. Not remembered: sent again, it is tried again (the
    failure may have been passing, or fixed by an upgrade)."""
    log.error("push: mutation %s (%s %s %s) failed: %s", m.mutation_id, m.op, m.entity,
              m.id, describe_error(exc))
    return MutationResult(mutation_id=m.mutation_id, status="rejected", error=ResultError(
        code="internal", message="the server could not apply this change; it is logged",
        details={"mutation_id": m.mutation_id}))


def _unseen(conn: sa.Connection, mutations: list[Mutation]) -> set[str]:
    """The ids of ``mutations`` that ``applied_mutations`` does not hold (one query per
    500, instead of one per mutation)."""
    ids = sorted({m.mutation_id for m in mutations})
    held: set[str] = set()
    for start in range(0, len(ids), 500):
        held.update(conn.execute(
            sa.select(applied_mutations.c.mutation_id)
            .where(applied_mutations.c.mutation_id.in_(ids[start:start + 500]))).scalars())
    return set(ids) - held


def _prior(conn: sa.Connection, user: scope.Principal, m: Mutation) -> MutationResult | None:
    row = conn.execute(
        sa.select(applied_mutations.c.result, applied_mutations.c.staff_id)
        .where(applied_mutations.c.mutation_id == m.mutation_id)
    ).first()
    if row is None:
        return None
    if row.staff_id != user.id:
        return MutationResult(mutation_id=m.mutation_id, status="rejected", error=ResultError(
            code="validation", message="mutation_id is used already",
            details={"field": "mutation_id"}))
    original = MutationResult.model_validate(row.result)
    if original.status == "rejected":
        return original
    return original.model_copy(update={"status": "duplicate"})


_REMEMBER = sa.insert(applied_mutations)  # built once: run for every mutation


def _remember(conn: sa.Connection, user: scope.Principal, result: MutationResult) -> None:
    conn.execute(_REMEMBER, {"mutation_id": result.mutation_id, "staff_id": user.id,
                             "result": result.model_dump(mode="json"), "at": now()})


def _apply(batch: _Batch, writer: RecordWriter, m: Mutation) -> MutationResult:
    conn, user, keys, client_id = batch.conn, batch.user, batch.keys, batch.client_id
    spec = ENTITIES.get(m.entity)
    if spec is None:
        raise Rejected("validation", f"unknown entity {m.entity!r}", {"field": "entity"})
    if m.op == "create":
        if not spec.client_create:
            raise Rejected("forbidden", f"{m.entity} records cannot be created by clients")
        _create(conn, writer, user, keys, m, client_id)
    elif m.op == "update":
        if not spec.client_update:
            raise Rejected("forbidden", f"{m.entity} records cannot be edited by clients")
        conflicts = _update(conn, writer, user, keys, m, client_id)
        if conflicts:
            current = load(conn, m.entity, m.id)
            return MutationResult(
                mutation_id=m.mutation_id, status="conflict",
                version=current["sync_version"] if current else None,
                conflicts=[FieldConflict.model_validate(c) for c in conflicts])
    elif m.op == "delete":
        if not spec.client_delete:
            raise Rejected("forbidden", f"{m.entity} records cannot be deleted by clients")
        _delete(conn, writer, user, keys, m)
    else:
        _action(conn, writer, user, keys, m)
    # The version of the record the mutation is about (an action or a create may write
    # other records after it: events, the survivor of a merge …).
    version = writer.written.get((m.entity, m.id))
    return MutationResult(mutation_id=m.mutation_id, status="applied", version=version)


@contextlib.contextmanager
def _domain_refusals() -> Iterator[None]:
    """A domain refusal (:class:`workflows.WorkflowError`) as a rejected mutation."""
    try:
        yield
    except workflows.WorkflowError as exc:
        raise Rejected(exc.code, exc.message, exc.details) from exc


def _check_problems(problems: list[Any]) -> None:
    if problems:
        first = problems[0]
        raise Rejected("validation", first.message, {
            "field": first.field, "problem": first.code,
            "problems": [{"field": p.field, "code": p.code, "message": p.message}
                         for p in problems],
        })


def _convert(entity: str, data: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    try:
        return from_wire(ENTITIES[entity], data, partial=partial)
    except WireError as exc:
        raise Rejected("validation", str(exc), {"field": exc.field, "problem": exc.code}) from exc


def _require_admin(user: scope.Principal, entity: str) -> None:
    if user.role != workflows.ADMIN:
        raise Rejected("forbidden", f"only an administrator edits {entity} records")


def _sla_table(conn: sa.Connection) -> sla.SlaTable:
    """The SLAs of the district's catalogue (``catalogue_entry`` records)."""
    t = RECORD_TABLES["catalogue_entry"]
    return catalogue.sla_table(dict(r) for r in conn.execute(
        sa.select(t.c.kind, t.c.code, t.c.name, t.c.name_en, t.c.sla_days, t.c.active,
                  t.c.position)).mappings())


def _require_scope(keys: frozenset[str], record_keys: frozenset[str], what: str) -> None:
    if not scope.can_see(keys, record_keys):
        raise Rejected("forbidden", f"{what} is outside your scope")


def _load_visible(
    conn: sa.Connection, keys: frozenset[str], entity: str, record_id: str,
) -> dict[str, Any]:
    return _load_visible_keyed(conn, keys, entity, record_id)[0]


def _load_visible_keyed(
    conn: sa.Connection, keys: frozenset[str], entity: str, record_id: str,
) -> tuple[dict[str, Any], frozenset[str]]:
    """The record's row (locked) and its stored scope keys, when the user can see it."""
    row = load(conn, entity, record_id, for_update=True)
    stored = stored_keys(conn, entity, record_id) if row is not None else frozenset()
    return _visible(keys, entity, record_id, row, stored), stored


def _visible(keys: frozenset[str], entity: str, record_id: str,
             row: dict[str, Any] | None, stored: frozenset[str]) -> dict[str, Any]:
    """``row``, when the user (``keys``) can see it by its stored keys."""
    if row is None or not scope.can_see(keys, stored):
        # Out of scope reads the same as missing: the client learns nothing it may not see.
        raise Rejected("not_found", f"{entity} {record_id} does not exist")
    return row


def _visible_ref(conn: sa.Connection, keys: frozenset[str], entity: str, record_id: str,
                 field: str) -> dict[str, Any]:
    """The record a field of a mutation refers to, when the user can see it; otherwise
    ``not_found`` naming the field (out of scope reads the same as missing)."""
    row = load(conn, entity, record_id)
    if row is None or not scope.can_see(keys, stored_keys(conn, entity, record_id)):
        raise Rejected("not_found", f"no {entity} {record_id} that you can see",
                       {"field": field})
    return row


CLIENT_TICKET_SOURCES = ("walk_in", "phone", "hotline", "visit")
"""Where a ticket that a client files may say it came from; ``wechat`` and ``wecom``
tickets are made from a bot's message (``convert``), never filed as such."""


def _client_fields(entity: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a new record's wire data that a client may give: editable fields and
    those given once at creation (``FieldSpec.on_create``). The server's own fields
    (status, numbers, times, links the server keeps) are dropped, whatever the client
    sent: a client sends its whole optimistic record, and the server fills them."""
    spec = ENTITIES[entity]
    return {k: v for k, v in data.items()
            if k not in spec.by_name or spec.field(k).client_sets_on_create}


def _create(conn: sa.Connection, writer: RecordWriter, user: scope.Principal,
            keys: frozenset[str], m: Mutation, client_id: str) -> None:
    # Every record's id is a UUID (records.new_id; derived ids are uuid5): the server
    # writes ids into the pull answers' JSON as they are, so nothing else may be one.
    if not is_uuid(m.id):
        raise Rejected("validation", f"a new {m.entity}'s id must be a UUID",
                       {"field": "id"})
    # A household's response that exists is that household answering again (its id is
    # derived from questionnaire and household): participation.prepare_create replaces it.
    if load(conn, m.entity, m.id) is not None and m.entity != "questionnaire_response":
        raise Rejected("validation", f"{m.entity} {m.id} exists already", {"field": "id"})
    # The server's own fields are dropped here; participation's records go through
    # participation.prepare_create, which decides what a client may give for them.
    data = m.fields or {}
    if m.entity not in participation.ENTITIES_WITH_RULES:
        data = _client_fields(m.entity, data)
    values = _convert(m.entity, data, partial=False)
    stamp = now()
    if m.entity in participation.ENTITIES_WITH_RULES:
        with _domain_refusals():
            values = participation.prepare_create(conn, user.id, actor_of(conn, user), keys,
                                                  m.entity, m.id, values, stamp)
    elif m.entity in staff_admin.CREATES:
        with _domain_refusals():
            values = staff_admin.prepare_create(conn, user, keys, m.entity, values, stamp)
        _check_problems(validation.validate_record(m.entity, values))
    elif m.entity in gubao.ENTITIES_WITH_RULES:
        with _domain_refusals():
            values = gubao.prepare_create(conn, user.id, actor_of(conn, user), keys,
                                          m.entity, values, stamp)
    elif m.entity == "catalogue_entry":
        _require_admin(user, m.entity)
        _check_problems(validation.validate_record(m.entity, values))
        if values.get("kind") in ("category", "priority") and \
                m.id != catalogue.entry_id(values["kind"], str(values.get("code"))):
            # One entry per category: its id follows from its code, on every desk.
            raise Rejected("validation", "a category's entry has the id of its code",
                           {"field": "code", "problem": "id_mismatch"})
    elif m.entity == "visit_template":
        with _domain_refusals():
            values = form_admin.prepare_create(conn, user, m.id, values, stamp)
        _check_problems(validation.validate_record(m.entity, values))
    elif m.entity == "visit":
        values["worker_id"] = values.get("worker_id") or user.id
        if values["worker_id"] != user.id:
            raise Rejected("forbidden", "a visit is recorded by the worker who made it")
        template = load(conn, "visit_template", values.get("template_id") or "")
        if template is None:
            raise Rejected("validation", "unknown visit template", {"field": "template_id"})
        _check_problems(validation.validate_record("visit", values))
        _check_problems(validation.validate_visit(values, field_values("visit_template",
                                                                       template)))
        _check_visit_date(conn, values)
    elif m.entity == "ticket":
        _check_new_ticket(conn, keys, values)
        values.update(_new_ticket_fields(conn, values, user, stamp))
        _check_problems(validation.validate_record("ticket", values))
    elif m.entity == "inbox_message":
        if values.get("source") in ("wechat", "wecom"):
            raise Rejected("forbidden", "group messages arrive through the bot only",
                           {"field": "source"})
        if values.get("group_id") and values["group_id"] not in _groups_in_scope(conn, keys):
            # The bot posts replies to a message's group: a client may name only a group
            # of a grid it works in.
            raise Rejected("forbidden", "that group is not one of your grids'",
                           {"field": "group_id"})
        _check_problems(validation.validate_record(m.entity, values))
    else:
        if m.entity == "household":
            values["created_at"] = validation.household_created_at(
                values.get("created_at"), stamp)
        _check_problems(validation.validate_record(m.entity, values))
    if m.entity in scope.PARENT_OF:
        # The parent's row (a resident's or a visit's household) is locked before the
        # new record's scope keys, its parent's, are read: a household moving grid at this
        # moment is waited for, and its move's cascade cannot miss the new record. And
        # before the version counter: a visit writes the household's last_visit_at after
        # its own write, and a household edit locks the row, then takes the counter; the
        # other way round they deadlock.
        parent, ref = scope.PARENT_OF[m.entity]
        if not lock(conn, parent, [str(values.get(ref))]):
            # Deleted meanwhile (or never there): say so, not "forbidden" (the scope of a
            # record whose household is gone is empty).
            raise Rejected("not_found", f"the {parent} of this {m.entity} no longer exists",
                           {"field": ref})
    new_keys = scope.record_keys(conn, m.entity, values)
    _require_scope(keys, new_keys, f"the new {m.entity}")
    writer.save(m.entity, m.id, values, client_id=client_id)
    staff_admin.after_create(conn, m.entity, m.id, values)
    if m.entity == "visit_template":
        form_admin.after_create(conn, writer, m.id, values)
    if m.entity == "visit":
        _visit_did_happen(conn, writer, values)
    if m.entity == "ticket":
        _event(writer, m.id, user.id, "created", values.get("title"), stamp)


def _groups_in_scope(conn: sa.Connection, keys: frozenset[str]) -> set[str]:
    grids = RECORD_TABLES["grid"]
    ids = sorted(scope.grid_ids_of(keys))
    if not ids:
        return set()
    return {g for g in conn.execute(sa.select(grids.c.wechat_group_id).where(
        grids.c.id.in_(ids), grids.c.wechat_group_id.is_not(None))).scalars()}


def _check_new_ticket(conn: sa.Connection, keys: frozenset[str],
                      values: dict[str, Any]) -> None:
    """What a filed ticket may say about itself: a catalogue category, a source a client
    may give, a visit and a household the user can see (the ticket is placed in the
    household's grid)."""
    if not sla.is_open_category(values.get("category")):
        retired = isinstance(values.get("category"), str) and sla.category(values["category"])
        raise Rejected("validation", "the category is retired" if retired else
                       "the category is not one of the catalogue's",
                       {"field": "category", "problem": "retired" if retired
                        else "invalid_choice"})
    if values.get("source") is not None and values["source"] not in CLIENT_TICKET_SOURCES:
        raise Rejected("forbidden", "a ticket from a group is made from its message",
                       {"field": "source"})
    if values.get("visit_id"):
        _visible_ref(conn, keys, "visit", values["visit_id"], "visit_id")
    if values.get("household_id"):
        household = _visible_ref(conn, keys, "household", values["household_id"],
                                 "household_id")
        values["grid_id"] = household["grid_id"]


def _new_ticket_fields(conn: sa.Connection, values: Mapping[str, Any],
                       user: scope.Principal, stamp: dt.datetime) -> dict[str, Any]:
    fields = dict(workflows.new_ticket_fields(
        values.get("category") or "other", stamp,
        priority=values.get("priority") or "normal", created_by_id=user.id,
        source=values.get("source")))
    grid = values.get("grid_id")
    if not grid and values.get("household_id"):
        household = load(conn, "household", values["household_id"])
        grid = household["grid_id"] if household else None
    fields.update(
        number=_ticket_number(conn, stamp), grid_id=grid, created_by_id=user.id,
        created_at=stamp, assignee_id=None, resolution=None, satisfaction=None,
        merged_into_id=None, escalated=False,
        source_message_ids=list(values.get("source_message_ids") or []),
    )
    if user.role == "social_worker":
        # A worker reporting a problem found on a visit takes it on at once.
        fields.update(status="assigned", assignee_id=user.id)
    return fields


def _ticket_number(conn: sa.Connection, stamp: dt.datetime) -> str:
    """The day's next number, ``GL<yyyymmdd><nnnn>`` (Shanghai days).

    One statement inserts the day's counter or bumps it (``INSERT … ON CONFLICT DO UPDATE
    … RETURNING``): with an update, then an insert when the day had no row, two tickets
    filed at once as the day's first both inserted, and on PostgreSQL the second failed
    on the key (a server error).
    """
    day = stamp.astimezone(SHANGHAI).strftime("%Y%m%d")
    upsert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    statement = upsert(ticket_numbers).values(day=day, last=1)
    last = conn.execute(statement.on_conflict_do_update(
        index_elements=[ticket_numbers.c.day], set_={"last": ticket_numbers.c.last + 1},
    ).returning(ticket_numbers.c.last)).scalar_one()
    return f"GL{day}{last:04d}"


def _check_visit_date(conn: sa.Connection, visit: Mapping[str, Any]) -> None:
    """A visit is not dated before its household was registered."""
    household = load(conn, "household", str(visit.get("household_id") or ""))
    problem = validation.visit_date_problem(visit.get("visited_at"), household)
    _check_problems([problem] if problem else [])


def _visit_did_happen(conn: sa.Connection, writer: RecordWriter,
                      visit: Mapping[str, Any]) -> None:
    household = load(conn, "household", visit["household_id"])
    if household is None:
        return
    last = household["last_visit_at"]
    if last is None or visit["visited_at"] > last:
        values = field_values("household", household)
        values["last_visit_at"] = visit["visited_at"]
        writer.save("household", household["id"], values, changed=["last_visit_at"])


def _event(writer: RecordWriter, ticket_id: str, actor_id: str, kind: str,
           body: str | None, at: dt.datetime, event_id: str | None = None,
           data: Mapping[str, Any] | None = None) -> None:
    writer.save("ticket_event", event_id or new_id(), {
        "ticket_id": ticket_id, "actor_id": actor_id, "kind": kind, "body": body, "at": at,
        "data": dict(data or {}),
    })


def _event_data(row: Mapping[str, Any], step: workflows.Step,
                args: Mapping[str, Any]) -> dict[str, Any]:
    """What a ticket step's event records beyond its body, so the timeline alone explains
    the performance figures: the due time when the step moved it, the satisfaction of a
    follow-up call."""
    data: dict[str, Any] = {}
    due = step.changes.get("due_at", row.get("due_at"))
    if "due_at" in step.changes and due != row.get("due_at"):
        data["due_at"] = value_to_wire(ENTITIES["ticket"].field("due_at"), due)
    if args.get("satisfaction") in ("satisfied", "basically_satisfied", "dissatisfied"):
        data["satisfaction"] = args["satisfaction"]
    return data


def _check_decision_base(row: Mapping[str, Any], m: Mutation) -> None:
    """A supervisor's approve / return decides on the record as they saw it: when the
    mutation's ``base_version`` is given and a field changed after it (the worker edited
    the self-assessment, the record was returned and resubmitted …), the decision is
    ``stale``. Without ``base_version`` there is nothing to compare (older callers)."""
    if m.base_version is None:
        return
    versions: Mapping[str, int] = row["field_versions"] or {}
    changed = sorted(name for name, v in versions.items() if v > m.base_version)
    if changed:
        raise Rejected("stale", "the record changed since you saw it; decide again",
                       {"server_version": row["sync_version"], "fields": changed})


@dataclass
class _UpdatePlan:
    """What an update writes, worked out from the row it read: the record's values after
    it, the fields it changes (empty: nothing to write), the fields refused as conflicts,
    and the record's scope keys before and after."""

    values: dict[str, Any]
    apply: dict[str, Any]
    conflicts: list[dict[str, Any]]
    old_keys: frozenset[str]
    new_keys: frozenset[str]


def _need_base_version(m: Mutation) -> None:
    if m.base_version is None:
        raise Rejected("validation", "an update needs base_version", {"field": "base_version"})


def _update(conn: sa.Connection, writer: RecordWriter, user: scope.Principal,
            keys: frozenset[str], m: Mutation, client_id: str) -> list[dict[str, Any]]:
    _need_base_version(m)
    row, old_keys = _load_visible_keyed(conn, keys, m.entity, m.id)
    plan = _plan_update(conn, user, keys, m, client_id, row, old_keys)
    if plan.apply:
        writer.save(m.entity, m.id, plan.values, changed=plan.apply.keys(),
                    client_id=client_id, existing=row, keys=plan.new_keys, old_keys=old_keys)
    return plan.conflicts


def _plan_update(conn: sa.Connection, user: scope.Principal, keys: frozenset[str],
                 m: Mutation, client_id: str, row: Mapping[str, Any],
                 old_keys: frozenset[str]) -> _UpdatePlan:
    """Every check of an update of ``row`` (read and locked, visible to the user), and
    what it would write; writes nothing (:func:`_update` and :func:`_apply_plain_run`
    write it)."""
    spec = ENTITIES[m.entity]
    assert m.base_version is not None
    if m.entity == "catalogue_entry":
        _require_admin(user, m.entity)
    incoming = _convert(m.entity, m.fields or {}, partial=True)
    for name in incoming:
        if not spec.field(name).editable:
            raise Rejected("forbidden", f"{name} changes only through a workflow step",
                           {"field": name})
    if m.entity == "ticket" and incoming.get("household_id") and \
            incoming["household_id"] != row["household_id"]:
        _visible_ref(conn, keys, "household", incoming["household_id"], "household_id")
    field_versions: dict[str, int] = row["field_versions"] or {}
    field_clients: dict[str, str] = row["field_clients"] or {}
    conflicts = []
    apply: dict[str, Any] = {}
    for name, value in incoming.items():
        if value == row[name]:
            continue
        if field_versions.get(name, 0) > m.base_version and \
                field_clients.get(name) != client_id:
            f = spec.field(name)
            conflicts.append({"field": name, "server_value": value_to_wire(f, row[name]),
                              "client_value": value_to_wire(f, value),
                              **_written_by(conn, m.entity, m.id, field_versions[name])})
        else:
            apply[name] = value
    values = field_values(m.entity, row)
    new_keys = old_keys
    if apply:
        values.update(apply)
        if m.entity == "household" and addresses.parts_changed(row, values):
            # The address follows its parts, whatever address the client sent with them.
            values["address"] = apply["address"] = addresses.derived_address(row, values)
        _check_problems(validation.validate_record(m.entity, values))
        if m.entity == "performance_record":
            actor = actor_of(conn, user)
            if not workflows.can_edit_performance(row, actor):
                raise Rejected("forbidden", "only the worker may edit their record now")
            forced = workflows.performance_after_edit(row)
            if forced:
                forced["history"] = _history(row, "edited", user.id, now(), {})
            values.update(forced)
            apply.update(forced)
        if m.entity == "visit" and row["worker_id"] != user.id:
            raise Rejected("forbidden", "only the worker who made a visit may edit it")
        if m.entity == "visit" and "visited_at" in apply:
            _check_visit_date(conn, values)
        if m.entity in participation.ENTITIES_WITH_RULES:
            with _domain_refusals():
                participation.check_update(conn, actor_of(conn, user), keys, m.entity, row,
                                           values, list(apply))
        if m.entity in gubao.ENTITIES_WITH_RULES:
            with _domain_refusals():
                gubao.check_update(conn, actor_of(conn, user), keys, m.entity, row, values,
                                   list(apply))
        new_keys = scope.record_keys(conn, m.entity, values)
        _require_scope(keys, new_keys, f"the {m.entity}'s new place")
    return _UpdatePlan(values, apply, conflicts, old_keys, new_keys)


def _written_by(conn: sa.Connection, entity: str, record_id: str,
                version: int) -> dict[str, Any]:
    """Who wrote the record's ``version`` and when (the audit log's entry), for a
    conflict's card: ``{"changed_by": staff id or None, "changed_at": ISO time}``; empty
    when the log has no entry (seeded data)."""
    entry = conn.execute(
        sa.select(audit_log.c.staff_id, audit_log.c.at)
        .where(audit_log.c.entity == entity, audit_log.c.record_id == record_id,
               audit_log.c.version == version)
        .order_by(audit_log.c.id.desc()).limit(1)).first()
    if entry is None:
        return {}
    return {"changed_by": entry.staff_id, "changed_at": format_datetime(entry.at)}


def _delete(conn: sa.Connection, writer: RecordWriter, user: scope.Principal,
            keys: frozenset[str], m: Mutation) -> None:
    row = _load_visible(conn, keys, m.entity, m.id)
    if m.base_version is None or m.base_version != row["sync_version"]:
        raise Rejected("stale", f"{m.entity} changed on the server since you saw it",
                       {"server_version": row["sync_version"]})
    if user.role == "social_worker" and m.entity == "household":
        raise Rejected("forbidden", "only office staff delete a household; mark it moved out")
    writer.delete(m.entity, m.id)


def _history(row: Mapping[str, Any], action: str, actor_id: str, at: dt.datetime,
             args: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A performance record's history with one more entry (who did what, when, why)."""
    entry: dict[str, Any] = {"action": action, "actor_id": actor_id,
                             "at": at.isoformat(timespec="seconds")}
    for key in ("comment", "score", "reason"):
        if args.get(key) is not None:
            entry[key] = args[key]
    return [*(row.get("history") or []), entry]


# --- actions ----------------------------------------------------------------------------

StepFn = Callable[[Mapping[str, Any], str, Mapping[str, Any], workflows.Actor, dt.datetime],
                  workflows.Step]
_STEPS: dict[str, StepFn] = {
    "ticket": workflows.ticket_step,
    "inbox_message": workflows.inbox_step,
    "performance_record": workflows.performance_step,
    **participation.STEPS,
    "device": workflows.device_step,
    **gubao.STEPS,
}


def _action(conn: sa.Connection, writer: RecordWriter, user: scope.Principal,
            keys: frozenset[str], m: Mutation) -> None:
    if m.entity in staff_admin.ACTIONS:
        row = _load_visible(conn, keys, m.entity, m.id)
        args = dict(m.args or {})
        _check_args(args)
        with _domain_refusals():
            staff_admin.run_action(conn, writer, user, keys, m.entity, row,
                                   str(m.action or ""), args, now())
        return
    step_fn = _STEPS.get(m.entity)
    if step_fn is None or not m.action or m.action not in workflows.ACTIONS.get(m.entity, ()):
        raise Rejected("validation", f"unknown action {m.action!r} on {m.entity}",
                       {"field": "action"})
    if m.entity == "ticket" and m.action == "merge":
        # Both tickets, in id order, before either is read: "A into B" and "B into A" at
        # once would otherwise lock them in opposite orders and deadlock. The merge that
        # waited then finds its target merged and is rejected below.
        into_id = (m.args or {}).get("into_id")
        lock(conn, "ticket", [m.id, *([into_id] if isinstance(into_id, str) else [])])
    row = _load_visible(conn, keys, m.entity, m.id)
    args = dict(m.args or {})
    _check_args(args)
    event_id = _new_event_id(conn, args.pop("event_id", None))
    actor = actor_of(conn, user)
    stamp = now()
    with _domain_refusals():
        if m.entity in participation.STEPS:
            participation.before_step(conn, keys, m.entity, row, m.action, args, stamp)
        step = step_fn(field_values(m.entity, row), m.action, args, actor, stamp)
    if m.entity == "performance_record" and m.action in ("approve", "return", "reopen"):
        _check_decision_base(row, m)
    values = field_values(m.entity, row)
    values.update(step.changes)
    if m.entity == "ticket":
        _ticket_side_effects(conn, writer, user, keys, m, row, args, values, stamp)
    elif m.entity == "inbox_message":
        _inbox_side_effects(conn, writer, user, keys, m, row, args, values, stamp)
    changed = set(step.changes)
    if m.entity in participation.STEPS:
        with _domain_refusals():
            changed |= participation.after_step(conn, writer, user.id, actor, keys, m.entity,
                                                m.id, row, m.action, args, values, stamp)
    if m.entity == "performance_record":
        if m.action in ("approve", "return"):
            values["supervisor_id"] = user.id
            changed.add("supervisor_id")
        values["history"] = _history(row, m.action, user.id, stamp, args)
        changed.add("history")
    writer.save(m.entity, m.id, values, changed=changed)
    if m.entity == "device":
        devices.end_sessions(conn, values, stamp)
    if m.entity == "ticket" and step.event_kind:
        _event(writer, m.id, user.id, step.event_kind, step.event_body, stamp, event_id,
               _event_data(row, step, args))


def _check_args(args: Mapping[str, Any]) -> None:
    """Action arguments hold storable JSON: text without NUL characters or lone
    surrogates, finite numbers, bounded nesting (``validation`` naming the argument)."""
    for name, value in args.items():
        bad = text_problem(name)
        if bad is not None:
            raise Rejected("validation", f"an argument's name {bad[1]}",
                           {"field": "args", "problem": bad[0]})
        bad = json_problem(value)
        if bad is not None:
            raise Rejected("validation", f"{name}: {bad[1]}", {"field": name, "problem": bad[0]})


def _new_event_id(conn: sa.Connection, event_id: Any) -> str | None:
    """The client's id for the ticket event a step writes: a UUID no event has yet.
    Events are append-only: an existing id would overwrite that event."""
    if event_id is None:
        return None
    if not isinstance(event_id, str) or not is_uuid(event_id):
        raise Rejected("validation", "event_id must be a new UUID string",
                       {"field": "event_id", "problem": "invalid_type"})
    if load(conn, "ticket_event", event_id) is not None:
        raise Rejected("validation", "event_id is used already",
                       {"field": "event_id", "problem": "exists"})
    return event_id


def _ticket_side_effects(conn: sa.Connection, writer: RecordWriter, user: scope.Principal,
                         keys: frozenset[str], m: Mutation, row: Mapping[str, Any],
                         args: Mapping[str, Any], values: dict[str, Any],
                         stamp: dt.datetime) -> None:
    if m.action == "assign":
        assignee = load(conn, "staff", str(args.get("assignee_id")))
        if assignee is None or not assignee["active"]:
            raise Rejected("validation", "no such staff member", {"field": "assignee_id"})
    if m.action == "merge":
        into_id = str(args.get("into_id"))
        if into_id == m.id:
            raise Rejected("validation", "a ticket cannot merge into itself",
                           {"field": "into_id"})
        survivor = _load_visible(conn, keys, "ticket", into_id)
        kept = field_values("ticket", survivor)
        try:
            changes = workflows.merge_survivor_changes(field_values("ticket", row), kept)
        except workflows.WorkflowError as exc:
            raise Rejected(exc.code, exc.message, exc.details) from exc
        if changes:
            kept.update(changes)
            writer.save("ticket", into_id, kept, changed=list(changes))
        _event(writer, into_id, user.id, "merged_in", row["number"], stamp)


def _inbox_side_effects(conn: sa.Connection, writer: RecordWriter, user: scope.Principal,
                        keys: frozenset[str], m: Mutation, row: Mapping[str, Any],
                        args: Mapping[str, Any], values: dict[str, Any],
                        stamp: dt.datetime) -> None:
    if m.action == "convert":
        ticket_id = str(args["ticket_id"])
        if load(conn, "ticket", ticket_id) is not None:
            raise Rejected("validation", "that ticket id exists already",
                           {"field": "ticket_id"})
        fields = {k: args.get(k) for k in ("title", "category", "priority", "household_id",
                                            "description")}
        fields = _convert("ticket", {k: v for k, v in fields.items() if v is not None},
                          partial=True)
        fields["grid_id"] = row["grid_id"]
        if fields.get("household_id"):
            hh = _visible_ref(conn, keys, "household", fields["household_id"],
                              "household_id")
            fields["grid_id"] = fields["grid_id"] or hh["grid_id"]
        if not fields["grid_id"]:
            raise Rejected("validation", "an unrouted message needs a household to place it",
                           {"field": "household_id"})
        fields["source"] = row["source"]
        fields["source_message_ids"] = [m.id]
        fields.update(_new_ticket_fields(conn, fields, user, stamp))
        fields["source_message_ids"] = [m.id]
        full = {f.name: fields.get(f.name, f.empty_value()) for f in ENTITIES["ticket"].fields}
        _check_problems(validation.validate_record("ticket", full))
        writer.save("ticket", ticket_id, full)
        _event(writer, ticket_id, user.id, "created", row["text"][:200], stamp)
        values["ticket_id"] = ticket_id
    elif m.action == "link":
        ticket = _load_visible(conn, keys, "ticket", str(args.get("ticket_id")))
        tv = field_values("ticket", ticket)
        sources = list(tv["source_message_ids"] or [])
        if m.id not in sources:
            sources.append(m.id)
        tv["source_message_ids"] = sources
        writer.save("ticket", ticket["id"], tv, changed=["source_message_ids"])
        _event(writer, ticket["id"], user.id, "linked", row["text"][:200], stamp)
        values["ticket_id"] = ticket["id"]
    if m.action == "reply" and row["group_id"] and row["source"] in ("wechat", "wecom"):
        # Only a message that came from a group is answered there, and only in its own
        # group; a reply to a walk-in or a phone call is recorded, never posted.
        text = workflows.reply_for_group(row, str(args.get("text")))
        outbound.queue_reply(conn, row["group_id"], text, m.id, stamp)


__all__ = ["RECORD_TABLES", "Rejected", "push"]
