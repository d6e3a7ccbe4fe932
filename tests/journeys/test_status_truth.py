"""Journey: the status bar tells the truth after a restart, and signing out with unsent
edits warns and keeps them (issue 10 item 11; the outbox view is test_outbox.py).

A social worker synced in the morning; the laptop restarts in a flat without a network:
the status bar says when it last synced (from the local store), not 从未. An edit made
there waits; 退出登录 says how many edits are unsent and, if the worker goes on, keeps
them on this computer: the next sign-in sends them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTableView

from tests.journeys.harness import Journey
from ui.households.dialogs import RecordDialog
from ui.login_dialog import LoginDialog

NOTE = "Call back on Monday, 10:00"  # typed (the offscreen platform has no Chinese input)


def test_after_a_restart_the_last_sync_is_known_and_sign_out_keeps_unsent_edits(
    journey: Journey
) -> None:
    journey.start()
    journey.sign_in("worker1")
    journey.shot("synced in the morning")

    journey.server.stop()  # no network in the flat
    journey.restart()
    window = journey.window
    status = window.status_bar
    journey.wait_until(lambda: status.online is False, what="the app finding it is offline")
    assert "从未" not in status.last_sync_label.text()
    assert status.last_sync_label.text() == "上次同步：刚刚"
    assert status.last_sync_label.toolTip()  # the exact time, from the store
    journey.shot("restarted offline: the last sync is known")

    page = journey.go_to("住户")
    table = journey.by_name("households_table", QTableView, within=page)
    head_column = journey.column(table, "户主")
    journey.click_row(table, 2, head_column)
    [head] = journey.cells(table, head_column, [2])
    journey.click("编辑住户", within=window)
    dialog = journey.dialog(kind=RecordDialog)
    notes = journey.field("备注", within=dialog)
    notes.setFocus()  # as a click would (main's harness finds the field "not scrolled into
    # view" in this dialog, see test_outbox.py), then typed
    journey.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier, target=notes)
    journey.qtbot.keyClicks(notes, NOTE)
    journey.click("保存", within=dialog)
    journey.wait_until(lambda: status.pending_count == 1, what="one edit waiting")
    assert "1" in status.pending_label.text()
    journey.shot("an edit waits to be sent")

    journey.go_to("设置")
    journey.click("退出登录", within=window)
    confirm = journey.dialog(kind=QMessageBox)
    assert "1 条修改" in confirm.text()
    assert "保留在这台电脑上" in confirm.informativeText()
    journey.shot("sign out warns of the unsent edit")
    journey.click("取消", within=confirm)
    journey.wait_until(lambda: not [w for w in journey.windows() if isinstance(w, QMessageBox)],
                       what="the warning closed")
    assert journey.window is window and status.pending_count == 1  # still signed in

    journey.click("退出登录", within=window)
    confirm = journey.dialog(kind=QMessageBox)
    journey.click("退出登录", within=confirm)
    journey.dialog(kind=LoginDialog)
    journey.shot("signed out; the edit kept")

    journey.server.restart()  # back at the office
    window = journey.sign_in("worker1")
    journey.wait_until(lambda: window.status_bar.pending_count == 0,
                       what="the kept edit sent", timeout=60_000)
    [held] = journey.server.pull_as("supervisor1").where("household", head_name=head)
    assert held["notes"] == NOTE
    journey.shot("signed in again: the kept edit reached the server")
