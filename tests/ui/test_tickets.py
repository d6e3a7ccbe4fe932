"""The tickets view against the real server: queues and counts, the countdown's colours,
every step through the view for clerk and worker devices, a step refused after an
offline edit, walk-in tickets, merge and split, shortcuts, translations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from gulou_desk.domain.sla import Urgency
from gulou_desk.records import SHANGHAI
from gulou_desk.store.ticket_queries import Queue
from server.schema import RECORD_TABLES
from sync.events import SyncReport
from tests.conftest import LiveServer
from tests.sync.conftest import Device, make_device
from tests.world import World, build_world
from ui.app import apply_style
from ui.session import Session
from ui.settings import Settings
from ui.shell.context import DeskContext
from ui.shell.nav_list import WRAP_RESERVE
from ui.sync_bridge import SyncBridge
from ui.tickets.dialogs import (
    AssignDialog,
    CloseDialog,
    MergeDialog,
    NewTicketDialog,
    TextStepDialog,
)
from ui.tickets.model import DUE_COLUMN, URGENCY_COLORS, TicketTableModel
from ui.tickets.notifier import DeskNotifier
from ui.tickets.view import TicketsView

NOW = dt.datetime(2026, 11, 4, 10, 0, tzinfo=SHANGHAI)  # a Wednesday


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


class Desk:
    """One user's desk: a device (store + sync engine) and the context the views get."""

    def __init__(self, device: Device, ctx: DeskContext) -> None:
        self.device = device
        self.ctx = ctx

    def sync(self) -> SyncReport:
        report = self.device.sync()
        self.ctx.bridge.listener.sync_finished(report)
        return report


def make_desks(live_server: LiveServer, tmp_path: Path,
               settings: Settings) -> Iterator[Callable[..., Desk]]:
    """Makes desks (signed in and synced once); closes their stores at the end."""
    made: list[Desk] = []

    def make(username: str, clock: Callable[[], dt.datetime] | None = None) -> Desk:
        device = make_device(live_server, tmp_path, username)
        user = device.user
        session = Session(live_server.url, user.username, user.id, user.role,
                          user.display_name)
        ctx = DeskContext(device.store, session, SyncBridge(), settings,
                          config_dir=tmp_path / f"config-{username}")
        if clock is not None:
            ctx.clock = clock
        desk = Desk(device, ctx)
        desk.sync()
        made.append(desk)
        return desk

    yield make
    for desk in made:
        desk.device.store.close()


@pytest.fixture
def desks(live_server: LiveServer, world: World, tmp_path: Path,
          settings: Settings) -> Iterator[Callable[..., Desk]]:
    yield from make_desks(live_server, tmp_path, settings)


def open_view(qtbot: QtBot, desk: Desk) -> TicketsView:
    view = TicketsView(desk.ctx)
    qtbot.addWidget(view)
    view.resize(1300, 800)
    view.show()
    qtbot.waitUntil(lambda: not view.model.is_loading and view.model.total >= 0, timeout=5000)
    return view


def wait_detail(qtbot: QtBot, view: TicketsView, ticket_id: str) -> None:
    view.show_ticket(ticket_id)
    qtbot.waitUntil(lambda: not view.detail_loading, timeout=5000)
    assert view.detail.ticket_id() == ticket_id


def server_ticket(server: LiveServer, ticket_id: str) -> dict[str, Any]:
    table = RECORD_TABLES["ticket"]
    with server.engine.connect() as conn:
        row = conn.execute(sa.select(table).where(table.c.id == ticket_id)).mappings().one()
    return dict(row)


def server_events(server: LiveServer, ticket_id: str) -> list[str]:
    table = RECORD_TABLES["ticket_event"]
    with server.engine.connect() as conn:
        return list(conn.execute(sa.select(table.c.kind).where(table.c.ticket_id == ticket_id)
                                 .order_by(table.c.at, table.c.sync_version)).scalars())


