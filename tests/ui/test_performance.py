"""The Performance section against the real server: a worker writes the self-assessment
(a draft survives closing the view) and submits; a supervisor approves from the queue or
returns with a comment; nobody gets decision controls on a record that is not theirs to
decide; an offline approval the server refuses as ``stale`` is shown in words; every
figure opens the rows behind it; the dashboard draws its charts from ``dashboard()``;
Excel and PDF exports hold the right numbers.

The server's data (tests.world plus October visits and a ticket) is written through its
own write path, the month's records by ``server.performance.compute_period``; each desk
is a real store synced over HTTP.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import sqlalchemy as sa
from PySide6.QtCharts import QBarCategoryAxis
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QFileDialog, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from gulou_desk.domain import performance as perf
from gulou_desk.domain import sla
from gulou_desk.performance_desk import DRAFT_KIND
from gulou_desk.records import SHANGHAI, now
from gulou_desk.store import performance_queries as pq
from gulou_desk.store.changes import ChangeSet
from gulou_desk.store.drafts import list_drafts
from gulou_desk.store.usecases import run_action, update_record
from server.performance import compute_period
from server.schema import RECORD_TABLES
from sync.events import SyncReport
from tests.conftest import LiveServer
from tests.sync.conftest import Device, make_device
from tests.ui.test_backend import signed_in
from tests.world import World, build_world
from ui.backend import SyncBackend, open_account
from ui.main_window import MainWindow
from ui.performance import PerformanceView
from ui.performance.charts import CHART_KEYS
from ui.performance.dashboard import DashboardView
from ui.performance.export import record_html, render_pdf
from ui.performance.models import DrillModel, GroupModel, RecordsModel, period_columns
from ui.performance.record_panel import RecordPanel
from ui.performance.supervisor_view import ApprovalQueueView, MonthlyRecordsView
from ui.performance.worker_view import PREVIEW_KEY, MyPerformanceView
from ui.session import Session
from ui.settings import Settings
from ui.shell.context import DeskContext
from ui.sync_bridge import SyncBridge

OCTOBER = "2026-10"


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=SHANGHAI)


def october(w: World) -> None:
    """worker1: a 独居老人 household visited weekly (twice in October), one visit to hB1,
    a ticket resolved on time and closed satisfied."""
    w.household("hA3", "gridA", head_name="孙秀英", room="303", tags=["独居老人"],
                last_visit_at=at(9, 28))
    for household, when in (("hA3", at(9, 28)), ("hA3", at(10, 5)), ("hA3", at(10, 12)),
                            ("hB1", at(10, 20))):
        w.save("visit", None, {
            "household_id": w[household], "worker_id": w["worker1"],
            "template_id": w["template"], "template_version": 1, "visited_at": when,
            "answers": {"at_home": True}, "follow_up": False, "photos": []})
    w.ticket("tOct", "gridA", title="楼道灯不亮", status="closed", assignee_id=w["worker1"],
             created_at=at(9, 30), due_at=sla.due_at("municipal", at(9, 30)),
             satisfaction="satisfied", resolution="已修复")
    for actor, kind, when, data in (
            ("clerk1", "created", at(9, 30), {}), ("clerk1", "assign", at(9, 30, 11), {}),
            ("worker1", "accept", at(10, 8, 9), {}), ("worker1", "resolve", at(10, 12, 16), {}),
            ("clerk1", "close", at(10, 14), {"satisfaction": "satisfied"})):
        w.save("ticket_event", None, {"ticket_id": w["tOct"], "actor_id": w[actor],
                                      "kind": kind, "at": when, "data": data})


@pytest.fixture
def world(live_server: LiveServer) -> World:
    w = build_world(live_server.engine)
    october(w)
    compute_period(live_server.engine, OCTOBER, now())
    w.ids["record"] = perf.record_id(w["worker1"], OCTOBER)
    return w


class Desk:
    """One user's desk: a device (store + sync engine) and the context the views get."""

    def __init__(self, device: Device, ctx: DeskContext) -> None:
        self.device = device
        self.ctx = ctx

    def sync(self) -> SyncReport:
        report = self.device.sync()
        self.ctx.bridge.listener.sync_finished(report)
        return report


@pytest.fixture
def desks(live_server: LiveServer, world: World, tmp_path: Path,
          settings: Settings) -> Iterator[Callable[[str], Desk]]:
    made: list[Desk] = []

    def make(username: str) -> Desk:
        device = make_device(live_server, tmp_path, username)
        user = device.user
        session = Session(live_server.url, user.username, user.id, user.role,
                          user.display_name)
        desk = Desk(device, DeskContext(device.store, session, SyncBridge(), settings))
        desk.sync()
        made.append(desk)
        return desk

    yield make
    for desk in made:
        desk.device.store.close()


