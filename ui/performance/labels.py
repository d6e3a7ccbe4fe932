"""How performance records read on screen: statuses, figures, history entries, refused
decisions, export failures — in the user's language.

The core returns codes (``draft``, ``visits_done``, ``approve``, ``stale``,
``folder_missing`` …); this is the one place that words them for the performance views
and the printable record. Ticket statuses and categories in the drill-down come from
:mod:`ui.tickets.labels`, which words them for the tickets views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QLocale

from gulou_desk.domain import performance
from gulou_desk.records import SHANGHAI
from gulou_desk.store.performance_queries import HistoryEntry
from gulou_desk.store.queries import RejectionView
from ui import palette
from ui.errors import describe_code
from ui.i18n import QT_TRANSLATE_NOOP

CONTEXT = "Performance"
EMPTY = "—"
translate = QCoreApplication.translate


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


def month_label(period: str) -> str:
    """``2026-10`` → "2026年10月" / "October 2026"."""
    try:
        year, month = performance.parse_period(period)
    except performance.PeriodError:
        return period
    if chinese():
        return f"{year}年{month}月"
    name = QLocale(QLocale.Language.English).standaloneMonthName(month)
    return f"{name} {year}"


# --- figures ----------------------------------------------------------------------------

FIGURE_TITLES: dict[str, str] = {
    "visits_done": QT_TRANSLATE_NOOP("Performance", "Visits done"),
    "visits_due": QT_TRANSLATE_NOOP("Performance", "Visits due"),
    "key_visits": QT_TRANSLATE_NOOP("Performance", "Key household visits"),
    "tickets_resolved": QT_TRANSLATE_NOOP("Performance", "Tickets resolved"),
    "on_time_rate": QT_TRANSLATE_NOOP("Performance", "Resolved on time"),
    "avg_satisfaction": QT_TRANSLATE_NOOP("Performance", "Average satisfaction"),
    "median_accept_hours": QT_TRANSLATE_NOOP("Performance", "Median time to accept"),
}
_FIGURE_HINTS: dict[str, str] = {
    "visits_done": QT_TRANSLATE_NOOP(
        "Performance", "Home visits recorded by the social worker in the month."),
    "visits_due": QT_TRANSLATE_NOOP(
        "Performance", "Visits the visit cadence asked for at the households of their grids "
        "(every 7 days for elderly living alone, 30 for subsistence allowance, 90 "
        "otherwise)."),
    "key_visits": QT_TRANSLATE_NOOP(
        "Performance", "Their visits to households with a care tag (elderly living alone, "
        "empty-nest elderly, subsistence allowance, disability, special assistance, key "
        "attention)."),
    "tickets_resolved": QT_TRANSLATE_NOOP(
        "Performance", "Tickets they resolved in the month."),
    "on_time_rate": QT_TRANSLATE_NOOP(
        "Performance", "Share of their resolutions made by the due time (working days, "
        "holidays and pauses counted)."),
    "avg_satisfaction": QT_TRANSLATE_NOOP(
        "Performance", "Follow-up calls on tickets they resolved: satisfied 100, basically "
        "satisfied 80, dissatisfied 0."),
    "median_accept_hours": QT_TRANSLATE_NOOP(
        "Performance", "Hours from a ticket being handed to them to their accepting it "
        "(the median)."),
}


def figure_label(name: str) -> str:
    text = FIGURE_TITLES.get(name)
    return tr(text) if text is not None else name


def figure_hint(name: str) -> str:
    text = _FIGURE_HINTS.get(name)
    return tr(text) if text is not None else ""


def _number(value: float, decimals: int) -> str:
    return QLocale().toString(float(value), "f", decimals)


def format_figure(name: str, value: int | float | None) -> str:
    """A figure as people read it: ``—`` without data, rates in per cent, hours with
    a unit."""
    if value is None:
        return EMPTY
    if name == "on_time_rate":
        return f"{_number(float(value) * 100, 1)}%"
    if name == "avg_satisfaction":
        return _number(float(value), 1)
    if name == "median_accept_hours":
        return fill(tr(QT_TRANSLATE_NOOP("Performance", "%1 h")), _number(float(value), 1))
    return str(int(value))


def format_score(value: float | None) -> str:
    return EMPTY if value is None else _number(float(value), 1)


def format_rate(part: int | float | None, whole: int | float | None) -> str:
    if part is None or not whole:
        return EMPTY
    return f"{_number(float(part) / float(whole) * 100, 1)}%"


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
}
_STEP_NAMES: dict[str, str] = {
    "submit": QT_TRANSLATE_NOOP("Performance", "submission"),
    "approve": QT_TRANSLATE_NOOP("Performance", "approval"),
    "return": QT_TRANSLATE_NOOP("Performance", "return"),
    "update": QT_TRANSLATE_NOOP("Performance", "edit of the self-assessment"),
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
