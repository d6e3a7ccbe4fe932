"""How performance records read on screen: statuses, figures, history entries, refused
decisions, export failures — in the user's language.

The core returns codes (``draft``, ``visits_done``, ``approve``, ``stale``,
``folder_missing`` …); this is the one place that words them for the performance views
and the printable record. Ticket statuses and categories in the drill-down come from
:mod:`ui.tickets.labels`, which words them for the tickets views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication, QLocale

from gulou_desk.domain import indicators, performance
from gulou_desk.domain.indicators import INDICATOR, Indicator, Kind, Measure
from gulou_desk.records import SHANGHAI
from gulou_desk.store.performance_queries import HistoryEntry
from gulou_desk.store.queries import RejectionView
from ui import palette
from ui.errors import describe_code
from ui.i18n import QT_TRANSLATE_NOOP, PluralContext

CONTEXT = "Performance"
EMPTY = "—"
translate = QCoreApplication.translate

class Performance(PluralContext):
    """The texts of this module that carry a count (see :class:`ui.i18n.PluralContext`)."""



def tr(text: str, n: int = -1) -> str:
    """Translate a source text marked ``QT_TRANSLATE_NOOP("Performance", …)``."""
    return translate(CONTEXT, text, None, n)


def fill(text: str, *values: str) -> str:
    """``text`` with ``%1``, ``%2`` … replaced by ``values`` (Qt's placeholders)."""
    for number, value in enumerate(values, start=1):
        text = text.replace(f"%{number}", value)
    return text


def chinese() -> bool:
    return QLocale().language() == QLocale.Language.Chinese


def excel_language() -> str:
    """The language of an exported workbook's sheet names and values: the UI's."""
    return "zh" if chinese() else "en"


# --- statuses -------------------------------------------------------------------------

_STATUS: dict[str, str] = {
    "draft": QT_TRANSLATE_NOOP("Performance", "Draft"),
    "submitted": QT_TRANSLATE_NOOP("Performance", "Submitted"),
    "approved": QT_TRANSLATE_NOOP("Performance", "Approved"),
    "returned": QT_TRANSLATE_NOOP("Performance", "Returned"),
}
STATUS_COLORS: dict[str, tuple[str, str]] = {
    "draft": (palette.NEUTRAL_BG, palette.TEXT),
    "submitted": (palette.SELECTED, palette.ACCENT_DARK),
    "approved": (palette.SUCCESS_BG, palette.SUCCESS),
    "returned": (palette.WARNING_BG, palette.WARNING_DARK),
    "preview": (palette.PREVIEW_BG, palette.PREVIEW),
}
"""Status → (background, text) of its chip."""


def status_label(status: str | None) -> str:
    if not status:
        return EMPTY
    text = _STATUS.get(status)
    return tr(text) if text is not None else status


def chip_style(status: str) -> str:
    background, color = STATUS_COLORS.get(status, STATUS_COLORS["draft"])
    return (f"background: {background}; color: {color}; border-radius: 9px; "
            "padding: 2px 10px; font-weight: 600;")


# --- months -----------------------------------------------------------------------------


def month_label(period: str, *, short: bool = False) -> str:
    """``2026-10`` → "2026年10月" / "October 2026" ("Oct 2026" when ``short``: a filter
    in a crowded bar)."""
    try:
        year, month = performance.parse_period(period)
    except performance.PeriodError:
        return period
    if chinese():
        return f"{year}年{month}月"
    name = QLocale(QLocale.Language.English).standaloneMonthName(
        month, QLocale.FormatType.ShortFormat if short else QLocale.FormatType.LongFormat)
    return f"{name} {year}"


# --- figures ----------------------------------------------------------------------------

def _indicator(name: str) -> Indicator | None:
    return INDICATOR.get(name)


def figure_label(name: str) -> str:
    """An indicator's name in the UI's language (:data:`indicators.INDICATORS`, the one
    place that names it for the views and the exports)."""
    ind = _indicator(name)
    return ind.name(excel_language()) if ind is not None else name


def figure_hint(name: str) -> str:
    """What the indicator counts, and how a rate is made."""
    ind = _indicator(name)
    return ind.hint(excel_language()) if ind is not None else ""


def _number(value: float, decimals: int) -> str:
    return QLocale().toString(float(value), "f", decimals)


def _percent(value: float) -> str:
    return f"{_number(float(value) * 100, 1)}%"


def format_figure(name: str, value: int | float | None) -> str:
    """A figure as people read it: ``—`` without data, rates in per cent, hours with
    a unit, by the indicator's kind."""
    if value is None:
        return EMPTY
    ind = _indicator(name)
    kind = ind.kind if ind is not None else Kind.COUNT
    if kind is Kind.RATE:
        return _percent(value)
    if kind in (Kind.MEAN, Kind.SCORE):
        return _number(float(value), 1)
    if kind is Kind.HOURS:
        return fill(tr(QT_TRANSLATE_NOOP("Performance", "%1 h")), _number(float(value), 1))
    return str(int(value))


def format_measure(name: str, measure: Measure | None) -> str:
    return format_figure(name, None if measure is None else measure.value)


def _whole(value: int | float | None) -> str:
    if value is None:
        return EMPTY
    return str(int(value)) if float(value).is_integer() else _number(float(value), 1)


_COUNTED_AS = {
    "visit_completion": QT_TRANSLATE_NOOP("Performance", "in time"),
    "on_time_rate": QT_TRANSLATE_NOOP("Performance", "on time"),
}
"""What a rate's numerator counts, in a word. Under 应访完成率 a bare "133 / 369" beside the
已访 tile's 88 read as two counts of one thing that disagree: the 133 are the due visits
made in time by anyone of the grid, the 88 the worker's own visits. "按期 133 / 369" says so."""


def measure_basis(name: str, measure: Measure | None) -> str:
    """What a rate or a mean is made of, under its value: "按期 38 / 45", "4 次回访"."""
    ind = _indicator(name)
    if ind is None or measure is None:
        return ""
    if ind.kind is Kind.RATE and ind.numerator and ind.denominator:
        if not measure.denominator:
            return ""  # "0 / 0" under "—" says nothing
        numerator, denominator = _whole(measure.numerator), _whole(measure.denominator)
        counted_as = _COUNTED_AS.get(name)
        if counted_as is None:
            return fill(tr(QT_TRANSLATE_NOOP("Performance", "%1 of %2")),
                        numerator, denominator)
        # %3 is the word of _COUNTED_AS, which Chinese puts first.
        return fill(tr(QT_TRANSLATE_NOOP("Performance", "%1 of %2 %3")),
                    numerator, denominator, tr(counted_as))
    if ind.kind is Kind.MEAN and measure.denominator is not None:
        return Performance.tr("%n follow-up call(s)", "", int(measure.denominator))
    if ind.kind is Kind.HOURS and measure.denominator is not None:
        return Performance.tr("%n acceptance(s)", "", int(measure.denominator))
    return ""


def score_explanation(measures: Mapping[str, Measure]) -> str:
    """How the suggested score was made, with this record's numbers:
    "60 + 40 × (25 × 84.4% + 10 × 88.9% + 5 × 90.0%) ÷ 40"."""
    score, parts = indicators.suggested_score(measures)
    if not parts:
        return ""
    weights = sum(p.weight for p in parts)
    terms = " + ".join(f"{_number(p.weight, 0)} × {_percent(p.share)}" for p in parts)
    names = "、".join(figure_label(p.key) for p in parts) if chinese() else ", ".join(
        figure_label(p.key) for p in parts)
    return fill(tr(QT_TRANSLATE_NOOP(
        "Performance", "%1 = 60 + 40 × (%2) ÷ %3, from %4. Parts without data are left "
        "out. Only a suggestion: the supervisor decides the score.")),
        _number(score, 1), terms, _number(weights, 0), names)


def format_score(value: float | None) -> str:
    return EMPTY if value is None else _number(float(value), 1)




# --- times ------------------------------------------------------------------------------


def format_time(value: dt.datetime | None) -> str:
    if value is None:
        return EMPTY
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return f"{aware.astimezone(SHANGHAI):%Y-%m-%d %H:%M}"


def format_day(value: dt.date | None) -> str:
    return EMPTY if value is None else value.isoformat()


# --- history ----------------------------------------------------------------------------

_ACTIONS: dict[str, str] = {
    "submit": QT_TRANSLATE_NOOP("Performance", "Submitted"),
    "approve": QT_TRANSLATE_NOOP("Performance", "Approved"),
    "return": QT_TRANSLATE_NOOP("Performance", "Returned"),
    "edited": QT_TRANSLATE_NOOP("Performance", "Edited after submission"),
    "recomputed": QT_TRANSLATE_NOOP("Performance", "Figures recomputed by the server"),
    "reopen": QT_TRANSLATE_NOOP("Performance", "Reopened"),
}
_STEP_NAMES: dict[str, str] = {
    "submit": QT_TRANSLATE_NOOP("Performance", "submission"),
    "approve": QT_TRANSLATE_NOOP("Performance", "approval"),
    "return": QT_TRANSLATE_NOOP("Performance", "return"),
    "update": QT_TRANSLATE_NOOP("Performance", "edit of the self-assessment"),
    "reopen": QT_TRANSLATE_NOOP("Performance", "reopening"),
}


def action_label(action: str) -> str:
    text = _ACTIONS.get(action)
    return tr(text) if text is not None else action


def history_actor(entry: HistoryEntry) -> str:
    if entry.actor_id is None:
        return tr(QT_TRANSLATE_NOOP("Performance", "Server"))
    return entry.actor_name or tr(QT_TRANSLATE_NOOP("Performance", "Someone"))


def history_detail(entry: HistoryEntry) -> str:
    """The score and the comment of a history entry, if any ("score 88 · 同意")."""
    parts = []
    if entry.score is not None:
        parts.append(fill(tr(QT_TRANSLATE_NOOP("Performance", "score %1")),
                          format_score(entry.score)))
    if entry.comment:
        parts.append(f"“{entry.comment}”")
    return " · ".join(parts)


# --- refused steps ----------------------------------------------------------------------

_CHANGED_FIELDS: dict[str, str] = {
    "self_assessment": QT_TRANSLATE_NOOP("Performance", "the self-assessment"),
    "figures": QT_TRANSLATE_NOOP("Performance", "the figures"),
    "status": QT_TRANSLATE_NOOP("Performance", "the status"),
    "score": QT_TRANSLATE_NOOP("Performance", "the score"),
    "decision_comment": QT_TRANSLATE_NOOP("Performance", "the decision comment"),
}


def changed_fields_text(fields: Sequence[str]) -> str:
    words = [tr(_CHANGED_FIELDS[f]) for f in fields if f in _CHANGED_FIELDS]
    if not words:
        return tr(QT_TRANSLATE_NOOP("Performance", "the record"))
    return ("、" if chinese() else ", ").join(words)


def rejection_text(rejection: RejectionView) -> str:
    """Why the server did not accept a step on a performance record, in words."""
    step = _STEP_NAMES.get(rejection.action or rejection.op)
    step_text = tr(step) if step is not None else (rejection.action or rejection.op)
    if rejection.code == "stale":
        fields = rejection.details.get("fields")
        changed = changed_fields_text(fields if isinstance(fields, list) else [])
        return fill(tr(QT_TRANSLATE_NOOP(
            "Performance",
            "The server did not accept your %1: the record changed after you read it "
            "(%2 changed). It now shows what changed; read it again and decide again.")),
            step_text, changed)
    reason = describe_code(rejection.code) or tr(QT_TRANSLATE_NOOP(
        "Performance", "The server did not accept it."))
    return fill(tr(QT_TRANSLATE_NOOP("Performance", "The server did not accept your %1: %2")),
                step_text, reason)


def kept_decision_text(rejection: RejectionView) -> str:
    """What the supervisor had decided, kept with the rejection ("score 90 · “同意”")."""
    args = rejection.args or {}
    parts = []
    if isinstance(args.get("score"), int | float):
        parts.append(fill(tr(QT_TRANSLATE_NOOP("Performance", "score %1")),
                          format_score(float(args["score"]))))
    if args.get("comment"):
        parts.append(f"“{args['comment']}”")
    return " · ".join(parts)


# --- exports ----------------------------------------------------------------------------

_EXPORT_ERRORS: dict[str, str] = {
    "folder_missing": QT_TRANSLATE_NOOP(
        "Performance", "The folder %1 does not exist (any more). Choose another place."),
    "write_failed": QT_TRANSLATE_NOOP(
        "Performance", "The file %1 could not be written: it may be open in another program, "
        "the folder may be read-only, or the disk full. Nothing was changed."),
}


def export_error_text(code: str, path: str) -> str:
    text = _EXPORT_ERRORS.get(code)
    if text is None:
        return fill(tr(QT_TRANSLATE_NOOP("Performance", "The file %1 could not be written.")),
                    path)
    return fill(tr(text), path)


# --- the printable record -----------------------------------------------------------------

PRINT_TITLE = QT_TRANSLATE_NOOP("Performance", "Monthly performance record")
PDF_TITLE = QT_TRANSLATE_NOOP("Performance", "Performance record of %1, %2")
FIGURES_TITLE = QT_TRANSLATE_NOOP("Performance", "Figures")
COUNTED_THROUGH = QT_TRANSLATE_NOOP("Performance", "Figures counted through %1.")
SUGGESTED_SCORE = QT_TRANSLATE_NOOP("Performance", "Suggested score")
SCORE = QT_TRANSLATE_NOOP("Performance", "Score")
SELF_ASSESSMENT = QT_TRANSLATE_NOOP("Performance", "Self-assessment")
NO_SELF_ASSESSMENT = QT_TRANSLATE_NOOP("Performance", "No self-assessment was written.")
DECISION = QT_TRANSLATE_NOOP("Performance", "Decision")
STATUS = QT_TRANSLATE_NOOP("Performance", "Status")
DECIDED_BY = QT_TRANSLATE_NOOP("Performance", "Decided by")
COMMENT = QT_TRANSLATE_NOOP("Performance", "Comment")
HISTORY = QT_TRANSLATE_NOOP("Performance", "History")
NO_HISTORY = QT_TRANSLATE_NOOP("Performance", "Nothing has happened to this record yet.")
WHEN = QT_TRANSLATE_NOOP("Performance", "When")
WHO = QT_TRANSLATE_NOOP("Performance", "Who")
WHAT = QT_TRANSLATE_NOOP("Performance", "What")
DETAIL = QT_TRANSLATE_NOOP("Performance", "Score and comment")
PRINTED_AT = QT_TRANSLATE_NOOP("Performance", "Printed %1 from Gulou e-Home Desk.")