def server_record(server: LiveServer, record_id: str) -> dict[str, Any]:
    table = RECORD_TABLES["performance_record"]
    with server.engine.connect() as conn:
        row = conn.execute(sa.select(table).where(table.c.id == record_id)).mappings().one()
    return dict(row)


def open_view(qtbot: QtBot, desk: Desk) -> PerformanceView:
    view = PerformanceView(desk.ctx)
    qtbot.addWidget(view)
    view.resize(1300, 860)
    view.show()
    return view


def wait_panel(qtbot: QtBot, panel: RecordPanel, record_id: str) -> None:
    qtbot.waitUntil(lambda: not panel.loading and panel.detail is not None
                    and panel.detail.record.id == record_id and not panel.busy, timeout=5000)


def open_mine(qtbot: QtBot, desk: Desk, record_id: str) -> tuple[PerformanceView,
                                                                  MyPerformanceView]:
    view = open_view(qtbot, desk)
    mine = view.mine
    assert mine is not None
    qtbot.waitUntil(lambda: mine.data is not None and not mine.loading, timeout=5000)
    mine.select(record_id)
    wait_panel(qtbot, mine.panel, record_id)
    return view, mine


def open_queue(qtbot: QtBot, desk: Desk) -> ApprovalQueueView:
    view = open_view(qtbot, desk)
    queue = view.queue
    assert queue is not None
    qtbot.waitUntil(lambda: queue.queue is not None and not queue.loading, timeout=5000)
    return queue


def submit_on_device(desk: Desk, record_id: str, text: str) -> None:
    actor = desk.device.actor()
    update_record(desk.device.store, "performance_record", record_id,
                  {"self_assessment": text}, actor=actor)
    run_action(desk.device.store, "performance_record", record_id, "submit", {}, actor=actor,
               now=now())
    assert desk.sync().applied == 2


def click(qtbot: QtBot, button: Any) -> None:
    assert button.isVisible() and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# --- the worker ---------------------------------------------------------------------------


def test_a_worker_writes_the_self_assessment_and_submits_it(
        qtbot: QtBot, desks: Callable[[str], Desk], world: World,
        live_server: LiveServer) -> None:
    worker = desks("worker1")
    rid = world["record"]
    view, mine = open_mine(qtbot, worker, rid)
    panel = mine.panel
    assert panel.tiles.tiles["visits_done"].value_label.text() == "3"
    assert panel.tiles.tiles["on_time_rate"].value_label.text() == "100.0%"
    assert not panel.decision_box.isVisible()  # a worker never decides
    assert panel.assessment_edit.isVisible() and panel.submit_button.isEnabled()

    # Typing keeps a draft; closing the view by mistake loses nothing.
    panel.assessment_edit.setPlainText("10月走访4户，独居老人每周一次。")
    qtbot.waitUntil(lambda: _drafts(worker, rid) == ["10月走访4户，独居老人每周一次。"],
                    timeout=3000)
    panel.assessment_edit.setPlainText("10月走访4户，独居老人每周一次；工单按时办结。")
    view.close()  # before the typing pause ends: the draft is written on the way out
    qtbot.waitUntil(lambda: _drafts(worker, rid) == [
        "10月走访4户，独居老人每周一次；工单按时办结。"], timeout=3000)
    view.deleteLater()
    _, mine = open_mine(qtbot, worker, rid)
    panel = mine.panel
    assert panel.assessment_edit.toPlainText() == "10月走访4户，独居老人每周一次；工单按时办结。"
    assert "unsaved text" in panel.draft_label.text()

    # Submit saves the text, then submits; the server has both after the sync.
    with qtbot.waitSignal(panel.step_done, timeout=5000) as done:
        click(qtbot, panel.submit_button)
    assert done.args == ["submit"]
    wait_panel(qtbot, panel, rid)
    assert panel.status_chip.text() == "Submitted"
    assert panel.pending_chip.isVisible()
    assert _drafts(worker, rid) == []
    worker.sync()
    on_server = server_record(live_server, rid)
    assert on_server["status"] == "submitted"
    assert on_server["self_assessment"] == "10月走访4户，独居老人每周一次；工单按时办结。"
    assert [h["action"] for h in on_server["history"]] == ["submit"]
    qtbot.waitUntil(lambda: not panel.pending_chip.isVisible() and not panel.loading,
                    timeout=5000)
    assert panel.history_lines()[0].endswith("Worker1 · Submitted")
    assert not panel.submit_button.isEnabled()


def _drafts(desk: Desk, record_id: str) -> list[str]:
    with desk.device.store.session() as s:
        return [d.payload["text"] for d in list_drafts(s, DRAFT_KIND, record_id=record_id)]


