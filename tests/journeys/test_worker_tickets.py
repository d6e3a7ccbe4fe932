"""Journeys of a social worker's own tickets: a step taken from the keyboard; a ticket
paused when already late.

The worker (``worker1``) picks one of their tickets in 我的工单, presses R (办结), writes
what was done and confirms with Ctrl+Enter, as the inbox's reply, the ticket's comment box
and the visit form take it. Enter in the text box is a new line (办理情况 may run to
several), so Ctrl+Enter was the only key left, and it did nothing: the worker had to
reach 确定 with the mouse.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTableView

from gulou_desk.records import SHANGHAI
from tests.journeys.harness import Journey, _shown_text
from ui.tickets.dialogs import TextStepDialog
from ui.tickets.view import TicketsView

RESOLUTION = "已联系物业更换路灯，居民确认已亮"


def _shown(widget: QLabel) -> bool:
    try:
        return widget.isVisible()
    except RuntimeError:  # deleted once closed
        return False



def my_tickets(journey: Journey) -> tuple[TicketsView, QTableView]:
    """worker1 signed in, in 工单: the tickets view and its list."""
    journey.start()
    journey.sign_in("worker1")
    view = journey.go_to("工单").findChild(TicketsView)
    assert view is not None
    return view, journey.by_name("tickets_table", QTableView, within=view)

def test_a_step_is_confirmed_with_ctrl_enter(journey: Journey) -> None:
    held = journey.server.pull_as("worker1")
    me = held.where("staff", username="worker1")[0]["id"]
    workable = sorted((t for t in held.all("ticket") if t.get("assignee_id") == me
                       and t["status"] in ("accepted", "in_progress")),
                      key=lambda t: t["number"])
    assert workable, "worker1 has a ticket to resolve in the demo data"
    number = workable[0]["number"]

    view, table = my_tickets(journey)
    journey.click_row(table, journey.row_of(table, number, column=0))
    journey.wait_until(lambda: view.detail.ticket_id() == workable[0]["id"],
                       what=f"{number} shown")
    table.setFocus()
    journey.press(Qt.Key.Key_R)
    dialog = journey.dialog(kind=TextStepDialog)
    text = journey.by_name("step_text", QPlainTextEdit, within=dialog)

    # Nothing written yet: Ctrl+Enter asks for it, in words, and keeps the dialog.
    journey.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, target=text)
    error = journey.by_name("error_label", QLabel, within=dialog)
    journey.wait_until(error.isVisible, what="the dialog asks for the text")
    assert error.text() == "请先填写此项。"
    assert dialog.isVisible()
    assert "Ctrl+Enter" in dialog.ok_button.toolTip()  # the button says the key

    journey.type_into(text, RESOLUTION)
    journey.press(Qt.Key.Key_Return, target=text)  # Enter: a new line, never a send
    assert dialog.isVisible() and text.toPlainText() == RESOLUTION + "\n"
    journey.shot("办结: written, Ctrl+Enter next")
    journey.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, target=text)
    journey.wait_until(lambda: not _shown(dialog), what="the dialog confirmed by Ctrl+Enter")
    journey.wait_until(lambda: view.detail.pane is not None
                       and view.detail.pane.detail.ticket.get("status") == "resolved",
                       what="the ticket resolved")
    journey.shot("resolved from the keyboard")

    journey.wait_for_sync(timeout=60_000)
    [ticket] = journey.server.pull_as("supervisor1").where("ticket", number=number)
    assert ticket["status"] == "resolved"
    assert ticket["resolution"] == RESOLUTION


def test_a_ticket_paused_when_overdue_still_reads_overdue(journey: Journey) -> None:
    """等待居民 on a ticket already late stops its clock, late: the list said "暂停 · 剩8天"
    and the pane "暂停 · 剩余8天…" (the time past due, read as time left) beside a due
    time long gone. The list now says 超时 8天 (grey, the paused dot, 暂停计时 in its
    tooltip), the pane 暂停 · 已超时 8天…."""
    held = journey.server.pull_as("worker1")
    me = held.where("staff", username="worker1")[0]["id"]
    now = dt.datetime.now(SHANGHAI)
    late = sorted((t for t in held.all("ticket") if t.get("assignee_id") == me
                   and t["status"] in ("accepted", "in_progress") and t.get("due_at")
                   and dt.datetime.fromisoformat(t["due_at"]) < now - dt.timedelta(days=1)),
                  key=lambda t: t["number"])
    assert late, "worker1 has a ticket more than a day overdue in the demo data"
    number = late[0]["number"]
    days_late = (now - dt.datetime.fromisoformat(late[0]["due_at"])).days

    view, table = my_tickets(journey)
    row = journey.row_of(table, number, column=0)
    due_column = journey.column(table, "时限")
    assert journey.cells(table, due_column, [row])[0].endswith(f"超时 {days_late}天")
    journey.click_row(table, row)
    journey.wait_until(lambda: view.detail.ticket_id() == late[0]["id"], what=f"{number} shown")
    journey.click("等待居民…", within=view)
    dialog = journey.dialog(kind=TextStepDialog)
    text = journey.by_name("step_text", QPlainTextEdit, within=dialog)
    journey.type_into(text, "居民外出，约定下周上门核实")
    journey.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, target=text)
    journey.wait_until(lambda: not _shown(dialog), what="the wait confirmed")
    journey.wait_until(lambda: view.detail.pane is not None
                       and view.detail.pane.detail.ticket.get("status") == "waiting",
                       what="the ticket waiting on the resident")

    row = journey.row_of(table, number, column=0)
    index = table.model().index(row, due_column)
    journey.wait_until(lambda: str(index.data(Qt.ItemDataRole.ToolTipRole)).endswith("暂停计时"),
                       what="the list's tooltip says the clock is stopped")
    [cell] = journey.cells(table, due_column, [row])
    assert cell == f"超时 {days_late}天", cell  # late, not time left; grey: paused
    assert _shown_text(table, index) == cell, f"{cell!r} cut to {_shown_text(table, index)!r}"
    due = journey.by_name("due_line", QLabel, within=view)
    assert due.text().startswith(f"暂停 · 已超时 {days_late}天"), due.text()
    assert "剩" not in cell + due.text()
    journey.shot("paused while overdue: still read as overdue")

    journey.restart("--lang", "en")  # the same, whole, in English
    page = journey.go_to("Tickets")
    view = page.findChild(TicketsView)
    assert view is not None
    table = journey.by_name("tickets_table", QTableView, within=view)
    row = journey.row_of(table, number, column=0)
    index = table.model().index(row, journey.column(table, "Due"))
    assert index.data() == f"{days_late} d overdue", index.data()
    assert _shown_text(table, index) == index.data(), _shown_text(table, index)
    journey.shot("paused while overdue, in English")


def test_escape_in_the_search_clears_it_and_goes_back_to_the_list(journey: Journey) -> None:
    """Ctrl+F, a word, the list narrowed; Escape used to do nothing (the word and the
    narrowed list stayed, the focus in the box). It clears the search, the whole queue
    is back, and the focus is in the list (J / K, R work again)."""
    view, table = my_tickets(journey)
    journey.wait_until(lambda: table.model().rowCount() > 1, what="my tickets listed")
    everything = table.model().rowCount()
    [title] = journey.cells(table, journey.column(table, "标题"), [0])
    table.setFocus()
    journey.press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = journey.focus()
    assert search is view.search
    journey.type_into(search, title)
    journey.wait_until(lambda: table.model().rowCount() < everything, what="the list narrowed")
    journey.press(Qt.Key.Key_Escape)
    journey.wait_until(lambda: view.search.text() == "" and table.model().rowCount()
                       == everything, what="the search cleared, the whole queue back")
    assert journey.focus() is table
