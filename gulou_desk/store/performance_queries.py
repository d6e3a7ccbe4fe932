"""Performance records on the client: the live preview, drill-down, the approval queue and
the dashboard, read from the local copy.

Every function takes a session the caller opened for this one read (``store.session()``,
on a worker thread) and returns plain values (frozen dataclasses), never ORM objects. The
figures are computed by :mod:`gulou_desk.domain.performance`, the same code the server
runs for the official figures, so a worker's preview of the current month matches what
the server will compute from the same data.

What each function reads is limited to what the local copy holds: a worker sees their own
grids, a clerk their community, a supervisor their street (the sync scope). Writing
(self-assessment, submit, approve, return) goes through the use cases
(``usecases.update_record`` / ``usecases.run_action``), as every edit does.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from gulou_desk import records
from gulou_desk.domain import addresses, cadence, indicators, performance
from gulou_desk.domain.indicators import Measure
from gulou_desk.domain.performance import (
    FOLLOW_UP_KINDS,
    DueVisit,
    MonthlyFigures,
    PeriodError,
    Window,
)
from gulou_desk.records import SHANGHAI
from gulou_desk.store.rows import table_of

_CHUNK = 500
_HOUSEHOLD_COLUMNS = ("id", "grid_id", "tags", "visit_cadence_days", "last_visit_at", "status")
_ADDRESS_COLUMNS = ("estate", "building", "unit", "room", "address", "head_name")


def _today() -> dt.date:
    return records.now().date()


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


# --- loading the inputs of the computation ----------------------------------------------


def worker_grid_ids(session: Session, worker_id: str) -> list[str]:
    """The grids that list the worker in ``worker_ids``, by id."""
    grids = table_of("grid")
    return sorted(gid for gid, workers in session.execute(sa.select(grids.c.id,
                                                                    grids.c.worker_ids))
                  if worker_id in (workers or ()))


def _households(session: Session, *, grid_ids: Sequence[str] = (),
                ids: Sequence[str] = (), address: bool = False) -> dict[str, dict[str, Any]]:
    t = table_of("household")
    names = _HOUSEHOLD_COLUMNS + (_ADDRESS_COLUMNS if address else ())
    cols = [t.c[name] for name in names]
    out: dict[str, dict[str, Any]] = {}
    for column, values in ((t.c.grid_id, grid_ids), (t.c.id, ids)):
        for chunk in _chunks(list(values)):
            for row in session.execute(sa.select(*cols).where(column.in_(chunk))):
                out[row[0]] = dict(zip(names, row, strict=True))  # (tuples: faster)
    return out


def _previous_visits(session: Session, grid_ids: Sequence[str], before: dt.datetime,
                     households: dict[str, dict[str, Any]]) -> None:
    """Set ``previous_visit_at``: each household's last visit before ``before``."""
    v = table_of("visit")
    h = table_of("household")
    for chunk in _chunks(list(grid_ids)):
        for hid, last in session.execute(
            sa.select(v.c.household_id, sa.func.max(v.c.visited_at))
            .join(h, h.c.id == v.c.household_id)
            .where(h.c.grid_id.in_(chunk), v.c.visited_at < before)
            .group_by(v.c.household_id)
        ):
            if hid in households:
                households[hid]["previous_visit_at"] = last


def _visits(session: Session, window: Window, *, grid_ids: Sequence[str] = (),
            worker_id: str | None = None) -> dict[str, dict[str, Any]]:
    v = table_of("visit")
    h = table_of("household")
    cols = (v.c.id, v.c.household_id, v.c.worker_id, v.c.visited_at, v.c.follow_up)
    inside = sa.and_(v.c.visited_at >= window.start, v.c.visited_at < window.end)
    out: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(list(grid_ids)):
        for row in session.execute(sa.select(*cols).join(h, h.c.id == v.c.household_id)
                                   .where(h.c.grid_id.in_(chunk), inside)).mappings():
            out[row["id"]] = dict(row)
    if worker_id is not None:
        for row in session.execute(sa.select(*cols).where(v.c.worker_id == worker_id,
                                                          inside)).mappings():
            out[row["id"]] = dict(row)
    return out