def test_the_worker_sees_this_months_live_preview_marked_as_such(
        qtbot: QtBot, desks: Callable[[str], Desk], world: World) -> None:
    worker = desks("worker1")
    view = open_view(qtbot, worker)
    mine = view.mine
    assert mine is not None and view.queue is None and view.dashboard is None
    qtbot.waitUntil(lambda: mine.data is not None, timeout=5000)
    assert mine.entry_keys()[0] == PREVIEW_KEY
    assert world["record"] in mine.entry_keys()
    mine.select(PREVIEW_KEY)
    panel = mine.panel
    qtbot.waitUntil(lambda: panel.preview is not None, timeout=2000)
    assert panel.preview_banner.isVisible() and "Preview" in panel.preview_banner.text()
    assert panel.status_chip.text() == "Preview"
    assert not panel.submit_button.isVisible() and not panel.decision_box.isVisible()
    assert panel.preview.period == perf.period_of(worker.ctx.now())


def test_a_worker_gets_no_decision_controls_on_a_submitted_record(
        qtbot: QtBot, desks: Callable[[str], Desk], world: World) -> None:
    worker = desks("worker1")
    submit_on_device(worker, world["record"], "自评")
    _, mine = open_mine(qtbot, worker, world["record"])
    panel = mine.panel
    assert panel.detail is not None
    assert panel.detail.allowed == {"submit": False, "approve": False, "return": False,
                                    "reopen": False}
    assert not panel.decision_box.isVisible()
    assert not panel.approve_button.isVisibleTo(panel)
    assert not panel.return_button.isVisibleTo(panel)
    assert "waiting for your supervisor" in panel.submit_hint.text()


# --- the supervisor -------------------------------------------------------------------------


def test_a_supervisor_approves_from_the_queue(
        qtbot: QtBot, desks: Callable[[str], Desk], world: World,
        live_server: LiveServer) -> None:
    worker, sup = desks("worker1"), desks("supervisor1")
    rid = world["record"]
    submit_on_device(worker, rid, "10月走访4户。")
    queue = open_queue(qtbot, sup)
    assert queue.model.rowCount() == 0
    sup.sync()
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1, timeout=5000)
    wait_panel(qtbot, queue.panel, rid)  # the first row is shown
    panel = queue.panel
    assert queue.model.row_at(0).worker_name == "Worker1"
    assert panel.assessment_text.text() == "10月走访4户。"
    assert not panel.assessment_edit.isVisible() and not panel.submit_button.isVisible()
    assert panel.decision_box.isVisible()
    record = panel.detail.record if panel.detail else None
    assert record is not None
    assert panel.score_spin.value() == pytest.approx(record.suggested_score)
    assert record.suggested_score == 85.7  # visits 3 of 7, on time, satisfied
    panel.score_spin.setValue(88)
    panel.comment_edit.setPlainText("同意，继续保持。")
    with qtbot.waitSignal(panel.step_done, timeout=5000):
        click(qtbot, panel.approve_button)
    sup.sync()
    on_server = server_record(live_server, rid)
    assert (on_server["status"], on_server["score"], on_server["supervisor_id"],
            on_server["decision_comment"]) == ("approved", 88.0, world["supervisor1"],
                                               "同意，继续保持。")
    assert [(h["action"], h.get("score")) for h in on_server["history"]] == [
        ("submit", None), ("approve", 88.0)]
    qtbot.waitUntil(lambda: queue.model.rowCount() == 0, timeout=5000)
    # The record itself now says who decided what.
    qtbot.waitUntil(lambda: not panel.loading, timeout=5000)
    assert "Approved by Supervisor1 with the score 88.0" in panel.decision_label.text()
    assert panel.history_lines()[0].endswith(
        "Supervisor1 · Approved · score 88.0 · “同意，继续保持。”")


def test_a_return_needs_a_comment(
        qtbot: QtBot, desks: Callable[[str], Desk], world: World,
        live_server: LiveServer) -> None:
    worker, sup = desks("worker1"), desks("supervisor1")
    rid = world["record"]
    submit_on_device(worker, rid, "10月走访4户。")
    sup.sync()
    queue = open_queue(qtbot, sup)
    wait_panel(qtbot, queue.panel, rid)
    panel = queue.panel
    assert panel.approve_button.isEnabled()
    assert not panel.return_button.isEnabled()
    assert panel.return_hint.isVisible()
    panel.comment_edit.setPlainText("   ")
    assert not panel.return_button.isEnabled()
    panel.comment_edit.setPlainText("请补充重点户走访情况。")
    assert panel.return_button.isEnabled() and not panel.return_hint.isVisible()
    with qtbot.waitSignal(panel.step_done, timeout=5000):
        click(qtbot, panel.return_button)
    sup.sync()
    on_server = server_record(live_server, rid)
    assert (on_server["status"], on_server["decision_comment"]) == (
        "returned", "请补充重点户走访情况。")
    # The worker sees why, and may resubmit.
    worker.sync()
    _, mine = open_mine(qtbot, worker, rid)
    assert "请补充重点户走访情况。" in mine.panel.decision_label.text()
    assert mine.panel.submit_button.isEnabled()