def take_step(qtbot: QtBot, view: TicketsView, action: str,
              fill: Callable[[Any], None] | None = None) -> None:
    """Click the step's button (or its menu entry), fill the dialog, confirm; wait until
    the step is written and the detail read again."""
    qtbot.waitUntil(lambda: not view.detail_loading, timeout=5000)
    button = view.detail.step_buttons.get(action)
    if button is not None:
        assert button.isEnabled()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    else:
        menu_action = view.detail.step_actions[action]
        assert menu_action.isEnabled(), menu_action.toolTip()  # type: ignore[attr-defined]
        menu_action.trigger()  # type: ignore[attr-defined]
    if fill is not None:
        qtbot.waitUntil(lambda: view.dialog is not None, timeout=2000)
        dialog = view.dialog
        fill(dialog)
        with qtbot.waitSignal(view.runner.finished, timeout=5000) as outcome:
            qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    else:
        with qtbot.waitSignal(view.runner.finished, timeout=5000) as outcome:
            pass
    assert outcome.args[0].error is None, outcome.args[0].error
    qtbot.waitUntil(lambda: not view.detail_loading, timeout=5000)


def test_steps_from_assign_to_a_dissatisfied_follow_up_call(
        qtbot: QtBot, desks: Callable[..., Desk], live_server: LiveServer, world: World) -> None:
    clerk = desks("clerk1")
    worker = desks("worker1")
    tid = world["tA"]
    clerk_view = open_view(qtbot, clerk)
    wait_detail(qtbot, clerk_view, tid)
    # A clerk may not accept or resolve (only the assignee): no buttons for them.
    assert set(clerk_view.detail.step_buttons) == {"triage", "assign"}
    # 更多操作 lists only the steps of a new ticket for a clerk: no accept, no resolve.
    assert set(clerk_view.detail.step_actions) == {
        "triage", "assign", "escalate", "cancel", "merge"}

    def choose_worker1(dialog: AssignDialog) -> None:
        qtbot.waitUntil(lambda: dialog.people.count() > 0, timeout=3000)
        assert "Worker1" in dialog.people.item(0).text()  # the grid's own worker first
        dialog.people.setCurrentRow(0)

    take_step(qtbot, clerk_view, "assign", choose_worker1)
    assert clerk_view.detail.pane.detail.ticket["status"] == "assigned"  # type: ignore[union-attr]
    assert clerk_view.detail.timeline_texts()[0].startswith("Clerk1 assigned it to Worker1")
    # Accepting applies now, but only the assignee may: shown disabled, saying why.
    accept = clerk_view.detail.step_actions["accept"]
    assert not accept.isEnabled()  # type: ignore[attr-defined]
    assert accept.toolTip() == "Only the assignee can do this."  # type: ignore[attr-defined]
    clerk.sync()
    assert server_ticket(live_server, tid)["assignee_id"] == world["worker1"]

    worker.sync()
    worker_view = open_view(qtbot, worker)
    assert worker_view.current_queue() is Queue.MINE
    qtbot.waitUntil(lambda: worker_view.model.row_of(tid) is not None, timeout=3000)
    wait_detail(qtbot, worker_view, tid)
    assert set(worker_view.detail.step_buttons) == {"accept"}
    take_step(qtbot, worker_view, "accept")
    take_step(qtbot, worker_view, "start")
    take_step(qtbot, worker_view, "resolve",
              lambda d: d.text.setPlainText("照明所已更换灯具"))
    worker.sync()
    assert server_ticket(live_server, tid)["status"] == "resolved"

    clerk.sync()
    qtbot.waitUntil(lambda: clerk_view.detail.pane is not None and
                    clerk_view.detail.pane.detail.ticket["status"] == "resolved", timeout=5000)

    def dissatisfied(dialog: CloseDialog) -> None:
        assert not dialog.reopen_note.isVisibleTo(dialog)
        dialog.choices["dissatisfied"].setChecked(True)
        assert dialog.reopen_note.isVisibleTo(dialog)  # 发回重办 is said before it happens
        assert "handled again" in dialog.reopen_note.text()
        assert dialog.ok_button.text() == "Send back (发回重办)"

    take_step(qtbot, clerk_view, "close", dissatisfied)
    clerk.sync()
    server = server_ticket(live_server, tid)
    assert server["status"] == "assigned" and server["assignee_id"] == world["worker1"]
    assert server["satisfaction"] is None
    assert server_events(live_server, tid)[-1] == "follow_up_dissatisfied"
    qtbot.waitUntil(lambda: clerk_view.detail.timeline_texts()[0].startswith(
        "Clerk1 made the follow-up call: the resident is not satisfied"), timeout=5000)


