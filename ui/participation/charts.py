"""The results' charts (QtCharts): one per choice or score question, and responses per
target grid. Bars lie down, so option and grid names read whole at any width.

Each function returns a fresh :class:`QChart` whose one bar set holds the counts in the
order of the axis' categories (top to bottom as read), so a test can read what it drew.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication

from gulou_desk.domain import participation
from gulou_desk.store.participation_queries import GridResult
from ui import palette
from ui.participation import labels as L
from ui.workflow_labels import fill

ACCENT = QColor(palette.ACCENT)
GREEN = QColor(palette.CHART_GREEN)
LABEL_CHARS = 18
"""Longer option names are cut on the axis (the full name is in the table beside)."""


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


def _bars(name: str, title: str, labels: Sequence[str], counts: Sequence[int],
          color: QColor) -> QChart:
    chart = QChart()
    chart.setObjectName(name)
    chart.setTitle(title)
    chart.setTitleFont(_font(10, bold=True))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(6)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().hide()
    # Read top to bottom: Qt draws the first category at the bottom, so reverse.
    shown_labels = [_short(t) for t in reversed(labels)] or [""]
    bar = QBarSet(title)
    bar.setColor(color)
    bar.setBorderColor(color)
    bar.append([float(c) for c in reversed(counts)])
    bar.setLabelColor(QColor(palette.INK))
    series = QHorizontalBarSeries()
    series.append(bar)
    series.setBarWidth(0.6)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setLabelsFormat("@value")
    chart.addSeries(series)
    axis = QBarCategoryAxis()
    axis.append(shown_labels)
    axis.setLabelsFont(_font(8.5))
    axis.setTruncateLabels(False)
    values = QValueAxis()
    top, ticks = whole_scale(max(counts, default=0))
    values.setRange(0, top)
    values.setLabelFormat("%d")
    values.setTickCount(ticks)
    values.setLabelsFont(_font(8))
    chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(axis)
    series.attachAxis(values)
    return chart


def whole_scale(largest: int) -> tuple[int, int]:
    """(top, tick count) of a count axis: whole-number ticks, at most six, with room
    past the longest bar for its label."""
    wanted = largest * 1.2 + 1
    step = 1
    while wanted / step > 5:
        for factor in (2, 5 / 2, 2):  # 1, 2, 5, 10, 20, 50 …
            step = int(step * factor)
            if wanted / step <= 5:
                break
    ticks = -(-int(wanted) // step)
    return ticks * step, ticks + 1


def chart_height(categories: int) -> int:
    """Room for a chart of this many bars (the title, the axis, ~26 px a bar)."""
    return 90 + 26 * max(categories, 1)


def question_chart(index: int, result: participation.QuestionResult) -> QChart:
    """Counts per option (choices) or per score (1–5, with the average in the title)."""
    title = fill("%1. %2", str(index), result.text)
    if result.kind == participation.SCALE:
        average = L.tr(L.NO_SCORES) if result.average is None else fill(
            L.tr(L.AVERAGE), f"{result.average:.1f}")
        title = fill("%1 (%2)", title, average)
        labels = [fill(L.tr(L.POINTS), o) for o in result.options]
    else:
        labels = [f"{participation.letter(i)}. {o}" for i, o in enumerate(result.options)]
    return _bars(f"question_chart_{result.id}", title, labels, result.counts, ACCENT)


def grid_chart(grids: Sequence[GridResult]) -> QChart:
    """Responses per target grid (the rate against its households in the label)."""
    labels = [fill("%1 (%2)", g.name, L.format_rate(g.rate)) for g in grids]
    return _bars("grid_chart", L.tr(L.PER_GRID), labels,
                 [g.responses for g in grids], GREEN)