def test_an_offline_approval_the_server_refuses_as_stale_is_shown(
        qtbot: QtBot, desks: Callable[[str], Desk], world: World,
        live_server: LiveServer) -> None:
    worker, sup = desks("worker1"), desks("supervisor1")
    rid = world["record"]
    submit_on_device(worker, rid, "10月走访4户。")
    sup.sync()
    queue = open_queue(qtbot, sup)
    wait_panel(qtbot, queue.panel, rid)
    panel = queue.panel
    # The supervisor approves offline (no sync yet) …
    panel.score_spin.setValue(90)
    panel.comment_edit.setPlainText("同意")
    with qtbot.waitSignal(panel.step_done, timeout=5000):
        click(qtbot, panel.approve_button)
    # … while the worker adds to the self-assessment and syncs first.
    update_record(worker.device.store, "performance_record", rid,
                  {"self_assessment": "10月走访4户；补充：一户独居老人转介养老服务。"},
                  actor=worker.device.actor())
    worker.sync()
    report = sup.sync()
    assert report.rejected == 1
    qtbot.waitUntil(lambda: panel.rejection_frame.isVisible() and not panel.loading,
                    timeout=5000)
    text = panel.rejection_label.text()
    assert "did not accept your approval" in text and "the self-assessment" in text
    assert "score 90.0" in text  # what they had decided, kept
    assert panel.assessment_text.text().startswith("10月走访4户；补充")  # the new text
    assert panel.status_chip.text() == "Submitted"
    # The form keeps the decision for a second look; the queue and a notice say so.
    assert panel.score_spin.value() == 90.0 and panel.comment_edit.toPlainText() == "同意"
    qtbot.waitUntil(lambda: queue.notice.isVisible(), timeout=5000)
    assert "did not accept 1 of your decisions" in queue.notice.text()
    assert queue.toast is not None and queue.toast.isVisible()
    assert "Your decision was refused" in queue.model.index(0, 4).data()
    # Deciding again on what it says now goes through; dismissing clears the notice.
    with qtbot.waitSignal(panel.step_done, timeout=5000):
        click(qtbot, panel.dismiss_button)
    qtbot.waitUntil(lambda: not panel.rejection_frame.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: not queue.notice.isVisible(), timeout=5000)
    wait_panel(qtbot, panel, rid)
    with qtbot.waitSignal(panel.step_done, timeout=5000):
        click(qtbot, panel.approve_button)
    assert sup.sync().applied == 1
    assert server_record(live_server, rid)["status"] == "approved"


def test_a_decision_on_a_copy_that_changed_while_reading_is_not_made(
        qtbot: QtBot, desks: Callable[[str], Desk], world: World) -> None:
    worker, sup = desks("worker1"), desks("supervisor1")
    rid = world["record"]
    submit_on_device(worker, rid, "第一稿")
    sup.sync()
    queue = open_queue(qtbot, sup)
    wait_panel(qtbot, queue.panel, rid)
    panel = queue.panel
    shown = panel.detail
    update_record(worker.device.store, "performance_record", rid,
                  {"self_assessment": "第二稿"}, actor=worker.device.actor())
    worker.sync()
    sup.device.sync()  # the copy changes under the open panel (no signal to it)
    panel.detail = shown
    with qtbot.waitSignal(panel.step_failed, timeout=5000) as failed:
        panel.approve()
    assert "changed while you were reading it" in failed.args[0]
    qtbot.waitUntil(lambda: panel.assessment_text.text() == "第二稿", timeout=5000)
    with sup.device.store.session() as s:
        assert pq.record_view(s, rid).status == "submitted"  # type: ignore[union-attr]