def _tickets_with_timelines(session: Session, ticket_ids: Iterable[str]) -> tuple[
        dict[str, dict[str, Any]], list[dict[str, Any]]]:
    t = table_of("ticket")
    e = table_of("ticket_event")
    tickets: dict[str, dict[str, Any]] = {}
    events: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(set(ticket_ids))):
        tickets.update((r["id"], dict(r)) for r in session.execute(
            sa.select(t).where(t.c.id.in_(chunk))).mappings())
        events += [dict(r) for r in session.execute(
            sa.select(e).where(e.c.ticket_id.in_(chunk)).order_by(e.c.at, e.c.id)).mappings()]
    return tickets, events


def _worker_ticket_ids(session: Session, worker_id: str, window: Window) -> set[str]:
    """Tickets the worker resolved or accepted in the window, or whose follow-up call in
    the window came after a resolution of theirs."""
    e = table_of("ticket_event")
    inside = sa.and_(e.c.at >= window.start, e.c.at < window.end)
    own = set(session.execute(
        sa.select(e.c.ticket_id).where(e.c.actor_id == worker_id,
                                       e.c.kind.in_(("resolve", "accept")), inside)
    ).scalars())
    r = e.alias("r")
    resolved = sa.select(r.c.id).where(r.c.ticket_id == e.c.ticket_id, r.c.kind == "resolve",
                                       r.c.actor_id == worker_id).exists()
    followed = set(session.execute(
        sa.select(e.c.ticket_id).where(e.c.kind.in_(tuple(FOLLOW_UP_KINDS)), inside, resolved)
    ).scalars())
    return own | followed


# --- the live preview -----------------------------------------------------------------


def live_figures(session: Session, worker_id: str, period: str,
                 today: dt.date | None = None) -> MonthlyFigures:
    """The worker's figures for ``period`` from the local copy: the whole month for a past
    one, up to ``today`` for the current one (a preview: the server's record is official).

    Raises :class:`PeriodError` for a malformed period or one after ``today``.
    """
    window = performance.month_window(period, today or _today())
    return _figures_of(session, worker_id, window)


def _figures_of(session: Session, worker_id: str, window: Window) -> MonthlyFigures:
    grid_ids = worker_grid_ids(session, worker_id)
    households = _households(session, grid_ids=grid_ids)
    _previous_visits(session, grid_ids, window.start, households)
    visits = _visits(session, window, grid_ids=grid_ids, worker_id=worker_id)
    elsewhere = sorted({v["household_id"] for v in visits.values()} - set(households))
    households.update(_households(session, ids=elsewhere))
    tickets, events = _tickets_with_timelines(
        session, _worker_ticket_ids(session, worker_id, window))
    return performance.compute_figures(
        worker_id, window, households=households.values(), visits=visits.values(),
        tickets=tickets.values(), events=events, grid_ids=frozenset(grid_ids))


# --- records ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    action: str
    """``submit``, ``approve``, ``return``, ``edited`` (after submission) or ``recomputed``
    (the server refreshed the figures of a returned record)."""
    actor_id: str | None
    actor_name: str | None
    at: dt.datetime | None
    comment: str | None = None
    score: float | None = None


@dataclass(frozen=True, slots=True)
class RecordView:
    """A performance record as the views show it."""

    id: str
    worker_id: str
    worker_name: str | None
    period: str
    status: str
    figures: dict[str, int | float | None]
    """The seven figures (:data:`performance.FIGURES`), ``None`` where not computed."""
    measures: dict[str, Measure]
    """Every indicator with its numerator and denominator (:mod:`indicators`), the one
    source of what a record shows and exports."""
    suggested_score: float
    through: dt.date | None
    """The last day the figures count (``None``: not known, e.g. demo data)."""
    computed_at: dt.datetime | None
    self_assessment: str | None
    score: float | None
    supervisor_id: str | None
    supervisor_name: str | None
    decision_comment: str | None
    history: tuple[HistoryEntry, ...]
    sync_version: int | None
    """The version the user sees: a decision made on it is refused as ``stale`` if the
    record changed on the server meanwhile."""

    @property
    def submitted_at(self) -> dt.datetime | None:
        """When the record was last submitted (or edited after submission)."""
        for entry in reversed(self.history):
            if entry.action in ("submit", "edited"):
                return entry.at
        return None

    @property
    def resubmitted(self) -> bool:
        """Submitted again after a return."""
        return any(e.action == "return" for e in self.history)

    @property
    def edited_after_submission(self) -> bool:
        return bool(self.history) and self.history[-1].action == "edited"


