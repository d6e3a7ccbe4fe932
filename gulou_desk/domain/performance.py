"""A social worker's monthly performance figures (绩效考核), from plain values.

One computation, used by the server for the official figures of a month
(``server/performance.py``) and by the client for a live preview of the current month
(``gulou_desk/store/performance_queries.py``). It reads plain mappings (records as
:mod:`gulou_desk.records` gives them; times may also be ISO 8601 text) and returns
:class:`MonthlyFigures`, which keeps, for every figure, the records behind it, so each
number can be opened into the list it counts (drill-down).

All days are days in Asia/Shanghai. A figure covers a :class:`Window` of days: a whole
month, or the month up to today for the current month.

The figures
-----------
``visits_done``
    Visits recorded by the worker (``visit.worker_id``) with ``visited_at`` in the window,
    whatever household they went to.
``visits_due``
    How many visits the cadence asked for in the window, over the active households of the
    worker's grids (:func:`due_visits`, defined precisely there). A visit to one of those
    households by anyone (a colleague of the same grid too) meets what is due; only the
    worker's own visits count in ``visits_done``.
``key_visits``
    The worker's visits (as in ``visits_done``) to households with a care tag of
    :data:`KEY_TAGS` (独居老人, 空巢老人, 低保, 残疾, 特扶, 重点关注: the tags that set a
    closer cadence; 退役军人 alone does not).
``tickets_resolved``
    ``resolve`` events by the worker in the window (a ticket resolved, reopened and
    resolved again in the month counts twice: the work was done twice).
``on_time_rate``
    Of those resolutions, the share made by the due time in force at that moment
    (:func:`due_at_resolution`: the SLA in working days from :mod:`sla`, holidays and
    make-up workdays included, moved by pauses on the resident and approved extensions).
    0..1, ``None`` without resolutions.
``avg_satisfaction``
    Follow-up calls (回访) in the window on tickets whose latest resolution before the call
    was the worker's: 满意 100, 基本满意 80, 不满意 0 (:data:`SATISFACTION_SCORES`); the
    mean, ``None`` without calls.
``median_accept_hours``
    For each ``accept`` (签收) by the worker in the window, the hours since the ticket was
    last handed to its assignee (assigned, created by a worker for themselves, reopened,
    sent back by a dissatisfied follow-up, split out of a merge); the median, ``None``
    without acceptances.

Rates are rounded as stored: on-time to 3 places, satisfaction and hours to 1.

What is shown from these (the rates with their numerators and denominators, the
suggested score and how it was made) is defined once, in :mod:`gulou_desk.domain.indicators`.
The suggested score is only a suggestion: the supervisor decides the final score when
approving.
"""

from __future__ import annotations

import datetime as dt
import operator
import statistics
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gulou_desk.domain import cadence, indicators, sla
from gulou_desk.domain.workflows import FOLLOW_UP_DISSATISFIED, parse_extension_request
from gulou_desk.records import SHANGHAI, format_datetime

METHOD = 2
"""Version of these rules, stored with official figures (a later rule change is visible).
2: the suggested score's visit part is the due visits done (:mod:`indicators`), and the
counts behind the rates are stored."""

FIGURES: tuple[str, ...] = (
    "visits_done", "visits_due", "key_visits", "tickets_resolved", "on_time_rate",
    "avg_satisfaction", "median_accept_hours",
)
"""The figures of a record, in display order (the keys of ``performance_record.figures``)."""

FIGURE_ENTITY: dict[str, str] = {
    "visits_done": "visit",
    "visits_due": "household",
    "visits_due_met": "household",
    "visit_completion": "household",
    "key_visits": "visit",
    "tickets_resolved": "ticket",
    "on_time_rate": "ticket",
    "avg_satisfaction": "ticket",
    "median_accept_hours": "ticket",
}
"""Which records a figure's drill-down lists."""

KEY_TAGS: frozenset[str] = frozenset(cadence.TAG_CADENCE_DAYS)
"""Care tags that make a household a key household (重点户) for ``key_visits``."""

SATISFACTION_SCORES: dict[str, float] = {
    "satisfied": 100.0, "basically_satisfied": 80.0, "dissatisfied": 0.0,
}
HANDOVER_KINDS: frozenset[str] = frozenset(
    {"created", "assign", "reopen", FOLLOW_UP_DISSATISFIED, "split"})
"""Timeline events after which a ticket waits for its assignee to accept it."""
FOLLOW_UP_KINDS: frozenset[str] = frozenset({"close", FOLLOW_UP_DISSATISFIED})
"""Timeline events of a follow-up call (回访) with the resident."""
DUE_CHANGING_KINDS: frozenset[str] = frozenset(
    {"triage", "resume", "approve_extension", "reopen", FOLLOW_UP_DISSATISFIED})