# --- drill-down -----------------------------------------------------------------------------


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen: no windowing
def test_every_figure_opens_the_rows_behind_it(
        qtbot: QtBot, qtmodeltester: Any, desks: Callable[[str], Desk],
        world: World) -> None:
    worker = desks("worker1")
    _, mine = open_mine(qtbot, worker, world["record"])
    panel = mine.panel

    def rows_of(figure: str) -> DrillModel:
        qtbot.mouseClick(panel.tiles.tiles[figure], Qt.MouseButton.LeftButton)
        dialog = panel.drill_dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: not dialog.loading and dialog.figure == figure, timeout=5000)
        return dialog.model

    visits = rows_of("visits_done")
    assert visits.rowCount() == 3
    assert [r.household.head_name for r in visits.rows()] == ["孙秀英", "孙秀英", "曾国强"]
    qtmodeltester.check(visits)
    assert [visits.index(i, 4).data() for i in range(3)] == ["Yes", "Yes", "No"]
    key = rows_of("key_visits")
    assert key.rowCount() == 2
    due = rows_of("visits_due")
    assert due.rowCount() == 7
    texts = [due.index(i, 5).data() for i in range(7)]
    assert texts.count("Missed") == 4
    qtmodeltester.check(due)
    resolved = rows_of("tickets_resolved")
    assert [(r.ticket_id, r.on_time) for r in resolved.rows()] == [(world["tOct"], True)]
    assert resolved.index(0, 1).data() == "楼道灯不亮"
    assert resolved.index(0, 6).data() == "On time"
    satisfaction = rows_of("avg_satisfaction")
    assert [r.satisfaction for r in satisfaction.rows()] == ["satisfied"]
    accept = rows_of("median_accept_hours")
    assert accept.index(0, 6).data() == "190.0"
    # The filter narrows the list; sorting is by value, not text.
    dialog = panel.drill_dialog
    assert dialog is not None
    rows_of("visits_done")
    dialog.filter_edit.setText("曾国强")
    assert dialog.proxy.rowCount() == 1


# --- dashboard ------------------------------------------------------------------------------


def test_the_dashboard_draws_its_charts_from_the_dashboard_tables(
        qtbot: QtBot, qtmodeltester: Any, desks: Callable[[str], Desk],
        world: World) -> None:
    sup = desks("supervisor1")
    view = DashboardView(sup.ctx)
    qtbot.addWidget(view)
    view.resize(1300, 900)
    with qtbot.waitSignal(view.computed, timeout=20_000):
        view.show()
    assert not view.busy_bar.isVisible()
    with qtbot.waitSignal(view.computed, timeout=20_000):
        view.set_filters(period_from=OCTOBER, period_to=OCTOBER)
        # One filter change at a time: "to" then "from" recompute; the last one counts.
        qtbot.waitUntil(lambda: view.filters()["period_from"] == OCTOBER, timeout=2000)
    qtbot.waitUntil(lambda: not view.computing, timeout=20_000)
    board = view.board
    assert board is not None and (board.period_from, board.period_to) == (OCTOBER, OCTOBER)
    with sup.device.store.session() as s:
        expected = pq.dashboard(s, period_from=OCTOBER, period_to=OCTOBER,
                                today=sup.ctx.now().date())
    assert board.weekly_visits == expected.weekly_visits

    weekly = view.chart("weekly").series()
    bars, plan = weekly
    assert bars.barSets()[0].count() == len(expected.weekly_visits) == 5
    assert [bars.barSets()[0].at(i) for i in range(5)] == [
        w.visits_done for w in expected.weekly_visits]
    assert plan.count() == 5
    assert [plan.at(i).y() for i in range(5)] == [w.visits_planned for w in expected.weekly_visits]
    overdue_open, overdue = view.chart("overdue").series()
    assert overdue_open.count() == overdue.count() == len(expected.overdue_trend)
    [stacked] = view.chart("tickets").series()
    assert sum(s.sum() for s in stacked.barSets()) == sum(
        c.count for c in expected.tickets_by_category)
    bars_s, average = view.chart("satisfaction").series()
    assert [b.label() for b in bars_s.barSets()] == ["Satisfied", "Basically satisfied",
                                                      "Dissatisfied"]
    assert bars_s.barSets()[0].at(0) == 1 and average.at(0).y() == 100.0
    assert view.chart("weekly").axes(Qt.Orientation.Vertical)[0].titleText() == "Visits"
    assert set(view.chart_views) == set(CHART_KEYS)

    # Per grid and per worker tables (the street's: the local copy lists every street's
    # grids), and the filter by community / grid.
    assert [g.name for g in view.grid_model.rows()] == ["gridA", "gridB", "gridC"]
    assert [g.name for g in view.worker_model.rows()] == ["Worker1", "Worker2"]
    assert view.grid_model.rows() == [g for g in expected.by_grid if g.name != "gridX"]
    qtmodeltester.check(view.grid_model)
    with qtbot.waitSignal(view.computed, timeout=20_000):
        view.set_filters(grid_id=world["gridA"])
    assert view.board is not None and [g.id for g in view.board.by_grid] == [world["gridA"]]
    assert view.grid_model.rowCount() == 1