def _names(session: Session, ids: Iterable[str | None]) -> dict[str, str]:
    staff = table_of("staff")
    wanted = sorted({i for i in ids if i})
    out: dict[str, str] = {}
    for chunk in _chunks(wanted):
        for sid, name in session.execute(sa.select(staff.c.id, staff.c.display_name)
                                         .where(staff.c.id.in_(chunk))):
            out[sid] = name
    return out


def _counted_through(period: str, computed_at: dt.datetime | None) -> dt.date | None:
    """The last day a record's figures count when they do not say (figures of an earlier
    rule, demo data): the month's last day, or the day they were computed in the month
    itself (统计截至 is never left empty)."""
    today = performance.local_day(computed_at) if computed_at is not None else _today()
    try:
        return performance.month_window(period, today).last
    except PeriodError:
        return None


def _view(row: Mapping[str, Any], names: Mapping[str, str]) -> RecordView:
    figures = dict(row.get("figures") or {})
    values = {name: figures.get(name) for name in performance.FIGURES}
    history = []
    for h in row.get("history") or ():
        if not isinstance(h, Mapping):
            continue
        at = h.get("at")
        try:
            when = performance.moment(at)
        except (TypeError, ValueError):
            when = None
        history.append(HistoryEntry(
            str(h.get("action")), h.get("actor_id"), names.get(h.get("actor_id") or ""), when,
            h.get("comment") or h.get("reason"), h.get("score")))
    through = figures.get("through")
    computed = figures.get("computed_at")
    try:
        through_day = dt.date.fromisoformat(through) if isinstance(through, str) else None
        computed_at = performance.moment(computed) if isinstance(computed, str) else None
    except ValueError:
        through_day, computed_at = None, None
    if through_day is None:
        through_day = _counted_through(row["period"], computed_at)
    measures = performance.stored_measures(row["worker_id"], row["period"], figures)
    suggested = measures["suggested_score"].value
    return RecordView(
        id=row["id"], worker_id=row["worker_id"], worker_name=names.get(row["worker_id"]),
        period=row["period"], status=row["status"], figures=values, measures=measures,
        suggested_score=float(suggested) if suggested is not None else 0.0,
        through=through_day, computed_at=computed_at,
        self_assessment=row.get("self_assessment"), score=row.get("score"),
        supervisor_id=row.get("supervisor_id"),
        supervisor_name=names.get(row.get("supervisor_id") or ""),
        decision_comment=row.get("decision_comment"), history=tuple(history),
        sync_version=row.get("sync_version"),
    )


def _views(session: Session, rows: Sequence[Mapping[str, Any]]) -> list[RecordView]:
    ids: list[str | None] = []
    for r in rows:
        ids += [r["worker_id"], r.get("supervisor_id")]
        ids += [h.get("actor_id") for h in r.get("history") or () if isinstance(h, Mapping)]
    names = _names(session, ids)
    return [_view(r, names) for r in rows]


def record_view(session: Session, record_id: str) -> RecordView | None:
    t = table_of("performance_record")
    row = session.execute(sa.select(t).where(t.c.id == record_id)).mappings().first()
    return _views(session, [dict(row)])[0] if row is not None else None


def worker_records(session: Session, worker_id: str) -> list[RecordView]:
    """The worker's records, the latest period first."""
    t = table_of("performance_record")
    rows = session.execute(sa.select(t).where(t.c.worker_id == worker_id)
                           .order_by(t.c.period.desc(), t.c.id)).mappings()
    return _views(session, [dict(r) for r in rows])


