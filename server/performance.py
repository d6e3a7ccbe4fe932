"""The official monthly performance figures: each social worker's record of a period.

:func:`compute_period` creates or refreshes, through :class:`RecordWriter` (versions,
change log, scope keys: the records reach the worker and their street's supervisors on
the next pull), one ``performance_record`` per active social worker, with the figures of
:mod:`gulou_desk.domain.performance` computed from the synced visits, households, tickets
and timelines. It runs on a schedule (:class:`PerformanceScheduler` in ``gulou-server
serve``: the current month every hour, and the previous one in the first week of a month)
and by hand with ``gulou-server compute-performance --period YYYY-MM``.

What a run may change, by the record's status:

- no record yet: one is created as a ``draft``, with the id
  :func:`performance.record_id` (uuid5 of worker and period), so two runs, even at the
  same time, never make two records; a record made otherwise (the demo data) is found
  by worker and period and used instead.
- ``draft``: the figures are replaced by fresh ones when they differ (nothing else
  changes; no history entry: the worker has not submitted anything yet).
- ``returned``: the same, and when one of the seven figures changes, a history entry
  ``{"action": "recomputed", "actor_id": null, "at"}`` tells the supervisor that the
  record they returned now shows other numbers.
- ``submitted`` and ``approved``: never changed. The worker submitted, and the supervisor
  decides on, the figures as they were; a record whose figures would now differ (visits
  synced late, say) is only reported (:attr:`ComputeReport.held`) and logged. A new
  decision on other figures needs the record returned first.

A run refreshes a record only when the stored figures differ (``computed_at`` aside), so a
second run with nothing new writes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from gulou_desk.domain import performance
from gulou_desk.domain.performance import MonthlyFigures, Window
from gulou_desk.domain.workflows import FOLLOW_UP_DISSATISFIED
from gulou_desk.records import SHANGHAI, format_datetime
from gulou_desk.records import now as wall_clock
from server.database import writer
from server.periodic import PeriodicJob
from server.schema import RECORD_TABLES
from server.store import RecordWriter, field_values

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_SECONDS = 3600.0
GRACE_DAYS = 7
"""In the first days of a month the previous month is computed too: visits recorded
offline at the end of the month reach the drafts before workers submit them."""
TICKET_KINDS = ("resolve", "accept", "close", FOLLOW_UP_DISSATISFIED)
"""Timeline events that bring a ticket into someone's figures."""
_CHUNK = 500


@dataclass
class ComputeReport:
    """What one run did, by record id."""

    period: str
    through: dt.date
    created: list[str] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    """Submitted or approved records whose figures would now differ: left as they are."""

    @property
    def written(self) -> int:
        return len(self.created) + len(self.refreshed)


def compute_period(engine: sa.Engine, period: str, now: dt.datetime) -> int:
    """Create or refresh every active social worker's record of ``period`` as of ``now``;
    returns how many records were written. See the module for the rules.

    Raises :class:`performance.PeriodError` for a malformed period or one that has not
    begun at ``now``.
    """
    return compute_period_report(engine, period, now).written


def compute_period_report(engine: sa.Engine, period: str, now: dt.datetime) -> ComputeReport:
    """:func:`compute_period` with the full account of what it did."""
    window = performance.month_window(period, now.astimezone(SHANGHAI).date())
    report = ComputeReport(period, window.last)
    with engine.connect() as conn:
        workers = _social_workers(conn)
        grids = _grids_of_workers(conn)
        context = _ticket_context(conn, window)
        figures = {wid: _figures_of(conn, wid, window, grids.get(wid, []), context)
                   for wid in workers}
    for wid in workers:
        _store(engine, wid, period, figures[wid], now, report)
    log.info("performance %s through %s: %d created, %d refreshed, %d unchanged, %d held",
             period, window.last, len(report.created), len(report.refreshed),
             len(report.unchanged), len(report.held))
    if report.held:
        log.warning("performance %s: %d submitted or approved records would show other "
                    "figures now; they were left as they are: %s", period, len(report.held),
                    ", ".join(report.held))
    return report


