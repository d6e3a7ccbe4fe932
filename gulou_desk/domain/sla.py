"""Ticket categories and their service-level deadlines, in working days.

Working days follow the State Council's holiday schedule through ``chinese_calendar``
(public holidays off, make-up weekend workdays 调休 on). The package only knows the
years it was released with; for any other year we fall back to Monday–Friday and log a
warning once per year, so deadlines stay computable (and a package upgrade fixes them).

All dates are taken in Asia/Shanghai, the zone every user works in.

A ticket's urgency and countdown at a moment (:func:`urgency`, :func:`countdown`) are read
here too, the same for the tickets view and the server's escalation: a ticket waiting on
the resident has its clock stopped.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import enum
import functools
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import chinese_calendar

from gulou_desk.records import OPEN_TICKET_STATUSES, SHANGHAI

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    zh: str
    en: str
    sla_days: int
    """Working days from the ticket's creation to its due time."""
    active: bool = True
    """A retired category (the catalogue's) is refused for new tickets; tickets that
    have it keep it and still show its name."""


CATEGORIES: tuple[Category, ...] = (
    Category("municipal", "市政设施", "Municipal facilities (street lights, roads, drains)", 5),
    Category("sanitation", "环境卫生", "Sanitation (rubbish, stairwells)", 3),
    Category("property", "物业管理", "Property management", 5),
    Category("greening", "绿化养护", "Green spaces and trees", 7),
    Category("parking", "停车管理", "Parking and traffic order", 5),
    Category("neighbour_dispute", "邻里纠纷", "Neighbour disputes", 7),
    Category("elderly_care", "养老服务", "Elderly care", 3),
    Category("public_safety", "治安安全", "Public safety", 1),
    Category("social_assistance", "社会救助", "Social assistance (低保, hardship)", 5),
    Category("policy", "政策咨询", "Policy questions", 2),
    Category("certificate", "证明办理", "Certificates and documents", 3),
    Category("other", "其他", "Other", 5),
)
CATEGORY_BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}
DEFAULT_SLA_DAYS = 5
"""SLA of a category this version does not know (a newer client or server may)."""
URGENT_SLA_DAYS = 1
"""An ``urgent`` ticket is due within one working day, whatever its category."""

_warned_years: set[int] = set()


def category(code: str) -> Category | None:
    """The category of this code in the catalogue in force (:func:`table`), retired ones
    included, else the built-in one; ``None`` for a code nobody knows."""
    for c in table().categories:
        if c.code == code:
            return c
    return CATEGORY_BY_CODE.get(code)


def categories() -> tuple[Category, ...]:
    """The categories a new ticket may take now (the catalogue's active ones, in its
    order)."""
    return tuple(c for c in table().categories if c.active)


def all_categories() -> tuple[Category, ...]:
    """Every category of the catalogue in force, retired ones too (filters, reports)."""
    return table().categories


def is_open_category(code: object) -> bool:
    """Whether a new ticket (or a triage) may take this category."""
    found = category(code) if isinstance(code, str) else None
    return found is not None and found.active


@dataclass(frozen=True, slots=True)
class SlaTable:
    """The SLAs in force: working days per category and a cap per priority (the
    administrators edit them as ``catalogue_entry`` records; see
    :mod:`gulou_desk.domain.catalogue`)."""

    days: Mapping[str, int]
    caps: Mapping[str, int]
    categories: tuple[Category, ...] = CATEGORIES
    """The catalogue's categories with their names, in order, retired ones too."""

    @classmethod
    def defaults(cls) -> SlaTable:
        return cls({c.code: c.sla_days for c in CATEGORIES}, {"urgent": URGENT_SLA_DAYS},
                   CATEGORIES)


_installed: list[SlaTable] = [SlaTable.defaults()]
_current: contextvars.ContextVar[SlaTable | None] = contextvars.ContextVar(
    "sla_table", default=None)


def table() -> SlaTable:
    """The SLAs in force here: those of :func:`using` (the server, per mutation, from its
    records), else those :func:`install` ed (the desk, from its synced records), else the
    defaults above."""
    return _current.get() or _installed[0]


def install(sla_table: SlaTable) -> None:
    """The desk's SLAs from now on (it reads them from its store after a sync)."""
    _installed[0] = sla_table


@contextlib.contextmanager
def using(sla_table: SlaTable) -> Iterator[None]:
    """The SLAs in force in this block (this thread or task only)."""
    token = _current.set(sla_table)
    try:
        yield
    finally:
        _current.reset(token)


def sla_days(category_code: str, *, priority: str | None = None) -> int:
    """Working days allowed for a category (the default for an unknown one), capped by
    the priority's SLA when it has one (an ``urgent`` ticket: one working day)."""
    current = table()
    days = current.days.get(category_code, DEFAULT_SLA_DAYS)
    cap = current.caps.get(priority or "")
    if cap is not None:
        days = min(days, cap)
    return days


@functools.lru_cache(maxsize=8192)
def _official_working_day(day: dt.date) -> bool | None:
    """chinese_calendar's answer, cached (it scans its holiday table on every call);
    ``None`` for a year it has no data for."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day in mainland China (Mon–Fri fallback, see module)."""
    official = _official_working_day(day)
    if official is not None:
        return official
    if day.year not in _warned_years:
        _warned_years.add(day.year)
        log.warning(
            "chinese_calendar has no holiday data for %d; counting Monday-Friday as "
            "working days (upgrade chinesecalendar to get the official schedule)",
            day.year,
        )
    return day.weekday() < 5


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no zone; pass an aware one")
    return moment.astimezone(SHANGHAI)