def returned_count(session: Session, worker_id: str) -> int:
    """The worker's records returned to them (退回), waiting for their answer: the count
    on the sidebar's 绩效考核, as 工单 counts their tickets."""
    t = table_of("performance_record")
    return int(session.execute(sa.select(sa.func.count()).select_from(t).where(
        t.c.worker_id == worker_id, t.c.status == "returned")).scalar_one())


def period_records(session: Session, period: str, *, street_id: str | None = None,
                   community_id: str | None = None) -> list[RecordView]:
    """Every record of a month in the local copy (a supervisor: their street's workers),
    optionally of one street's or one community's workers, by worker name."""
    performance.parse_period(period)
    t = table_of("performance_record")
    staff = table_of("staff")
    query = sa.select(t).join(staff, staff.c.id == t.c.worker_id, isouter=True).where(
        t.c.period == period)
    if street_id is not None:
        query = query.where(staff.c.street_id == street_id)
    if community_id is not None:
        query = query.where(staff.c.community_id == community_id)
    views = _views(session, [dict(r) for r in session.execute(query).mappings()])
    return sorted(views, key=lambda v: (v.worker_name or "", v.worker_id))


def approval_queue(session: Session, street_id: str) -> list[RecordView]:
    """Submitted records of the street's workers, the longest waiting first (by when they
    were last submitted or edited after submission; records without a history, such as
    demo data, last, by period)."""
    t = table_of("performance_record")
    staff = table_of("staff")
    rows = session.execute(
        sa.select(t).join(staff, staff.c.id == t.c.worker_id)
        .where(t.c.status == "submitted", staff.c.street_id == street_id)
    ).mappings()
    views = _views(session, [dict(r) for r in rows])
    far_future = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(views, key=lambda v: (v.submitted_at or far_future, v.period, v.id))


# --- drill-down -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HouseholdInfo:
    household_id: str
    address: str | None
    head_name: str | None
    tags: tuple[str, ...]
    grid_id: str | None


@dataclass(frozen=True, slots=True)
class VisitRow:
    """A visit behind ``visits_done`` or ``key_visits``."""

    visit_id: str
    visited_at: dt.datetime | None
    household: HouseholdInfo
    worker_id: str | None
    follow_up: bool | None
    key: bool


@dataclass(frozen=True, slots=True)
class DueRow:
    """A visit the cadence asked for (``visits_due``): met on ``met_on``, or missed."""

    household: HouseholdInfo
    cadence_days: int | None
    due_on: dt.date
    met_on: dt.date | None


@dataclass(frozen=True, slots=True)
class TicketRow:
    """A ticket behind a ticket figure; ``at`` is the moment counted (the resolution, the
    follow-up call or the acceptance), the other fields say how it counted."""

    ticket_id: str
    number: str | None
    title: str | None
    category: str | None
    status: str | None
    event_id: str
    at: dt.datetime
    due_at: dt.datetime | None = None
    on_time: bool | None = None
    satisfaction: str | None = None
    handed_over_at: dt.datetime | None = None
    hours: float | None = None


DrillRow = VisitRow | DueRow | TicketRow


def _address(h: Mapping[str, Any]) -> str | None:
    """The estate and the flat (``颐和新村 3栋2单元301室``): the district and street the
    supervisor looks after are not repeated on every row."""
    return addresses.short_address(h.get("estate"), h.get("building"), h.get("unit"),
                                   h.get("room"), h.get("address")) or None


def _info(hid: str, households: Mapping[str, Mapping[str, Any]]) -> HouseholdInfo:
    h = households.get(hid)
    if h is None:
        return HouseholdInfo(hid, None, None, (), None)
    return HouseholdInfo(hid, _address(h), h.get("head_name"), tuple(h.get("tags") or ()),
                         h.get("grid_id"))