def test_a_step_refused_after_working_offline_is_told_in_words(
        qtbot: QtBot, desks: Callable[..., Desk], live_server: LiveServer, world: World) -> None:
    clerk, worker = desks("clerk1"), desks("worker1")
    tid = world["tA"]
    clerk_view = open_view(qtbot, clerk)
    wait_detail(qtbot, clerk_view, tid)
    take_step(qtbot, clerk_view, "assign", lambda d: (
        qtbot.waitUntil(lambda: d.people.count() > 0), d.people.setCurrentRow(0)))
    clerk.sync()
    worker.sync()  # worker1 sees the ticket assigned to them, then goes offline

    # Meanwhile the clerk gives the ticket to worker2.
    def choose_worker2(dialog: AssignDialog) -> None:
        qtbot.waitUntil(lambda: dialog.people.count() > 1, timeout=3000)
        for row in range(dialog.people.count()):
            if "Worker2" in dialog.people.item(row).text():
                dialog.people.setCurrentRow(row)

    take_step(qtbot, clerk_view, "assign", choose_worker2)
    clerk.sync()

    worker_view = open_view(qtbot, worker)
    window = QMainWindow()
    window.setObjectName("main_window")
    window.setCentralWidget(worker_view)
    qtbot.addWidget(window)
    window.resize(1300, 800)
    window.show()
    notifier = DeskNotifier(worker.ctx, window=lambda: window)
    wait_detail(qtbot, worker_view, tid)
    take_step(qtbot, worker_view, "accept")  # offline: accepted here
    assert worker_view.detail.pane.detail.ticket["status"] == "accepted"  # type: ignore[union-attr]
    with qtbot.waitSignal(notifier.steps_refused, timeout=5000) as refused:
        report = worker.sync()
    assert report.rejected == 1
    [rejection] = refused.args[0]
    assert rejection.action == "accept" and rejection.code == "forbidden"
    toast = notifier.toast(window)
    assert toast.isVisible()
    assert "The server did not accept “accept” on ticket" in toast.text()
    assert "reassigned" in toast.text()
    # The detail says it too, in words, and the ticket shows the server's state again.
    qtbot.waitUntil(lambda: any("reassigned" in t for t in worker_view.detail.notice_texts()),
                    timeout=5000)
    assert worker_view.detail.pane.detail.ticket["status"] == "assigned"  # type: ignore[union-attr]
    assert "accept" not in worker_view.detail.step_buttons  # no longer theirs
    # "OK" hides it for good.
    [ok] = [b for b in worker_view.detail.findChildren(type(toast.action_button))
            if b.objectName() == "dismiss_rejection"]
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not any("reassigned" in t
                                    for t in worker_view.detail.notice_texts()), timeout=5000)
    notifier.stop()


def test_the_queue_names_wrap_instead_of_being_cut(
        qtbot: QtBot, desks: Callable[..., Desk]) -> None:
    """At 1024×700 in English the queue list is about 160 px wide: "To dispatch" and
    "Waiting on resident" go on two lines (they were cut to "To …"); the countdown
    column holds a week-long one."""
    view = TicketsView(desks("clerk1").ctx)
    qtbot.addWidget(view)
    view.resize(800, 600)  # what a 1024 px window leaves the section
    view.show()
    qtbot.waitUntil(lambda: 0 < view.splitter.sizes()[0] < 170, timeout=2000)  # on show
    qtbot.wait(50)
    queues = view.queue_list
    metrics = queues.fontMetrics()
    line = metrics.height()
    for row in range(queues.count()):
        item = queues.item(row)
        rect = queues.visualItemRect(item)
        room = queues.viewport().width() - WRAP_RESERVE - queues.iconSize().width()
        words = item.text().split()
        # A word wider than the list cannot wrap and is cut ("My commun…").
        assert all(metrics.horizontalAdvance(w) <= room for w in words), item.text()
        if metrics.horizontalAdvance(item.text()) > room and len(words) > 1 and all(
                metrics.horizontalAdvance(w) <= room for w in words):
            assert rect.height() >= 2 * line + 12, f"{item.text()!r} is cut to one line"
    # Nor is a long countdown cut ("12 d ov…", bold): the dot, the text, the paddings.
    due = view.table.columnWidth(DUE_COLUMN)
    assert due >= _widest_countdown(view.table.font()) + 20, due