"""Timeline events whose step may move the due time of a ticket that has one."""


_NAMESPACE = uuid.UUID("5b0e3c1e-7f0a-4f7e-9c57-6c6f75706572")


# --- periods and windows --------------------------------------------------------------


class PeriodError(ValueError):
    """A period that cannot be used: ``code`` is ``invalid_period`` (not ``YYYY-MM``) or
    ``future_period`` (it has not begun)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Window:
    """The days ``first..last`` (inclusive) in Asia/Shanghai."""

    first: dt.date
    last: dt.date
    start: dt.datetime = field(init=False, repr=False, compare=False)
    """Midnight at the start of ``first``."""
    end: dt.datetime = field(init=False, repr=False, compare=False)
    """Midnight after ``last`` (the window holds moments ``start <= m < end``)."""

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a window ends on or after its first day")
        object.__setattr__(self, "start",
                           dt.datetime.combine(self.first, dt.time(), tzinfo=SHANGHAI))
        object.__setattr__(self, "end", dt.datetime.combine(
            self.last + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI))

    def holds(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end

    def holds_day(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


def parse_period(text: str) -> tuple[int, int]:
    """``(year, month)`` of ``"YYYY-MM"``, or :class:`PeriodError` (``invalid_period``)."""
    if (not isinstance(text, str) or len(text) != 7 or text[4] != "-"
            or not (text[:4] + text[5:]).isdigit()):
        raise PeriodError("invalid_period", f"a period is written YYYY-MM, not {text!r}")
    year, month = int(text[:4]), int(text[5:])
    if not 1 <= month <= 12 or year < 2000:
        raise PeriodError("invalid_period", f"no such month: {text!r}")
    return year, month


def month_window(period: str, today: dt.date | None = None) -> Window:
    """The days of ``period``; with ``today``, only up to today (the current month).

    Raises :class:`PeriodError`: ``invalid_period``, or ``future_period`` when ``today``
    is before the month's first day.
    """
    year, month = parse_period(period)
    first = dt.date(year, month, 1)
    nxt = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    last = nxt - dt.timedelta(days=1)
    if today is not None:
        if today < first:
            raise PeriodError("future_period", f"{period} has not begun on {today}")
        last = min(last, today)
    return Window(first, last)


def period_of(value: dt.date | dt.datetime) -> str:
    """The ``YYYY-MM`` period of a day or a moment (in Asia/Shanghai)."""
    day = local_day(value) if isinstance(value, dt.datetime) else value
    return f"{day.year:04d}-{day.month:02d}"


def periods_between(first: str, last: str) -> list[str]:
    """Every period from ``first`` to ``last`` inclusive (empty when ``last`` is before)."""
    y, m = parse_period(first)
    end = parse_period(last)
    out = []
    while (y, m) <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def record_id(worker_id: str, period: str) -> str:
    """The id of a worker's record for a period: the same on every run (uuid5), so two
    runs of the monthly computation never make two records."""
    parse_period(period)
    return str(uuid.uuid5(_NAMESPACE, f"performance_record/{worker_id}/{period}"))


# --- plain values -----------------------------------------------------------------------


def moment(value: Any) -> dt.datetime | None:
    """An aware datetime from a datetime (naive means UTC, as the stores read) or ISO text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if not isinstance(value, dt.datetime):
        raise TypeError(f"expected a time, got {value!r:.40}")
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def local_day(value: dt.datetime) -> dt.date:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(SHANGHAI).date()


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    m = moment(value)
    return local_day(m) if m is not None else None


# --- what each figure counts ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DueVisit:
    """One visit the cadence asked for: due on ``due_on``, met by a visit on ``met_on``
    (any worker's, or the household's last visit without a record), or missed (``None``)."""

    household_id: str
    due_on: dt.date
    met_on: dt.date | None

    @property
    def met(self) -> bool:
        return self.met_on is not None