def drill_down(session: Session, record: Mapping[str, Any] | RecordView, figure: str, *,
               today: dt.date | None = None) -> list[DrillRow]:
    """The visits, due visits or tickets behind one figure of a record.

    ``record``: a :class:`RecordView` or a record row (``worker_id``, ``period``,
    ``figures``). Official figures carry what they counted (their ``basis``), so the rows
    are exactly those, with today's details from the local copy (a ticket's current
    status, say); figures without a basis (older records, demo data) are recomputed from
    the local copy for the record's month (up to ``today``). ``KeyError`` for an unknown
    figure name. Rows come oldest first.
    """
    if figure not in performance.FIGURE_ENTITY:
        raise KeyError(figure)
    if isinstance(record, RecordView):
        worker_id, period = record.worker_id, record.period
        t = table_of("performance_record")
        stored = session.execute(sa.select(t.c.figures).where(t.c.id == record.id)).scalar()
    else:
        worker_id, period, stored = record["worker_id"], record["period"], record.get("figures")
    figures = MonthlyFigures.from_record(worker_id, period, stored)
    if figures is None:
        figures = live_figures(session, worker_id, period, today)
    return _rows(session, figures, figure)


def _rows(session: Session, f: MonthlyFigures, figure: str) -> list[DrillRow]:
    if figure in ("visits_done", "key_visits"):
        ids = f.visit_ids if figure == "visits_done" else f.key_visit_ids
        v = table_of("visit")
        visits: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(list(ids)):
            visits.update((r["id"], dict(r)) for r in session.execute(
                sa.select(v.c.id, v.c.household_id, v.c.worker_id, v.c.visited_at,
                          v.c.follow_up).where(v.c.id.in_(chunk))).mappings())
        hids = sorted({visits[i]["household_id"] for i in ids if i in visits}
                      | {f.visit_households[i] for i in ids if i in f.visit_households})
        households = _households(session, ids=hids, address=True)
        key = set(f.key_visit_ids)
        rows: list[DrillRow] = []
        for vid in ids:
            got = visits.get(vid, {})
            hid = got.get("household_id") or f.visit_households.get(vid, "")
            rows.append(VisitRow(vid, got.get("visited_at"), _info(hid, households),
                                 got.get("worker_id"), got.get("follow_up"), vid in key))
        return rows
    if figure in ("visits_due", "visits_due_met", "visit_completion"):
        due = [d for d in f.due if d.met or figure != "visits_due_met"]
        households = _households(session, ids=sorted({d.household_id for d in due}),
                                 address=True)
        return [_due_row(d, households) for d in due]
    tickets: dict[str, dict[str, Any]] = {}
    ticket_ids = {r.ticket_id for r in f.resolved} | {x.ticket_id for x in f.follow_ups} | {
        a.ticket_id for a in f.acceptances}
    t = table_of("ticket")
    for chunk in _chunks(sorted(ticket_ids)):
        tickets.update((r["id"], dict(r)) for r in session.execute(
            sa.select(t.c.id, t.c.number, t.c.title, t.c.category, t.c.status)
            .where(t.c.id.in_(chunk))).mappings())

    def base(ticket_id: str, event_id: str, at: dt.datetime) -> dict[str, Any]:
        got = tickets.get(ticket_id, {})
        return {"ticket_id": ticket_id, "number": got.get("number"), "title": got.get("title"),
                "category": got.get("category"), "status": got.get("status"),
                "event_id": event_id, "at": at}

    if figure in ("tickets_resolved", "on_time_rate"):
        return [TicketRow(**base(r.ticket_id, r.event_id, r.resolved_at), due_at=r.due_at,
                          on_time=r.on_time) for r in f.resolved]
    if figure == "avg_satisfaction":
        return [TicketRow(**base(x.ticket_id, x.event_id, x.at), satisfaction=x.satisfaction)
                for x in f.follow_ups]
    return [TicketRow(**base(a.ticket_id, a.event_id, a.accepted_at),
                      handed_over_at=a.handed_over_at, hours=round(a.hours, 1))
            for a in f.acceptances]


def _due_row(d: DueVisit, households: Mapping[str, Mapping[str, Any]]) -> DueRow:
    h = households.get(d.household_id)
    cad = (cadence.effective_cadence_days(h.get("visit_cadence_days"), h.get("tags") or ())
           if h is not None else None)
    return DueRow(_info(d.household_id, households), cad, d.due_on, d.met_on)


