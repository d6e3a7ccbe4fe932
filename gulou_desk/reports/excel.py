"""Excel workbooks (.xlsx, openpyxl) of the monthly performance records and the dashboard.

Every sheet is laid out as :mod:`gulou_desk.reports.sheets` lays out the app's workbooks
(two header rows, Chinese then English, frozen; columns fit their content; written
atomically, :class:`ExportError` when it cannot be). Here:

- numbers stay numbers: rates as percentages (``0.0%``), averages, hours and scores with
  one decimal, counts whole, days as dates, times as Shanghai local time; an empty cell is
  a figure without data (no ticket resolved, say), never a zero;
- status, category and satisfaction values are written as labels in ``lang`` (Chinese by
  default; the codes are not for readers).

The UI translates its own strings with Qt; this module has no Qt, so every text it writes
comes from the one bilingual table :data:`LABELS`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gulou_desk.domain import sla
from gulou_desk.domain.indicators import INDICATOR, INDICATORS, RECORD_INDICATORS, Kind, Measure
from gulou_desk.records import SHANGHAI
from gulou_desk.reports.sheets import (
    LANGS,
    PERCENT,
    ExportError,
    cell_value,
    display_width,
    finish_sheet,
    save_workbook,
    write_headers,
)
from gulou_desk.store.performance_queries import Dashboard, GroupRow, RecordView

__all__ = ["LABELS", "LANGS", "PERCENT", "ExportError", "export_dashboard", "export_records",
           "label", "write_workbook"]

LABELS: dict[str, tuple[str, str]] = {
    # sheets
    "sheet.records": ("绩效考核", "Performance"),
    "sheet.about": ("说明", "About"),
    "sheet.weekly_visits": ("每周走访", "Visits per week"),
    "sheet.tickets_by_category": ("工单分类", "Tickets by category"),
    "sheet.overdue_trend": ("超时趋势", "Overdue trend"),
    "sheet.satisfaction": ("满意度", "Satisfaction"),
    "sheet.by_grid": ("按网格", "By grid"),
    "sheet.by_worker": ("按社工", "By worker"),
    # record columns (the indicators are named by gulou_desk.domain.indicators)
    **{i.key: (i.zh, i.en) for i in INDICATORS},
    "median_accept_hours": ("签收用时中位数（小时）", "Median hours to accept"),
    "tickets_on_time": ("按时办结", "Resolved in time"),
    "follow_ups": ("回访次数", "Follow-up calls"),
    "acceptances": ("签收次数", "Acceptances"),
    "worker": ("社工", "Social worker"),
    "period": ("月份", "Month"),
    "score": ("得分", "Score"),
    "status": ("状态", "Status"),
    "supervisor": ("审核人", "Decided by"),
    "decision_comment": ("审核意见", "Decision comment"),
    "self_assessment": ("自评", "Self-assessment"),
    "through": ("统计截至", "Counted through"),
    # dashboard columns
    "week_start": ("周起始", "Week of"),
    "visits_planned": ("计划走访", "Visits planned"),
    "plan_rate": ("完成率", "Done vs plan"),
    "category": ("类别", "Category"),
    "count": ("数量", "Count"),
    "day": ("日期", "Date"),
    "open": ("在办", "Open"),
    "overdue": ("超时", "Overdue"),
    "overdue_share": ("超时占比", "Overdue share"),
    "satisfied": ("满意", "Satisfied"),
    "basically_satisfied": ("基本满意", "Basically satisfied"),
    "dissatisfied": ("不满意", "Dissatisfied"),
    "average": ("平均满意度", "Average"),
    "grid": ("网格", "Grid"),
    "households": ("户数", "Households"),
    "tickets_opened": ("新增工单", "Tickets opened"),
    "overdue_now": ("期末超时工单", "Overdue at the end"),
    # about sheet
    "about.item": ("项目", "Item"),
    "about.value": ("内容", "Value"),
    "about.periods": ("统计月份", "Months"),
    "about.days": ("统计日期", "Days counted"),
    "about.community": ("社区", "Community"),
    "about.grid": ("网格", "Grid"),
    "about.all": ("全部", "All"),
    "about.generated": ("生成时间", "Generated"),
    # performance record statuses
    "status.draft": ("草稿", "Draft"),
    "status.submitted": ("已提交", "Submitted"),
    "status.approved": ("已通过", "Approved"),
    "status.returned": ("已退回", "Returned"),
    # ticket statuses
    "ticket.new": ("新建", "New"),
    "ticket.assigned": ("已派单", "Assigned"),
    "ticket.accepted": ("已签收", "Accepted"),
    "ticket.in_progress": ("办理中", "In progress"),
    "ticket.waiting": ("待居民", "Waiting on resident"),
    "ticket.resolved": ("已办结", "Resolved"),
    "ticket.closed": ("已回访", "Closed"),
    "ticket.returned": ("已退回", "Returned"),
    "ticket.merged": ("已合并", "Merged"),
    "ticket.cancelled": ("已撤销", "Cancelled"),
}
"""Every text the workbooks contain: key → (Chinese, English)."""

ONE_DECIMAL = "0.0"
WHOLE = "0"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"


def label(key: str, lang: str = "zh") -> str:
    """The label of ``key`` in ``lang``; an unknown key is returned as it is (a status or
    category code this version does not know is still readable)."""
    pair = LABELS.get(key)
    if pair is None and key.startswith("category."):
        # A ticket category: the catalogue's names (those in force, retired ones too).
        found = sla.category(key.removeprefix("category."))
        pair = (found.zh, found.en) if found is not None else None
    if pair is None:
        return key.split(".", 1)[-1]
    return pair[0] if lang == "zh" else pair[1]


# --- columns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    """Label key of the header (:data:`LABELS`)."""
    value: Callable[[Any], Any]
    number_format: str | None = None


def _rate(num: int | float | None, den: int | float | None) -> float | None:
    return None if not den or num is None else num / den


_FORMATS: dict[Kind, str] = {
    Kind.COUNT: WHOLE, Kind.RATE: PERCENT, Kind.MEAN: ONE_DECIMAL, Kind.HOURS: ONE_DECIMAL,
    Kind.SCORE: ONE_DECIMAL}


def _indicator_columns(keys: Iterable[str],
                       measures: Callable[[Any], Mapping[str, Measure]]) -> list[Column]:
    """One column per indicator, and beside a rate its numerator, beside a mean or a
    median how many it is over (when not shown already): the sheet carries what each
    number is made of."""
    keys = tuple(keys)
    shown = set(keys)

    def value(key: str) -> Callable[[Any], Any]:
        return lambda row: measures(row)[key].value

    def part(key: str, which: str) -> Callable[[Any], Any]:
        return lambda row: getattr(measures(row)[key], which)

    columns: list[Column] = []
    for key in keys:
        ind = INDICATOR[key]
        columns.append(Column(key, value(key), _FORMATS[ind.kind]))
        if ind.kind is Kind.RATE:
            extra, which = ind.numerator, "numerator"
        elif ind.kind in (Kind.MEAN, Kind.HOURS):
            extra, which = ind.denominator, "denominator"
        else:
            continue
        if extra and extra not in shown:
            columns.append(Column(extra, part(key, which), WHOLE))
            shown.add(extra)
    return columns


def _decided(r: RecordView) -> bool:
    """The reviewer's fields belong to this round only once it is decided: a returned
    record submitted again keeps the return's comment and reviewer (for the worker to
    read) until the next decision, and they are not this round's."""
    return r.status in ("approved", "returned")


