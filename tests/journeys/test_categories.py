"""Journey of issue 18 item 5's categories: an admin adds the ticket category 加装电梯
(lift installation) with an SLA of 5 working days in the catalogue; a clerk turns a
message of the inbox into a ticket of that category, and the ticket is due five working
days after it was made, on the clerk's desk and on the server."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QSpinBox, QTableView, QTableWidget, QWidget

from gulou_desk.domain import sla
from tests.journeys.harness import Journey
from tests.journeys.test_admin import save_catalogue_and_send
from ui.admin.catalogue import CategoryDialog
from ui.inbox.dialogs import ConvertDialog
from ui.inbox.view import InboxView


def _closed(widget: QWidget) -> bool:
    try:
        return not widget.isVisible()
    except RuntimeError:  # deleted once closed
        return True


def test_an_admin_adds_a_category_and_a_clerk_files_a_ticket_due_by_its_sla(
    journey: Journey
) -> None:
    journey.start()
    window = journey.sign_in("admin")
    page = journey.go_to("管理")
    journey.tab("目录", within=page)
    categories = journey.by_name("catalogue_categories", QTableWidget, within=page)
    journey.row_of(categories, "环境卫生")
    journey.click("新增类别…", within=page)
    dialog = journey.dialog(kind=CategoryDialog)
    journey.type_into(dialog.name_edit, "加装电梯")
    journey.type_into(dialog.name_en_edit, "Lift installation")
    days = journey.by_name("category_days", QSpinBox, within=dialog)
    journey.type_into(days, "5")
    assert days.value() == 5
    journey.click(dialog.ok)
    row = journey.row_of(categories, "加装电梯")
    assert journey.cells(categories, 2, [row]) == ["在用"]
    journey.shot("the category editor with a new category")
    save_catalogue_and_send(journey, page)
    held = journey.server.pull_as("admin")
    [lift] = held.where("catalogue_entry", kind="category", name="加装电梯")
    assert (lift["name_en"], lift["sla_days"], lift["active"]) == ("Lift installation", 5, True)
    code = str(lift["code"])

    journey.go_to("设置")
    journey.click("退出登录", within=window)
    window = journey.sign_in("clerk1")
    journey.wait_until(lambda: sla.is_open_category(code), what="the catalogue read")
    inbox = journey.go_to("诉求收件箱")
    inbox_view = inbox.findChild(InboxView)
    assert inbox_view is not None
    table = journey.by_name("inbox_table", QTableView, within=inbox)
    journey.wait_until(lambda: table.model().rowCount() > 0, what="messages to handle")
    journey.click_row(table, 0, 3)
    journey.wait_until(lambda: bool(inbox_view.selected), what="a message shown")
    message = inbox_view.selected[0].id
    journey.press(Qt.Key.Key_T)
    convert = journey.dialog(kind=ConvertDialog)
    journey.wait_until(lambda: convert.prefilled, what="the ticket prefilled")  # type: ignore[attr-defined]
    box = journey.field("类别", within=convert)
    assert isinstance(box, QComboBox)
    assert box.findData(code) >= 0
    journey.choose(box, box.itemText(box.findData(code)))
    assert box.currentText().startswith("加装电梯") and "5" in box.currentText()
    journey.shot("a ticket of the new category from a message")
    journey.press(Qt.Key.Key_Return, target=convert.title_edit)  # type: ignore[attr-defined]
    journey.wait_until(lambda: _closed(convert), what="the ticket made")
    seen = journey.syncs_finished
    journey.click(window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)
    journey.wait_until(lambda: window.status_bar.pending_count == 0, what="the ticket sent")

    server = journey.server.pull_as("clerk1")
    [made] = server.where("inbox_message", id=message)
    ticket = server.get("ticket", str(made["ticket_id"]))
    assert ticket is not None and ticket["category"] == code
    created = dt.datetime.fromisoformat(str(ticket["created_at"]))
    due = dt.datetime.fromisoformat(str(ticket["due_at"]))
    assert due == sla.add_working_days(created, 5)
