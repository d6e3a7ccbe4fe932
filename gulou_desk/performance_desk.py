"""What the performance section asks the account's desk: its reads and its steps.

Every function here takes the account's :class:`~gulou_desk.desk.Desk` (who is signed in,
the local store), blocks (SQLite: the views run it inside a ``ui.background.Op``), and
returns frozen dataclasses (``performance_queries``' ``RecordView``, ``DrillRow``,
``Dashboard`` …), never ORM objects. Writes go through the desk's steps (the use cases).

Which steps the user may take on a record is asked of the domain's own table
(:data:`gulou_desk.domain.workflows.PERFORMANCE_TABLE` through
:func:`~gulou_desk.domain.workflows.performance_step`): the view never re-types the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from gulou_desk.desk import Desk
from gulou_desk.domain import performance, workflows
from gulou_desk.domain.indicators import Measure
from gulou_desk.domain.workflows import Actor
from gulou_desk.store import performance_queries as pq
from gulou_desk.store.admin_queries import Place
from gulou_desk.store.changes import ChangeSet
from gulou_desk.store.drafts import DraftView, list_drafts
from gulou_desk.store.errors import NotFound
from gulou_desk.store.outbox import pending_for
from gulou_desk.store.queries import RejectionView, list_rejections
from gulou_desk.store.rows import load_row, table_of
from gulou_desk.store.schema import SYNC_VERSION

ENTITY = "performance_record"
DECISIONS = ("approve", "return", "reopen")
"""A supervisor's steps on a record (undone here until sent)."""
DRAFT_KIND = "performance_self_assessment"
"""Drafts of a self-assessment being written (one per record, ``record_id`` = the record)."""

# --- who may do what ----------------------------------------------------------------------


def allowed_steps(record: Mapping[str, Any], actor: Actor, now: dt.datetime) -> dict[str, bool]:
    """For every performance action: may ``actor`` take it on ``record`` now?

    Asks :func:`workflows.why_not`, the function the step itself and the server ask
    (state, role, "not on your own record"); an argument the user has yet to give (a
    return's comment) does not make a step unavailable. ``now`` is kept for callers.
    """
    return {action: workflows.why_not(action, record, actor, entity=ENTITY) is None
            for action in workflows.PERFORMANCE_TABLE}


def _as_record(view: pq.RecordView) -> dict[str, Any]:
    return {"id": view.id, "worker_id": view.worker_id, "period": view.period,
            "status": view.status}


# --- a record, with what the user may do on it -----------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordDetail:
    """A record as its panel shows it."""

    record: pq.RecordView
    allowed: Mapping[str, bool]
    """Action → whether the user may take it now (:func:`allowed_steps`)."""
    can_edit: bool
    """Whether the user may edit the self-assessment (their own, not yet approved)."""
    rejections: tuple[RejectionView, ...]
    """Steps on this record the server did not accept, not yet dismissed, newest first."""
    pending: int
    """Edits of this record still waiting to be sent."""
    draft: DraftView | None
    """The self-assessment being written, kept on this computer (only for its writer)."""
    pending_decision: str | None = None
    """``approve`` / ``return`` / ``reopen``: the user's decision on this record that is
    not sent yet (and so can still be undone here, :func:`undo_decision`)."""


@dataclass(frozen=True, slots=True)
class Preview:
    """The current month's figures computed here from the local copy (not official)."""

    worker_id: str
    period: str
    through: dt.date
    figures: dict[str, int | float | None]
    measures: dict[str, Measure]
    """Every indicator with its numerator and denominator (:mod:`indicators`)."""
    suggested_score: float


def read_record(desk: Desk, record_id: str, now: dt.datetime) -> RecordDetail | None:
    """The record, or ``None`` when it is not (or no longer) in the local copy."""
    with desk.store.session() as s:
        view = pq.record_view(s, record_id)
        if view is None:
            return None
        actor = desk.actor(s)
        record = _as_record(view)
        rejections = tuple(r for r in list_rejections(s)
                           if r.entity == ENTITY and r.record_id == record_id)
        waiting = pending_for(s, ENTITY, record_id)
        pending = len(waiting)
        decision = next((m.action for m in reversed(waiting)
                         if m.op == "action" and m.action in DECISIONS), None)
        can_edit = workflows.can_edit_performance(record, actor)
        drafts = list_drafts(s, DRAFT_KIND, record_id=record_id) if can_edit else []
    return RecordDetail(view, allowed_steps(record, actor, now), can_edit, rejections,
                        pending, drafts[0] if drafts else None, decision)


def read_preview(desk: Desk, worker_id: str, today: dt.date) -> Preview:
    period = performance.period_of(today)
    with desk.store.session() as s:
        figures = pq.live_figures(s, worker_id, period, today)
    return Preview(worker_id, period, figures.window.last, figures.values(),
                   figures.measures(), figures.suggested_score())