@dataclass(frozen=True, slots=True)
class ResolvedTicket:
    """A ``resolve`` event of the worker, with the due time in force at that moment."""

    event_id: str
    ticket_id: str
    resolved_at: dt.datetime
    due_at: dt.datetime | None
    on_time: bool | None
    """``None`` when the due time cannot be known (left out of the rate)."""


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A follow-up call (回访) on a ticket the worker resolved."""

    event_id: str
    ticket_id: str
    at: dt.datetime
    satisfaction: str
    score: float


@dataclass(frozen=True, slots=True)
class Acceptance:
    """An ``accept`` (签收) of the worker and how long the ticket waited for it."""

    event_id: str
    ticket_id: str
    handed_over_at: dt.datetime
    accepted_at: dt.datetime

    @property
    def hours(self) -> float:
        return (self.accepted_at - self.handed_over_at).total_seconds() / 3600


@dataclass(frozen=True, slots=True)
class Basis:
    """The records behind one figure: ``entity`` (``visit``, ``household`` or ``ticket``)
    and their ids, in order, each once."""

    entity: str
    ids: tuple[str, ...]


def _unique(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


@dataclass(frozen=True)
class MonthlyFigures:
    """A worker's figures over a window, with everything they count.

    Build with :func:`compute_figures` (or :meth:`from_record` to read stored official
    figures back). ``values()`` gives the seven numbers, ``basis(name)`` the records
    behind one of them, ``to_record()`` the JSON object stored in
    ``performance_record.figures``.
    """

    worker_id: str
    window: Window
    visit_ids: tuple[str, ...] = ()
    """The worker's visits in the window, oldest first."""
    key_visit_ids: tuple[str, ...] = ()
    due: tuple[DueVisit, ...] = ()
    resolved: tuple[ResolvedTicket, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    acceptances: tuple[Acceptance, ...] = ()
    visit_households: Mapping[str, str] = field(default_factory=dict)
    """visit id → household id, for the visits in ``visit_ids``."""

    # -- the figures ---------------------------------------------------------------

    @property
    def visits_done(self) -> int:
        return len(self.visit_ids)

    @property
    def visits_due(self) -> int:
        return len(self.due)

    @property
    def visits_due_met(self) -> int:
        return sum(1 for d in self.due if d.met)

    @property
    def key_visits(self) -> int:
        return len(self.key_visit_ids)

    @property
    def tickets_resolved(self) -> int:
        return len(self.resolved)

    @property
    def tickets_on_time(self) -> int:
        return sum(1 for r in self.resolved if r.on_time)

    @property
    def on_time_rate(self) -> float | None:
        known = [r for r in self.resolved if r.on_time is not None]
        if not known:
            return None
        return round(sum(1 for r in known if r.on_time) / len(known), 3)

    @property
    def avg_satisfaction(self) -> float | None:
        if not self.follow_ups:
            return None
        return round(statistics.fmean(f.score for f in self.follow_ups), 1)

    @property
    def median_accept_hours(self) -> float | None:
        if not self.acceptances:
            return None
        return round(statistics.median(a.hours for a in self.acceptances), 1)

    @property
    def tickets_timed(self) -> int:
        """Resolutions whose due time is known (the on-time rate's denominator)."""
        return sum(1 for r in self.resolved if r.on_time is not None)

    def values(self) -> dict[str, int | float | None]:
        """The seven figures by name (:data:`FIGURES`)."""
        return {name: getattr(self, name) for name in FIGURES}

    def counts(self) -> dict[str, int | float | None]:
        """What the indicators are made of (:data:`indicators.COUNTS`)."""
        return {
            "visits_due": self.visits_due, "visits_done": self.visits_done,
            "visits_due_met": self.visits_due_met, "key_visits": self.key_visits,
            "tickets_resolved": self.tickets_resolved,
            "tickets_on_time": self.tickets_on_time, "tickets_timed": self.tickets_timed,
            "follow_ups": len(self.follow_ups),
            "satisfaction_points": sum(f.score for f in self.follow_ups),
            "acceptances": len(self.acceptances),
            "median_accept_hours": self.median_accept_hours,
        }

    def measures(self) -> dict[str, indicators.Measure]:
        """Every indicator, with its numerator and denominator (:func:`indicators.measures`)."""
        return indicators.measures(self.counts())

    def suggested_score(self) -> float:
        value = self.measures()["suggested_score"].value
        return float(value) if value is not None else indicators.SCORE_BASE

    def basis(self, figure: str) -> Basis:
        """The records behind ``figure`` (``KeyError`` for an unknown name).

        ``visits_due`` lists households (each once, however many visits were due there);
        the ticket figures list tickets (each once).
        """
        entity = FIGURE_ENTITY[figure]
        if figure == "visits_done":
            ids: Iterable[str] = self.visit_ids
        elif figure == "key_visits":
            ids = self.key_visit_ids
        elif figure in ("visits_due", "visit_completion"):
            ids = (d.household_id for d in self.due)
        elif figure == "visits_due_met":
            ids = (d.household_id for d in self.due if d.met)
        elif figure in ("tickets_resolved", "on_time_rate"):
            ids = (r.ticket_id for r in self.resolved)
        elif figure == "avg_satisfaction":
            ids = (f.ticket_id for f in self.follow_ups)
        else:
            ids = (a.ticket_id for a in self.acceptances)
        return Basis(entity, _unique(ids))

    # -- stored form ---------------------------------------------------------------

    def to_record(self, computed_at: dt.datetime) -> dict[str, Any]:
        """The JSON object for ``performance_record.figures``.

        The seven figures at the top (as the demo data has them), then the other counts
        of :data:`indicators.COUNTS` (``visits_due_met``, ``tickets_on_time``,
        ``tickets_timed``, ``follow_ups``, ``satisfaction_points``, ``acceptances``),
        ``visit_completion``, ``suggested_score``, ``first`` and
        ``through`` (the days counted), ``computed_at``, ``method`` and ``basis``: what
        each figure counted, so a stored record explains itself even after the data
        changed::

            visits_done / key_visits: [visit_id, …]
            visits_due:               [[household_id, due_on, met_on | null], …]
            tickets_resolved:         [[event_id, ticket_id, resolved_at, due_at | null,
                                        on_time | null], …]   (on_time_rate uses these)
            avg_satisfaction:         [[event_id, ticket_id, at, satisfaction], …]
            median_accept_hours:      [[event_id, ticket_id, handed_over_at, accepted_at], …]
            visit_households:         {visit_id: household_id}
        """
        out: dict[str, Any] = dict(self.values())
        out.update(
            {k: v for k, v in self.counts().items() if k not in out},
            visit_completion=self.measures()["visit_completion"].value,
            suggested_score=self.suggested_score(),
            first=self.window.first.isoformat(),
            through=self.window.last.isoformat(),
            computed_at=format_datetime(computed_at),
            method=METHOD,
            basis={
                "visits_done": list(self.visit_ids),
                "key_visits": list(self.key_visit_ids),
                "visits_due": [[d.household_id, d.due_on.isoformat(),
                                d.met_on.isoformat() if d.met_on else None]
                               for d in self.due],
                "tickets_resolved": [[r.event_id, r.ticket_id, format_datetime(r.resolved_at),
                                      format_datetime(r.due_at) if r.due_at else None,
                                      r.on_time] for r in self.resolved],
                "avg_satisfaction": [[f.event_id, f.ticket_id, format_datetime(f.at),
                                      f.satisfaction] for f in self.follow_ups],
                "median_accept_hours": [[a.event_id, a.ticket_id,
                                         format_datetime(a.handed_over_at),
                                         format_datetime(a.accepted_at)]
                                        for a in self.acceptances],
                "visit_households": dict(self.visit_households),
            },
        )
        return out

    @classmethod
    def from_record(cls, worker_id: str, period: str,
                    figures: Mapping[str, Any] | None) -> MonthlyFigures | None:
        """Stored official figures read back, or ``None`` when they carry no ``basis``
        (records made before this rule, or demo data): recompute those instead."""
        if not figures or not isinstance(figures.get("basis"), Mapping):
            return None
        try:
            return cls._from_basis(worker_id, period, figures, figures["basis"])
        except (ValueError, TypeError, KeyError):
            return None  # malformed: recompute instead

    @classmethod
    def _from_basis(cls, worker_id: str, period: str, figures: Mapping[str, Any],
                    b: Mapping[str, Any]) -> MonthlyFigures:
        window = month_window(period)
        if figures.get("first") and figures.get("through"):
            window = Window(dt.date.fromisoformat(figures["first"]),
                            dt.date.fromisoformat(figures["through"]))

        def when(value: Any) -> dt.datetime:
            m = moment(value)
            if m is None:
                raise ValueError("a time is missing")
            return m

        return cls(
            worker_id=worker_id,
            window=window,
            visit_ids=tuple(b.get("visits_done") or ()),
            key_visit_ids=tuple(b.get("key_visits") or ()),
            due=tuple(DueVisit(h, dt.date.fromisoformat(d),
                               dt.date.fromisoformat(m) if m else None)
                      for h, d, m in b.get("visits_due") or ()),
            resolved=tuple(ResolvedTicket(e, t, when(at), moment(due), ok)
                           for e, t, at, due, ok in b.get("tickets_resolved") or ()),
            follow_ups=tuple(FollowUp(e, t, when(at), s, SATISFACTION_SCORES[s])
                             for e, t, at, s in b.get("avg_satisfaction") or ()),
            acceptances=tuple(Acceptance(e, t, when(h), when(a))
                              for e, t, h, a in b.get("median_accept_hours") or ()),
            visit_households=dict(b.get("visit_households") or {}),
        )


def stored_measures(worker_id: str, period: str,
                    figures: Mapping[str, Any] | None) -> dict[str, indicators.Measure]:
    """The indicators of a stored record's ``figures``: from what they counted (their
    ``basis``) when they carry it, else from the numbers they hold."""
    computed = MonthlyFigures.from_record(worker_id, period, figures)
    if computed is not None:
        return computed.measures()
    return indicators.measures_of_stored(figures or {})


def suggested_score(figures: Mapping[str, Any]) -> float:
    """The suggested score of stored figures (:func:`indicators.suggested_score`)."""
    value = indicators.measures_of_stored(figures)["suggested_score"].value
    return float(value) if value is not None else indicators.SCORE_BASE


# --- visits -----------------------------------------------------------------------------


_DUE_ORDER = operator.attrgetter("due_on", "household_id")


def household_due(
    household_id: str, visit_days: Iterable[dt.date], cadence_days: int, window: Window,
) -> list[DueVisit]:
    """The visits due at one household in ``window``.

    ``visit_days``: every day the household was visited (before, in or after the window).

    1. The clock starts from the last visit before the window: the first visit is due
       ``cadence`` days after it, but not before the window's first day (an overdue
       household is due on day one). A household never visited (or whose earlier visits
       are unknown) is due on day one.
    2. A visit on or after the due day meets it if it comes within one cadence of it
       (late, but met); the next visit is due ``cadence`` days after that visit.
    3. A visit before the due day (early) is due nothing, and restarts the clock.
    4. A due visit missed for a whole cadence counts as missed, and the next one is due a
       cadence after it (a weekly household left alone for a month missed four or five).
    5. Only due days up to the window's last day count.
    """
    days = sorted(set(visit_days))
    before = [d for d in days if d < window.first]
    inside = [d for d in days if window.first <= d <= window.last]
    step = dt.timedelta(days=cadence_days)
    due = window.first if not before else max(before[-1] + step, window.first)
    out: list[DueVisit] = []
    i = 0
    while True:
        while i < len(inside) and inside[i] < due:  # early visits restart the clock
            due = inside[i] + step
            i += 1
        if due > window.last:
            return out
        if i < len(inside) and inside[i] < due + step:
            out.append(DueVisit(household_id, due, inside[i]))
            due = inside[i] + step
            i += 1
        else:
            out.append(DueVisit(household_id, due, None))
            due += step


def due_visits(
    households: Iterable[Mapping[str, Any]],
    visits: Iterable[Mapping[str, Any]],
    window: Window,
    *,
    grid_ids: Collection[str] | None = None,
) -> list[DueVisit]:
    """The visits due in ``window`` at the active households (of ``grid_ids``, when given).

    ``households``: ``id``, ``tags``, ``visit_cadence_days``, ``last_visit_at``, ``status``,
    ``grid_id``, and optionally ``previous_visit_at`` (the last visit before the window,
    when the caller looked it up instead of passing old visits). ``visits``: ``household_id``
    and ``visited_at`` of visits to them by anyone; pass those in the window and at least
    the last one before it. A household's ``last_visit_at`` counts as a visit too (a visit
    without a record, such as a paper form). Households that moved out are due nothing.
    The cadence is :func:`cadence.effective_cadence_days`. See :func:`household_due`.
    """
    days: dict[str, set[dt.date]] = defaultdict(set)
    for v in visits:
        day = _day(v.get("visited_at"))
        if day is not None:
            days[str(v.get("household_id"))].add(day)
    out: list[DueVisit] = []
    for h in households:
        if h.get("status") == "moved_out":
            continue
        if grid_ids is not None and h.get("grid_id") not in grid_ids:
            continue
        hid = str(h["id"])
        own = set(days.get(hid, ()))
        for key in ("last_visit_at", "previous_visit_at"):
            day = _day(h.get(key))
            if day is not None:
                own.add(day)
        cad = cadence.effective_cadence_days(h.get("visit_cadence_days"), h.get("tags") or ())
        out.extend(household_due(hid, own, cad, window))
    out.sort(key=_DUE_ORDER)
    return out


def planned_by_week(
    due: Iterable[DueVisit],
    households: Mapping[str, Mapping[str, Any]],
    window: Window,
) -> dict[dt.date, int]:
    """The visits planned in each week of ``window`` (its Monday → how many): a plan a
    person can follow, not the backlog in week one.

    :func:`household_due` makes a household that is already overdue when the window
    starts (or was never visited) due on the window's first day: right for counting what
    was due, but as a plan it put the whole backlog into the first week (a street's
    2,000 never-visited households in week one, a few hundred a week after). Here each
    such backlog visit is planned within one cadence of the first day instead, spread
    evenly over those days (households in id order, per cadence): a weekly household
    still in week one, a 90-day household somewhere in the first 90 days. Every other due
    visit stays on its due day. The total is the number of visits due.

    ``households``: as for :func:`due_visits` (``tags``, ``visit_cadence_days``,
    ``last_visit_at``, ``previous_visit_at``).
    """
    def monday(day: dt.date) -> dt.date:
        return day - dt.timedelta(days=day.weekday())

    plan: dict[dt.date, int] = defaultdict(int)
    backlog: dict[int, list[str]] = defaultdict(list)
    seen_first: set[str] = set()
    for d in sorted(due, key=_DUE_ORDER):
        first_of_household = d.household_id not in seen_first
        seen_first.add(d.household_id)
        h = households.get(d.household_id)
        if d.due_on != window.first or not first_of_household or h is None:
            plan[monday(d.due_on)] += 1
            continue
        cad = cadence.effective_cadence_days(h.get("visit_cadence_days"), h.get("tags") or ())
        before = [day for day in (_day(h.get("last_visit_at")), _day(h.get("previous_visit_at")))
                  if day is not None and day < window.first]
        if before and max(before) + dt.timedelta(days=cad) >= window.first:
            plan[monday(d.due_on)] += 1  # due on the first day itself: not a backlog
            continue
        backlog[cad].append(d.household_id)
    length = (window.last - window.first).days + 1
    for cad, ids in backlog.items():
        span = min(cad, length)
        ids.sort()
        for k, _hid in enumerate(ids):
            day = window.first + dt.timedelta(days=k * span // len(ids))
            plan[monday(day)] += 1
    return dict(plan)


def worker_visits(
    worker_id: str,
    visits: Iterable[Mapping[str, Any]],
    window: Window,
    tags_of: Mapping[str, Sequence[str]],
) -> tuple[list[tuple[dt.datetime, str, str]], list[str]]:
    """The worker's visits in the window as ``(visited_at, visit_id, household_id)``, oldest
    first, and the ids of those to key households (``tags_of``: household id → tags)."""
    done: list[tuple[dt.datetime, str, str]] = []
    for v in visits:
        if v.get("worker_id") != worker_id:
            continue
        at = moment(v.get("visited_at"))
        if at is not None and window.holds(at):
            done.append((at, str(v["id"]), str(v.get("household_id"))))
    done.sort()
    key = [vid for _, vid, hid in done if KEY_TAGS.intersection(tags_of.get(hid) or ())]
    return done, key


# --- tickets ----------------------------------------------------------------------------


_STEP_ORDER: dict[str, int] = {kind: rank for rank, kind in enumerate((
    "created", "linked", "merged_in", "triage", "assign", "accept", "start", "wait", "resume",
    "request_extension", "approve_extension", "escalate", "comment", "resolve", "close",
    FOLLOW_UP_DISSATISFIED, "reopen", "return", "merge", "split", "cancel"))}


def timelines(events: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Events per ticket id, in time order, ``at`` made an aware datetime in whole seconds.

    Times are cut to the second because that is what the wire carries: the server holds
    microseconds, its clients do not, and both must order and count alike. Events of the
    same second (a step and its side effects, or quick steps) keep the order the workflow
    gives them (created, assign, accept … resolve, close), then the given order.
    """
    by_ticket: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in events:
        at = moment(e.get("at"))
        if at is None:
            continue
        by_ticket[str(e.get("ticket_id"))].append({**e, "at": at.replace(microsecond=0)})
    for timeline in by_ticket.values():
        timeline.sort(key=lambda e: (e["at"], _STEP_ORDER.get(str(e.get("kind")), 99)))
    return by_ticket


def _data(event: Mapping[str, Any]) -> Mapping[str, Any]:
    data = event.get("data")
    return data if isinstance(data, Mapping) else {}


def due_at_resolution(
    ticket: Mapping[str, Any] | None, timeline: Sequence[Mapping[str, Any]], index: int,
) -> dt.datetime | None:
    """The due time in force when ``timeline[index]`` (a resolve) happened: see
    :func:`due_in_force` (a resolve itself never moves the due time)."""
    return due_in_force(ticket, timeline, index)


def due_in_force(
    ticket: Mapping[str, Any] | None, timeline: Sequence[Mapping[str, Any]], before: int,
) -> dt.datetime | None:
    """The due time after the first ``before`` events of the ticket's ``timeline``.

    When none of the later events can have moved it, that is the ticket's own ``due_at``
    (the server kept it current through every step). Otherwise it is rebuilt from the
    timeline with the same rules the steps use (:mod:`sla`): the category's SLA in working
    days from the creation, a fresh SLA from a reopen or a dissatisfied follow-up, plus the
    working days of each pause (``wait`` → ``resume``) and each approved extension (its
    ``data["days"]``, else the days its request asked for). An event whose ``data`` carries
    ``due_at`` (the server writes it when a step moves the due time) is taken as it is.
    ``None`` when nothing tells (no ticket, no time of creation).
    """
    later = timeline[before:]
    if ticket is not None and ticket.get("due_at") is not None and not any(
        e.get("kind") in DUE_CHANGING_KINDS or "due_at" in _data(e) for e in later
    ):
        due_at = moment(ticket["due_at"])
        return due_at.replace(microsecond=0) if due_at is not None else None
    category = str((ticket or {}).get("category") or "other")
    priority = (ticket or {}).get("priority")
    created = moment((ticket or {}).get("created_at"))
    if created is None:
        created = next((moment(e["at"]) for e in timeline if e.get("kind") == "created"), None)
    if created is None:
        return None
    due = sla.due_at(category, created, priority=priority)
    paused_from: dt.datetime | None = None
    requested_days: int | None = None
    for e in timeline[:before]:
        kind, at, data = e.get("kind"), moment(e["at"]), _data(e)
        assert at is not None
        # (A triage re-bases the SLA on the creation with the new category: the start
        # value above already is that, with the ticket's final category.)
        if data.get("due_at"):
            due = moment(data["due_at"]) or due
        elif kind in ("reopen", FOLLOW_UP_DISSATISFIED):
            due = sla.due_at(category, at, priority=priority)
        elif kind == "resume" and paused_from is not None:
            due = sla.extend_due_for_pause(due, paused_from, at)
        elif kind == "approve_extension":
            days = data.get("days", requested_days)
            if isinstance(days, int) and not isinstance(days, bool) and days > 0:
                due = sla.add_working_days(due, days)
        if kind == "wait":
            paused_from = at
        elif kind == "resume":
            paused_from = None
        elif kind == "request_extension":
            parsed = parse_extension_request(e.get("body"))
            requested_days = parsed[0] if parsed else None
    return due.replace(microsecond=0)


OPENING_KINDS: frozenset[str] = frozenset(
    {"created", "reopen", FOLLOW_UP_DISSATISFIED, "split"})
ENDING_KINDS: frozenset[str] = frozenset({"resolve", "cancel", "merge"})


def open_and_overdue(
    ticket: Mapping[str, Any], timeline: Sequence[Mapping[str, Any]], at: dt.datetime,
) -> tuple[bool, bool]:
    """Whether the ticket was open at ``at``, and overdue then.

    Open from its creation (or a reopen, a dissatisfied follow-up, a split) until it was
    resolved, cancelled or merged. Overdue: open, not waiting on the resident (the SLA
    clock is stopped then), and past the due time in force (:func:`due_in_force`).
    ``timeline`` in time order, as :func:`timelines` gives it.
    """
    created = moment(ticket.get("created_at"))
    is_open = created is not None and created <= at
    waiting = False
    count = 0
    for e in timeline:
        when = moment(e["at"])
        assert when is not None
        if when > at:
            break
        count += 1
        kind = e.get("kind")
        if kind in OPENING_KINDS:
            is_open, waiting = True, False
        elif kind in ENDING_KINDS:
            is_open, waiting = False, False
        elif kind == "wait":
            waiting = True
        elif kind == "resume":
            waiting = False
    if not is_open or waiting:
        return is_open, False
    due = due_in_force(ticket, timeline, count)
    return True, due is not None and due < at


def follow_up_satisfaction(
    ticket: Mapping[str, Any] | None, timeline: Sequence[Mapping[str, Any]], index: int,
) -> str | None:
    """The satisfaction of the follow-up ``timeline[index]``.

    The event's ``data["satisfaction"]`` when the server wrote it; 不满意 for a
    dissatisfied follow-up; otherwise (a ``close`` written without data) the ticket's own
    ``satisfaction`` if this close still stands (nothing after it reopened the ticket).
    """
    event = timeline[index]
    value = _data(event).get("satisfaction")
    if value in SATISFACTION_SCORES:
        return str(value)
    if event.get("kind") == FOLLOW_UP_DISSATISFIED:
        return "dissatisfied"
    later = timeline[index + 1:]
    if (ticket is not None and ticket.get("status") == "closed"
            and not any(e.get("kind") in ("reopen", *FOLLOW_UP_KINDS) for e in later)
            and ticket.get("satisfaction") in SATISFACTION_SCORES):
        return str(ticket["satisfaction"])
    return None


def ticket_work(
    worker_id: str,
    tickets: Iterable[Mapping[str, Any]],
    events: Iterable[Mapping[str, Any]],
    window: Window,
) -> tuple[list[ResolvedTicket], list[FollowUp], list[Acceptance]]:
    """The worker's resolutions, the follow-up calls on their resolutions, and their
    acceptances in ``window``, each oldest first.

    ``events``: the whole timelines (``id``, ``ticket_id``, ``actor_id``, ``kind``,
    ``body``, ``at``, ``data``) of the tickets concerned: a resolution's due time and an
    acceptance's hand-over may lie before the window. ``tickets``: those tickets
    (``id``, ``category``, ``priority``, ``created_at``, ``due_at``, ``status``,
    ``satisfaction``).
    """
    by_id = {str(t["id"]): t for t in tickets}
    return ticket_work_in(worker_id, by_id, timelines(events), window)


def ticket_work_in(
    worker_id: str,
    tickets: Mapping[str, Mapping[str, Any]],
    timelines_by_ticket: Mapping[str, Sequence[Mapping[str, Any]]],
    window: Window,
) -> tuple[list[ResolvedTicket], list[FollowUp], list[Acceptance]]:
    """:func:`ticket_work` on tickets by id and timelines already built by
    :func:`timelines` (to share them between many workers)."""
    resolved: list[ResolvedTicket] = []
    follow_ups: list[FollowUp] = []
    acceptances: list[Acceptance] = []
    for ticket_id, timeline in timelines_by_ticket.items():
        ticket = tickets.get(ticket_id)
        resolver: str | None = None
        handed_over: dt.datetime | None = None
        for i, e in enumerate(timeline):
            kind, at, actor = e.get("kind"), e["at"], e.get("actor_id")
            inside = window.holds(at)
            if kind == "resolve":
                resolver = actor
                if inside and actor == worker_id:
                    due = due_at_resolution(ticket, timeline, i)
                    resolved.append(ResolvedTicket(str(e["id"]), ticket_id, at, due,
                                                   None if due is None else at <= due))
            elif kind == "accept" and inside and actor == worker_id and handed_over:
                acceptances.append(Acceptance(str(e["id"]), ticket_id, handed_over, at))
            elif kind in FOLLOW_UP_KINDS and inside and resolver == worker_id:
                value = follow_up_satisfaction(ticket, timeline, i)
                if value is not None:
                    follow_ups.append(FollowUp(str(e["id"]), ticket_id, at, value,
                                               SATISFACTION_SCORES[value]))
            if kind in HANDOVER_KINDS:
                handed_over = at
            if kind in ("reopen", FOLLOW_UP_DISSATISFIED):
                resolver = None
    resolved.sort(key=lambda r: r.resolved_at)
    follow_ups.sort(key=lambda f: f.at)
    acceptances.sort(key=lambda a: a.accepted_at)
    return resolved, follow_ups, acceptances


# --- everything at once -------------------------------------------------------------------


def compute_figures(
    worker_id: str,
    window: Window,
    *,
    households: Iterable[Mapping[str, Any]] = (),
    visits: Iterable[Mapping[str, Any]] = (),
    tickets: Iterable[Mapping[str, Any]] = (),
    events: Iterable[Mapping[str, Any]] = (),
    grid_ids: Collection[str] | None = None,
) -> MonthlyFigures:
    """A worker's figures over ``window`` (see the module for what each one counts).

    ``households``: those of the worker's grids (for ``visits_due``; pass ``grid_ids`` to
    count only those grids) and those the worker visited in the window (for their tags).
    ``visits``: the worker's visits in the window and the visits by anyone to the
    households of their grids (in the window, and the last one before it or
    ``previous_visit_at`` on the household). ``tickets`` / ``events``: every ticket the
    worker accepted or resolved, or whose follow-up call fell, in the window, with its
    whole timeline. Records outside what a figure counts are ignored, so passing more is
    harmless.
    """
    households = list(households)
    visits = list(visits)
    tags_of = {str(h["id"]): list(h.get("tags") or ()) for h in households}
    done, key = worker_visits(worker_id, visits, window, tags_of)
    resolved, follow_ups, acceptances = ticket_work(worker_id, tickets, events, window)
    return MonthlyFigures(
        worker_id=worker_id,
        window=window,
        visit_ids=tuple(vid for _, vid, _ in done),
        key_visit_ids=tuple(key),
        due=tuple(due_visits(households, visits, window, grid_ids=grid_ids)),
        resolved=tuple(resolved),
        follow_ups=tuple(follow_ups),
        acceptances=tuple(acceptances),
        visit_households={vid: hid for _, vid, hid in done},
    )


def figures_equal(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    """Whether two stored ``figures`` objects say the same (``computed_at`` aside)."""
    strip = {"computed_at"}
    return ({k: v for k, v in (a or {}).items() if k not in strip}
            == {k: v for k, v in (b or {}).items() if k not in strip})