@pytest.mark.parametrize("width", [800, 1380])  # the dashboard at 1024×700 and 1600×1000
def test_the_tickets_charts_category_names_read_whole(
        qtbot: QtBot, desks: Callable[[str], Desk], world: World, width: int) -> None:
    """In English too ("Neighbour disputes", "Certificates and documents"): at 1024×700
    the charts stand one under the other, so the names beside the bars are not cut."""
    statuses = ("new", "assigned", "in_progress", "waiting", "resolved", "closed")
    for i, category in enumerate(sla.CATEGORIES):
        world.ticket(f"t{category.code}", "gridA", category=category.code,
                     status=statuses[i % len(statuses)])
    sup = desks("supervisor1")
    view = DashboardView(sup.ctx)
    qtbot.addWidget(view)
    view.resize(width, 900)
    with qtbot.waitSignal(view.computed, timeout=20_000):
        view.show()
    qtbot.waitUntil(lambda: view.chart("tickets").series() != [], timeout=20_000)
    chart = view.chart("tickets")
    [names] = chart.axes(Qt.Orientation.Vertical)
    assert isinstance(names, QBarCategoryAxis)
    longest = max(names.categories(), key=QFontMetrics(names.labelsFont()).horizontalAdvance)
    assert len(longest) > 12, longest
    qtbot.waitUntil(lambda: chart.plotArea().width() > 0)
    room = chart.plotArea().left() - chart.margins().left()
    assert room >= QFontMetrics(names.labelsFont()).horizontalAdvance(longest), (
        f"{longest!r} is cut at a dashboard {width} px wide")


def test_the_dashboard_says_when_newer_data_arrived(
        qtbot: QtBot, desks: Callable[[str], Desk], world: World) -> None:
    sup = desks("supervisor1")
    view = open_view(qtbot, sup)
    # Only the first tab is built when the section opens; the others on first sight.
    assert view.findChild(ApprovalQueueView) is not None
    assert view.findChild(DashboardView) is None and view.findChild(MonthlyRecordsView) is None
    view.tabs.setCurrentIndex(2)
    dashboard = view.findChild(DashboardView)
    assert dashboard is not None and dashboard is view.dashboard and dashboard.isVisible()
    assert view.findChild(MonthlyRecordsView) is None
    qtbot.waitUntil(lambda: dashboard.board is not None and not dashboard.computing,
                    timeout=20_000)
    view.on_changes(ChangeSet.of("visit", "a-visit"))  # a sync brought a visit
    assert dashboard.stale_label.isVisible()
    with qtbot.waitSignal(dashboard.computed, timeout=20_000):
        dashboard.stale_label.linkActivated.emit("#refresh")
    assert not dashboard.stale_label.isVisible()


# --- exports --------------------------------------------------------------------------------