def test_a_layout_saved_before_the_wider_countdown_keeps_it_whole(
        qtbot: QtBot, desks: Callable[..., Desk], settings: Settings) -> None:
    """A layout remembered when the countdown column was narrower is put back with that
    column wide enough again: 90 px cut "12 d overdue" (bold) to "12 d ov…"."""
    desk = desks("clerk1")
    first = TicketsView(desk.ctx)
    qtbot.addWidget(first)
    first.table.setColumnWidth(DUE_COLUMN, 90)
    settings.save_layout(first)
    view = TicketsView(desk.ctx)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    due = view.table.columnWidth(DUE_COLUMN)
    assert due >= _widest_countdown(view.table.font()) + 20, due


def _widest_countdown(font: QFont) -> int:
    bold = QFont(font)
    bold.setBold(True)
    return max(QFontMetrics(bold).horizontalAdvance("12 d overdue"),
               QFontMetrics(font).horizontalAdvance("Paused · 12 d"))


@pytest.fixture
def app_style(qapp: QApplication) -> Iterator[None]:
    """The app's own font and style sheet (its buttons' paddings), as the app sets them."""
    font, sheet = qapp.font(), qapp.styleSheet()
    apply_style(qapp)
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def test_the_step_buttons_keep_inside_a_narrow_detail(
        qtbot: QtBot, desks: Callable[..., Desk], world: World, app_style: None) -> None:
    """At 1024x700 in English the detail is about 237 px wide: "Triage…" and "Assign…"
    side by side needed more, and "Assign…" ran into the pane's right edge (with the
    household's address cut beside it). They go one to a row where two do not fit."""
    view = TicketsView(desks("clerk1").ctx)
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitUntil(lambda: not view.model.is_loading, timeout=5000)
    view.splitter.setSizes([160, 400, 237])
    wait_detail(qtbot, view, world["tA"])
    qtbot.wait(50)
    viewport = view.detail.scroll_area.viewport()
    assert {"triage", "assign"} <= set(view.detail.step_buttons)
    for button in [*view.detail.step_buttons.values(), view.detail.more_button]:
        right = button.mapTo(viewport, button.rect().topRight()).x()
        assert right <= viewport.width() - 12, (button.text(), right, viewport.width())
    body = view.detail.scroll_area.widget()
    assert body.width() <= viewport.width()