@dataclass(frozen=True, slots=True)
class MyPerformance:
    """A social worker's records (latest month first) and this month's live preview."""

    records: tuple[pq.RecordView, ...]
    preview: Preview | None
    pending: frozenset[str] = frozenset()
    """Ids of records with edits waiting to be sent."""


def read_my_performance(desk: Desk, today: dt.date) -> MyPerformance:
    """The signed-in worker's records and this month's preview."""
    worker_id = desk.user_id
    with desk.store.session() as s:
        records = tuple(pq.worker_records(s, worker_id))
        pending = frozenset(r.id for r in records if pending_for(s, ENTITY, r.id))
    preview = read_preview(desk, worker_id, today)
    return MyPerformance(records, preview, pending)


# --- the supervisor's lists ---------------------------------------------------------------


def staff_place(desk: Desk) -> tuple[str | None, str | None]:
    """The user's ``(street_id, community_id)`` from the local staff directory."""
    with desk.store.session() as s:
        me = load_row(s, "staff", desk.user_id)
    if me is None:
        return None, None
    return me.get("street_id"), me.get("community_id")


@dataclass(frozen=True, slots=True)
class Queue:
    """Submitted records waiting for a decision, and refused decisions to show."""

    records: tuple[pq.RecordView, ...]
    refused: tuple[RejectionView, ...]
    """Undismissed rejections of performance steps (``stale`` and others)."""


def read_queue(desk: Desk) -> Queue:
    street_id, _ = staff_place(desk)
    with desk.store.session() as s:
        records = tuple(pq.approval_queue(s, street_id)) if street_id else ()
        refused = tuple(r for r in list_rejections(s) if r.entity == ENTITY)
    return Queue(records, refused)


def read_period_records(desk: Desk, period: str) -> tuple[pq.RecordView, ...]:
    """Every record of a month the user may look at: a supervisor's street, a clerk's
    community, everything in the local copy for an administrator."""
    role = desk.role
    street_id, community_id = staff_place(desk)
    with desk.store.session() as s:
        if role == "supervisor" and street_id:
            return tuple(pq.period_records(s, period, street_id=street_id))
        if role == "clerk" and community_id:
            return tuple(pq.period_records(s, period, community_id=community_id))
        return tuple(pq.period_records(s, period))


def known_periods(desk: Desk, today: dt.date, months: int = 12) -> list[str]:
    """The months to offer: those with records in the local copy and the last
    ``months`` up to today, latest first."""
    t = table_of(ENTITY)
    with desk.store.session() as s:
        stored = set(s.execute(sa.select(t.c.period).distinct()).scalars())
    current = performance.period_of(today)
    y, m = performance.parse_period(current)
    for _ in range(months - 1):
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    recent = performance.periods_between(f"{y:04d}-{m:02d}", current)
    valid = {p for p in stored if _valid_period(p) and p <= current}
    return sorted(valid | set(recent), reverse=True)


def _valid_period(text: str) -> bool:
    try:
        performance.parse_period(text)
    except performance.PeriodError:
        return False
    return True


# --- drill-down ---------------------------------------------------------------------------


def read_drill(desk: Desk, record: pq.RecordView | Preview, figure: str,
               today: dt.date) -> list[pq.DrillRow]:
    """The visits, due visits or tickets behind one figure (of a record, or of the live
    preview: recomputed from the local copy)."""
    with desk.store.session() as s:
        if isinstance(record, Preview):
            source: Mapping[str, Any] | pq.RecordView = {
                "worker_id": record.worker_id, "period": record.period, "figures": None}
        else:
            source = record
        return pq.drill_down(s, source, figure, today=today)


# --- the dashboard ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DashboardScope:
    """The communities and grids the user looks after, for the dashboard's filters.

    The local copy holds every street's grids and communities (reference data), but only
    the user's own households, visits and tickets: a supervisor's dashboard covers their
    street's communities, a clerk's their community, an administrator's everything.
    """

    communities: tuple[Place, ...]
    grids: tuple[Place, ...]
    periods: tuple[str, ...] = ()
    worker_ids: frozenset[str] | None = None
    """The social workers of those grids (``None``: no restriction)."""

    @property
    def grid_ids(self) -> frozenset[str]:
        return frozenset(g.id for g in self.grids)


