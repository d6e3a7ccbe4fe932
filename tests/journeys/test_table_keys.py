"""Journey: Tab leaves a list for the next control, as everywhere else.

Every table of the app walked its cells on Tab (Qt's default for a table), so a person
on the keyboard never left it: the supervisor, a record chosen in the approval queue,
pressed Tab twelve times and was still in the queue, the comment box (意见) out of reach
without the mouse. Arrows move between rows; Tab goes on to the next control.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from tests.journeys.harness import Journey
from tests.journeys.test_supervisor import _approval_queue, _decide_on
from tests.journeys.test_worker_tickets import my_tickets
from ui.performance.record_panel import RecordPanel


def test_tab_leaves_the_approval_queue_for_the_record_and_its_comment(
        journey: Journey) -> None:
    journey.start()
    journey.sign_in("supervisor1")
    _page, queue, table = _approval_queue(journey)
    panel = journey.by_name("record_panel", RecordPanel, within=queue)
    name = _decide_on(journey, panel, table, 0)
    table.setFocus()
    journey.press(Qt.Key.Key_Down)  # arrows: the rows
    journey.press(Qt.Key.Key_Up)
    journey.wait_until(lambda: panel.title_label.text().startswith(name), what="back up")

    comment = journey.by_name("decision_comment", QPlainTextEdit, within=panel)
    presses = 0
    while QApplication.focusWidget() is not comment and presses < 20:
        journey.press(Qt.Key.Key_Tab)
        presses += 1
        if presses == 1:
            assert QApplication.focusWidget() is not table, "Tab leaves the queue"
    assert QApplication.focusWidget() is comment, f"意见 reached by Tab ({presses} presses)"
    journey.shot("Tab: from the queue to the comment")


def test_tab_leaves_the_tickets_list(journey: Journey) -> None:
    _view, table = my_tickets(journey)
    journey.wait_until(lambda: table.model().rowCount() > 1, what="my tickets listed")
    journey.click_row(table, 0)
    table.setFocus()
    journey.press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table, "Tab leaves the list"
    journey.press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is table, "Shift+Tab comes back to it"