def refresh_worker(engine: sa.Engine, worker_id: str, now: dt.datetime) -> int:
    """:func:`compute_period` for one social worker, of the periods the schedule computes
    (:func:`scheduled_periods`): run when their push brought visits or ticket steps, so
    that the draft their device pulls next agrees with the live preview it shows (with
    drafts recomputed hourly, "My performance" listed the month twice, 14 visits beside
    13). The same rules as the scheduled run; returns how many records were written."""
    written = 0
    for period in scheduled_periods(now):
        window = performance.month_window(period, now.astimezone(SHANGHAI).date())
        report = ComputeReport(period, window.last)
        with engine.connect() as conn:
            figures = _figures_of(conn, worker_id, window,
                                  _grids_of_workers(conn).get(worker_id, []),
                                  _ticket_context(conn, window, actor=worker_id))
        _store(engine, worker_id, period, figures, now, report)
        written += len(report.created) + len(report.refreshed)
    return written


# --- reading ------------------------------------------------------------------------


def _social_workers(conn: sa.Connection) -> list[str]:
    staff = RECORD_TABLES["staff"]
    return list(conn.execute(
        sa.select(staff.c.id).where(staff.c.role == "social_worker",
                                    sa.or_(staff.c.active.is_(None), staff.c.active))
        .order_by(staff.c.id)
    ).scalars())


def _grids_of_workers(conn: sa.Connection) -> dict[str, list[str]]:
    grids = RECORD_TABLES["grid"]
    out: dict[str, list[str]] = defaultdict(list)
    for gid, workers in conn.execute(sa.select(grids.c.id, grids.c.worker_ids)):
        for wid in workers or ():
            out[wid].append(gid)
    return out


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


_TicketContext = tuple[dict[str, dict[str, Any]], dict[str, list[dict[str, Any]]],
                       dict[str, set[str]]]
"""Tickets by id, their timelines by ticket id, and worker → the tickets they are in."""


def _figures_of(conn: sa.Connection, worker_id: str, window: Window,
                grid_ids: Sequence[str], context: _TicketContext) -> MonthlyFigures:
    """One worker's figures, with their tickets of ``context`` (:func:`_ticket_context`)."""
    tickets, events, involved = context
    mine = sorted(involved.get(worker_id, ()))
    return worker_figures(conn, worker_id, window, grid_ids=grid_ids,
                          tickets=[tickets[t] for t in mine if t in tickets],
                          events=[e for t in mine for e in events.get(t, ())])


def _ticket_context(conn: sa.Connection, window: Window, actor: str | None = None
                    ) -> _TicketContext:
    """The tickets with a resolve, accept or follow-up in the window, their whole
    timelines, and who may find them in their figures (worker → ticket ids: whoever
    resolved or accepted them, ever); ``actor``: only the tickets that worker resolved
    or accepted."""
    ev = RECORD_TABLES["ticket_event"]
    tk = RECORD_TABLES["ticket"]
    query = sa.select(ev.c.ticket_id).where(
        ev.c.kind.in_(TICKET_KINDS), ev.c.at >= window.start, ev.c.at < window.end)
    if actor is not None:
        query = query.where(ev.c.ticket_id.in_(sa.select(ev.c.ticket_id).where(
            ev.c.kind.in_(("resolve", "accept")), ev.c.actor_id == actor)))
    ids = sorted(set(conn.execute(query).scalars()))
    tickets: dict[str, dict[str, Any]] = {}
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    involved: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(ids):
        for row in conn.execute(sa.select(tk).where(tk.c.id.in_(chunk))).mappings():
            tickets[row["id"]] = {"id": row["id"], **field_values("ticket", row)}
        for row in conn.execute(sa.select(ev).where(ev.c.ticket_id.in_(chunk))).mappings():
            e = {"id": row["id"], **field_values("ticket_event", row)}
            events[e["ticket_id"]].append(e)
            if e["kind"] in ("resolve", "accept") and e["actor_id"]:
                involved[e["actor_id"]].add(e["ticket_id"])
    return tickets, events, involved