# --- dashboard --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeekVisits:
    week_start: dt.date
    """The first day of the week counted: its Monday, or the period's first day when
    the week began before it (October 2026 starts on a Thursday: its first week is
    counted, and labelled, from 1 October, not from Monday 28 September)."""
    visits_done: int
    """Visits to the households in scope that week, by anyone."""
    visits_planned: int
    """Visits planned that week: due days in it, with the backlog at the window's start
    spread over one cadence (:func:`performance.planned_by_week`)."""


@dataclass(frozen=True, slots=True)
class CategoryStatus:
    category: str
    """A category code of :data:`gulou_desk.domain.sla.CATEGORIES` (or an unknown one)."""
    status: str
    count: int


@dataclass(frozen=True, slots=True)
class OverduePoint:
    day: dt.date
    """The last day of a week (or of the period): counted at the end of that day."""
    open: int
    overdue: int


@dataclass(frozen=True, slots=True)
class SatisfactionRow:
    period: str
    satisfied: int
    basically_satisfied: int
    dissatisfied: int
    average: float | None


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One grid or one worker over the dashboard's months: its counts
    (:data:`indicators.COUNTS`) and the indicators made of them (:attr:`measures`), by
    the same definitions as a record's."""

    id: str
    name: str | None
    households: int
    """Active households (a worker: those of their grids)."""
    counts: Mapping[str, int | float | None]
    """A grid: visits to its households by anyone, the visits due there, the resolutions,
    follow-up calls of its tickets; a worker: what their record counts."""
    tickets_opened: int
    """Tickets created in the period (a worker: none; see ``tickets_resolved``)."""
    overdue_now: int
    """Open tickets overdue at the end of the period (a worker: assigned to them)."""

    @property
    def measures(self) -> dict[str, Measure]:
        return indicators.measures(self.counts)

    def _count(self, key: str) -> int:
        value = self.counts.get(key)
        return int(value) if isinstance(value, int | float) else 0

    @property
    def visits_done(self) -> int:
        return self._count("visits_done")

    @property
    def visits_due(self) -> int:
        return self._count("visits_due")

    @property
    def visits_due_met(self) -> int:
        return self._count("visits_due_met")

    @property
    def tickets_resolved(self) -> int:
        return self._count("tickets_resolved")

    @property
    def on_time_rate(self) -> float | None:
        value = self.measures["on_time_rate"].value
        return None if value is None else float(value)

    @property
    def avg_satisfaction(self) -> float | None:
        value = self.measures["avg_satisfaction"].value
        return None if value is None else float(value)


@dataclass(frozen=True)
class Dashboard:
    """Plain tables for the dashboard's charts and for the Excel export."""

    period_from: str
    period_to: str
    window: Window
    community_id: str | None
    grid_id: str | None
    weekly_visits: tuple[WeekVisits, ...]
    tickets_by_category: tuple[CategoryStatus, ...]
    overdue_trend: tuple[OverduePoint, ...]
    satisfaction: tuple[SatisfactionRow, ...]
    by_grid: tuple[GroupRow, ...]
    by_worker: tuple[GroupRow, ...]


def _scope_grids(session: Session, community_id: str | None,
                 grid_id: str | None) -> dict[str, dict[str, Any]]:
    g = table_of("grid")
    query = sa.select(g.c.id, g.c.name, g.c.community_id, g.c.worker_ids)
    if grid_id is not None:
        query = query.where(g.c.id == grid_id)
    if community_id is not None:
        query = query.where(g.c.community_id == community_id)
    return {r["id"]: dict(r) for r in session.execute(query.order_by(g.c.name, g.c.id))
            .mappings()}


