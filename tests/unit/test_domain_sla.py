"""SLA categories and working days (sla.py)."""

from __future__ import annotations

import datetime as dt
import logging

import chinese_calendar
import pytest

from gulou_desk.domain import sla
from gulou_desk.records import SHANGHAI


def at(y: int, m: int, d: int, h: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, h, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sla, "_warned_years", set())


def test_categories_are_unique_and_positive() -> None:
    codes = [c.code for c in sla.CATEGORIES]
    assert len(codes) == len(set(codes))
    assert all(c.sla_days > 0 and c.zh and c.en for c in sla.CATEGORIES)
    assert {"municipal", "sanitation", "property", "neighbour_dispute", "elderly_care",
            "public_safety", "policy", "certificate", "other"} <= set(codes)


def test_2026_holiday_data_is_what_we_test_against() -> None:
    # National Day 2026: Oct 1-7 off, Sunday Sep 20 and Saturday Oct 10 worked.
    assert not any(sla.is_working_day(dt.date(2026, 10, d)) for d in range(1, 8))
    assert sla.is_working_day(dt.date(2026, 9, 20))
    assert sla.is_working_day(dt.date(2026, 10, 10))
    # Spring Festival 2026: Feb 15-23 off, Saturdays Feb 14 and Feb 28 worked.
    assert not any(sla.is_working_day(dt.date(2026, 2, d)) for d in range(15, 24))
    assert sla.is_working_day(dt.date(2026, 2, 14))
    assert sla.is_working_day(dt.date(2026, 2, 28))


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (at(2026, 11, 27), 0, at(2026, 11, 27)),
        (at(2026, 11, 27), 1, at(2026, 11, 30)),  # Friday -> Monday
        (at(2026, 11, 28), 1, at(2026, 11, 30)),  # Saturday -> Monday
        (at(2026, 11, 29, 23, 30), 1, at(2026, 11, 30, 23, 30)),  # Sunday late
        (at(2026, 11, 23), 5, at(2026, 11, 30)),
        # National Day 2026.
        (at(2026, 9, 30), 1, at(2026, 10, 8)),
        (at(2026, 9, 30), 3, at(2026, 10, 10)),  # make-up Saturday
        (at(2026, 9, 30), 5, at(2026, 10, 13)),
        (at(2026, 9, 19), 1, at(2026, 9, 20)),  # make-up Sunday
        (at(2026, 9, 24), 1, at(2026, 9, 28)),  # Mid-Autumn Friday Sep 25 off
        # Spring Festival 2026.
        (at(2026, 2, 13), 1, at(2026, 2, 14)),
        (at(2026, 2, 13), 2, at(2026, 2, 24)),
        (at(2026, 2, 13), 6, at(2026, 2, 28)),
        (at(2026, 2, 15), 1, at(2026, 2, 24)),
        # Backwards.
        (at(2026, 10, 8), -1, at(2026, 9, 30)),
        (at(2026, 11, 30), -1, at(2026, 11, 27)),
    ],
)
def test_add_working_days(start: dt.datetime, days: int, due: dt.datetime) -> None:
    result = sla.add_working_days(start, days)
    assert result == due
    assert result.tzinfo is SHANGHAI


def test_add_working_days_converts_to_shanghai() -> None:
    # 2026-09-30 20:00 UTC is already 1 October 04:00 in Shanghai (a holiday).
    start = dt.datetime(2026, 9, 30, 20, 0, tzinfo=dt.UTC)
    assert sla.add_working_days(start, 1) == at(2026, 10, 8, 4)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError):
        sla.add_working_days(dt.datetime(2026, 11, 28, 10), 1)


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [
        (dt.date(2026, 11, 27), dt.date(2026, 11, 27), 0),
        (dt.date(2026, 11, 27), dt.date(2026, 11, 30), 1),
        (dt.date(2026, 11, 30), dt.date(2026, 11, 27), -1),
        (dt.date(2026, 9, 30), dt.date(2026, 10, 8), 1),
        (dt.date(2026, 9, 30), dt.date(2026, 10, 12), 4),
        (dt.date(2026, 2, 13), dt.date(2026, 2, 28), 6),
    ],
)
def test_working_days_between(a: dt.date, b: dt.date, count: int) -> None:
    assert sla.working_days_between(a, b) == count


def test_working_days_between_inverts_add() -> None:
    start = at(2026, 9, 1)
    for days in range(40):
        due = sla.add_working_days(start, days)
        assert sla.working_days_between(start.date(), due.date()) == days


def test_due_at_by_category_and_priority() -> None:
    start = at(2026, 11, 23)  # Monday
    assert sla.due_at("public_safety", start) == at(2026, 11, 24)
    assert sla.due_at("sanitation", start) == at(2026, 11, 26)
    assert sla.due_at("municipal", start) == at(2026, 11, 30)
    assert sla.due_at("no_such_category", start) == sla.add_working_days(
        start, sla.DEFAULT_SLA_DAYS)
    assert sla.due_at("neighbour_dispute", start, priority="urgent") == at(2026, 11, 24)
    assert sla.due_at("neighbour_dispute", start, priority="high") == at(2026, 12, 2)


def test_extend_due_for_pause() -> None:
    due = at(2026, 11, 30)
    # Paused Friday afternoon, resumed Monday: one working day (Monday) is added.
    assert sla.extend_due_for_pause(due, at(2026, 11, 27, 15), at(2026, 11, 30, 9)) \
        == at(2026, 12, 1)
    # Within one day: nothing.
    assert sla.extend_due_for_pause(due, at(2026, 11, 27, 9), at(2026, 11, 27, 17)) == due
    # Over a weekend only: nothing.
    assert sla.extend_due_for_pause(due, at(2026, 11, 27, 18), at(2026, 11, 29, 20)) == due
    # Reversed times: nothing.
    assert sla.extend_due_for_pause(due, at(2026, 11, 30), at(2026, 11, 27)) == due
    # Across National Day: Oct 8 is the only working day in the pause; the due time
    # moves to the make-up Saturday.
    assert sla.extend_due_for_pause(at(2026, 10, 9), at(2026, 9, 30), at(2026, 10, 8)) \
        == at(2026, 10, 10)


def test_2027_falls_back_to_monday_to_friday(caplog: pytest.LogCaptureFixture) -> None:
    try:
        chinese_calendar.is_workday(dt.date(2027, 1, 4))
    except NotImplementedError:
        pass
    else:
        pytest.skip("chinesecalendar now has 2027 data: the fallback is not used")
    with caplog.at_level(logging.WARNING, logger=sla.__name__):
        # Thursday 31 Dec 2026 (real data) -> Friday 1 Jan 2027 (fallback: a weekday).
        assert sla.add_working_days(at(2026, 12, 31), 1) == at(2027, 1, 1)
        assert sla.add_working_days(at(2026, 12, 31), 2) == at(2027, 1, 4)
        assert sla.working_days_between(dt.date(2027, 1, 1), dt.date(2027, 1, 11)) == 6
    warnings = [r for r in caplog.records if "2027" in r.getMessage()]
    assert len(warnings) == 1


def test_fallback_warns_once_per_year(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger=sla.__name__):
        assert sla.is_working_day(dt.date(2100, 1, 4))  # Monday
        assert not sla.is_working_day(dt.date(2100, 1, 9))  # Saturday
        assert sla.is_working_day(dt.date(2101, 1, 3))
    assert [r.getMessage()[:40] for r in caplog.records] == [
        "chinese_calendar has no holiday data for"] * 2
    assert "2100" in caplog.records[0].getMessage()
    assert "2101" in caplog.records[1].getMessage()