def test_queues_counts_and_the_countdown_colours(
        qtbot: QtBot, desks: Callable[..., Desk], world: World, qtmodeltester: Any) -> None:
    due = {
        "late": NOW - dt.timedelta(seconds=1),
        "now": NOW,
        "tonight": NOW.replace(hour=23, minute=59),
        "tomorrow": NOW + dt.timedelta(days=1),
        "friday": NOW + dt.timedelta(days=2),
    }
    for name, at in due.items():
        world.ticket(name, "gridA", status="assigned", assignee_id=world["worker1"],
                     due_at=at, title=name)
    world.ticket("waiting", "gridA", status="waiting", assignee_id=world["worker1"],
                 due_at=NOW - dt.timedelta(days=1), paused_at=NOW - dt.timedelta(days=2),
                 title="waiting")
    world.ticket("done", "gridB", status="resolved", assignee_id=world["worker1"],
                 due_at=NOW - dt.timedelta(days=3), title="done")
    clerk = desks("clerk1", clock=lambda: NOW)
    view = open_view(qtbot, clerk)
    qtbot.waitUntil(lambda: view.counts()[Queue.ALL] == 8, timeout=5000)
    assert view.counts() == {Queue.UNASSIGNED: 1, Queue.DUE_TODAY: 2, Queue.OVERDUE: 1,
                             Queue.WAITING: 1, Queue.FOLLOW_UP: 1, Queue.MINE: 0,
                             Queue.ALL: 8}
    assert view.queue_list.item(0).text() == "To dispatch"

    view.show_queue(Queue.ALL)
    qtbot.waitUntil(lambda: view.model.rowCount() == 8 and not view.model.is_loading,
                    timeout=5000)
    qtmodeltester.check(view.model)
    colours = {}
    for row in range(view.model.rowCount()):
        title = view.model.index(row, 1).data()
        brush = view.model.index(row, DUE_COLUMN).data(Qt.ItemDataRole.ForegroundRole)
        colours[title] = brush.color().name() if brush is not None else None
    assert colours["late"] == URGENCY_COLORS[Urgency.OVERDUE]
    assert colours["now"] == colours["tonight"] == URGENCY_COLORS[Urgency.DUE_TODAY]
    assert colours["tomorrow"] == URGENCY_COLORS[Urgency.DUE_SOON]
    assert colours["friday"] == URGENCY_COLORS[Urgency.ON_TRACK]
    assert colours["waiting"] == URGENCY_COLORS[Urgency.PAUSED]
    assert colours["done"] is None
    texts = {view.model.index(r, 1).data(): view.model.index(r, DUE_COLUMN).data()
             for r in range(view.model.rowCount())}
    # Short, so that the column keeps them whole: minutes only in the last hour.
    assert texts["late"] == "0 min overdue"
    assert texts["tonight"] == "13 h left"
    assert texts["friday"] == "2 d left"
    assert texts["waiting"] == "Paused · 1 d"

    view.show_queue(Queue.OVERDUE)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert view.model.index(0, 1).data() == "late"
    view.search.setText("没有这个")
    qtbot.waitUntil(lambda: view.empty.isVisible(), timeout=5000)
    assert view.empty.title_label.text() == "No tickets match your search"


def test_keyboard_moves_through_the_queue_and_opens_steps(
        qtbot: QtBot, desks: Callable[..., Desk], world: World) -> None:
    for i in range(3):
        world.ticket(f"t{i}", "gridA", status="new", title=f"路灯 {i}",
                     created_at=NOW - dt.timedelta(hours=i))
    clerk = desks("clerk1", clock=lambda: NOW)
    view = open_view(qtbot, clerk)
    view.show_queue(Queue.ALL)
    qtbot.waitUntil(lambda: view.model.rowCount() == 4 and not view.model.is_loading,
                    timeout=5000)

    def shown_row() -> int | None:
        ticket_id = view.detail.ticket_id()
        return None if ticket_id is None or view.detail_loading else view.model.row_of(
            ticket_id)

    view.table.setCurrentIndex(view.model.index(0, 1))
    qtbot.waitUntil(lambda: shown_row() == 0, timeout=3000)
    view.activateWindow()  # shortcuts reach only the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view, timeout=2000)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: shown_row() == 1, timeout=3000)
    qtbot.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: shown_row() == 2, timeout=3000)
    qtbot.keyClick(view.table, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: shown_row() == 1, timeout=3000)
    qtbot.keyClick(view.table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: shown_row() == 0, timeout=3000)
    qtbot.keyClick(view.table, Qt.Key.Key_K)  # at the top: stays
    qtbot.wait(100)
    assert shown_row() == 0
    qtbot.keyClick(view.table, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: isinstance(view.dialog, AssignDialog), timeout=3000)
    view.dialog.reject()  # type: ignore[union-attr]
    # R on a new ticket: not possible, and the view says why instead of doing nothing.
    qtbot.keyClick(view.table, Qt.Key.Key_R)
    assert view.notice.isVisibleTo(view)
    assert "Not possible while the ticket is “New”" in view.notice.text()
    assert "A: assign" in view.table.toolTip() and "R: resolve" in view.table.toolTip()
    assert view.detail.step_buttons["assign"].toolTip() == "Assign (A)"


