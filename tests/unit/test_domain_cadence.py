"""Visit cadence (cadence.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from gulou_desk.domain.cadence import (
    VisitDue,
    VisitState,
    default_cadence_days,
    effective_cadence_days,
    visit_due,
)
from gulou_desk.records import SHANGHAI

TODAY = dt.date(2026, 11, 28)


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("tags", "days"),
    [
        ([], 90),
        (["退役军人"], 90),
        (["独居老人"], 7),
        (["空巢老人"], 14),
        (["低保"], 30),
        (["残疾"], 30),
        (["特扶"], 30),
        (["重点关注"], 30),
        (["低保", "空巢老人"], 14),
        (["低保", "独居老人", "残疾"], 7),
        (("unknown", "退役军人"), 90),
    ],
)
def test_default_cadence(tags: list[str], days: int) -> None:
    assert default_cadence_days(tags) == days
    assert default_cadence_days(iter(tags)) == days


def test_own_cadence_wins_over_tags() -> None:
    assert effective_cadence_days(60, ["独居老人"]) == 60
    assert effective_cadence_days(None, ["独居老人"]) == 7
    assert effective_cadence_days(0, ["低保"]) == 30


def test_never_visited_counts_as_due() -> None:
    due = visit_due(None, None, ["独居老人"], TODAY)
    assert due == VisitDue(TODAY, VisitState.NEVER_VISITED, 0)
    assert due.state.is_due


@pytest.mark.parametrize(
    ("last", "cadence", "tags", "state", "due_date", "overdue"),
    [
        # 7-day cadence around today.
        (at(2026, 11, 21), None, ["独居老人"], VisitState.DUE_TODAY, dt.date(2026, 11, 28), 0),
        (at(2026, 11, 20), None, ["独居老人"], VisitState.OVERDUE, dt.date(2026, 11, 27), 1),
        (at(2026, 11, 1), None, ["独居老人"], VisitState.OVERDUE, dt.date(2026, 11, 8), 20),
        (at(2026, 11, 22), None, ["独居老人"], VisitState.DUE_THIS_WEEK,
         dt.date(2026, 11, 29), 0),
        (at(2026, 11, 28), None, ["独居老人"], VisitState.OK, dt.date(2026, 12, 5), 0),
        # 90-day cadence: the week boundary (six days ahead is this week, seven is not).
        (at(2026, 9, 5), None, [], VisitState.DUE_THIS_WEEK, dt.date(2026, 12, 4), 0),
        (at(2026, 9, 6), None, [], VisitState.OK, dt.date(2026, 12, 5), 0),
        # Explicit cadence.
        (at(2026, 11, 18), 10, ["独居老人"], VisitState.DUE_TODAY, dt.date(2026, 11, 28), 0),
        # Late evening UTC is already the next day in Shanghai.
        (dt.datetime(2026, 11, 20, 17, tzinfo=dt.UTC), 7, [], VisitState.DUE_TODAY,
         dt.date(2026, 11, 28), 0),
        # Naive times are UTC, as records.format_datetime treats them.
        (dt.datetime(2026, 11, 20, 15), 7, [], VisitState.OVERDUE, dt.date(2026, 11, 27), 1),
    ],
)
def test_visit_due(
    last: dt.datetime, cadence: int | None, tags: list[str], state: VisitState,
    due_date: dt.date, overdue: int,
) -> None:
    assert visit_due(last, cadence, tags, TODAY) == VisitDue(due_date, state, overdue)


def test_is_due() -> None:
    assert {s for s in VisitState if s.is_due} == {
        VisitState.NEVER_VISITED, VisitState.OVERDUE, VisitState.DUE_TODAY}
