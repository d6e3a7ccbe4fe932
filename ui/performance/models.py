"""Item models of the performance views: the rows behind a figure (drill-down), lists of
records (the approval queue, a month's records) and the dashboard's per-grid and
per-worker tables.

Each holds a bounded list of plain rows read in the background (a month's visits of one
worker, a street's records of one month, the grids of a street), so the model keeps
them whole; sorting and filtering go through a :class:`SortFilterProxy`, which sorts by
:data:`SORT_ROLE` (numbers and times as numbers, not as text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from gulou_desk.domain.indicators import RECORD_INDICATORS, Measure
from gulou_desk.store import performance_queries as pq
from ui import palette
from ui.i18n import QT_TRANSLATE_NOOP
from ui.performance import labels as L
from ui.record_labels import tags_text
from ui.workflow_labels import category_label, satisfaction_label
from ui.workflow_labels import status_label as ticket_status_label

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
"""The value a column sorts by."""
ID_ROLE = Qt.ItemDataRole.UserRole + 2
"""The row's record id (a visit, a household, a ticket, a performance record)."""

Row = TypeVar("Row")
AnyIndex = QModelIndex | QPersistentModelIndex

MISSED_COLOR = QColor(palette.DANGER)
LATE_COLOR = QColor(palette.WARNING)
GOOD_COLOR = QColor(palette.SUCCESS)


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    """English source text, ``QT_TRANSLATE_NOOP("Performance", …)``."""
    text: Callable[[Row], str]
    sort: Callable[[Row], Any]
    align_right: bool = False
    color: Callable[[Row], QColor | None] | None = None
    indicator: str | None = None
    """The column shows this indicator: its header is the indicator's name
    (:data:`indicators.INDICATORS`), in the language of the moment."""

    def header(self) -> str:
        return L.figure_label(self.indicator) if self.indicator else L.tr(self.title)


def _stamp(value: dt.datetime | dt.date | None) -> float:
    if value is None:
        return float("-inf")
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return aware.timestamp()
    return float(value.toordinal())


def _number(value: float | int | None) -> float:
    return float("-inf") if value is None else float(value)