def test_a_walk_in_request_becomes_a_ticket_with_its_source(
        qtbot: QtBot, desks: Callable[..., Desk], live_server: LiveServer, world: World) -> None:
    clerk = desks("clerk1")
    view = open_view(qtbot, clerk)
    dialog = view.open_new_ticket()
    assert isinstance(dialog, NewTicketDialog)
    qtbot.waitUntil(lambda: dialog.grid.count() > 1, timeout=3000)
    dialog.source.setCurrentIndex(dialog.source.findData("phone"))
    dialog.resident.setText("曾先生 13912345678")
    dialog.household_search.setText("曾国强")
    qtbot.waitUntil(lambda: dialog.households.count() == 2, timeout=3000)
    assert dialog.grid.currentData() == world["gridB"]  # from the household chosen
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "Give the ticket a short title."  # nothing lost
    dialog.title_edit.setText("楼道灯不亮")
    dialog.category.setCurrentIndex(dialog.category.findData("municipal"))
    with qtbot.waitSignal(view.ticket_shown, timeout=5000) as shown:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    ticket_id = shown.args[0]
    assert view.detail.number_label.text() == "(not yet numbered)"
    clerk.sync()
    server = server_ticket(live_server, ticket_id)
    assert server["source"] == "phone" and server["grid_id"] == world["gridB"]
    assert server["household_id"] == world["hB1"]
    assert server["description"].startswith("Resident: 曾先生 13912345678")
    assert server["number"].startswith("GL")
    assert server_events(live_server, ticket_id) == ["created"]


def test_a_ticket_made_here_shows_its_number_after_the_sync(
        qtbot: QtBot, desks: Callable[..., Desk], live_server: LiveServer, world: World) -> None:
    clerk = desks("clerk1")
    view = open_view(qtbot, clerk)
    dialog = view.open_new_ticket()
    qtbot.waitUntil(lambda: dialog.grid.count() > 1, timeout=3000)
    dialog.grid.setCurrentIndex(1)
    dialog.title_edit.setText("楼道灯不亮")
    with qtbot.waitSignal(view.ticket_shown, timeout=5000) as shown:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    clerk.sync()
    number = server_ticket(live_server, shown.args[0])["number"]
    qtbot.waitUntil(lambda: view.detail.number_label.text() == number, timeout=3000)


def test_merge_a_duplicate_and_split_it_back_out(
        qtbot: QtBot, desks: Callable[..., Desk], live_server: LiveServer, world: World) -> None:
    world.ticket("dup", "gridA", title="3栋路灯又坏了", status="new")
    clerk = desks("clerk1")
    view = open_view(qtbot, clerk)
    wait_detail(qtbot, view, world["dup"])

    def choose_survivor(dialog: MergeDialog) -> None:
        qtbot.waitUntil(lambda: dialog.picker.results.count() > 0, timeout=3000)
        assert dialog.picker.chosen_id() is None  # the person chooses: nothing at first
        ids = [dialog.picker.results.item(r).data(Qt.ItemDataRole.UserRole)
               for r in range(dialog.picker.results.count())]
        dialog.picker.results.setCurrentRow(ids.index(world["tA"]))

    take_step(qtbot, view, "merge", choose_survivor)
    clerk.sync()
    assert server_ticket(live_server, world["dup"])["merged_into_id"] == world["tA"]
    qtbot.waitUntil(lambda: any("Merged into" in t for t in view.detail.notice_texts()),
                    timeout=5000)
    take_step(qtbot, view, "split", lambda d: d.text.setPlainText("不是同一盏灯"))
    clerk.sync()
    server = server_ticket(live_server, world["dup"])
    assert server["status"] == "new" and server["merged_into_id"] is None


