"""Journeys of a supervisor (主管): a worker's month read three ways, deciding on records,
the figures behind a figure (issue 11, "Supervisor journeys").

The supervisor signs in, opens 绩效考核 and reads a social worker's month on the record
(its tiles), on the dashboard filtered to that month and that worker, and in the two
Excel workbooks the app writes: the numbers are the same everywhere, and the same as the
figures the server holds.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from gulou_desk.domain import performance
from gulou_desk.records import SHANGHAI
from gulou_desk.reports import excel
from tests.journeys.harness import Journey, plain
from ui.performance.dashboard import DashboardView
from ui.performance.figures import FigureTiles
from ui.performance.record_panel import RecordPanel
from ui.performance.supervisor_view import MonthlyRecordsView
from ui.performance.view import PerformanceView

pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support raise", "This plugin does not support grabbing the keyboard")
"""What the offscreen platform says when a modal file dialog opens (no window system)."""

COMPARED = ("visits_due", "visits_done", "visit_completion", "tickets_resolved",
            "on_time_rate", "avg_satisfaction")
"""The indicators a record, the dashboard's worker row and both workbooks show."""


def _number(text: str) -> float | None:
    """A figure as read on screen ("36.3%", "2.8 小时", "—", "99 / 273") → its number."""
    text = plain(text)
    if text in ("—", ""):
        return None
    match = re.match(r"-?\d+(\.\d+)?", text.replace(",", ""))
    assert match, text
    value = float(match.group(0))
    return round(value / 100, 3) if text.split(" (")[0].endswith("%") else value


def _basis(text: str) -> tuple[float, float] | None:
    """"99 / 273" (under a rate, or in brackets after it) → (99, 273)."""
    match = re.search(r"(\d+)\s*/\s*(\d+)", text)
    return (float(match.group(1)), float(match.group(2))) if match else None


def _last_month(today: dt.date) -> str:
    return performance.period_of(today.replace(day=1) - dt.timedelta(days=1))


def _month_label(period: str) -> str:
    year, month = performance.parse_period(period)
    return f"{year}年{month}月"


def _documents() -> Path:
    return Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation))


def _save_in_dialog(journey: Journey, name: str, seen: dict[str, Any]) -> None:
    """When the save dialog opens: note where it opened and what it says, type the file's
    name and press Enter (the dialog is ``exec()``'d: this runs inside it)."""

    def act(dialog: QFileDialog) -> None:
        seen["folder"] = Path(dialog.directory().absolutePath())
        seen["title"] = dialog.windowTitle()
        seen["buttons"] = [plain(b.text()) for b in dialog.findChildren(QAbstractButton)
                           if b.isVisible() and b.text()]
        seen["labels"] = [plain(lb.text()) for lb in dialog.findChildren(QLabel)
                          if lb.isVisible() and lb.text()]
        edit = dialog.findChild(QLineEdit, "fileNameEdit")
        assert edit is not None
        journey.qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        journey.qtbot.keyClicks(edit, name)
        seen["shot"] = journey.shot("the save dialog")
        journey.qtbot.keyClick(edit, Qt.Key.Key_Return)

    journey.when_dialog_opens(QFileDialog, act)


def _assert_save_dialog(seen: dict[str, Any]) -> None:
    """It opened in the documents folder, and speaks Chinese."""
    assert seen["folder"] == _documents(), seen["folder"]
    assert any("保存" in b for b in seen["buttons"]), seen["buttons"]
    assert any("文件名" in lb for lb in seen["labels"]), seen["labels"]
    assert all(re.search(r"[\u4e00-\u9fff]", lb) for lb in seen["labels"]), seen["labels"]
    assert re.search(r"[\u4e00-\u9fff]", seen["title"]), seen["title"]


def _sheet_row(path: Path, sheet: str, first_cell: str) -> dict[str, Any]:
    rows = list(openpyxl.load_workbook(path)[sheet].iter_rows(values_only=True))
    headers = rows[0]
    for row in rows[2:]:
        if row[0] == first_cell:
            return dict(zip(headers, row, strict=True))
    raise AssertionError(f"no row {first_cell!r} in {sheet}")