def read_scope(desk: Desk, today: dt.date) -> DashboardScope:
    role = desk.role
    street_id, community_id = staff_place(desk)
    c, g = table_of("community"), table_of("grid")
    query = sa.select(c.c.id, c.c.name).order_by(c.c.name, c.c.id)
    restricted = True
    if role == "clerk" and community_id:
        query = query.where(c.c.id == community_id)
    elif role != "admin" and street_id:
        query = query.where(c.c.street_id == street_id)
    else:
        restricted = False
    with desk.store.session() as s:
        communities = tuple(Place(i, n or i) for i, n in s.execute(query))
        ids = [p.id for p in communities]
        grids: list[Place] = []
        workers: set[str] = set()
        for i, n, cid, worker_ids in s.execute(
                sa.select(g.c.id, g.c.name, g.c.community_id, g.c.worker_ids)
                .where(g.c.community_id.in_(ids)).order_by(g.c.name, g.c.id)):
            grids.append(Place(i, n or i, cid))
            workers.update(worker_ids or ())
    return DashboardScope(communities, tuple(grids), tuple(known_periods(desk, today)),
                          frozenset(workers) if restricted else None)


def read_dashboard(desk: Desk, *, period_from: str, period_to: str,
                   community_id: str | None, grid_id: str | None, today: dt.date,
                   scope: DashboardScope | None = None) -> pq.Dashboard:
    """The dashboard's tables; with ``scope``, the per-grid and per-worker rows are those
    of the user's grids and workers only (the local copy lists other streets' grids too,
    without their data)."""
    with desk.store.session() as s:
        board = pq.dashboard(s, period_from=period_from, period_to=period_to,
                             community_id=community_id, grid_id=grid_id, today=today)
    if scope is None or scope.worker_ids is None:
        return board
    grids, workers = scope.grid_ids, scope.worker_ids
    return replace(board, by_grid=tuple(r for r in board.by_grid if r.id in grids),
                   by_worker=tuple(r for r in board.by_worker if r.id in workers))


# --- writing ------------------------------------------------------------------------------


class RecordChanged(Exception):
    """The record changed (a sync brought a newer copy) after the user read it: nothing
    is decided on a text the user has not seen."""

    code = "record_changed"


def save_self_assessment(desk: Desk, record_id: str, text: str, now: dt.datetime, *,
                         submit: bool = False, draft_id: str | None = None) -> ChangeSet:
    """Write the self-assessment (only if it changed), then submit if asked; the draft
    is discarded once the text is saved. Each write is its own transaction, in order."""
    actor = desk.actor()
    changes = desk.update(ENTITY, record_id, {"self_assessment": text or None},
                          actor=actor, now=now)
    if draft_id is not None:
        changes |= forget_draft(desk, draft_id)
    if submit:
        changes |= desk.run_action(ENTITY, record_id, "submit", {}, actor=actor, now=now)
    return changes


def submit(desk: Desk, record_id: str, now: dt.datetime) -> ChangeSet:
    return desk.run_action(ENTITY, record_id, "submit", {}, now=now)


def decide(desk: Desk, record_id: str, action: str, args: Mapping[str, Any],
           seen_version: int | None, now: dt.datetime) -> ChangeSet:
    """Approve or return the record, on the version the supervisor read.

    Raises :class:`RecordChanged` when the local copy moved on since (a sync brought
    the worker's new text): the server would refuse it as ``stale`` anyway, and the
    supervisor should read the new text first.
    """
    with desk.store.session() as s:
        row = load_row(s, ENTITY, record_id)
        actor = desk.actor(s)
    if row is not None and row[SYNC_VERSION] != seen_version:
        raise RecordChanged(record_id)
    return desk.run_action(ENTITY, record_id, action, args, actor=actor, now=now)


class AlreadySent(Exception):
    """The decision has been sent to the server: it is undone by reopening the record
    (with a reason), not on this computer."""

    code = "already_sent"


def undo_decision(desk: Desk, record_id: str) -> ChangeSet:
    """Take back the user's decision on the record while it is still waiting to be sent:
    the edit leaves the queue and the record is as the server has it (the outbox's
    discard). :class:`AlreadySent` once a sync has taken it."""
    with desk.store.session() as s:
        waiting = [m.mutation_id for m in pending_for(s, ENTITY, record_id)
                   if m.op == "action" and m.action in DECISIONS and m.held_at is None]
    if not waiting:
        raise AlreadySent(record_id)
    changes = ChangeSet()
    for mutation_id in reversed(waiting):
        changes |= desk.discard_unsent(mutation_id)
    return changes


def keep_draft(desk: Desk, record_id: str, text: str, draft_id: str) -> ChangeSet:
    _, changes = desk.save_draft(DRAFT_KIND, {"text": text}, draft_id=draft_id,
                                 record_id=record_id)
    return changes


def forget_draft(desk: Desk, draft_id: str) -> ChangeSet:
    try:
        return desk.discard_draft(draft_id)
    except NotFound:
        return ChangeSet()


def dismiss(desk: Desk, rejection_ids: Sequence[int]) -> ChangeSet:
    changes = ChangeSet()
    for rejection_id in rejection_ids:
        changes |= desk.dismiss_rejection(rejection_id)
    return changes
