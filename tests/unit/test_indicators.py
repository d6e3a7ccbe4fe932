"""The performance indicators, each defined once (gulou_desk/domain/indicators.py)."""

from __future__ import annotations

from gulou_desk.domain import indicators as ind
from gulou_desk.domain.indicators import Measure


def counts(**more: int | float | None) -> dict[str, int | float | None]:
    base: dict[str, int | float | None] = {
        "visits_due": 45, "visits_done": 30, "visits_due_met": 38, "key_visits": 12,
        "tickets_resolved": 10, "tickets_on_time": 8, "tickets_timed": 9, "follow_ups": 4,
        "satisfaction_points": 360.0, "acceptances": 7, "median_accept_hours": 3.25}
    return {**base, **more}


def test_every_indicator_has_a_name_in_both_languages_and_known_parts() -> None:
    for i in ind.INDICATORS:
        assert i.zh and i.en and i.hint_zh and i.hint_en, i.key
        for part in (i.numerator, i.denominator):
            assert part is None or part in ind.COUNTS, (i.key, part)
        if i.kind in (ind.Kind.RATE, ind.Kind.MEAN):
            assert i.numerator and i.denominator, i.key
    assert set(ind.RECORD_INDICATORS) <= set(ind.INDICATOR)


def test_rates_and_means_carry_what_they_are_made_of() -> None:
    m = ind.measures(counts())
    assert m["visit_completion"] == Measure(0.844, 38, 45)
    assert m["on_time_rate"] == Measure(0.889, 8, 9)  # one resolution of unknown due time
    assert m["avg_satisfaction"] == Measure(90.0, 360.0, 4)
    assert m["median_accept_hours"] == Measure(3.2, None, 7)  # round half to even
    assert m["visits_done"] == Measure(30)
    score, parts = ind.suggested_score(m)
    assert m["suggested_score"] == Measure(score)
    assert score == round(60 + 40 * (25 * 0.844 + 10 * 0.889 + 5 * 0.9) / 40, 1)
    assert [(p.key, p.weight) for p in parts] == [
        ("visit_completion", 25.0), ("on_time_rate", 10.0), ("avg_satisfaction", 5.0)]


def test_without_data_a_rate_is_unknown_and_the_score_leaves_it_out() -> None:
    m = ind.measures(counts(tickets_resolved=0, tickets_on_time=0, tickets_timed=0,
                            follow_ups=0, satisfaction_points=0, visits_due=0,
                            visits_due_met=0, acceptances=0, median_accept_hours=None))
    assert m["on_time_rate"] == Measure(None, 0, 0)
    assert m["avg_satisfaction"].value is None
    assert m["visit_completion"] == Measure(None, 0, 0)
    score, parts = ind.suggested_score(m)
    assert score == 100.0  # nothing was due: done
    assert [p.key for p in parts] == ["visit_completion"]


def test_stored_figures_of_an_earlier_rule_show_the_values_they_were_decided_on() -> None:
    stored = {"visits_done": 12, "visits_due": 15, "tickets_resolved": 5,
              "on_time_rate": 0.6, "avg_satisfaction": 72.0, "median_accept_hours": 5.0}
    m = ind.measures_of_stored(stored)
    assert m["on_time_rate"].value == 0.6 and m["avg_satisfaction"].value == 72.0
    assert m["median_accept_hours"].value == 5.0
    assert m["visit_completion"].value is None  # never counted: not made up