class RowsModel(QAbstractTableModel, Generic[Row]):
    """A read-only table of plain rows described by :class:`Column` s."""

    def __init__(self, columns: Sequence[Column[Row]], rows: Sequence[Row] = (),
                 row_id: Callable[[Row], str] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Row] = list(rows)
        self._row_id = row_id

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_columns(self, columns: Sequence[Column[Row]], rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._columns = list(columns)
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def column_titles(self) -> list[str]:
        return [c.header() for c in self._columns]

    # -- Qt --------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or \
                index.column() >= len(self._columns):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == SORT_ROLE:
            return column.sort(row)
        if role == ID_ROLE:
            return self._row_id(row) if self._row_id is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (Qt.AlignmentFlag.AlignRight if column.align_right
                          else Qt.AlignmentFlag.AlignLeft)
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.color is not None:
            return column.color(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._columns)):
            return self._columns[section].header()
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole
                and 0 <= section < len(self._columns) and self._columns[section].indicator):
            return L.figure_hint(self._columns[section].indicator or "")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class SortFilterProxy(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE`; the filter text matches any column's text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if isinstance(a, int | float) and isinstance(b, int | float):
            return a < b
        return str(a if a is not None else "") < str(b if b is not None else "")


# --- drill-down ---------------------------------------------------------------------------


def _household(row: pq.VisitRow | pq.DueRow) -> str:
    return row.household.address or L.EMPTY


def _head(row: pq.VisitRow | pq.DueRow) -> str:
    return row.household.head_name or L.EMPTY


def _tags(row: pq.VisitRow | pq.DueRow) -> str:
    return tags_text(row.household.tags) if row.household.tags else L.EMPTY


def _yes_no(value: bool | None) -> str:
    if value is None:
        return L.EMPTY
    return L.tr(QT_TRANSLATE_NOOP("Performance", "Yes")) if value else L.tr(
        QT_TRANSLATE_NOOP("Performance", "No"))


def _visit_columns() -> list[Column[Any]]:
    return [
        Column(QT_TRANSLATE_NOOP("Performance", "Visited at"),
               lambda r: L.format_time(r.visited_at), lambda r: _stamp(r.visited_at)),
        Column(QT_TRANSLATE_NOOP("Performance", "Household"), _household, _household),
        Column(QT_TRANSLATE_NOOP("Performance", "Head of household"), _head, _head),
        Column(QT_TRANSLATE_NOOP("Performance", "Care tags"), _tags, _tags),
        Column(QT_TRANSLATE_NOOP("Performance", "Key household"), lambda r: _yes_no(r.key),
               lambda r: int(r.key)),
        Column(QT_TRANSLATE_NOOP("Performance", "Needs follow-up"),
               lambda r: _yes_no(r.follow_up), lambda r: int(bool(r.follow_up))),
    ]


def _met_text(row: pq.DueRow) -> str:
    if row.met_on is None:
        return L.tr(QT_TRANSLATE_NOOP("Performance", "Missed"))
    return row.met_on.isoformat()


def _met_color(row: pq.DueRow) -> QColor | None:
    if row.met_on is None:
        return MISSED_COLOR
    return LATE_COLOR if row.met_on > row.due_on else None


def _due_columns() -> list[Column[Any]]:
    return [
        Column(QT_TRANSLATE_NOOP("Performance", "Household"), _household, _household),
        Column(QT_TRANSLATE_NOOP("Performance", "Head of household"), _head, _head),
        Column(QT_TRANSLATE_NOOP("Performance", "Care tags"), _tags, _tags),
        Column(QT_TRANSLATE_NOOP("Performance", "Visit every (days)"),
               lambda r: str(r.cadence_days) if r.cadence_days else L.EMPTY,
               lambda r: _number(r.cadence_days), align_right=True),
        Column(QT_TRANSLATE_NOOP("Performance", "Due on"), lambda r: r.due_on.isoformat(),
               lambda r: _stamp(r.due_on)),
        Column(QT_TRANSLATE_NOOP("Performance", "Visited on"), _met_text,
               lambda r: _stamp(r.met_on), color=_met_color),
    ]


def _ticket_base() -> list[Column[Any]]:
    return [
        Column(QT_TRANSLATE_NOOP("Performance", "Number"), lambda r: r.number or L.EMPTY,
               lambda r: r.number or ""),
        Column(QT_TRANSLATE_NOOP("Performance", "Title"), lambda r: r.title or L.EMPTY,
               lambda r: r.title or ""),
        Column(QT_TRANSLATE_NOOP("Performance", "Category"),
               lambda r: category_label(r.category), lambda r: category_label(r.category)),
        Column(QT_TRANSLATE_NOOP("Performance", "Status now"),
               lambda r: ticket_status_label(r.status),
               lambda r: ticket_status_label(r.status)),
    ]


def _on_time_text(row: pq.TicketRow) -> str:
    if row.on_time is None:
        return L.tr(QT_TRANSLATE_NOOP("Performance", "Not known"))
    return L.tr(QT_TRANSLATE_NOOP("Performance", "On time")) if row.on_time else L.tr(
        QT_TRANSLATE_NOOP("Performance", "Late"))


def _on_time_color(row: pq.TicketRow) -> QColor | None:
    if row.on_time is None:
        return None
    return GOOD_COLOR if row.on_time else MISSED_COLOR


def drill_columns(figure: str) -> list[Column[Any]]:
    """The columns of the rows behind ``figure``."""
    if figure in ("visits_done", "key_visits"):
        return _visit_columns()
    if figure in ("visits_due", "visits_due_met", "visit_completion"):
        return _due_columns()
    base = _ticket_base()
    if figure in ("tickets_resolved", "on_time_rate"):
        return [*base,
                Column(QT_TRANSLATE_NOOP("Performance", "Resolved at"),
                       lambda r: L.format_time(r.at), lambda r: _stamp(r.at)),
                Column(QT_TRANSLATE_NOOP("Performance", "Due at"),
                       lambda r: L.format_time(r.due_at), lambda r: _stamp(r.due_at)),
                Column(QT_TRANSLATE_NOOP("Performance", "On time"), _on_time_text,
                       lambda r: -1 if r.on_time is None else int(r.on_time),
                       color=_on_time_color)]
    if figure == "avg_satisfaction":
        return [*base,
                Column(QT_TRANSLATE_NOOP("Performance", "Follow-up call"),
                       lambda r: L.format_time(r.at), lambda r: _stamp(r.at)),
                Column(QT_TRANSLATE_NOOP("Performance", "Satisfaction"),
                       lambda r: satisfaction_label(r.satisfaction),
                       lambda r: satisfaction_label(r.satisfaction))]
    return [*base,
            Column(QT_TRANSLATE_NOOP("Performance", "Handed over"),
                   lambda r: L.format_time(r.handed_over_at),
                   lambda r: _stamp(r.handed_over_at)),
            Column(QT_TRANSLATE_NOOP("Performance", "Accepted"),
                   lambda r: L.format_time(r.at), lambda r: _stamp(r.at)),
            Column(QT_TRANSLATE_NOOP("Performance", "Hours"),
                   lambda r: L.format_score(r.hours), lambda r: _number(r.hours),
                   align_right=True)]


def drill_row_id(row: pq.DrillRow) -> str:
    if isinstance(row, pq.VisitRow):
        return row.visit_id
    if isinstance(row, pq.DueRow):
        return row.household.household_id
    return row.ticket_id


class DrillModel(RowsModel[Any]):
    """The visits, due visits or tickets behind one figure."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(drill_columns("visits_done"), (), drill_row_id, parent)
        self.figure = "visits_done"

    def show(self, figure: str, rows: Sequence[pq.DrillRow]) -> None:
        self.figure = figure
        self.set_columns(drill_columns(figure), rows)


# --- records ------------------------------------------------------------------------------


def _worker(r: pq.RecordView) -> str:
    return r.worker_name or r.worker_id


def indicator_column(name: str, measures: Callable[[Row], Mapping[str, Measure]],
                     *, basis: bool = False) -> Column[Row]:
    """A column of one indicator (:mod:`indicators`) of rows that have its measures;
    ``basis``: a rate shows what it is made of too ("84.4% (38 / 45)")."""

    def text(row: Row) -> str:
        measure = measures(row).get(name)
        value = L.format_measure(name, measure)
        extra = L.measure_basis(name, measure) if basis else ""
        return f"{value} ({extra})" if extra and value != L.EMPTY else value

    def sort(row: Row) -> float:
        measure = measures(row).get(name)
        return _number(None if measure is None else measure.value)

    return Column(name, text, sort, align_right=True, indicator=name)


def _figure_column(name: str) -> Column[pq.RecordView]:
    return indicator_column(name, lambda r: r.measures)


def queue_columns(refused: Callable[[str], bool]) -> list[Column[pq.RecordView]]:
    """The approval queue: who, the suggested score, which month, since when, and what to
    look out for. The score right after the name: the list pane is narrow, and the column
    at its right edge was the score, "…" at 1024×700 (in English, after "Social worker"
    and "November 2026", even with the score before the time); the month is the title's
    too, and short ("Nov 2026")."""

    def notes(r: pq.RecordView) -> str:
        parts = []
        if refused(r.id):
            parts.append(L.tr(QT_TRANSLATE_NOOP("Performance", "Your decision was refused")))
        if r.edited_after_submission:
            parts.append(L.tr(QT_TRANSLATE_NOOP("Performance", "Edited after submission")))
        elif r.resubmitted:
            parts.append(L.tr(QT_TRANSLATE_NOOP("Performance", "Resubmitted")))
        return " · ".join(parts)

    def color(r: pq.RecordView) -> QColor | None:
        return MISSED_COLOR if refused(r.id) else None

    return [
        Column(QT_TRANSLATE_NOOP("Performance", "Social worker"), _worker, _worker),
        Column(QT_TRANSLATE_NOOP("Performance", "Suggested score"),
               lambda r: L.format_score(r.suggested_score), lambda r: r.suggested_score,
               align_right=True),
        Column(QT_TRANSLATE_NOOP("Performance", "Month"),
               lambda r: L.month_label(r.period, short=True), lambda r: r.period),
        Column(QT_TRANSLATE_NOOP("Performance", "Submitted"),
               lambda r: L.format_time(r.submitted_at), lambda r: _stamp(r.submitted_at)),
        Column(QT_TRANSLATE_NOOP("Performance", "Notes"), notes, notes, color=color),
    ]


def period_columns() -> list[Column[pq.RecordView]]:
    """A month's records: status, the scores, then the figures. (The scores came last,
    past the list's edge at 1024×700, though they are what the month is compared by.)"""
    return [
        Column(QT_TRANSLATE_NOOP("Performance", "Social worker"), _worker, _worker),
        Column(QT_TRANSLATE_NOOP("Performance", "Status"), lambda r: L.status_label(r.status),
               lambda r: ("draft", "returned", "submitted", "approved").index(r.status)
               if r.status in ("draft", "returned", "submitted", "approved") else 9),
        Column(QT_TRANSLATE_NOOP("Performance", "Suggested score"),
               lambda r: L.format_score(r.suggested_score), lambda r: r.suggested_score,
               align_right=True),
        Column(QT_TRANSLATE_NOOP("Performance", "Score"), lambda r: L.format_score(r.score),
               lambda r: _number(r.score), align_right=True),
        *(_figure_column(name) for name in RECORD_INDICATORS
          if name != "median_accept_hours"),
    ]


class RecordsModel(RowsModel[pq.RecordView]):
    def __init__(self, columns: Sequence[Column[pq.RecordView]], parent: Any = None) -> None:
        super().__init__(columns, (), lambda r: r.id, parent)

    def row_of(self, record_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == record_id), -1)


# --- dashboard tables ---------------------------------------------------------------------


def group_columns(*, grid: bool) -> list[Column[pq.GroupRow]]:
    """A grid's or a worker's row of the dashboard: the same indicators as a record."""
    def name(g: pq.GroupRow) -> str:
        return g.name or g.id

    def count(title: str, get: Callable[[pq.GroupRow], int]) -> Column[pq.GroupRow]:
        return Column(title, lambda g: str(get(g)), get, align_right=True)

    def measures(g: pq.GroupRow) -> Mapping[str, Measure]:
        return g.measures

    columns: list[Column[pq.GroupRow]] = [
        Column(QT_TRANSLATE_NOOP("Performance", "Grid") if grid
               else QT_TRANSLATE_NOOP("Performance", "Social worker"), name, name),
        count(QT_TRANSLATE_NOOP("Performance", "Households"), lambda g: g.households),
        indicator_column("visits_due", measures),
        indicator_column("visits_done", measures),
        indicator_column("visit_completion", measures, basis=True),
    ]
    if grid:
        columns.append(count(QT_TRANSLATE_NOOP("Performance", "Tickets opened"),
                             lambda g: g.tickets_opened))
    return [
        *columns,
        indicator_column("tickets_resolved", measures),
        indicator_column("on_time_rate", measures),
        indicator_column("avg_satisfaction", measures),
        Column(QT_TRANSLATE_NOOP("Performance", "Overdue at the end"), lambda g: str(g.overdue_now),
               lambda g: g.overdue_now, align_right=True,
               color=lambda g: MISSED_COLOR if g.overdue_now else None),
    ]


class GroupModel(RowsModel[pq.GroupRow]):
    def __init__(self, *, grid: bool, parent: Any = None) -> None:
        super().__init__(group_columns(grid=grid), (), lambda g: g.id, parent)