def test_a_step_dialog_keeps_a_draft_when_closed_by_mistake(
        qtbot: QtBot, desks: Callable[..., Desk], world: World) -> None:
    clerk = desks("clerk1")
    view = open_view(qtbot, clerk)
    wait_detail(qtbot, view, world["tA"])
    view.request_step("cancel")
    dialog = view.dialog
    assert isinstance(dialog, TextStepDialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.isVisibleTo(dialog)  # a reason is required
    dialog.text.setPlainText("居民已自行解决")
    dialog.reject()
    qtbot.waitUntil(lambda: view.dialog is None, timeout=2000)
    QApplication.processEvents()
    view.request_step("cancel")
    again = view.dialog
    assert isinstance(again, TextStepDialog)
    qtbot.waitUntil(lambda: again.text.toPlainText() == "居民已自行解决", timeout=3000)
    assert again._restored_row.isVisibleTo(again)
    again.reject()


def test_countdown_model_alone(qtbot: QtBot, desks: Callable[..., Desk],
                               qtmodeltester: Any) -> None:
    clerk = desks("clerk1", clock=lambda: NOW)
    model = TicketTableModel(clerk.ctx.desk, clock=lambda: NOW, page_size=1)
    model.set_queue(Queue.ALL)
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=3000)
    assert model.total == 1 and not model.canFetchMore()
    qtmodeltester.check(model)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.current_order() == "-number" and not model.is_loading,
                    timeout=3000)


def test_chinese(qtbot: QtBot, desks: Callable[..., Desk], world: World,
                 chinese: None) -> None:
    clerk = desks("clerk1")
    view = open_view(qtbot, clerk)
    assert view.queue_list.item(0).text() == "待派单"
    assert view.new_button.text() == "新建工单"
    wait_detail(qtbot, view, world["tA"])
    assert view.detail.step_buttons["assign"].text() == "派单…"
    assert view.model.headerData(DUE_COLUMN, Qt.Orientation.Horizontal) == "时限"


def test_a_queue_chosen_while_another_loads_shows_only_its_own_rows(
        qtbot: QtBot, desks: Callable[..., Desk]) -> None:
    """The rows of a queue still loading when another is chosen are dropped: ``loaded``
    is said only of the queue chosen (a view that acts on the first load after a switch
    — the detail of an emptied queue — acted on the old queue's rows)."""
    clerk = desks("clerk1", clock=lambda: NOW)
    model = TicketTableModel(clerk.ctx.desk, clock=lambda: NOW)
    loads: list[tuple[Queue, int]] = []
    model.loaded.connect(lambda: loads.append((model.queue, model.rowCount())))
    model.set_queue(Queue.ALL)  # clerk1's one ticket: loading …
    model.set_queue(Queue.WAITING)  # … when a queue with none is chosen
    qtbot.waitUntil(lambda: bool(loads) and not model.is_loading, timeout=5000)
    assert loads == [(Queue.WAITING, 0)]


def test_two_statuses_keep_to_one_line_in_a_narrow_detail(
        qtbot: QtBot, app_style: None) -> None:
    """At 1024x700 in English the detail is about 237 px wide: beside the ticket's number
    the chip "Returned · escalated" was squeezed onto three lines. It goes under the number
    where the two do not fit side by side, on one line; in a wide pane it stays beside."""
    from gulou_desk.store.ticket_queries import TicketDetail
    from ui.tickets.detail import TicketDetailView, TicketPane

    detail = TicketDetailView(lambda: NOW)
    qtbot.addWidget(detail)
    ticket = {"id": "t1", "number": "GL202611290001", "title": "龙凤花园老人申请助餐",
              "status": "returned", "escalated": True, "category": "elderly",
              "priority": "normal", "created_at": NOW, "due_at": NOW}
    pane = TicketPane(TicketDetail(ticket, None, None, None, None, None, [], [], None, [],
                                   [], False, None), {})
    detail.resize(237, 600)
    detail.show()
    detail.show_pane(pane)
    qtbot.wait(50)
    chip, number = detail.status_label, detail.number_label
    viewport = detail.scroll_area.viewport()
    assert chip.text() == "Returned · escalated"
    line = chip.fontMetrics().height()
    assert chip.height() < 2 * line, (chip.height(), line)  # one line, not three
    assert chip.mapTo(viewport, chip.rect().topRight()).x() <= viewport.width()
    assert chip.y() > number.y()  # under the number
    detail.resize(600, 600)
    qtbot.wait(50)
    assert abs(chip.geometry().center().y() - number.geometry().center().y()) < line
    assert chip.x() > number.x() + number.width()  # beside it where there is room