def test_the_months_records_and_the_dashboard_export_to_excel(
        qtbot: QtBot, desks: Callable[[str], Desk], world: World, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    sup = desks("supervisor1")
    records = MonthlyRecordsView(sup.ctx)
    qtbot.addWidget(records)
    records.show()
    records.set_period(OCTOBER)
    qtbot.waitUntil(lambda: not records.loading and len(records.records) == 2, timeout=5000)
    target = tmp_path / "october.xlsx"
    def answer(dialog: QFileDialog) -> int:  # the person types a name and saves
        dialog.selectFile(str(tmp_path / "october"))
        return QFileDialog.DialogCode.Accepted

    monkeypatch.setattr(QFileDialog, "exec", answer)
    records.export_excel()  # the dialog's answer gets its .xlsx
    qtbot.waitUntil(lambda: "Saved to" in records.status_label.text(), timeout=5000)
    sheet = openpyxl.load_workbook(target).worksheets[0]
    header = [c.value for c in sheet[2]]
    rows = {r[0]: dict(zip(header, r, strict=True))
            for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {"Worker1", "Worker2"}
    w1 = rows["Worker1"]
    assert (w1["Visits made"], w1["Visits due"], w1["Key household visits"],
            w1["Tickets resolved"], w1["On time"]) == (3, 7, 2, 1, 1.0)
    record = next(r for r in records.records if r.worker_name == "Worker1")
    assert w1["Suggested score"] == record.suggested_score
    assert (w1["Due visits done"], w1["Due visits made"]) == (
        record.measures["visit_completion"].value, record.measures["visit_completion"].numerator)
    assert w1["Status"] == "Draft"  # the UI's language (English in this test)

    # A folder that does not exist: a sentence, and nothing written.
    records.export_to(tmp_path / "gone" / "x.xlsx")
    qtbot.waitUntil(lambda: "does not exist" in records.status_label.text(), timeout=5000)

    dashboard = DashboardView(sup.ctx)
    qtbot.addWidget(dashboard)
    with qtbot.waitSignal(dashboard.computed, timeout=20_000):
        dashboard.show()
    with qtbot.waitSignal(dashboard.computed, timeout=20_000):
        dashboard.set_filters(period_from=OCTOBER, period_to=OCTOBER)
        qtbot.waitUntil(lambda: dashboard.filters()["period_from"] == OCTOBER, timeout=2000)
    qtbot.waitUntil(lambda: not dashboard.computing, timeout=20_000)
    board = dashboard.board
    assert board is not None
    path = tmp_path / "dashboard.xlsx"
    dashboard.export_to(path)
    qtbot.waitUntil(lambda: "Saved to" in dashboard.busy_label.text(), timeout=5000)
    book = openpyxl.load_workbook(path)
    weekly = book["Visits per week"]
    assert [r[1] for r in weekly.iter_rows(min_row=3, values_only=True)] == [
        w.visits_done for w in board.weekly_visits]
    grids = {r[0]: r for r in book["By grid"].iter_rows(min_row=3, values_only=True)}
    grid_a = next(g for g in board.by_grid if g.name == "gridA")
    assert (grids["gridA"][2], grids["gridA"][3]) == (grid_a.visits_due, grid_a.visits_done)


def test_the_record_prints_to_a_pdf_with_the_figures_and_the_decision(
        qtbot: QtBot, desks: Callable[[str], Desk], world: World, tmp_path: Path,
        live_server: LiveServer) -> None:
    worker, sup = desks("worker1"), desks("supervisor1")
    rid = world["record"]
    submit_on_device(worker, rid, "10月走访4户，独居老人每周一次。")
    sup.sync()
    run_action(sup.device.store, "performance_record", rid, "approve",
               {"score": 88.5, "comment": "同意"}, actor=sup.device.actor(), now=now())
    sup.sync()
    queue = open_queue(qtbot, sup)
    panel = queue.panel
    panel.show_record(rid)
    wait_panel(qtbot, panel, rid)
    path = tmp_path / "record.pdf"
    panel.export_pdf(path)
    qtbot.waitUntil(lambda: "Saved to" in panel.notice.text(), timeout=5000)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1024
    text = _pdf_text(path)
    if text is not None:
        for expected in ("Worker1", "88.5", "Supervisor1", "Approved", "Visits made",
                         "独居老人每周一次", "同意"):
            assert expected in text, expected


def _pdf_text(path: Path) -> str | None:
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    result = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True,
                            text=True, check=True)
    # Qt maps some CJK glyphs back to their compatibility code points (Kangxi radicals:
    # ⽉ for 月); NFKC gives the characters a reader copies.
    return unicodedata.normalize("NFKC", result.stdout)


def test_the_printed_record_in_chinese(
        qtbot: QtBot, chinese: None, desks: Callable[[str], Desk], world: World,
        tmp_path: Path) -> None:
    worker = desks("worker1")
    with worker.device.store.session() as s:
        record = pq.record_view(s, world["record"])
    assert record is not None
    html = record_html(record)
    assert "绩效考核" in html and "2026年10月" in html and "草稿" in html
    path = tmp_path / "zh.pdf"
    path.write_bytes(render_pdf(record))
    text = _pdf_text(path)
    if text is not None:
        assert "走访完成" in text or "已走访" in text or "走访" in text
        assert "2026年10月" in text


# --- models and the section ---------------------------------------------------------------


def test_the_record_lists_are_sound_models(
        qtbot: QtBot, qtmodeltester: Any, desks: Callable[[str], Desk], world: World) -> None:
    sup = desks("supervisor1")
    with sup.device.store.session() as s:
        rows = pq.period_records(s, OCTOBER)
    model = RecordsModel(period_columns())
    model.set_rows(rows)
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "Worker1"
    groups = GroupModel(grid=False)
    qtmodeltester.check(groups)


def test_the_section_speaks_chinese(
        qtbot: QtBot, chinese: None, desks: Callable[[str], Desk], world: World) -> None:
    sup = desks("supervisor1")
    view = open_view(qtbot, sup)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [
        "审批队列", "月度考核", "统计看板"]
    records = view.records
    assert records is not None
    records.set_period(OCTOBER)
    qtbot.waitUntil(lambda: len(records.records) == 2, timeout=5000)
    assert records.model.headerData(0, Qt.Orientation.Horizontal) == "社工"
    assert records.model.index(0, 1).data() == "草稿"
    records.select(world["record"])
    wait_panel(qtbot, records.panel, world["record"])
    assert records.panel.tiles.tiles["visits_done"].title_label.text() == "已访"
    completion = records.panel.tiles.tiles["visit_completion"]
    assert completion.title_label.text() == "应访完成率"
    measure = records.panel.detail.record.measures["visit_completion"]  # type: ignore[union-attr]
    assert completion.extra_label.text() == f"按期 {measure.numerator} / {measure.denominator}"
    assert records.panel.title_label.text() == "Worker1 · 2026年10月"


def test_a_clerk_gets_the_dashboard_only(
        qtbot: QtBot, desks: Callable[[str], Desk], world: World) -> None:
    clerk = desks("clerk1")
    view = open_view(qtbot, clerk)
    assert view.dashboard is not None
    assert (view.mine, view.queue, view.records) == (None, None, None)
    assert not view.tabs.tabBar().isVisible()
    dashboard = view.dashboard
    qtbot.waitUntil(lambda: dashboard.board is not None and not dashboard.computing,
                    timeout=20_000)
    assert dashboard.community_combo.currentData() == world["community"]


def test_the_app_shows_the_section_and_sends_a_submission_soon(
        qtbot: QtBot, settings: Settings, live_server: LiveServer, world: World,
        tmp_path: Path) -> None:
    """Through the real backend: its view factory, its scheduler pushing soon after the
    local edit, the window's pending count."""
    session, credentials, _ = signed_in(live_server, tmp_path, "worker1")
    bridge = SyncBridge()
    opened = open_account(session, credentials, data_dir=tmp_path / "data")
    backend = SyncBackend(opened, bridge, settings)
    window = MainWindow(settings, bridge, session, views=backend.views, counts=backend.counts)
    qtbot.addWidget(window)
    with qtbot.waitSignal(bridge.sync_finished, timeout=10_000):
        backend.start()
    window.show()
    window.show_section("performance")
    view = window.page("performance").findChild(PerformanceView)
    assert isinstance(view, PerformanceView) and view.mine is not None
    mine = view.mine
    qtbot.waitUntil(lambda: mine.data is not None and world["record"] in mine.entry_keys(),
                    timeout=5000)
    mine.select(world["record"])
    wait_panel(qtbot, mine.panel, world["record"])
    mine.panel.assessment_edit.setPlainText("按时完成走访。")
    with (qtbot.waitSignal(bridge.sync_finished, timeout=15_000,
                           check_params_cb=lambda report: report.pushed >= 2),
          qtbot.waitSignal(window.counts_refreshed, timeout=5000,
                           check_params_cb=lambda counts: counts["pending"] == 2)):
        click(qtbot, mine.panel.submit_button)
    on_server = server_record(live_server, world["record"])
    assert (on_server["status"], on_server["self_assessment"]) == ("submitted", "按时完成走访。")
    backend.stop()
    loop = asyncio.get_running_loop()
    done: list[bool] = []
    loop.create_task(backend.wait_stopped()).add_done_callback(lambda _: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)


def test_a_figure_cut_by_the_lists_edge_reads_as_cut_not_as_another_number(
        qtbot: QtBot, desks: Callable[[str], Desk], world: World) -> None:
    """At 1024x700 the month's list scrolls sideways and cut its 应访 column at its
    right edge: 273 read "27". A figure the list does not show whole reads "…"; one
    whose cell is cut but whose figure fits in the part shown reads whole, at the edge
    (the queue's "Suggested score" in English read "…" though 82.3 had room)."""
    sup = desks("supervisor1")
    records = MonthlyRecordsView(sup.ctx)
    qtbot.addWidget(records)
    records.show()
    records.set_period(OCTOBER)
    qtbot.waitUntil(lambda: not records.loading and len(records.records) == 2, timeout=5000)
    table = records.table
    model = table.model()
    column = next(c for c in range(model.columnCount())
                  if model.headerData(c, Qt.Orientation.Horizontal) == "Visits due")
    header = table.horizontalHeader()
    table.horizontalScrollBar().setValue(0)
    records.splitter.setSizes([1, 2000])
    figure = str(model.index(0, column).data())

    def show_of_column(px: int) -> None:
        """The list as wide as ``px`` of the column: the rest is off the edge."""
        edge = header.sectionViewportPosition(column) + px
        table.setFixedWidth(edge + table.frameWidth() * 2 + table.verticalHeader().width())
        qtbot.waitUntil(lambda: table.viewport().width() == edge, timeout=2000)

    def shown(row: int) -> tuple[str, QRect]:
        index = model.index(row, column)
        option = QStyleOptionViewItem()
        option.rect = table.visualRect(index)
        table.itemDelegate().initStyleOption(option, index)  # type: ignore[attr-defined]
        return option.text, QRect(option.rect)

    show_of_column(6)  # too little for any figure
    assert shown(0)[0] == "…"
    show_of_column(header.sectionSize(column) - 4)  # cut, with room for the figure
    text, rect = shown(0)
    assert text == figure
    assert rect.right() < table.viewport().width()  # painted inside: read whole
    table.setFixedWidth(2000)
    qtbot.waitUntil(lambda: table.viewport().width() > header.sectionViewportPosition(
        column) + header.sectionSize(column), timeout=2000)
    assert shown(0)[0] == figure