def worker_figures(
    conn: sa.Connection,
    worker_id: str,
    window: Window,
    *,
    grid_ids: Sequence[str],
    tickets: Iterable[Mapping[str, Any]],
    events: Iterable[Mapping[str, Any]],
) -> MonthlyFigures:
    """One worker's figures from the server's tables (the tickets and timelines are
    loaded once per run by the caller)."""
    hh = RECORD_TABLES["household"]
    vs = RECORD_TABLES["visit"]
    households: dict[str, dict[str, Any]] = {}
    columns = (hh.c.id, hh.c.grid_id, hh.c.tags, hh.c.visit_cadence_days, hh.c.last_visit_at,
               hh.c.status)
    in_grids = hh.c.grid_id.in_(list(grid_ids))
    if grid_ids:
        for row in conn.execute(sa.select(*columns).where(in_grids)).mappings():
            households[row["id"]] = dict(row)
        # The last visit before the window, per household (the cadence's clock).
        for hid, last in conn.execute(
            sa.select(vs.c.household_id, sa.func.max(vs.c.visited_at))
            .join(hh, hh.c.id == vs.c.household_id)
            .where(in_grids, vs.c.visited_at < window.start)
            .group_by(vs.c.household_id)
        ):
            if hid in households:
                households[hid]["previous_visit_at"] = last
    visit_cols = (vs.c.id, vs.c.household_id, vs.c.worker_id, vs.c.visited_at)
    in_window = sa.and_(vs.c.visited_at >= window.start, vs.c.visited_at < window.end)
    visits: dict[str, dict[str, Any]] = {}
    if grid_ids:
        for row in conn.execute(sa.select(*visit_cols).join(hh, hh.c.id == vs.c.household_id)
                                .where(in_grids, in_window)).mappings():
            visits[row["id"]] = dict(row)
    for row in conn.execute(sa.select(*visit_cols)
                            .where(vs.c.worker_id == worker_id, in_window)).mappings():
        visits[row["id"]] = dict(row)
    elsewhere = sorted({v["household_id"] for v in visits.values()} - set(households))
    for chunk in _chunks(elsewhere):  # visited outside their grids: only their tags matter
        for row in conn.execute(sa.select(*columns).where(hh.c.id.in_(chunk))).mappings():
            households[row["id"]] = dict(row)
    return performance.compute_figures(
        worker_id, window, households=households.values(), visits=visits.values(),
        tickets=tickets, events=events, grid_ids=frozenset(grid_ids))


# --- writing ------------------------------------------------------------------------


def _existing(conn: sa.Connection, worker_id: str, period: str) -> dict[str, Any] | None:
    """The worker's record of the period, locked until the transaction ends (PostgreSQL;
    SQLite's writer holds the database lock already), so a submit that commits meanwhile
    is seen before the figures are written."""
    t = RECORD_TABLES["performance_record"]
    own = performance.record_id(worker_id, period)
    row = conn.execute(
        sa.select(t).where(t.c.worker_id == worker_id, t.c.period == period)
        .order_by((t.c.id == own).desc(), t.c.id).limit(1).with_for_update()
    ).mappings().first()
    return dict(row) if row is not None else None


def _store(engine: sa.Engine, worker_id: str, period: str, figures: MonthlyFigures,
           now: dt.datetime, report: ComputeReport) -> None:
    try:
        _store_once(engine, worker_id, period, figures, now, report)
    except sa.exc.IntegrityError:
        # Another run created the record at the same moment (same uuid5 id): it exists
        # now, so the second attempt refreshes it or finds it unchanged.
        _store_once(engine, worker_id, period, figures, now, report)