def _record_columns(lang: str) -> list[Column]:
    return [
        Column("worker", lambda r: r.worker_name or r.worker_id),
        Column("period", lambda r: r.period),
        *_indicator_columns((*RECORD_INDICATORS, "suggested_score"), lambda r: r.measures),
        Column("score", lambda r: r.score if _decided(r) else None, ONE_DECIMAL),
        Column("status", lambda r: label(f"status.{r.status}", lang)),
        Column("supervisor",
               lambda r: (r.supervisor_name or r.supervisor_id) if _decided(r) else None),
        Column("decision_comment", lambda r: r.decision_comment if _decided(r) else None),
        Column("self_assessment", lambda r: r.self_assessment),
        Column("through", lambda r: r.through, DATE),
    ]


def _group_columns(lang: str, *, grid: bool) -> list[Column]:
    columns = [
        Column("grid" if grid else "worker", lambda g: g.name or g.id),
        Column("households", lambda g: g.households, WHOLE),
        *_indicator_columns(("visits_due", "visits_done", "visit_completion"),
                            lambda g: g.measures),
    ]
    if grid:
        columns.append(Column("tickets_opened", lambda g: g.tickets_opened, WHOLE))
    return [*columns,
            *_indicator_columns(("tickets_resolved", "on_time_rate", "avg_satisfaction"),
                                lambda g: g.measures),
            Column("overdue_now", lambda g: g.overdue_now, WHOLE)]