def _cut(tiles: FigureTiles) -> list[str]:
    """The tiles' texts that are not shown whole."""
    cut = []
    for tile in tiles.tiles.values():
        value = tile.value_label
        if not value.fits():  # type: ignore[attr-defined]
            cut.append(f"{tile.name}: {value.text()!r} cut at {value.width()} px")
        for label in (tile.title_label, tile.extra_label):
            if label.isVisible() and \
                    label.heightForWidth(label.contentsRect().width()) > label.height() + 1:
                cut.append(f"{tile.name}: {label.text()!r} cut at {label.height()} px high")
    return cut


def _tiles_fit(tiles: FigureTiles) -> None:
    """Once laid out (a tile's height follows its width a moment later), nothing is cut."""
    deadline = time.monotonic() + 3
    while _cut(tiles) and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    assert _cut(tiles) == []


def test_a_workers_month_reads_the_same_on_the_record_the_dashboard_and_in_excel(
        journey: Journey, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOME", str(journey.home))  # the person's own documents folder
    journey.start()
    journey.sign_in("supervisor1")
    page = journey.go_to("绩效考核")
    view = page.findChild(PerformanceView)
    assert view is not None

    # 月度考核 opens on the last complete month: the one to decide on.
    journey.tab("月度考核")
    records = journey.by_name("monthly_records", MonthlyRecordsView, within=view)
    today = dt.datetime.now(SHANGHAI).date()
    period = _last_month(today)
    combo = journey.by_name("records_period", QComboBox, within=records)
    assert combo.currentText() == _month_label(period)
    table = journey.by_name("period_table", QTableView, within=records)
    journey.wait_until(lambda: table.model().rowCount() >= 5, what="the month's records")
    # A worker who resolved tickets that month (every figure has data): the person reads
    # the records one by one.
    panel = journey.by_name("record_panel", RecordPanel, within=records)
    worker = ""
    for row in range(table.model().rowCount()):
        [name] = journey.cells(table, journey.column(table, "社工"), [row])
        journey.click_row(table, row)
        journey.wait_until(lambda n=name: panel.detail is not None and not panel.loading
                           and panel.title_label.text().startswith(n),
                           what=f"{name}'s record shown")
        if _number(panel.tiles.tiles["tickets_resolved"].value_label.text()):
            worker = name
            break
    assert worker, "nobody resolved a ticket last month"
    journey.shot("the record of a worker's last month")
    tiles = panel.tiles
    on_record = {key: (_number(tiles.tiles[key].value_label.text()),
                       _basis(tiles.tiles[key].extra_label.text()))
                 for key in COMPARED}
    _tiles_fit(tiles)
    # Under the rate: numerator / denominator; the suggested score says how it was made.
    assert on_record["visit_completion"][1] is not None
    explanation = panel.score_how.text()
    assert panel.score_how.isVisible() and "60 + 40 ×" in explanation, explanation
    suggested = _number(panel.suggested_label.text().split("：")[-1])

    # The record's own workbook, through the save dialog.
    seen: dict[str, Any] = {}
    _save_in_dialog(journey, "records.xlsx", seen)
    journey.click("导出到 Excel…", within=records)
    journey.wait_until(lambda: "已保存" in records.status_label.text(),
                       what="the month's records saved")
    _assert_save_dialog(seen)
    records_book = seen["folder"] / "records.xlsx"
    in_records_book = _sheet_row(records_book, "绩效考核", worker)
    assert in_records_book["统计截至"] is not None  # counted through: filled

    # The dashboard, filtered to that month and that worker.
    journey.tab("统计看板")
    board = journey.by_name("dashboard", DashboardView, within=view)
    journey.wait_until(lambda: board.board is not None and not board.computing,
                       what="the dashboard computed", timeout=60_000)
    # The weekly plan does not put the whole backlog into the first week.
    [_bars, plan_line] = board.chart("weekly").series()
    planned = [p.y() for p in plan_line.points()]  # type: ignore[attr-defined]
    later = sorted(planned[1:])
    assert planned[0] <= 2 * later[len(later) // 2], planned
    journey.shot("the dashboard: visits per week against plan")
    journey.choose(board.from_combo, _month_label(period))
    journey.choose(board.to_combo, _month_label(period))
    journey.wait_until(lambda: board.board is not None and not board.computing
                       and board.board.period_from == period == board.board.period_to,
                       what="the dashboard of that month", timeout=60_000)
    journey.tab("按社工", within=board)
    journey.type_into("筛选表格（Ctrl+F）", worker, within=board)
    workers = board.worker_table
    journey.wait_until(lambda: workers.model().rowCount() == 1, what=f"{worker}'s row alone")
    on_dashboard = {key: (_number(cell), _basis(cell)) for key in COMPARED
                    for cell in journey.cells(workers, journey.column(
                        workers, _indicator_header(key)), [0])}
    journey.shot("the dashboard: that month, that worker")

    seen = {}
    _save_in_dialog(journey, "dashboard.xlsx", seen)
    journey.click("导出到 Excel…", within=board)
    journey.wait_until(lambda: "已保存" in board.busy_label.text(),
                       what="the dashboard saved")
    _assert_save_dialog(seen)
    dashboard_book = seen["folder"] / "dashboard.xlsx"
    in_dashboard_book = _sheet_row(dashboard_book, "按社工", worker)
    charts = {ws.title: len(ws._charts)
              for ws in openpyxl.load_workbook(dashboard_book).worksheets}
    assert charts["每周走访"] >= 1 and charts["超时趋势"] >= 1 and charts["满意度"] >= 1, charts

    # What the server holds for that record.
    held = journey.server.pull_as("supervisor1")
    [record] = [r for r in held.all("performance_record") if r["period"] == period
                and _staff_name(held, r["worker_id"]) == worker]
    official = performance.stored_measures(record["worker_id"], period, record["figures"])

    def book(row: dict[str, Any], key: str) -> tuple[float | None, tuple[float, float] | None]:
        value = row[excel.label(key)]
        ind_basis = None
        if key == "visit_completion":
            ind_basis = (float(row[excel.label("visits_due_met")]),
                         float(row[excel.label("visits_due")]))
        return (None if value is None else round(float(value), 3), ind_basis)

    server = {key: (None if official[key].value is None else round(float(official[key].value), 3),
                    (float(official[key].numerator), float(official[key].denominator))
                    if key == "visit_completion" else None)
              for key in COMPARED}
    ways = {"record": on_record, "dashboard": on_dashboard,
            "records.xlsx": {k: book(in_records_book, k) for k in COMPARED},
            "dashboard.xlsx": {k: book(in_dashboard_book, k) for k in COMPARED},
            "server": server}
    with capsys.disabled():
        print(f"\n{worker} · {period} ({journey.size[0]}x{journey.size[1]})")
        for way, numbers in ways.items():
            print(f"  {way:15} " + "  ".join(
                f"{k}={v[0]}" + (f" ({v[1][0]:.0f}/{v[1][1]:.0f})" if v[1] else "")
                for k, v in numbers.items()))
    for way, numbers in ways.items():
        for key in COMPARED:
            assert numbers[key][0] == server[key][0], (way, key, numbers[key], server[key])
        assert numbers["visit_completion"][1] == server["visit_completion"][1], way
    assert suggested == record_suggested(official)


def record_suggested(official: dict[str, Any]) -> float:
    return float(official["suggested_score"].value)


def _monthly_records(journey: Journey) -> tuple[MonthlyRecordsView, QTableView]:
    """supervisor1 signed in, on 月度考核 with last month's records listed."""
    journey.start()
    journey.sign_in("supervisor1")
    page = journey.go_to("绩效考核")
    journey.tab("月度考核")
    records = journey.by_name("monthly_records", MonthlyRecordsView, within=page)
    table = journey.by_name("period_table", QTableView, within=records)
    journey.wait_until(lambda: table.model().rowCount() >= 5, what="the month's records")
    return records, table


def _approval_queue(journey: Journey, section: str = "绩效考核"
                    ) -> tuple[QWidget, QWidget, QTableView]:
    """The performance section's page, its approval queue and the queue's table, once it
    lists at least two records to decide."""
    page = journey.go_to(section)
    queue = journey.by_name("approval_queue", QWidget, within=page)
    table = journey.by_name("queue_table", QTableView, within=queue)
    journey.wait_until(lambda: table.model().rowCount() >= 2, what="records to decide")
    return page, queue, table


def _indicator_header(key: str) -> str:
    from gulou_desk.domain.indicators import INDICATOR

    return INDICATOR[key].zh


def _staff_name(held: Any, staff_id: str) -> str | None:
    row = held.get("staff", staff_id)
    return None if row is None else row.get("display_name")


def _check_every_record(journey: Journey, month_tab: str, worker_header: str,
                        in_time: re.Pattern[str]) -> int:
    """Every record of the month: its tiles whole, and the completion rate's basis saying
    what its numerator counts (``in_time``): a bare "133 / 369" under 应访完成率, beside
    已访 88, read as two counts of one thing that disagree (the 133 are the due visits
    made in time by anyone of the grid, the 88 the worker's own). Returns how many
    records have a time to accept."""
    page = journey.window.page("performance")
    journey.tab(month_tab)
    records = journey.by_name("monthly_records", MonthlyRecordsView, within=page)
    table = journey.by_name("period_table", QTableView, within=records)
    journey.wait_until(lambda: table.model().rowCount() >= 5, what="the month's records")
    panel = journey.by_name("record_panel", RecordPanel, within=records)
    hours = 0
    for row in range(table.model().rowCount()):
        [name] = journey.cells(table, journey.column(table, worker_header), [row])
        journey.click_row(table, row)
        journey.wait_until(lambda n=name: panel.detail is not None and not panel.loading
                           and panel.title_label.text().startswith(n),
                           what=f"{name}'s record shown")
        _tiles_fit(panel.tiles)
        basis = panel.tiles.tiles["visit_completion"].extra_label.text()
        assert in_time.fullmatch(basis), (name, basis)
        hours += panel.tiles.tiles["median_accept_hours"].value_label.text() != "—"
    return hours


def test_the_record_tiles_fit_their_text_in_chinese_and_in_english(journey: Journey) -> None:
    """"10.8 小时" and its English "10.8 h", the sub-labels and the names: never cut, on
    every record of the month, at both sizes, in both languages."""
    journey.start()
    journey.sign_in("supervisor1")
    journey.go_to("绩效考核")
    assert _check_every_record(journey, "月度考核", "社工", re.compile(r"按期 \d+ / \d+")) > 0
    journey.shot("the tiles, in Chinese")
    journey.restart("--lang", "en")
    journey.go_to("Performance")
    assert _check_every_record(journey, "Monthly records", "Social worker",
                               re.compile(r"\d+ of \d+ in time")) > 0
    journey.shot("the tiles, in English")


ASKED = "走访记录不全，请补充后再提交"


def _decide_on(journey: Journey, panel: RecordPanel, table: QTableView, row: int) -> str:
    """Choose the queue's ``row``; returns the worker's name once their record shows."""
    [name] = journey.cells(table, journey.column(table, "社工"), [row])
    journey.click_row(table, row)
    journey.wait_until(lambda: panel.detail is not None and not panel.loading
                       and panel.title_label.text().startswith(name)
                       and panel.decision_box.isVisible(), what=f"{name}'s record to decide")
    return name


def _names(table: QTableView) -> list[str]:
    model = table.model()
    return [str(model.index(r, 0).data()) for r in range(model.rowCount())]


def _record_of(journey: Journey, worker: str, period: str) -> dict[str, Any]:
    held = journey.server.pull_as("supervisor1")
    [record] = [r for r in held.all("performance_record") if r["period"] == period
                and _staff_name(held, r["worker_id"]) == worker]
    return record


def _sync(journey: Journey) -> None:
    """Sync now (after the sync that may be running already: one starts soon after an
    edit), and wait for it."""
    button = journey.window.status_bar.sync_button
    journey.wait_until(button.isEnabled, what="no sync running", timeout=60_000)
    seen = journey.syncs_finished
    journey.click(button)
    journey.wait_for_sync(after=seen)


def test_returning_is_the_default_with_a_comment_an_approval_is_undone_or_reopened(
        journey: Journey) -> None:
    journey.start()
    journey.sign_in("supervisor1")
    page, queue, table = _approval_queue(journey)
    panel = journey.by_name("record_panel", RecordPanel, within=queue)
    period = _last_month(dt.datetime.now(SHANGHAI).date())

    # A comment typed: 退回 is the default (the primary button; Ctrl+Enter takes it).
    returned = _decide_on(journey, panel, table, 0)
    assert panel.approve_button.isDefault() and not panel.return_button.isEnabled()
    comment = journey.type_into("给社工的意见（通过时可不填，退回时必填）", ASKED)
    assert panel.return_button.isDefault() and panel.return_button.property("primary")
    assert not panel.approve_button.isDefault() and not panel.approve_button.property("primary")
    journey.shot("a comment typed: 退回 is the default")
    journey.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, target=comment)
    toast = journey.by_name("toast", QWidget, within=journey.window)
    journey.wait_until(lambda: "已退回" in toast.text_label.text(),  # type: ignore[attr-defined]
                       what="the return confirmed")

    journey.wait_until(lambda: returned not in _names(table), what="the returned one gone")

    # An approval, undone before it is sent: the record waits in the queue again.
    approved = _decide_on(journey, panel, table, 0)
    assert approved != returned
    journey.click(panel.approve_button)
    journey.wait_until(lambda: "已通过" in toast.text_label.text(),  # type: ignore[attr-defined]
                       what="the approval confirmed")
    journey.shot("approved: 撤销 in the notice")
    journey.click("撤销", within=toast)
    journey.wait_until(lambda: panel.detail is not None and panel.title_label.text()
                       .startswith(approved) and panel.detail.record.status == "submitted"
                       and panel.decision_box.isVisible(), what="the approval undone")
    assert approved in _names(table)
    journey.shot("the approval undone: the record waits again")
    _sync(journey)
    assert _record_of(journey, returned, period)["status"] == "returned"
    assert _record_of(journey, returned, period)["decision_comment"] == ASKED
    assert _record_of(journey, approved, period)["status"] == "submitted"

    # Approved and sent: taken back only by reopening it, with a reason.
    journey.click(panel.approve_button)
    # The toast may still read 已通过 from the approval undone: the record leaving the
    # queue says this one is written, before the sync is asked.
    journey.wait_until(lambda: "已通过" in toast.text_label.text()  # type: ignore[attr-defined]
                       and approved not in _names(table), what="approved again")
    _sync(journey)
    assert _record_of(journey, approved, period)["status"] == "approved"
    journey.tab("月度考核")
    records = journey.by_name("monthly_records", MonthlyRecordsView, within=page)
    listed = journey.by_name("period_table", QTableView, within=records)
    journey.click_row(listed, journey.row_of(listed, approved, column=0))
    month_panel = journey.by_name("record_panel", RecordPanel, within=records)
    journey.wait_until(lambda: month_panel.detail is not None
                       and month_panel.title_label.text().startswith(approved)
                       and month_panel.reopen_button.isVisible(), what="重新打开… offered")
    assert not month_panel.undo_button.isVisible()  # sent: nothing to undo here
    journey.click(month_panel.reopen_button)
    dialog = journey.dialog("重新打开考核")
    journey.click("重新打开", within=dialog)  # no reason yet: refused, in words
    journey.find("请填写原因：社工会看到。", within=dialog)
    journey.type_into("原因", "得分录入有误，需重新审核", within=dialog)
    journey.shot("reopening, with a reason")
    journey.click("重新打开", within=dialog)
    journey.wait_until(lambda: month_panel.detail is not None
                       and month_panel.detail.record.status == "submitted",
                       what="the record reopened")
    _sync(journey)
    held = _record_of(journey, approved, period)
    assert held["status"] == "submitted" and held["score"] is None
    assert held["history"][-1]["action"] == "reopen"
    assert held["history"][-1]["reason"] == "得分录入有误，需重新审核"
    journey.wait_until(lambda: any("得分录入有误" in line for line in month_panel.history_lines()),
                       what="the reason in the record's history")
    journey.shot("reopened: waiting for a decision, the reason in the history")


def test_a_figure_opens_its_visits_and_tickets_each_to_read(journey: Journey) -> None:
    """已访 lists the visits (addresses without the district and street the supervisor
    knows); a double click opens the visit to read; 办结工单 opens a ticket the same way."""
    from ui.performance.drill import DrillDownDialog, TicketReadDialog
    from ui.visits.record import VisitRecordDialog

    records, table = _monthly_records(journey)
    panel = journey.by_name("record_panel", RecordPanel, within=records)
    for row in range(table.model().rowCount()):
        journey.click_row(table, row)
        journey.wait_until(lambda: panel.detail is not None and not panel.loading,
                           what="a record shown")
        if _number(panel.tiles.tiles["tickets_resolved"].value_label.text()):
            break
    journey.click(panel.tiles.tiles["visits_done"])
    drill = journey.dialog(kind=DrillDownDialog)
    rows = journey.by_name("drill_table", QTableView, within=drill)
    journey.wait_until(lambda: not drill.loading and rows.model().rowCount() > 0,
                       what="the visits listed")
    where = journey.cells(rows, journey.column(rows, "住户"), [0])[0]
    assert not where.startswith(("南京市", "鼓楼区")) and "街道" not in where, where
    journey.click_row(rows, 0, double=True)
    visit = journey.dialog(kind=VisitRecordDialog)
    journey.wait_until(lambda: visit.record is not None, what="the visit read")
    journey.shot("a visit behind 已访, opened to read")
    visit.close()

    journey.click(panel.tiles.tiles["tickets_resolved"])
    journey.wait_until(lambda: not drill.loading and rows.model().rowCount() > 0,
                       what="the tickets listed")
    [number] = journey.cells(rows, journey.column(rows, "编号"), [0])
    journey.click_row(rows, 0, double=True)
    ticket = journey.dialog(kind=TicketReadDialog)
    journey.wait_until(lambda: ticket.detail.pane is not None, what="the ticket read")
    assert ticket.detail.number_label.text().endswith(number) or number in \
        ticket.detail.number_label.text()
    assert not ticket.detail.comment_box.isVisible()
    journey.shot("a ticket behind 办结工单, opened to read")


def test_during_the_first_sync_the_lists_say_so_with_how_far_it_got(journey: Journey) -> None:
    """Signed in on a new computer: while the first download runs, the approval queue
    says "正在同步… (n / m)", not "nothing to decide"; then it lists the records."""
    from ui.performance.supervisor_view import ApprovalQueueView

    journey.start()
    journey.sign_in("supervisor1", sync=False)
    page = journey.go_to("绩效考核")
    queue = journey.by_name("approval_queue", ApprovalQueueView, within=page)
    said: list[str] = []

    def syncing() -> bool:
        title = queue.empty.title_label.text()
        if queue.list_stack.currentWidget() is queue.empty:
            said.append(title)
        return bool(re.fullmatch(r"正在同步…（\d+ / \d+）", title))

    journey.wait_until(syncing, what="the queue says how far the first sync got")
    journey.shot("the first sync: the queue says how far it got")
    assert not any("没有待审批" in t for t in said), said
    journey.wait_for_sync(after=0)
    table = journey.by_name("queue_table", QTableView, within=queue)
    journey.wait_until(lambda: table.model().rowCount() >= 1, what="the records listed")
    journey.shot("after the first sync: the records to decide")


def test_the_dashboards_first_week_starts_with_the_period(journey: Journey) -> None:
    """The weekly chart's first bar counts from the period's first day and is labelled
    with it (a period from October 2026 begins on a Thursday: "10/1", not Monday "9/28",
    a day the chart does not count)."""
    from PySide6.QtCharts import QBarCategoryAxis

    journey.start()
    journey.sign_in("supervisor1")
    journey.go_to("绩效考核")
    journey.tab("统计看板")
    board = journey.by_name("dashboard", DashboardView)
    journey.wait_until(lambda: board.board is not None and not board.computing,
                       what="the dashboard computed", timeout=60_000)
    assert board.board is not None
    first = board.board.window.first
    [axis] = [a for a in board.chart("weekly").axes() if isinstance(a, QBarCategoryAxis)]
    labels = axis.categories()
    journey.shot("the dashboard's weeks, the first from the period's first day")
    assert labels[0] == f"{first.month}/{first.day}", (labels, first)
    # Then the weeks' Mondays, a week apart.
    assert [w.week_start for w in board.board.weekly_visits][1:] == [
        first + dt.timedelta(days=7 * n - first.weekday()) for n in range(1, len(labels))]


def test_the_approval_queue_shows_each_records_suggested_score(journey: Journey) -> None:
    """The queue's list pane is narrow, and its columns ran 社工 · 月份 · 已提交 · 建议得分:
    the score, what a supervisor weighs first, was the column cut at the pane's edge and
    read "…" at 1024×700 and at 1600×1000 alike. It comes before the submission time, and
    each record's reads whole, as its panel says it."""
    journey.start()
    journey.sign_in("supervisor1")
    _page, queue, table = _approval_queue(journey)
    journey.settle(100)
    rows = range(table.model().rowCount())
    scores = journey.cells(table, journey.column(table, "建议得分"), rows)
    names = journey.cells(table, journey.column(table, "社工"), rows)
    assert all(re.fullmatch(r"\d+(\.\d)?", s) for s in scores), scores
    panel = journey.by_name("record_panel", RecordPanel, within=queue)
    journey.click_row(table, 1)
    journey.wait_until(lambda: names[1] in panel.title_label.text(), what="the second record")
    assert f"建议得分：{scores[1]}" in panel.suggested_label.text(), (
        panel.suggested_label.text(), scores[1])
    journey.shot("the approval queue: each record's suggested score")


def test_the_approval_queue_shows_each_records_suggested_score_in_english(
        journey: Journey) -> None:
    """In English "Social worker" and "November 2026" are wider: at 1024×700 the score
    column, last on screen, still read "…" (its cell wider than its figure, cut by the
    pane's edge). The score comes right after the name, and reads whole."""
    from ui.settings import LANGUAGE, Settings

    Settings().set(LANGUAGE, "en")
    journey.start()
    journey.sign_in("supervisor1")
    _page, _queue, table = _approval_queue(journey, "Performance")
    journey.settle(100)
    rows = range(table.model().rowCount())
    scores = journey.cells(table, journey.column(table, "Suggested score"), rows)
    assert all(re.fullmatch(r"\d+(\.\d)?", s) for s in scores), scores
    journey.shot("the approval queue in English: each record's suggested score")


def test_a_workers_months_read_whole_in_english(journey: Journey) -> None:
    """In English at 1600×1000 the live preview's line ("Suggested score 74.3 · up to
    2026-12-05") was wider than the months' pane: every row's status chip sat past its
    right edge ("Approvec", "Draft") behind a sideways scroll bar. The pane takes the
    width its rows need; every chip reads whole, with no scrolling."""
    from ui.performance.worker_view import MonthRow, MyPerformanceView
    from ui.settings import LANGUAGE, Settings

    Settings().set(LANGUAGE, "en")
    journey.start()
    journey.sign_in("worker1")
    journey.go_to("Performance")
    mine = journey.by_name("my_performance", MyPerformanceView)
    journey.wait_until(lambda: mine.data is not None and mine.months.count() >= 2,
                       what="the months listed")
    journey.settle(100)
    viewport = mine.months.viewport()
    assert not mine.months.horizontalScrollBar().isVisible()
    for i in range(mine.months.count()):
        row = mine.months.itemWidget(mine.months.item(i))
        assert isinstance(row, MonthRow)
        right = row.chip.mapTo(viewport, row.chip.rect().topRight()).x()
        assert right < viewport.width(), (row.title.text(), row.chip.text(), right,
                                          viewport.width())
        assert row.chip.width() >= row.chip.sizeHint().width(), row.chip.text()
    journey.shot("a worker's months in English, each status whole")



def test_the_dashboards_place_filters_read_whole(journey: Journey) -> None:
    """A clerk's dashboard opens on their community, and its filter read "汇林绿洲社"
    (eight "x" wide, narrower than six Chinese characters) at both window sizes; a grid
    chosen read cut too. The place filters show the whole name, and the bar still fits
    the window (its 导出到 Excel… inside). (In English at 1024×700 the bar's labels are
    longer than the window leaves room for: still cut there.)"""
    from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox

    def whole(combo: QComboBox) -> bool:
        option = QStyleOptionComboBox()
        combo.initStyleOption(option)
        field = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                             QStyle.SubControl.SC_ComboBoxEditField, combo)
        return combo.fontMetrics().horizontalAdvance(combo.currentText()) <= field.width()

    journey.start()
    journey.sign_in("clerk1")
    journey.go_to("绩效考核")
    board = journey.by_name("dashboard", DashboardView)
    community = journey.by_name("dashboard_community", QComboBox, within=board)
    grid = journey.by_name("dashboard_grid", QComboBox, within=board)
    journey.wait_until(lambda: community.currentText().startswith("汇林绿洲"),
                       what="the clerk's community chosen")
    journey.choose(grid, next(grid.itemText(i) for i in range(grid.count())
                              if "网格" in grid.itemText(i)))
    journey.settle(100)
    for combo in (community, grid):
        assert whole(combo), f"{combo.currentText()!r} cut in {combo.width()} px"
    journey.assert_reachable(journey.by_name("dashboard_export", QWidget, within=board))
    journey.shot("the dashboard's place filters whole")


def test_the_months_list_shows_each_workers_score_without_scrolling(journey: Journey) -> None:
    """月度考核 listed 社工 · 状态 and then every figure, the suggested score and the score
    last: at 1024×700 they lay past the list's edge, behind a sideways scroll bar, though
    they are what a supervisor compares the month by (the approval queue's list had the
    same, fixed there). They come after the status, each read whole."""
    _records, table = _monthly_records(journey)
    journey.settle(100)
    rows = range(table.model().rowCount())
    names = journey.cells(table, journey.column(table, "社工"), rows)
    journey.cells(table, journey.column(table, "状态"), rows)
    suggested = journey.cells(table, journey.column(table, "建议得分"), rows)
    scores = journey.cells(table, journey.column(table, "得分"), rows)
    assert all(re.fullmatch(r"\d+(\.\d)?", s) for s in suggested), suggested
    assert any(re.fullmatch(r"\d+(\.\d)?", s) for s in scores), scores
    journey.shot("the month's records with their scores in view")
    period = _last_month(dt.datetime.now(SHANGHAI).date())
    for name, score in zip(names, scores, strict=True):
        held = _record_of(journey, name, period)["score"]
        assert score == (f"{held:.1f}" if held is not None else "—"), (name, score, held)
