"""The performance indicators (绩效指标), each defined once: its name, what it counts, its
numerator and denominator.

A supervisor used to see three completion rates for one worker: the record's tile divided
the worker's visits by the visits due, the dashboard divided the due visits met by the
visits due, and the Excel export did the first again under another name. Now every
number that a record, the dashboard, a drill-down or an export shows comes from
:func:`measures` over the same counts, and is named from :data:`INDICATORS`.

The counts (:data:`COUNTS`) are what a computation produces: a worker's
:class:`~gulou_desk.domain.performance.MonthlyFigures` (``counts()``), a stored record's
``figures`` (:func:`counts_of_stored`), or a dashboard row (a grid, or a worker over
several months). :func:`measures` turns them into a :class:`Measure` per indicator: the
value, and for a rate or a mean its numerator and denominator, so a tile can say
"38 / 45" under "84.4%".

Rounding is the stored one: rates to 3 places, means and hours to 1 decimal.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class Kind(enum.StrEnum):
    COUNT = "count"
    RATE = "rate"
    """numerator / denominator, 0..1."""
    MEAN = "mean"
    """numerator (a sum of points) / denominator (how many)."""
    HOURS = "hours"
    """A median of hours; the denominator says over how many."""
    SCORE = "score"


@dataclass(frozen=True, slots=True)
class Indicator:
    key: str
    zh: str
    en: str
    kind: Kind
    numerator: str | None = None
    """The count on top of a rate or a mean (a key of :data:`COUNTS`)."""
    denominator: str | None = None
    """The count it is out of (a key of :data:`COUNTS`)."""
    hint_zh: str = ""
    hint_en: str = ""

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def hint(self, lang: str) -> str:
        return self.hint_zh if lang == "zh" else self.hint_en


INDICATORS: tuple[Indicator, ...] = (
    Indicator("visits_due", "应访", "Visits due", Kind.COUNT,
              hint_zh="按走访周期，本月在其网格住户应做的走访次数（独居老人每7天、低保每30天、"
                      "其他每90天）。",
              hint_en="Visits the cadence asked for at the households of their grids (every "
                      "7 days for elderly living alone, 30 for subsistence allowance, 90 "
                      "otherwise)."),
    Indicator("visits_done", "已访", "Visits made", Kind.COUNT,
              hint_zh="本人本月记录的入户走访次数（含网格外住户）。",
              hint_en="Home visits the worker recorded in the month (any household)."),
    Indicator("visits_due_met", "按期走访", "Due visits made", Kind.COUNT,
              hint_zh="应访中按期做到的次数（任何同事的走访都算）。",
              hint_en="Due visits that were made in time (by anyone of the grid)."),
    Indicator("visit_completion", "应访完成率", "Due visits done", Kind.RATE,
              "visits_due_met", "visits_due",
              hint_zh="按期走访 ÷ 应访。",
              hint_en="Due visits made ÷ visits due."),
    Indicator("key_visits", "重点户走访", "Key household visits", Kind.COUNT,
              hint_zh="本人对有关爱标签住户（独居、空巢、低保、残疾、特扶、重点关注）的走访。",
              hint_en="Their visits to households with a care tag (living alone, empty "
                      "nest, subsistence allowance, disability, special assistance, key "
                      "attention)."),
    Indicator("tickets_resolved", "办结工单", "Tickets resolved", Kind.COUNT,
              hint_zh="本人本月办结的工单（重新办理后再次办结算两次）。",
              hint_en="Tickets they resolved in the month (resolved again after a reopen "
                      "counts again)."),
    Indicator("on_time_rate", "按时办结率", "On time", Kind.RATE,
              "tickets_on_time", "tickets_timed",
              hint_zh="按时办结 ÷ 办结（按工作日计，节假日与等待居民的时间不计）。",
              hint_en="Resolved by the due time ÷ resolved (working days; holidays and "
                      "waiting on the resident not counted)."),
    Indicator("avg_satisfaction", "平均满意度", "Satisfaction", Kind.MEAN,
              "satisfaction_points", "follow_ups",
              hint_zh="其办结工单的回访：满意100、基本满意80、不满意0，取平均。",
              hint_en="Follow-up calls on tickets they resolved: satisfied 100, basically "
                      "satisfied 80, dissatisfied 0; the mean."),
    Indicator("median_accept_hours", "签收用时", "Time to accept", Kind.HOURS,
              None, "acceptances",
              hint_zh="工单交到本人手上到其签收的小时数（中位数）。",
              hint_en="Hours from a ticket being handed to them to their accepting it "
                      "(the median)."),
    Indicator("suggested_score", "建议得分", "Suggested score", Kind.SCORE,
              hint_zh="60 + 40 × 应访完成率(权重25)、按时办结率(10)、满意度(5)的加权平均；"
                      "无数据的部分不计。仅供参考，得分由审核人决定。",
              hint_en="60 + 40 × the weighted mean of due visits done (weight 25), resolved "
                      "on time (10) and satisfaction (5); parts without data are left out. "
                      "Only a suggestion: the supervisor decides the score."),
)
INDICATOR: dict[str, Indicator] = {i.key: i for i in INDICATORS}

RECORD_INDICATORS: tuple[str, ...] = (
    "visits_due", "visits_done", "visit_completion", "key_visits",
    "tickets_resolved", "on_time_rate", "avg_satisfaction", "median_accept_hours",
)
"""The tiles of a record (and its columns in the exports), in order; each opens the list
behind it. ``visits_due_met`` is shown as the numerator of ``visit_completion``."""

COUNTS: tuple[str, ...] = (
    "visits_due", "visits_done", "visits_due_met", "key_visits", "tickets_resolved",
    "tickets_on_time", "tickets_timed", "follow_ups", "satisfaction_points", "acceptances",
    "median_accept_hours",
)
"""What a computation counts, and every indicator is made of."""

SCORE_BASE = 60.0
SCORE_WEIGHTS: dict[str, float] = {
    "visit_completion": 25.0, "on_time_rate": 10.0, "avg_satisfaction": 5.0}
"""Suggested score = 60 + 40 × the weighted mean of the parts that have data: due visits
done (1 when nothing was due), resolved on time, and satisfaction / 100. A part without
data (no ticket resolved, no follow-up call) is left out and the others carry its weight,
so a month without tickets is neither rewarded nor punished."""


@dataclass(frozen=True, slots=True)
class Measure:
    """One indicator's value, and what it was computed from."""

    value: int | float | None
    numerator: int | float | None = None
    denominator: int | float | None = None


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One part of the suggested score: the indicator, its weight, the share (0..1) it
    contributed."""

    key: str
    weight: float
    share: float


def _number(counts: Mapping[str, Any], key: str) -> int | float | None:
    value = counts.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _ratio(top: int | float | None, bottom: int | float | None, places: int) -> float | None:
    if top is None or not bottom:
        return None
    return round(top / bottom, places)


def measures(counts: Mapping[str, Any]) -> dict[str, Measure]:
    """Every indicator of :data:`INDICATORS` from ``counts`` (keys of :data:`COUNTS`; a
    count that is missing is unknown, and so is what depends on it)."""
    n = {key: _number(counts, key) for key in COUNTS}
    out: dict[str, Measure] = {}
    for ind in INDICATORS:
        if ind.kind is Kind.COUNT:
            out[ind.key] = Measure(n.get(ind.key))
        elif ind.kind is Kind.RATE:
            top, bottom = n[ind.numerator or ""], n[ind.denominator or ""]
            out[ind.key] = Measure(_ratio(top, bottom, 3), top, bottom)
        elif ind.kind is Kind.MEAN:
            top, bottom = n[ind.numerator or ""], n[ind.denominator or ""]
            out[ind.key] = Measure(_ratio(top, bottom, 1), top, bottom)
        elif ind.kind is Kind.HOURS:
            bottom = n[ind.denominator or ""]
            value = n[ind.key]
            out[ind.key] = Measure(None if value is None else round(value, 1), None, bottom)
    score, _ = suggested_score(out)
    out["suggested_score"] = Measure(score)
    return out


def suggested_score(values: Mapping[str, Measure]) -> tuple[float, tuple[ScorePart, ...]]:
    """The suggested score 60..100 (1 decimal) and the parts it was made of
    (:data:`SCORE_WEIGHTS`): "how it was computed", for the record to show."""
    parts: list[ScorePart] = []
    completion = values.get("visit_completion")
    due = completion.denominator if completion is not None else None
    share = completion.value if completion is not None and completion.value is not None \
        else (1.0 if not due else None)
    if share is not None:
        parts.append(ScorePart("visit_completion", SCORE_WEIGHTS["visit_completion"],
                               min(1.0, float(share))))
    on_time = values.get("on_time_rate")
    if on_time is not None and on_time.value is not None:
        parts.append(ScorePart("on_time_rate", SCORE_WEIGHTS["on_time_rate"],
                               float(on_time.value)))
    satisfaction = values.get("avg_satisfaction")
    if satisfaction is not None and satisfaction.value is not None:
        parts.append(ScorePart("avg_satisfaction", SCORE_WEIGHTS["avg_satisfaction"],
                               float(satisfaction.value) / 100))
    total = sum(p.weight for p in parts)
    mean = sum(p.weight * p.share for p in parts) / total if total else 1.0
    return round(SCORE_BASE + (100.0 - SCORE_BASE) * mean, 1), tuple(parts)


def counts_of_stored(figures: Mapping[str, Any]) -> dict[str, int | float | None]:
    """The counts a stored ``performance_record.figures`` object carries (one without a
    ``basis`` to rebuild them from: demo data, records of an earlier rule)."""
    return {key: _number(figures, key) for key in COUNTS}


def measures_of_stored(figures: Mapping[str, Any]) -> dict[str, Measure]:
    """The indicators of stored figures without a ``basis``: from their counts, and where
    a rate or a mean was stored without what it was made of, the stored value (so the
    record shows the number it was decided on)."""
    out = measures(counts_of_stored(figures))
    for key in ("visit_completion", "on_time_rate", "avg_satisfaction"):
        stored = _number(figures, key)
        if out[key].value is None and stored is not None:
            out[key] = Measure(stored, out[key].numerator, out[key].denominator)
    score, _ = suggested_score(out)
    out["suggested_score"] = Measure(score)
    return out
