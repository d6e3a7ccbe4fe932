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


def test_a_ticket_of_a_retired_category_is_triaged_keeping_it(journey: Journey) -> None:
    """A ticket filed under a category since retired: the clerk triages it (a new priority)
    without having to choose another category; the dialog shows the old one, marked
    retired, and the server keeps it."""
    from gulou_desk.domain import catalogue
    from gulou_desk.records import new_id
    from server.demo_data import DEMO_PASSWORD
    from tests.world import Api, mutation
    from ui.tickets.dialogs import TriageDialog
    from ui.tickets.view import TicketsView

    code, ticket_id = "c_lift", new_id()
    admin = Api(journey.server.api).login("admin", DEMO_PASSWORD)
    clerk = Api(journey.server.api).login("clerk1", DEMO_PASSWORD)
    [added] = admin.push(mutation("catalogue_entry", catalogue.entry_id("category", code),
                                  "create", fields={
                                      "kind": "category", "code": code, "name": "加装电梯",
                                      "name_en": "Lift installation", "sla_days": 5,
                                      "text": None, "position": 20, "active": True}))
    grid = sorted(journey.server.pull_as("clerk1").all("grid"), key=lambda g: g["name"])[0]
    [made] = clerk.push(mutation("ticket", ticket_id, "create", fields={
        "title": "3栋想加装电梯", "category": code, "priority": "normal",
        "grid_id": grid["id"], "source": "phone"}))
    [retired] = admin.push(mutation("catalogue_entry", catalogue.entry_id("category", code),
                                    "update", base_version=added["version"],
                                    fields={"active": False}))
    assert made["status"] == retired["status"] == "applied", (made, retired)
    number = journey.server.pull_as("clerk1").get("ticket", ticket_id)["number"]  # type: ignore[index]

    journey.start()
    window = journey.sign_in("clerk1")
    page = journey.go_to("工单")
    view = page.findChild(TicketsView)
    assert view is not None
    journey.click_row(view.queue_list, view.queue_list.row(view.queue_list.item_for("all")))
    journey.type_into(view.search, number)
    table = journey.by_name("tickets_table", QTableView, within=view)
    journey.wait_until(lambda: table.model().rowCount() == 1, what="the ticket found")
    journey.click_row(table, 0, 1)
    journey.wait_until(lambda: view.detail.ticket_id() == ticket_id, what="shown")
    journey.click(view.detail.step_buttons["triage"])
    dialog = journey.dialog(kind=TriageDialog)
    box = journey.field("类别", within=dialog)
    assert isinstance(box, QComboBox)
    assert box.currentData() == code
    assert box.currentText().startswith("加装电梯") and "已停用" in box.currentText()
    journey.choose(journey.field("紧急程度", within=dialog), "紧急")  # type: ignore[arg-type]
    journey.shot("triage keeps the retired category, shown as retired")
    journey.click(dialog.ok_button)
    journey.wait_until(lambda: _closed(dialog), what="the ticket triaged")
    journey.wait_until(lambda: view.detail.pane is not None and view.detail.pane.detail
                       .ticket.get("priority") == "urgent", what="shown urgent")
    seen = journey.syncs_finished
    journey.click(window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)
    journey.wait_until(lambda: window.status_bar.pending_count == 0, what="the step sent")
    held = journey.server.pull_as("supervisor1").get("ticket", ticket_id)
    assert held is not None
    assert (held["category"], held["priority"]) == (code, "urgent")