def add_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The same clock time (Shanghai) on the ``days``-th working day after ``start``.

    Counting starts the day after ``start``, so a request on Friday 10:00 with one day is
    due Monday 10:00, and one on Saturday 10:00 also Monday 10:00. ``days == 0`` returns
    ``start``; negative ``days`` count backwards. The result is in Asia/Shanghai.
    """
    local = _local(start)
    step = 1 if days >= 0 else -1
    day = local.date()
    remaining = abs(days)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    # Rebuild from the wall-clock time so the result is right even across a DST change
    # of the caller's zone (Shanghai has none, but the input may be in another zone).
    return dt.datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=SHANGHAI)


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days ``d`` with ``a < d <= b`` (negative when ``b`` is before ``a``).

    The inverse of :func:`add_working_days` on dates: if ``b`` is a working day,
    ``add_working_days(a_at_some_time, working_days_between(a, b))`` lands on ``b``.
    """
    if b < a:
        return -working_days_between(b, a)
    count = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def due_at(category_code: str, start: dt.datetime, *, priority: str | None = None) -> dt.datetime:
    """When a ticket of this category opened at ``start`` is due."""
    return add_working_days(start, sla_days(category_code, priority=priority))


def extend_due_for_pause(
    due_at: dt.datetime, paused_from: dt.datetime, paused_to: dt.datetime
) -> dt.datetime:
    """Move a due time by the working days the ticket waited on the resident.

    The SLA clock stops while a ticket is ``waiting``: each working day in
    ``(paused_from.date, paused_to.date]`` (Shanghai) pushes the due time one working
    day later. A pause within one day costs nothing; a pause over a weekend only
    counts the working days in it.
    """
    days = working_days_between(_local(paused_from).date(), _local(paused_to).date())
    if days <= 0:
        return due_at
    return add_working_days(due_at, days)


# --- a ticket's urgency and countdown at a moment -------------------------------------

OPEN_STATES: frozenset[str] = OPEN_TICKET_STATUSES
CLOCK_STATES: frozenset[str] = OPEN_STATES - {"waiting"}
"""Open tickets whose SLA clock runs (a waiting ticket's clock is stopped)."""
DONE_STATES: frozenset[str] = frozenset({"resolved", "closed", "merged", "cancelled"})


class Urgency(enum.StrEnum):
    """How pressing a ticket's due time is (the countdown's colour)."""

    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    DUE_SOON = "due_soon"
    """Due by the end of the next working day."""
    ON_TRACK = "on_track"
    PAUSED = "paused"
    """Waiting on the resident: the clock is stopped."""
    NONE = "none"
    """No clock: resolved, closed, merged, cancelled, or no due time."""


def local_day_start(moment: dt.datetime) -> dt.datetime:
    """Midnight (Asia/Shanghai) of the day ``moment`` falls on."""
    day = moment.astimezone(SHANGHAI).date()
    return dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI)


def next_working_day_end(now: dt.datetime) -> dt.datetime:
    """Midnight after the next working day (the end of "due soon")."""
    day = now.astimezone(SHANGHAI).date() + dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)


def effective_due(
    due_at: dt.datetime | None, paused_at: dt.datetime | None, now: dt.datetime
) -> dt.datetime | None:
    """The due time as it stands at ``now``: a paused ticket's due time moves by the
    working days it has waited so far (what resuming now would make it)."""
    if due_at is None:
        return None
    if paused_at is None:
        return due_at
    return extend_due_for_pause(due_at, paused_at, now)


def urgency(
    status: str | None,
    due_at: dt.datetime | None,
    paused_at: dt.datetime | None,
    now: dt.datetime,
) -> Urgency:
    """The urgency of a ticket at ``now`` (see :class:`Urgency`).

    Boundaries: due exactly at ``now`` is still "due today"; one second earlier is
    "overdue". "Due today" ends at local midnight.
    """
    if status not in OPEN_STATES or due_at is None:
        return Urgency.NONE
    if status == "waiting" or paused_at is not None:
        return Urgency.PAUSED
    if due_at < now:
        return Urgency.OVERDUE
    if due_at < local_day_start(now) + dt.timedelta(days=1):
        return Urgency.DUE_TODAY
    if due_at < next_working_day_end(now):
        return Urgency.DUE_SOON
    return Urgency.ON_TRACK


@dataclass(frozen=True, slots=True)
class Countdown:
    """What the due column shows: how long is left (negative when overdue)."""

    urgency: Urgency
    due_at: dt.datetime | None
    """The effective due time (moved by a pause so far)."""
    remaining: dt.timedelta | None
    """``due_at - now``; ``None`` without a clock. For a paused ticket: the time that was
    left when it paused (it does not run down while waiting)."""


def countdown(
    status: str | None,
    due_at: dt.datetime | None,
    paused_at: dt.datetime | None,
    now: dt.datetime,
) -> Countdown:
    level = urgency(status, due_at, paused_at, now)
    if level is Urgency.NONE or due_at is None:
        return Countdown(level, due_at, None)
    if level is Urgency.PAUSED:
        pause = paused_at or now
        return Countdown(level, effective_due(due_at, pause, now), due_at - pause)
    return Countdown(level, due_at, due_at - now)