def _store_once(engine: sa.Engine, worker_id: str, period: str, figures: MonthlyFigures,
                now: dt.datetime, report: ComputeReport) -> None:
    fresh = figures.to_record(now)
    with writer(engine).begin() as conn:
        row = _existing(conn, worker_id, period)
        w = RecordWriter(conn)
        if row is None:
            rid = performance.record_id(worker_id, period)
            w.save("performance_record", rid, {
                "worker_id": worker_id, "period": period, "figures": fresh,
                "self_assessment": None, "score": None, "status": "draft",
                "supervisor_id": None, "decision_comment": None, "history": [],
            })
            report.created.append(rid)
            return
        rid = row["id"]
        if performance.figures_equal(row["figures"], fresh):
            report.unchanged.append(rid)
            return
        if row["status"] in ("submitted", "approved"):
            report.held.append(rid)
            return
        values = field_values("performance_record", row)
        values["figures"] = fresh
        changed = ["figures"]
        old = row["figures"] or {}
        if row["status"] == "returned" and any(
                old.get(name) != fresh[name] for name in performance.FIGURES):
            values["history"] = [*(row["history"] or []), {
                "action": "recomputed", "actor_id": None,
                "at": format_datetime(now)}]
            changed.append("history")
        w.save("performance_record", rid, values, changed=changed)
        report.refreshed.append(rid)


# --- seeded records ---------------------------------------------------------------------


def refresh_seeded(engine: sa.Engine, now: dt.datetime) -> int:
    """Give every record the figures this computation gives for its worker and month as
    of ``now``, whatever its status; returns how many records were rewritten.

    Only for seeded data: the demo generator writes records with a history (submitted,
    approved, returned) but cannot compute what was due without every household's visit
    history, so the seed asks the server's own computation afterwards. A supervisor then
    reads the same numbers on a record, on the dashboard and in an export. A live server
    never does this: a submitted or approved record keeps the figures it was decided on.
    """
    t = RECORD_TABLES["performance_record"]
    today = now.astimezone(SHANGHAI).date()
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.c.id, t.c.worker_id, t.c.period)).all()
    by_period: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for rid, wid, period in rows:
        by_period[period].append((rid, wid))
    written = 0
    for period, records in sorted(by_period.items()):
        try:
            window = performance.month_window(period, today)
        except performance.PeriodError:
            continue
        with engine.connect() as conn:
            grids = _grids_of_workers(conn)
            tickets, events, involved = _ticket_context(conn, window)
            fresh = {}
            for _, wid in records:
                mine = sorted(involved.get(wid, ()))
                fresh[wid] = worker_figures(
                    conn, wid, window, grid_ids=grids.get(wid, []),
                    tickets=[tickets[i] for i in mine if i in tickets],
                    events=[e for i in mine for e in events.get(i, ())]).to_record(now)
        with writer(engine).begin() as conn:
            w = RecordWriter(conn)
            for rid, wid in records:
                row = conn.execute(sa.select(t).where(t.c.id == rid)).mappings().one()
                values = field_values("performance_record", row)
                values["figures"] = fresh[wid]
                w.save("performance_record", rid, values, changed=["figures"])
                written += 1
    return written


# --- on a schedule ------------------------------------------------------------------------


def scheduled_periods(now: dt.datetime) -> list[str]:
    """The periods a scheduled run computes: the current month, and the previous one in
    the first :data:`GRACE_DAYS` days of a month."""
    today = now.astimezone(SHANGHAI).date()
    periods = [performance.period_of(today)]
    if today.day <= GRACE_DAYS:
        periods.insert(0, performance.period_of(today.replace(day=1) - dt.timedelta(days=1)))
    return periods


class PerformanceScheduler(PeriodicJob):
    """Runs :func:`compute_period` for :func:`scheduled_periods` every ``interval``
    seconds in a daemon thread."""

    name = "performance"

    def __init__(self, engine: sa.Engine, interval: float = DEFAULT_INTERVAL_SECONDS,
                 clock: Callable[[], dt.datetime] = wall_clock) -> None:
        super().__init__(engine, interval, clock)

    def run_once(self) -> int:
        moment = self.clock()
        return sum(compute_period(self.engine, period, moment)
                   for period in scheduled_periods(moment))
