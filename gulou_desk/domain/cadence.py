"""How often a household is visited (走访频次) and whether a visit is due.

The cadence comes from the household's care tags (the smallest applies) unless the
household sets ``visit_cadence_days`` itself. Dates are taken in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from gulou_desk.records import SHANGHAI

TAG_CADENCE_DAYS: dict[str, int] = {
    "独居老人": 7,
    "空巢老人": 14,
    "低保": 30,
    "残疾": 30,
    "特扶": 30,
    "重点关注": 30,
}
DEFAULT_CADENCE_DAYS = 90
DUE_SOON_DAYS = 6
"""A visit due within the next six days (today plus six = one week) is ``due_this_week``."""


class VisitState(enum.StrEnum):
    NEVER_VISITED = "never_visited"
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    DUE_THIS_WEEK = "due_this_week"
    OK = "ok"

    @property
    def is_due(self) -> bool:
        """Whether the household should be visited now (never visited counts as due)."""
        return self in (VisitState.NEVER_VISITED, VisitState.OVERDUE, VisitState.DUE_TODAY)


@dataclass(frozen=True, slots=True)
class VisitDue:
    due_date: dt.date
    state: VisitState
    days_overdue: int
    """Days past ``due_date``; 0 unless ``state`` is ``overdue``."""



def default_cadence_days(tags: Iterable[str]) -> int:
    """Days between visits for these tags: the smallest care cadence, else 90."""
    return min((TAG_CADENCE_DAYS[t] for t in tags if t in TAG_CADENCE_DAYS),
               default=DEFAULT_CADENCE_DAYS)


def effective_cadence_days(cadence_days: int | None, tags: Iterable[str]) -> int:
    """The household's own cadence when set (and positive), else the one of its tags."""
    if cadence_days is not None and cadence_days > 0:
        return cadence_days
    return default_cadence_days(tags)


def visit_due(
    last_visit_at: dt.datetime | None,
    cadence_days: int | None,
    tags: Iterable[str],
    today: dt.date,
) -> VisitDue:
    """When the next visit is due and how urgent it is.

    A household never visited is due today (state ``never_visited``). Otherwise the next
    visit is due ``cadence`` days after the last visit's date in Shanghai.
    """
    if last_visit_at is None:
        return VisitDue(today, VisitState.NEVER_VISITED, 0)
    if last_visit_at.tzinfo is None:  # as records.format_datetime: naive means UTC
        last_visit_at = last_visit_at.replace(tzinfo=dt.UTC)
    last_day = last_visit_at.astimezone(SHANGHAI).date()
    due = last_day + dt.timedelta(days=effective_cadence_days(cadence_days, tags))
    if due < today:
        return VisitDue(due, VisitState.OVERDUE, (today - due).days)
    if due == today:
        return VisitDue(due, VisitState.DUE_TODAY, 0)
    if (due - today).days <= DUE_SOON_DAYS:
        return VisitDue(due, VisitState.DUE_THIS_WEEK, 0)
    return VisitDue(due, VisitState.OK, 0)

