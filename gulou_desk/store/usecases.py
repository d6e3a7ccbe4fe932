"""The user's edits: each writes the record and its outbox mutation in ONE transaction.

Every use case validates with the domain rules first (the same ones the server runs) and
raises :class:`~gulou_desk.store.errors.ValidationFailed` or a domain
:class:`~gulou_desk.domain.workflows.WorkflowError` without writing anything; otherwise
it applies the edit to the local row at once (optimistic: the user sees it offline), adds
the outbox mutation that will carry it to the server, and returns the
:class:`~gulou_desk.store.changes.ChangeSet` for the views.

Values are Python values as :mod:`gulou_desk.records` defines them; the outbox holds them
in wire form. Use cases run on a worker thread (they block on SQLite), never on the GUI
thread.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk import records
from gulou_desk.domain import addresses, administration, participation, workflows
from gulou_desk.domain.problems import Problem
from gulou_desk.domain.validation import (
    normalize_values,
    validate_record,
    validate_visit,
    visit_date_problem,
)
from gulou_desk.domain.workflows import Actor, Step, WorkflowError
from gulou_desk.store.changes import CONFLICTS, OUTBOX, REJECTIONS, ChangeSet
from gulou_desk.store.engine import Store
from gulou_desk.store.errors import NotAllowed, NotFound, ValidationFailed
from gulou_desk.store.outbox import EVENT_ID_ARG, add_mutation, ensure_base
from gulou_desk.store.rows import (
    canonical_values,
    field_problems,
    insert_row,
    load_row,
    record_values,
    spec_of,
    table_of,
    update_row,
    wire_fields,
)
from gulou_desk.store.schema import SYNC_VERSION, Conflict, Rejection

StepFunction = Callable[[Mapping[str, Any], str, Mapping[str, Any], Actor, dt.datetime], Step]

STEP_FUNCTIONS: dict[str, StepFunction] = {
    "ticket": workflows.ticket_step,
    "inbox_message": workflows.inbox_step,
    "performance_record": workflows.performance_step,
    "questionnaire": workflows.questionnaire_step,
    "consultation": workflows.consultation_step,
    "volunteer_activity": workflows.activity_step,
    "announcement": workflows.announcement_step,
    "questionnaire_response": workflows.response_step,
    "device": workflows.device_step,
    "staff": administration.staff_step,
    "cover": administration.cover_step,
    "wechat_group": administration.group_step,
}


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise ValidationFailed(problems)


def _template_problems(
    session: Session, values: Mapping[str, Any], *, answers: bool = True
) -> list[Problem]:
    """A visit against its template from the local store (``unknown_template`` when the
    template is not here); with ``answers=False`` only whether the template is here."""
    template_id = values.get("template_id")
    template = load_row(session, "visit_template", template_id) if template_id else None
    if template is None:
        return [Problem("template_id", "unknown_template",
                        "the visit form template is not in the local store")]
    return validate_visit(values, template) if answers else []


def _visit_date_problems(session: Session, values: Mapping[str, Any]) -> list[Problem]:
    """A visit dated before its household was registered (as held here)."""
    household_id = values.get("household_id")
    household = load_row(session, "household", household_id) if household_id else None
    problem = visit_date_problem(values.get("visited_at"), household)
    return [problem] if problem else []


# --- create -------------------------------------------------------------------------

_NOW = object()
_ACTOR = object()
PARTICIPATION_DEFAULTS: dict[str, dict[str, Any]] = {
    "questionnaire": {"status": "draft", "created_by_id": _ACTOR, "created_at": _NOW},
    "consultation": {"stage": "collecting", "created_by_id": _ACTOR, "created_at": _NOW},
    "volunteer_activity": {"status": "draft", "created_by_id": _ACTOR},
    "volunteer": {"joined_at": _NOW},
    "consultation_meeting": {"created_by_id": _ACTOR},
    "consultation_comment": {"staff_id": _ACTOR, "received_at": _NOW},
    "questionnaire_response": {"entered_by_id": _ACTOR, "received_at": _NOW},
}


def _creation_defaults(
    session: Session, entity: str, fields: Mapping[str, Any], actor: Actor, now: dt.datetime
) -> dict[str, Any]:
    """Fields a new record gets from who creates it and when (the caller's values win)."""
    if entity == "ticket":
        return workflows.new_ticket_fields(
            str(fields.get("category") or "other"), now,
            priority=str(fields.get("priority") or "normal"),
            created_by_id=actor.id, source=fields.get("source"),
        )
    if entity in PARTICIPATION_DEFAULTS:
        # What the server sets on a new participation record, so the local row shows it.
        fresh = {k: (now if v is _NOW else actor.id if v is _ACTOR else v)
                 for k, v in PARTICIPATION_DEFAULTS[entity].items()}
        return fresh
    if entity == "visit":
        defaults: dict[str, Any] = {"worker_id": actor.id}
        template_id = fields.get("template_id")
        template = load_row(session, "visit_template", template_id) if template_id else None
        if template is not None:
            defaults["template_version"] = template["version"]
        return defaults
    if entity == "household":
        return {"created_at": now}  # the server keeps it (within its offline window)
    return {}


def create_record(
    store: Store,
    entity: str,
    fields: Mapping[str, Any],
    *,
    actor: Actor,
    now: dt.datetime | None = None,
    record_id: str | None = None,
) -> tuple[str, ChangeSet]:
    """Create a record here; returns its new id and what changed.

    Missing fields get their empty value (or what the domain gives a new record: a
    ticket's status and due time, a visit's worker and template version). The outbox
    gets ``op=create`` with every field in wire form. ``record_id`` lets a caller that
    made the id already (a draft) keep it.
    """
    spec = spec_of(entity)
    if not spec.client_create:
        raise NotAllowed("not_creatable", entity, f"{entity} records are not created here")
    _raise_if(field_problems(spec, fields))
    now = now or records.now()
    record_id = record_id or records.new_id()
    with store.write() as session:
        if load_row(session, entity, record_id) is not None:
            raise ValidationFailed([Problem("id", "exists", f"{entity} {record_id} exists")])
        values = {f.name: f.empty_value() for f in spec.fields}
        values.update(_creation_defaults(session, entity, fields, actor, now))
        values.update(fields)
        values = normalize_values(entity, values)
        problems = validate_record(entity, values)
        if entity == "visit":
            # Answers are checked once the record itself is sound.
            problems += _template_problems(session, values, answers=not problems)
            problems += _visit_date_problems(session, values)
        _raise_if(problems)
        values = canonical_values(spec, values)
        insert_row(session, entity, record_id, values, None)
        ensure_base(session, entity, None, record_id)
        add_mutation(session, entity=entity, record_id=record_id, op="create",
                     base_version=None, now=now, fields=records.to_wire(spec, values))
    return record_id, ChangeSet.of(entity, record_id) | ChangeSet.tables(OUTBOX)


# --- update -------------------------------------------------------------------------


def _apply_update(
    session: Session,
    entity: str,
    row: Mapping[str, Any],
    incoming: Mapping[str, Any],
    *,
    actor: Actor,
    now: dt.datetime,
    base_version: int | None,
) -> bool:
    """Validate and write an update of ``row``; ``False`` when nothing changes."""
    spec = spec_of(entity)
    record_id = str(row["id"])
    incoming = normalize_values(entity, incoming)
    _raise_if(validate_record(entity, incoming, partial=True))
    incoming = canonical_values(spec, incoming)
    current = record_values(spec, row)
    changed = {k: v for k, v in incoming.items() if v != current[k]}
    if not changed:
        return False
    merged = {**current, **changed}
    # The server validates the whole record after an update; so do we.
    problems = validate_record(entity, merged)
    if entity == "visit" and "answers" in changed:
        problems += [p for p in _template_problems(session, merged)
                     if p.field.startswith("answers")]
    if entity == "visit" and "visited_at" in changed:
        problems += _visit_date_problems(session, merged)
    _raise_if(problems)
    locked = participation.locked_fields(entity, {"id": record_id, **current}, changed)
    if locked:
        raise WorkflowError("invalid_transition",
                            f"{locked[0]} no longer changes once residents have seen it",
                            {"field": locked[0], "problem": "locked"})
    forced: dict[str, Any] = {}
    if entity == "household" and addresses.parts_changed(current, merged):
        # The address follows its parts (the server derives it the same way).
        changed.pop("address", None)
        merged = {**current, **changed}
        forced = {"address": addresses.derived_address(current, merged)}
    if entity == "performance_record":
        if not workflows.can_edit_performance({"id": record_id, **current}, actor):
            raise NotAllowed("forbidden", entity,
                             "only the worker may edit their record, and not once approved")
        forced = canonical_values(spec, workflows.performance_after_edit(current))
    ensure_base(session, entity, row, record_id)
    update_row(session, entity, record_id, {**changed, **forced})
    add_mutation(
        session, entity=entity, record_id=record_id, op="update",
        base_version=base_version, now=now, fields=wire_fields(spec, changed),
        local_changes=wire_fields(spec, forced) or None,
    )
    return True


def update_record(
    store: Store,
    entity: str,
    record_id: str,
    fields: Mapping[str, Any],
    *,
    actor: Actor,
    now: dt.datetime | None = None,
) -> ChangeSet:
    """Change editable fields of a record; values equal to the current ones are dropped.

    The local row changes at once; the outbox gets ``op=update`` with the changed fields
    (wire form) and ``base_version`` = the row's ``sync_version`` (what the user saw).
    Nothing changed → nothing written, an empty change set.
    """
    spec = spec_of(entity)
    if not spec.client_update:
        raise NotAllowed("not_updatable", entity, f"{entity} records are not edited here")
    _raise_if(field_problems(spec, fields, editable_only=True))
    now = now or records.now()
    with store.write() as session:
        row = load_row(session, entity, record_id)
        if row is None:
            raise NotFound(entity, record_id)
        if not _apply_update(session, entity, row, fields, actor=actor, now=now,
                             base_version=row[SYNC_VERSION]):
            return ChangeSet()
    return ChangeSet.of(entity, record_id) | ChangeSet.tables(OUTBOX)


# --- delete -------------------------------------------------------------------------


def delete_record(
    store: Store, entity: str, record_id: str, *, actor: Actor, now: dt.datetime | None = None
) -> ChangeSet:
    """Delete a record here; the outbox gets ``op=delete`` on the row's ``sync_version``
    (the server refuses it as ``stale`` if the record changed since)."""
    spec = spec_of(entity)
    if not spec.client_delete:
        raise NotAllowed("not_deletable", entity, f"{entity} records are not deleted here")
    now = now or records.now()
    with store.write() as session:
        row = load_row(session, entity, record_id)
        if row is None:
            raise NotFound(entity, record_id)
        ensure_base(session, entity, row, record_id)
        table = table_of(entity)
        session.execute(sa.delete(table).where(table.c.id == record_id))
        add_mutation(session, entity=entity, record_id=record_id, op="delete",
                     base_version=row[SYNC_VERSION], now=now)
    return ChangeSet.of(entity, record_id) | ChangeSet.tables(OUTBOX)


# --- workflow actions ---------------------------------------------------------------


def run_action(
    store: Store,
    entity: str,
    record_id: str,
    action: str,
    args: Mapping[str, Any],
    *,
    actor: Actor,
    now: dt.datetime,
) -> ChangeSet:
    """Run a workflow step (ticket, inbox message, performance record).

    The domain step checks state, role and arguments (:class:`WorkflowError` otherwise,
    nothing written); its changes go to the local row at once. A ticket step also writes
    its timeline event here, with an id the action carries (``args["event_id"]``) so the
    server's event replaces it on the next pull; converting an inbox message writes the
    new ticket here too (id ``args["ticket_id"]``). ``args`` are JSON values.
    """
    spec = spec_of(entity)
    step_function = STEP_FUNCTIONS.get(entity)
    if step_function is None:
        raise NotAllowed("unknown_action", entity, f"{entity} has no workflow actions")
    args = dict(args)
    args.pop(EVENT_ID_ARG, None)
    json.dumps(args)  # a TypeError here, before anything is written, for non-JSON values
    changed = ChangeSet.of(entity, record_id) | ChangeSet.tables(OUTBOX)
    with store.write() as session:
        row = load_row(session, entity, record_id)
        if row is None:
            raise NotFound(entity, record_id)
        record: dict[str, Any] = {"id": record_id, **record_values(spec, row)}
        step = step_function(record, action, args, actor, now)
        if entity == "ticket" and action == "merge":
            _check_merge_target(session, record, args)
        changes = canonical_values(
            spec, {k: v for k, v in step.changes.items() if k in spec.by_name}
        )
        ensure_base(session, entity, row, record_id)
        update_row(session, entity, record_id, changes)
        sent_args = dict(args)
        if entity == "ticket" and step.event_kind:
            event_id = records.new_id()
            sent_args[EVENT_ID_ARG] = event_id
            insert_row(session, "ticket_event", event_id, {
                "ticket_id": record_id, "actor_id": actor.id, "kind": step.event_kind,
                "body": step.event_body, "at": now,
            }, None)
            changed |= ChangeSet.of("ticket_event", event_id)
        if entity == "inbox_message" and action == "convert":
            changed |= _write_converted_ticket(session, record, args, actor, now)
        if entity == "consultation" and action == "create_ticket":
            changed |= _write_new_ticket(
                session, workflows.ticket_from_decision(record, args, actor, now))
        add_mutation(
            session, entity=entity, record_id=record_id, op="action",
            base_version=row[SYNC_VERSION], now=now, action=action, args=sent_args,
            local_changes=wire_fields(spec, changes),
        )
    return changed


def _check_merge_target(session: Session, ticket: Mapping[str, Any],
                        args: Mapping[str, Any]) -> None:
    """A merge into a ticket that is no longer open is refused here already
    (:func:`workflows.merge_survivor_changes`), when this copy holds the target; the
    survivor's own changes are the server's to write."""
    target = load_row(session, "ticket", str(args.get("into_id")))
    if target is not None:
        workflows.merge_survivor_changes(ticket, record_values(spec_of("ticket"), target))


def _write_converted_ticket(
    session: Session, message: Mapping[str, Any], args: Mapping[str, Any], actor: Actor,
    now: dt.datetime,
) -> ChangeSet:
    """The ticket a convert creates, written here until the server's copy arrives."""
    return _write_new_ticket(session, workflows.ticket_from_message(message, args, actor, now))


def _write_new_ticket(session: Session, fields: dict[str, Any]) -> ChangeSet:
    """A ticket an action creates (a convert, a decision's ``create_ticket``), written here
    until the server's copy (with its number) arrives."""
    spec = spec_of("ticket")
    ticket_id = str(fields.pop("id"))
    if load_row(session, "ticket", ticket_id) is not None:
        raise ValidationFailed([Problem("ticket_id", "exists", "that ticket id exists already")])
    values = {f.name: f.empty_value() for f in spec.fields}
    values.update({k: v for k, v in fields.items() if k in spec.by_name})
    insert_row(session, "ticket", ticket_id, canonical_values(spec, values), None)
    return ChangeSet.of("ticket", ticket_id)


# --- conflicts and rejections -------------------------------------------------------


def resolve_conflict_keep_server(store: Store, conflict_id: int) -> ChangeSet:
    """Keep the server's value: the conflict is dropped, nothing is pushed.

    The local row already shows the server's value: when the push result was recorded
    (``outbox.mark_conflict``) the server's value went into the record's server copy and
    the row was rebuilt from it, and every later pull writes the server's record again.
    Only a later pending edit of the same field by this user overlays it (and is pushed).
    """
    with store.write() as session:
        conflict = session.get(Conflict, conflict_id)
        if conflict is None:
            raise NotFound("conflict", conflict_id)
        changed = ChangeSet.of(conflict.entity, conflict.record_id)
        session.delete(conflict)
    return changed | ChangeSet.tables(CONFLICTS)


def resolve_conflict_use_mine(
    store: Store, conflict_id: int, *, actor: Actor, now: dt.datetime | None = None
) -> ChangeSet:
    """Use the user's value: a new update of that field, on the newest version known.

    The base is the later of the row's ``sync_version`` and the version the conflict
    result carried, so the server does not report the same conflict again (a change by
    someone else after that still is one). Raises :class:`NotFound` when the record is
    gone; :class:`ValidationFailed` when the value no longer fits the record.
    """
    now = now or records.now()
    with store.write() as session:
        conflict = session.get(Conflict, conflict_id)
        if conflict is None:
            raise NotFound("conflict", conflict_id)
        entity, record_id = conflict.entity, conflict.record_id
        spec = spec_of(entity)
        row = load_row(session, entity, record_id)
        if row is None:
            raise NotFound(entity, record_id)
        field = spec.by_name.get(conflict.field)
        if field is None:
            raise ValidationFailed([Problem(conflict.field, "unknown_field",
                                            f"{entity} has no field {conflict.field!r}")])
        value = records.value_from_wire(field, conflict.client_value)
        versions = [v for v in (row[SYNC_VERSION], conflict.server_version) if v is not None]
        _apply_update(session, entity, row, {field.name: value}, actor=actor, now=now,
                      base_version=max(versions) if versions else None)
        session.delete(conflict)
    return ChangeSet.of(entity, record_id) | ChangeSet.tables(CONFLICTS, OUTBOX)


def dismiss_rejection(
    store: Store, rejection_id: int, *, now: dt.datetime | None = None
) -> ChangeSet:
    """The user has read why an edit was refused; the rejection is kept, marked dismissed."""
    with store.write() as session:
        rejection = session.get(Rejection, rejection_id)
        if rejection is None:
            raise NotFound("rejection", rejection_id)
        if rejection.dismissed_at is None:
            rejection.dismissed_at = now or records.now()
    return ChangeSet.tables(REJECTIONS)
