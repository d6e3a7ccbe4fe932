"""The dashboard's charts (QtCharts), built from the plain tables of
:func:`gulou_desk.store.performance_queries.dashboard`.

Each function returns a fresh :class:`QChart` with its series named in :data:`SERIES`
keys (``chart.series()`` in that order), so a test can count the points it drew. Titles,
series names and axis titles are translated; category and status names come from the
tickets' labels.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPen

from gulou_desk.store import performance_queries as pq
from ui import palette
from ui.i18n import QT_TRANSLATE_NOOP
from ui.performance import labels as L
from ui.workflow_labels import category_label
from ui.workflow_labels import status_label as ticket_status_label

ACCENT = QColor(palette.ACCENT)
PLAN = QColor(palette.BADGE)
GREEN = QColor(palette.CHART_GREEN)
AMBER = QColor(palette.CHART_AMBER)
RED = QColor(palette.CHART_RED)
GREY = QColor(palette.CHART_GREY)
STATUS_COLORS: dict[str, QColor] = {
    status: QColor(colour) for status, colour in palette.CHART_TICKET_STATUS.items()}
STATUS_ORDER = ("new", "assigned", "accepted", "in_progress", "waiting", "returned",
                "resolved", "closed", "merged", "cancelled")

TITLES: dict[str, str] = {
    "weekly": QT_TRANSLATE_NOOP("Performance", "Visits per week against plan"),
    "tickets": QT_TRANSLATE_NOOP("Performance", "Tickets opened, by category and status"),
    "overdue": QT_TRANSLATE_NOOP("Performance", "Open and overdue tickets (end of each week)"),
    "satisfaction": QT_TRANSLATE_NOOP("Performance", "Satisfaction of follow-up calls"),
}
CHART_KEYS = tuple(TITLES)


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont(QGuiApplication.font())
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def _chart(key: str) -> QChart:
    chart = QChart()
    chart.setObjectName(f"chart_{key}")
    chart.setTitle(L.tr(TITLES[key]))
    chart.setTitleFont(_font(10.5, bold=True))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(6)
    chart.setMargins(QMargins(6, 6, 6, 6))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.legend().setFont(_font(9))
    return chart


CROWDED = 8
"""More category labels than this are turned, so they are read whole."""


def _category_axis(labels: Sequence[str], title: str | None = None) -> QBarCategoryAxis:
    axis = QBarCategoryAxis()
    axis.append(list(labels) or [""])
    axis.setLabelsFont(_font(8.5))
    axis.setTruncateLabels(False)
    if len(labels) > CROWDED:
        axis.setLabelsAngle(-50)
    if title:
        axis.setTitleText(title)
        axis.setTitleFont(_font(9))
    return axis


def _value_axis(top: float, title: str, *, whole: bool = True) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0, max(top, 1.0))
    axis.setLabelFormat("%d" if whole else "%.0f")
    axis.setTitleText(title)
    axis.setTitleFont(_font(9))
    axis.setLabelsFont(_font(8.5))
    if whole:
        axis.applyNiceNumbers()
    return axis


def _nice_top(values: Sequence[float]) -> float:
    top = max(values, default=0.0)
    return top * 1.15 if top else 1.0


def _line(name: str, color: QColor, values: Sequence[float | None], *,
          width: float = 2.5) -> QLineSeries:
    series = QLineSeries()
    series.setName(name)
    pen = QPen(color)
    pen.setWidthF(width)
    series.setPen(pen)
    series.setPointsVisible(True)
    for i, value in enumerate(values):
        if value is not None:
            series.append(QPointF(i, value))
    return series


def _bar_set(name: str, color: QColor, values: Sequence[float]) -> QBarSet:
    bar = QBarSet(name)
    bar.setColor(color)
    bar.setBorderColor(color)
    bar.append([float(v) for v in values])
    return bar


def week_label(week: pq.WeekVisits | pq.OverduePoint) -> str:
    day = week.week_start if isinstance(week, pq.WeekVisits) else week.day
    return f"{day.month}/{day.day}"


def weekly_chart(board: pq.Dashboard) -> QChart:
    """Bars: visits done per week; line: visits the cadence planned that week."""
    chart = _chart("weekly")
    weeks = board.weekly_visits
    done = _bar_set(L.tr(QT_TRANSLATE_NOOP("Performance", "Visits done")), ACCENT,
                    [w.visits_done for w in weeks])
    bars = QBarSeries()
    bars.setName(done.label())
    bars.append(done)
    bars.setBarWidth(0.6)
    plan = _line(L.tr(QT_TRANSLATE_NOOP("Performance", "Planned by cadence")), PLAN,
                 [w.visits_planned for w in weeks])
    chart.addSeries(bars)
    chart.addSeries(plan)
    x = _category_axis([week_label(w) for w in weeks],
                       L.tr(QT_TRANSLATE_NOOP("Performance", "Week starting")))
    y = _value_axis(_nice_top([max(w.visits_done, w.visits_planned) for w in weeks]),
                    L.tr(QT_TRANSLATE_NOOP("Performance", "Visits")))
    _attach(chart, x, y, bars, plan)
    return chart


def tickets_chart(board: pq.Dashboard) -> QChart:
    """Stacked bars, one per category (lying, so the names read whole): tickets opened in
    the period, split by their status now."""
    chart = _chart("tickets")
    categories = sorted({c.category for c in board.tickets_by_category},
                        key=lambda c: category_label(c), reverse=True)
    statuses = [s for s in STATUS_ORDER if any(c.status == s for c in board.tickets_by_category)]
    statuses += sorted({c.status for c in board.tickets_by_category} - set(statuses))
    counts = {(c.category, c.status): c.count for c in board.tickets_by_category}
    series = QHorizontalStackedBarSeries()
    for status in statuses:
        series.append(_bar_set(ticket_status_label(status),
                               STATUS_COLORS.get(status, GREY),
                               [counts.get((cat, status), 0) for cat in categories]))
    series.setBarWidth(0.7)
    chart.addSeries(series)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    totals = [sum(counts.get((cat, s), 0) for s in statuses) for cat in categories]
    names = QBarCategoryAxis()
    names.append([category_label(c) for c in categories] or [""])
    names.setLabelsFont(_font(8))
    names.setTruncateLabels(False)
    values = _value_axis(_nice_top(totals), L.tr(QT_TRANSLATE_NOOP("Performance", "Tickets")))
    chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(names)
    series.attachAxis(values)
    return chart


def overdue_chart(board: pq.Dashboard) -> QChart:
    """Lines: tickets open, and of them overdue, at the end of each week."""
    chart = _chart("overdue")
    points = board.overdue_trend
    opened = _line(L.tr(QT_TRANSLATE_NOOP("Performance", "Open")), ACCENT,
                   [p.open for p in points])
    overdue = _line(L.tr(QT_TRANSLATE_NOOP("Performance", "Overdue")), RED,
                    [p.overdue for p in points])
    chart.addSeries(opened)
    chart.addSeries(overdue)
    x = _category_axis([week_label(p) for p in points],
                       L.tr(QT_TRANSLATE_NOOP("Performance", "End of week")))
    y = _value_axis(_nice_top([p.open for p in points]),
                    L.tr(QT_TRANSLATE_NOOP("Performance", "Tickets")))
    _attach(chart, x, y, opened, overdue)
    return chart


def satisfaction_chart(board: pq.Dashboard) -> QChart:
    """Stacked bars: follow-up calls per month by answer; line: the month's average
    (right axis, 0..100)."""
    chart = _chart("satisfaction")
    rows = board.satisfaction
    series = QStackedBarSeries()
    for name, color, values in (
        (QT_TRANSLATE_NOOP("Performance", "Satisfied"), GREEN, [r.satisfied for r in rows]),
        (QT_TRANSLATE_NOOP("Performance", "Basically satisfied"), AMBER,
         [r.basically_satisfied for r in rows]),
        (QT_TRANSLATE_NOOP("Performance", "Dissatisfied"), RED, [r.dissatisfied for r in rows]),
    ):
        series.append(_bar_set(L.tr(name), color, values))
    series.setBarWidth(0.5)
    average = _line(L.tr(QT_TRANSLATE_NOOP("Performance", "Average (0–100)")), ACCENT,
                    [r.average for r in rows])
    chart.addSeries(series)
    chart.addSeries(average)
    x = _category_axis([L.month_label(r.period) for r in rows])
    y = _value_axis(_nice_top([r.satisfied + r.basically_satisfied + r.dissatisfied
                               for r in rows]),
                    L.tr(QT_TRANSLATE_NOOP("Performance", "Follow-up calls")))
    score = QValueAxis()
    score.setRange(0, 100)
    score.setLabelFormat("%d")
    score.setTitleText(L.tr(QT_TRANSLATE_NOOP("Performance", "Average")))
    score.setTitleFont(_font(9))
    score.setLabelsFont(_font(8.5))
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(score, Qt.AlignmentFlag.AlignRight)
    series.attachAxis(x)
    series.attachAxis(y)
    average.attachAxis(x)
    average.attachAxis(score)
    return chart


def _attach(chart: QChart, x: QBarCategoryAxis, y: QValueAxis, *series: object) -> None:
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    for s in series:
        s.attachAxis(x)  # type: ignore[attr-defined]
        s.attachAxis(y)  # type: ignore[attr-defined]


BUILDERS = {
    "weekly": weekly_chart,
    "tickets": tickets_chart,
    "overdue": overdue_chart,
    "satisfaction": satisfaction_chart,
}