# --- writing ------------------------------------------------------------------------------


_WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet(ws: Worksheet, columns: Sequence[Column], rows: Iterable[Any]) -> None:
    widths = write_headers(ws, [(label(c.key, "zh"), label(c.key, "en")) for c in columns])
    for r, row in enumerate(rows, start=len(LANGS) + 1):
        for i, col in enumerate(columns, start=1):
            value = cell_value(col.value(row))
            cell = ws.cell(row=r, column=i, value=value)
            if col.number_format and isinstance(value, int | float | dt.date) and not \
                    isinstance(value, bool):
                fmt = DATETIME if isinstance(value, dt.datetime) else col.number_format
                cell.number_format = fmt
            if isinstance(value, str) and ("\n" in value or len(value) > 40):
                cell.alignment = _WRAP
            widths[i - 1] = max(widths[i - 1], display_width(value, col.number_format))
    finish_sheet(ws, widths)


def _title(key: str, lang: str) -> str:
    # Excel sheet names: at most 31 characters, none of []:*?/\
    return label(key, lang)[:31]


def write_workbook(
    path: str | os.PathLike[str],
    *,
    records: Sequence[RecordView] | None = None,
    dashboard: Dashboard | None = None,
    lang: str = "zh",
    community_name: str | None = None,
    grid_name: str | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """Write the records (one row per record: figures, score, status, decision, comment)
    and / or the dashboard's tables (one sheet each, plus an "About" sheet with the
    months and filters) to ``path``; returns the path written.

    ``lang`` chooses the language of the sheet names and of values such as statuses (the
    headers are always in both). Raises :class:`ExportError` (and leaves ``path`` as it
    was) when the file cannot be written; ``ValueError`` for an unknown ``lang`` or when
    there is nothing to write.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}")
    if records is None and dashboard is None:
        raise ValueError("nothing to export: give records, a dashboard or both")
    target = Path(path)
    wb = Workbook()
    default = wb.active
    if default is not None:
        wb.remove(default)
    if records is not None:
        _sheet(wb.create_sheet(_title("sheet.records", lang)), _record_columns(lang), records)
    if dashboard is not None:
        _dashboard_sheets(wb, dashboard, lang, community_name, grid_name,
                          now or dt.datetime.now(SHANGHAI))
    save_workbook(wb, target)
    return target


def export_records(path: str | os.PathLike[str], records: Sequence[RecordView], *,
                   lang: str = "zh") -> Path:
    """The monthly records alone (see :func:`write_workbook`)."""
    return write_workbook(path, records=records, lang=lang)


def export_dashboard(path: str | os.PathLike[str], dashboard: Dashboard, *,
                     lang: str = "zh", community_name: str | None = None,
                     grid_name: str | None = None) -> Path:
    """The dashboard's tables alone (see :func:`write_workbook`)."""
    return write_workbook(path, dashboard=dashboard, lang=lang,
                          community_name=community_name, grid_name=grid_name)


def _dashboard_sheets(wb: Workbook, d: Dashboard, lang: str, community_name: str | None,
                      grid_name: str | None, now: dt.datetime) -> None:
    everything = label("about.all", lang)
    about = [
        ("about.periods", f"{d.period_from} – {d.period_to}"),
        ("about.days", f"{d.window.first.isoformat()} – {d.window.last.isoformat()}"),
        ("about.community", community_name or d.community_id or everything),
        ("about.grid", grid_name or d.grid_id or everything),
        ("about.generated", now),
    ]
    _sheet(wb.create_sheet(_title("sheet.about", lang)), [
        Column("about.item", lambda r: label(r[0], lang)),
        Column("about.value", lambda r: r[1], DATETIME),
    ], about)
    weekly = wb.create_sheet(_title("sheet.weekly_visits", lang))
    _sheet(weekly, [
        Column("week_start", lambda w: w.week_start, DATE),
        Column("visits_done", lambda w: w.visits_done, WHOLE),
        Column("visits_planned", lambda w: w.visits_planned, WHOLE),
        Column("plan_rate", lambda w: _rate(w.visits_done, w.visits_planned), PERCENT),
    ], d.weekly_visits)
    _chart(weekly, "sheet.weekly_visits", lang, len(d.weekly_visits), bars=(2,), lines=(3,),
           y_title="visits_done")
    _sheet(wb.create_sheet(_title("sheet.tickets_by_category", lang)), [
        Column("category", lambda c: label(f"category.{c.category}", lang)),
        Column("status", lambda c: label(f"ticket.{c.status}", lang)),
        Column("count", lambda c: c.count, WHOLE),
    ], d.tickets_by_category)
    overdue = wb.create_sheet(_title("sheet.overdue_trend", lang))
    _sheet(overdue, [
        Column("day", lambda p: p.day, DATE),
        Column("open", lambda p: p.open, WHOLE),
        Column("overdue", lambda p: p.overdue, WHOLE),
        Column("overdue_share", lambda p: _rate(p.overdue, p.open), PERCENT),
    ], d.overdue_trend)
    _chart(overdue, "sheet.overdue_trend", lang, len(d.overdue_trend), lines=(2, 3),
           y_title="count")
    satisfaction = wb.create_sheet(_title("sheet.satisfaction", lang))
    _sheet(satisfaction, [
        Column("period", lambda s: s.period),
        Column("satisfied", lambda s: s.satisfied, WHOLE),
        Column("basically_satisfied", lambda s: s.basically_satisfied, WHOLE),
        Column("dissatisfied", lambda s: s.dissatisfied, WHOLE),
        Column("average", lambda s: s.average, ONE_DECIMAL),
    ], d.satisfaction)
    _chart(satisfaction, "sheet.satisfaction", lang, len(d.satisfaction), bars=(2, 3, 4),
           stacked=True, y_title="follow_ups")
    grids: Sequence[GroupRow] = d.by_grid
    by_grid = wb.create_sheet(_title("sheet.by_grid", lang))
    grid_columns = _group_columns(lang, grid=True)
    _sheet(by_grid, grid_columns, grids)
    completion = 1 + [c.key for c in grid_columns].index("visit_completion")
    _chart(by_grid, "visit_completion", lang, len(grids), bars=(completion,),
           y_title="visit_completion")
    _sheet(wb.create_sheet(_title("sheet.by_worker", lang)),
           _group_columns(lang, grid=False), d.by_worker)


def _chart(ws: Worksheet, title: str, lang: str, rows: int, *, bars: Sequence[int] = (),
           lines: Sequence[int] = (), stacked: bool = False, y_title: str) -> None:
    """A chart of a sheet's columns beside its table (what the dashboard draws): bars
    and / or lines over the rows, the first column as categories, each series named by
    its header in ``lang``. Nothing for an empty sheet."""
    if rows == 0:
        return
    first, last = len(LANGS) + 1, len(LANGS) + rows
    categories = Reference(ws, min_col=1, min_row=first, max_row=last)
    header_row = LANGS.index(lang) + 1

    def series(column: int) -> Series:
        return Series(Reference(ws, min_col=column, min_row=first, max_row=last),
                      title=str(ws.cell(row=header_row, column=column).value))

    chart: BarChart | LineChart
    if bars:
        chart = BarChart()
        chart.type = "col"
        if stacked:
            chart.grouping = "stacked"
            chart.overlap = 100
        for column in bars:
            chart.series.append(series(column))
        chart.set_categories(categories)
        if lines:
            line = LineChart()
            for column in lines:
                line.series.append(series(column))
            line.set_categories(categories)
            chart += line
    else:
        chart = LineChart()
        for column in lines:
            chart.series.append(series(column))
        chart.set_categories(categories)
    chart.title = label(title, lang)
    chart.y_axis.title = label(y_title, lang)
    chart.height, chart.width = 8.0, 18.0
    ws.add_chart(chart, f"{get_column_letter(ws.max_column + 2)}{first}")