def _scope_tickets(session: Session, grid_ids: Sequence[str], window: Window) -> tuple[
        dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Tickets of the grids that existed during the window and were open at some point of
    it (created before its end, not ended before its start), with their timelines."""
    t = table_of("ticket")
    e = table_of("ticket_event")
    recent = sa.select(e.c.id).where(e.c.ticket_id == t.c.id, e.c.at >= window.start).exists()
    ids: list[str] = []
    for chunk in _chunks(list(grid_ids)):
        ids += session.execute(sa.select(t.c.id).where(
            t.c.grid_id.in_(chunk),
            sa.or_(t.c.created_at.is_(None), t.c.created_at < window.end),
            sa.or_(t.c.status.notin_(("resolved", "closed", "cancelled", "merged")), recent),
        )).scalars().all()
    return _tickets_with_timelines(session, ids)


def _weeks(window: Window) -> list[dt.date]:
    monday = window.first - dt.timedelta(days=window.first.weekday())
    out = []
    while monday <= window.last:
        out.append(monday)
        monday += dt.timedelta(days=7)
    return out


def dashboard(
    session: Session,
    *,
    period_from: str,
    period_to: str,
    community_id: str | None = None,
    grid_id: str | None = None,
    today: dt.date | None = None,
) -> Dashboard:
    """The dashboard's tables over the months ``period_from..period_to`` (up to today),
    for the grids of the local copy, or of one community, or one grid.

    Raises :class:`PeriodError` for a malformed period, one after ``today``, or
    ``period_to`` before ``period_from`` (code ``invalid_period``).
    """
    today = today or _today()
    first = performance.month_window(period_from, today)
    last = performance.month_window(period_to, today)
    if last.last < first.first:
        raise PeriodError("invalid_period", f"{period_to} is before {period_from}")
    window = Window(first.first, last.last)
    grids = _scope_grids(session, community_id, grid_id)
    grid_ids = list(grids)
    households = _households(session, grid_ids=grid_ids)
    _previous_visits(session, grid_ids, window.start, households)
    visits = _visits(session, window, grid_ids=grid_ids)
    tickets, events = _scope_tickets(session, grid_ids, window)
    timelines = performance.timelines(events)
    due = performance.due_visits(households.values(), visits.values(), window)
    # Weeks.
    weeks = _weeks(window)
    done_by_week: dict[dt.date, int] = defaultdict(int)
    for v in visits.values():
        day = performance.local_day(v["visited_at"])
        done_by_week[day - dt.timedelta(days=day.weekday())] += 1
    planned = performance.planned_by_week(due, households, window)
    weekly = tuple(WeekVisits(max(w, window.first), done_by_week[w], planned.get(w, 0))
                   for w in weeks)
    # Tickets by category and status: those created in the window.
    counts: dict[tuple[str, str], int] = defaultdict(int)
    opened_by_grid: dict[str, int] = defaultdict(int)
    for t in tickets.values():
        created = performance.moment(t.get("created_at"))
        if created is not None and window.holds(created):
            counts[(str(t.get("category") or "other"), str(t.get("status")))] += 1
            opened_by_grid[str(t.get("grid_id"))] += 1
    by_category = tuple(CategoryStatus(c, s, n) for (c, s), n in sorted(counts.items()))
    # Overdue at the end of each week, and at the end of the window per grid / assignee.
    trend = []
    for w in weeks:
        day = min(w + dt.timedelta(days=6), window.last)
        moment = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
        n_open = n_overdue = 0
        for tid, t in tickets.items():
            is_open, overdue = performance.open_and_overdue(t, timelines.get(tid, []), moment)
            n_open += is_open
            n_overdue += overdue
        trend.append(OverduePoint(day, n_open, n_overdue))
    overdue_grid: dict[str, int] = defaultdict(int)
    overdue_worker: dict[str, int] = defaultdict(int)
    for tid, t in tickets.items():
        if performance.open_and_overdue(t, timelines.get(tid, []), window.end)[1]:
            overdue_grid[str(t.get("grid_id"))] += 1
            if t.get("assignee_id"):
                overdue_worker[str(t["assignee_id"])] += 1
    # Satisfaction per month (follow-up calls), resolutions on time, per grid.
    per_month: dict[str, list[str]] = defaultdict(list)
    follow_ups_by_grid: dict[str, list[float]] = defaultdict(list)
    resolved_by_grid: dict[str, list[bool | None]] = defaultdict(list)
    for tid, timeline in timelines.items():
        ticket = tickets.get(tid)
        grid_of_ticket = str((ticket or {}).get("grid_id"))
        for i, e in enumerate(timeline):
            kind = e.get("kind")
            if not window.holds(e["at"]):
                continue
            if kind in FOLLOW_UP_KINDS:
                value = performance.follow_up_satisfaction(ticket, timeline, i)
                if value is not None:
                    per_month[performance.period_of(e["at"])].append(value)
                    follow_ups_by_grid[grid_of_ticket].append(
                        performance.SATISFACTION_SCORES[value])
            elif kind == "resolve":
                due_at = performance.due_at_resolution(ticket, timeline, i)
                resolved_by_grid[grid_of_ticket].append(
                    None if due_at is None else e["at"] <= due_at)
    satisfaction = tuple(
        SatisfactionRow(p, per_month[p].count("satisfied"),
                        per_month[p].count("basically_satisfied"),
                        per_month[p].count("dissatisfied"),
                        _mean([performance.SATISFACTION_SCORES[x] for x in per_month[p]]))
        for p in performance.periods_between(period_from, period_to))
    # Per grid.
    due_by_grid: dict[str, list[DueVisit]] = defaultdict(list)
    for d in due:
        due_by_grid[str(households[d.household_id].get("grid_id"))].append(d)
    visits_by_grid: dict[str, int] = defaultdict(int)
    for v in visits.values():
        h = households.get(v["household_id"])
        if h is not None:
            visits_by_grid[str(h.get("grid_id"))] += 1
    active: dict[str, int] = defaultdict(int)
    for h in households.values():
        if h.get("status") != "moved_out":
            active[str(h.get("grid_id"))] += 1
    by_grid = tuple(
        GroupRow(gid, g.get("name"), active[gid], {
            "visits_done": visits_by_grid[gid], "visits_due": len(due_by_grid[gid]),
            "visits_due_met": sum(1 for d in due_by_grid[gid] if d.met),
            "tickets_resolved": len(resolved_by_grid[gid]),
            "tickets_on_time": sum(1 for r in resolved_by_grid[gid] if r),
            "tickets_timed": sum(1 for r in resolved_by_grid[gid] if r is not None),
            "follow_ups": len(follow_ups_by_grid[gid]),
            "satisfaction_points": sum(follow_ups_by_grid[gid]),
        }, opened_by_grid[gid], overdue_grid[gid])
        for gid, g in grids.items())
    # Per worker: the same computation as their records, over the dashboard's window.
    workers_grids: dict[str, list[str]] = defaultdict(list)
    for gid, g in grids.items():
        for wid in g.get("worker_ids") or ():
            workers_grids[wid].append(gid)
    names = _names(session, workers_grids)
    tags_of = {v["household_id"]: list(households[v["household_id"]].get("tags") or ())
               for v in visits.values() if v["household_id"] in households}
    visits_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for v in visits.values():
        visits_of[str(v.get("worker_id"))].append(v)
    involved: dict[str, set[str]] = defaultdict(set)  # who resolved or accepted a ticket
    for tid, timeline in timelines.items():
        for e in timeline:
            if e.get("kind") in ("resolve", "accept"):
                involved[str(e.get("actor_id"))].add(tid)
    rows = []
    for wid in sorted(workers_grids, key=lambda w: (names.get(w) or "", w)):
        own_due = [d for gid in workers_grids[wid] for d in due_by_grid[gid]]
        done, key = performance.worker_visits(wid, visits_of[wid], window, tags_of)
        resolved, follow_ups, acceptances = performance.ticket_work_in(
            wid, tickets, {tid: timelines[tid] for tid in sorted(involved[wid])}, window)
        f = MonthlyFigures(wid, window, tuple(v for _, v, _ in done), tuple(key),
                           tuple(own_due), tuple(resolved), tuple(follow_ups),
                           tuple(acceptances))
        rows.append(GroupRow(
            wid, names.get(wid), sum(active[g] for g in workers_grids[wid]), f.counts(), 0,
            overdue_worker[wid]))
    return Dashboard(period_from, period_to, window, community_id, grid_id, weekly,
                     by_category, tuple(trend), satisfaction, by_grid, tuple(rows))


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None
