"""Journeys of the clerk's tickets (issue 11, clerk journeys 3, 5, 6 and 7): a new ticket
whose fields are never cut, a merge that cannot lose a complaint (nothing chosen at
first, likely duplicates first, a closed ticket refused with the reason, the earlier
deadline kept), the 更多操作 menu built from what applies, and the follow-up call.

The clerk (``clerk1``) works on the real server with the demo data; what the server
holds is pulled as the street's supervisor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QTableView,
    QWidget,
)

from server.demo_data import DEMO_PASSWORD
from tests.journeys.harness import Journey
from ui.tickets.dialogs import CloseDialog, MergeDialog, NewTicketDialog
from ui.tickets.view import TicketsView


def _closed(widget: QWidget) -> bool:
    try:
        return not widget.isVisible()
    except RuntimeError:  # deleted once closed
        return True


def _tickets(journey: Journey) -> TicketsView:
    page = journey.go_to("工单")
    view = page.findChild(TicketsView)
    assert view is not None
    return view


def _not_cut(combo: QComboBox) -> None:
    """The drop-down shows its whole current text (no "请选择网…")."""
    text = combo.currentText()
    room = combo.width() - 28  # the arrow and the frame
    need = QFontMetrics(combo.font()).horizontalAdvance(text)
    assert need <= room, f"{text!r} needs {need}px, the field gives {room}px"


def _new_ticket(journey: Journey, view: TicketsView, grid: str, title: str, category: str,
                priority: str) -> str:
    """Ctrl+N, fill the form as a person does, open the ticket; returns its id."""
    journey.click(view.new_button)
    dialog = journey.dialog(kind=NewTicketDialog)
    journey.choose(journey.field("来源", within=dialog), "来电")  # type: ignore[arg-type]
    journey.type_into("居民", "王阿姨 13951712345", within=dialog)
    grid_box = journey.field("网格", within=dialog)
    assert isinstance(grid_box, QComboBox)
    journey.wait_until(lambda: grid_box.count() > 1, what="the grids listed")
    _not_cut(grid_box)  # "请选择网格", whole
    journey.choose(grid_box, grid)
    journey.type_into("标题", title, within=dialog)
    box = journey.field("类别", within=dialog)
    assert isinstance(box, QComboBox)
    journey.choose(box, box.itemText(box.findData(category)))
    journey.choose(journey.field("紧急程度", within=dialog), priority)  # type: ignore[arg-type]
    for field in ("来源", "网格", "类别", "紧急程度"):
        _not_cut(journey.field(field, within=dialog))  # type: ignore[arg-type]
    journey.shot(f"new ticket: {title}")
    journey.click("建立工单", within=dialog)
    journey.wait_until(lambda: _closed(dialog), what="the ticket opened")
    journey.wait_until(lambda: view.detail.pane is not None
                       and view.detail.pane.detail.ticket.get("title") == title,
                       what=f"{title} shown")
    ticket_id = view.detail.ticket_id()
    assert ticket_id is not None
    return ticket_id


def _only(journey: Journey, table: QTableView, number: str) -> None:
    """Wait for the search (it runs once typing pauses) to list that one ticket."""
    model = table.model()
    journey.wait_until(lambda: model.rowCount() == 1
                       and number in str(model.index(0, 0).data()),
                       what=f"the search listing {number} alone")


def _closed_ticket(journey: Journey) -> dict[str, Any]:
    held = journey.server.pull_as("clerk1")
    return sorted((t for t in held.all("ticket") if t["status"] == "closed"),
                  key=lambda t: t["number"])[0]


def test_a_merge_cannot_lose_a_complaint(journey: Journey) -> None:
    grids = sorted(journey.server.pull_as("clerk1").all("grid"), key=lambda g: g["name"])
    grid = grids[0]["name"]
    closed = _closed_ticket(journey)
    journey.start()
    journey.sign_in("clerk1")
    view = _tickets(journey)
    first = _new_ticket(journey, view, grid, "3栋楼道的路灯不亮了", "municipal", "一般")
    other = _new_ticket(journey, view, grid, "小区南门的绿化带有人种菜", "municipal", "一般")
    second = _new_ticket(journey, view, grid, "3栋楼道路灯坏了，晚上很黑", "municipal", "紧急")

    # 更多操作 → 合并到…: nothing chosen, the likely duplicate first.
    journey.menu(view.detail.more_button, "合并到…")
    dialog = journey.dialog(kind=MergeDialog)
    picker = dialog.picker  # type: ignore[attr-defined]
    journey.wait_until(lambda: picker.results.count() > 0, what="candidates listed")
    assert picker.chosen_id() is None
    top = picker.results.item(0)
    assert top.data(Qt.ItemDataRole.UserRole) == first
    assert top.text().startswith("可能重复")
    assert top.data(Qt.ItemDataRole.UserRole) != other
    journey.shot("merge: nothing chosen, the likely duplicate first")
    journey.click("合并", within=dialog)
    error = journey.by_name("error_label", QLabel, within=dialog)
    assert error.text() == "请选择要合并到的工单。"

    # A search with no match says so; a closed ticket is found by number and refused.
    searched = picker.searched
    journey.type_into(picker.search, "没有这样的工单")
    journey.wait_until(lambda: picker.searched > searched, what="the search done")
    assert picker.nothing.isVisible() and "没有与" in picker.nothing.text()
    journey.shot("merge: no ticket matches")
    searched = picker.searched
    journey.type_into(picker.search, closed["number"])
    journey.wait_until(lambda: picker.searched > searched and picker.results.count() == 1,
                       what="the closed ticket found by its number")
    assert "已回访" in picker.results.item(0).text()
    journey.click_row(picker.results, 0)
    journey.click("合并", within=dialog)
    journey.wait_until(lambda: "已回访" in error.text(), what="the refusal said")
    assert "遗漏" in error.text()
    assert not _closed(dialog)
    journey.shot("merge: a closed ticket is refused, with why")

    # The open duplicate, found by its title's words.
    searched = picker.searched
    journey.type_into(picker.search, "路灯不亮")
    journey.wait_until(lambda: picker.searched > searched and picker.results.count() >= 1,
                       what="found by its title")
    journey.click_row(picker.results, 0)
    journey.click("合并", within=dialog)
    journey.wait_until(lambda: _closed(dialog), what="merged")
    journey.wait_until(lambda: view.detail.pane is not None and view.detail.pane.detail
                       .ticket.get("status") == "merged", what="shown merged")
    journey.shot("merged into the earlier ticket")

    journey.send_now()
    held = journey.server.pull_as("supervisor1")
    merged, survivor = held.get("ticket", second), held.get("ticket", first)
    assert merged is not None and survivor is not None
    assert merged["status"] == "merged" and merged["merged_into_id"] == first
    # The urgent duplicate was due first: the survivor keeps that deadline.
    assert dt.datetime.fromisoformat(survivor["due_at"]) == dt.datetime.fromisoformat(
        merged["due_at"])
    assert held.get("ticket", closed["id"])["status"] == "closed"


def _dispatch_one(journey: Journey, held: Any) -> None:
    """Assign a new ticket of clerk1's to a social worker who may take it."""
    from tests.world import Api, mutation

    clerk = Api(journey.server.api).login("clerk1", DEMO_PASSWORD)
    workers = [s["id"] for s in held.all("staff") if s["role"] == "social_worker"]
    for ticket in sorted((t for t in held.all("ticket") if t["status"] == "new"),
                         key=lambda t: t["number"]):
        for worker in workers:
            [result] = clerk.push(mutation("ticket", ticket["id"], "action", action="assign",
                                           args={"assignee_id": worker}))
            if result["status"] == "applied":
                return
    raise AssertionError("no new ticket of clerk1's could be assigned")


def test_the_menu_shows_what_applies_and_the_follow_up_call(journey: Journey) -> None:
    held = journey.server.pull_as("clerk1")
    staff = {s["id"]: s for s in held.all("staff")}
    if not any(t["status"] == "assigned" for t in held.all("ticket")):
        # The demo's statuses are drawn at random each day: some days clerk1's community
        # has no assigned ticket. The clerk dispatches one on the server first.
        _dispatch_one(journey, held)
        held = journey.server.pull_as("clerk1")
    assigned = sorted((t for t in held.all("ticket") if t["status"] == "assigned"),
                      key=lambda t: t["number"])[0]
    resolved = sorted((t for t in held.all("ticket") if t["status"] == "resolved"),
                      key=lambda t: t["number"])[0]
    journey.start()
    journey.sign_in("clerk1")
    view = _tickets(journey)
    journey.click_row(view.queue_list, view.queue_list.row(view.queue_list.item_for("all")))

    # An assigned ticket: the dispatcher's steps; the assignee's shown disabled, with why.
    journey.type_into(view.search, assigned["number"])
    table = journey.by_name("tickets_table", QTableView, within=view)
    _only(journey, table, assigned["number"])
    journey.click_row(table, 0, 1)
    journey.wait_until(lambda: view.detail.ticket_id() == assigned["id"], what="shown")
    items = {text: (enabled, tip) for text, enabled, tip in
             journey.menu(view.detail.more_button)}
    assert items["派单…"][0] and items["合并到…"][0] and items["撤销工单…"][0]
    assert not items["签收"][0] and items["签收"][1]  # only the assignee, and says so
    assert "分类定级…" not in items and "回访…" not in items and "重新办理…" not in items
    assert assigned["assignee_id"] in staff
    journey.shot("更多操作: what applies to an assigned ticket")

    # A resolved ticket: the follow-up call, with whom to call; the window stays usable.
    journey.type_into(view.search, resolved["number"])
    _only(journey, table, resolved["number"])
    journey.click_row(table, 0, 1)
    journey.wait_until(lambda: view.detail.ticket_id() == resolved["id"], what="shown")
    journey.click(journey.find("回访…", QPushButton, within=view))
    dialog = journey.dialog(kind=CloseDialog)
    assert dialog.windowModality() == Qt.WindowModality.NonModal and not dialog.isModal()
    resident = journey.by_name("resident", QLabel, within=dialog).text()
    phone = journey.by_name("phone", QLabel, within=dialog).text()
    assert resident and phone
    journey.shot("the follow-up call: whom to call, the ticket still readable")
    assert QApplication.activeModalWidget() is None  # the window behind answers
    journey.click(view.search)
    journey.click(journey.find("满意", within=dialog))
    journey.click("回访结案", within=dialog)
    journey.wait_until(lambda: _closed(dialog), what="the call recorded")
    journey.wait_until(lambda: view.detail.pane is not None and view.detail.pane.detail
                       .ticket.get("status") == "closed", what="shown closed")

    journey.send_now()
    held = journey.server.pull_as("supervisor1")
    record = held.get("ticket", resolved["id"])
    assert record is not None
    assert record["status"] == "closed" and record["satisfaction"] == "satisfied"


def _fits(pane: QWidget) -> bool:
    """A scroll area's content is no wider than what it shows (no sideways scrolling)."""
    from PySide6.QtWidgets import QScrollArea

    area = pane.findChild(QScrollArea, "detail_scroll")
    assert area is not None and area.widget() is not None
    return bool(area.widget().minimumSizeHint().width() <= area.viewport().width())


def test_the_lists_are_readable_and_keep_the_columns_chosen(journey: Journey) -> None:
    from tests.journeys.test_inbox import _residents_post

    _residents_post(journey)
    journey.start()
    window = journey.sign_in("clerk1")
    sizes = [journey.size, (1240, 800)]
    for width, height in sizes:
        window.resize(width, height)
        journey.settle(100)
        page = journey.go_to("诉求收件箱")
        table = journey.by_name("inbox_table", QTableView, within=page)
        journey.wait_until(lambda t=table: t.model().rowCount() >= 10,  # type: ignore[misc]
                           what="messages listed")
        journey.click_row(table, 0, journey.column(table, "消息"))
        # The message and its group get the width (readable, nothing off to the side).
        journey.cells(table, journey.column(table, "消息"))
        journey.cells(table, journey.column(table, "群"))
        assert _fits(page.findChild(QWidget, "message_detail"))
        # The groups' names tell them apart where the list is narrow (the community's
        # name they all start with is cut, not the grid's number) and are never cut at
        # both ends: a name too long for the list wraps.
        groups = page.findChild(QWidget, "queue_list")
        titles = [groups.item(r).text() for r in range(groups.count())]  # type: ignore[attr-defined]
        assert len({t[:5] for t in titles}) == len(titles) or not any(
            t.startswith("…") for t in titles), titles
        _group_names_not_cut(journey, groups)  # type: ignore[arg-type]
        journey.shot(f"the inbox at {width}x{height}")
        view = _tickets(journey)
        journey.click_row(view.queue_list,
                          view.queue_list.row(view.queue_list.item_for("all")))
        tickets = journey.by_name("tickets_table", QTableView, within=view)
        journey.wait_until(lambda t=tickets: t.model().rowCount() > 3,  # type: ignore[misc]
                           what="tickets listed")
        journey.click_row(tickets, 0, journey.column(tickets, "标题"))
        journey.wait_until(lambda v=view: v.detail.pane is not None,  # type: ignore[misc]
                           what="a ticket shown")
        journey.cells(tickets, journey.column(tickets, "标题"))
        journey.cells(tickets, journey.column(tickets, "时限"))
        # Once the pane has laid the ticket out (it is filled after it is shown).
        journey.wait_until(lambda v=view: _fits(v.detail),  # type: ignore[misc]
                           what="the ticket's detail within its pane, no sideways scrolling")
        journey.shot(f"the tickets at {width}x{height}")

    # The assignee column is shown from the header's menu, and kept after a restart.
    _show_from_header_menu(journey, tickets, "承办人")
    journey.wait_until(lambda: not tickets.isColumnHidden(5), what="the column shown")
    journey.restart()  # the same computer: signed in still
    view = _tickets(journey)
    tickets = journey.by_name("tickets_table", QTableView, within=view)
    assert journey.column(tickets, "承办人") == 5


def _overdue_cells_whole(journey: Journey, word: str, queue_title: str) -> None:
    """The overdue queue: every countdown on screen is shown whole (bold, with its dot),
    in the short form that names no minutes past an hour, and the title keeps its room."""
    from tests.journeys.harness import _shown_text

    page = journey.go_to({"en": "Tickets", "zh": "工单"}[word])
    view = page.findChild(TicketsView)
    assert view is not None
    queues = view.queue_list
    item = queues.item_for("overdue")
    assert item is not None
    # The queue and its cells say the same word (已超期 beside 超时 read as two things).
    assert item.text().split("\n")[0].strip() == queue_title, item.text()
    journey.click_row(queues, queues.row(item))
    table = journey.by_name("tickets_table", QTableView, within=view)
    due = journey.column(table, {"en": "Due", "zh": "时限"}[word])
    late = {"en": "overdue", "zh": "超时"}[word]
    journey.wait_until(lambda: table.model().rowCount() > 0
                       and late in str(table.model().index(0, due).data()),
                       what=f"{queue_title} listed")
    journey.settle(100)
    title = journey.column(table, {"en": "Title", "zh": "标题"}[word])
    model = table.model()
    rows = journey._rows_on_screen(table)
    assert rows
    for row in rows:
        index = model.index(row, due)
        text = str(index.data())
        assert late in text, text
        assert _shown_text(table, index) == text, (
            f"{text!r} is cut to {_shown_text(table, index)!r} at {journey.size}")
        hours_or_more = any(unit in text for unit in ("h", "d", "小时", "天"))
        assert not (hours_or_more and ("min" in text or "分" in text)), text
    journey.shot(f"the overdue tickets, countdowns whole ({word})")
    assert table.columnWidth(title) >= 150, table.columnWidth(title)


def test_the_overdue_countdown_is_whole_in_both_languages(journey: Journey) -> None:
    journey.start()
    journey.sign_in("clerk1")
    _overdue_cells_whole(journey, "zh", "超时")
    journey.restart("--lang", "en")
    _overdue_cells_whole(journey, "en", "Overdue")


def _show_from_header_menu(journey: Journey, table: QTableView, header_text: str) -> None:
    """Show a hidden column as a person does: a right-click on the header, then its name in
    the menu."""
    header = table.horizontalHeader()
    header.customContextMenuRequested.emit(header.rect().center())  # a right-click
    journey.wait_until(lambda: any(
        isinstance(w, QMenu) and w.isVisible() for w in QApplication.topLevelWidgets()),
        what="the header's menu")
    [menu] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu)
              and w.isVisible()]
    [action] = [a for a in menu.actions() if a.text() == header_text]
    journey.qtbot.mouseClick(menu, Qt.MouseButton.LeftButton,
                             pos=menu.actionGeometry(action).center())


def _sort_by_header(journey: Journey, view: TicketsView, header_text: str) -> list[str]:
    """Click a column's header, as a person does; returns that column's texts, top down,
    once the table is ordered by it."""
    from PySide6.QtCore import QPoint

    table, model = view.table, view.model
    header = table.horizontalHeader()
    names = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in
             range(model.columnCount())]
    if table.isColumnHidden(names.index(header_text)):
        _show_from_header_menu(journey, table, header_text)
    column = journey.column(table, header_text)
    journey.qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(
        header.sectionViewportPosition(column) + header.sectionSize(column) // 2,
        header.height() // 2))
    journey.wait_until(lambda: model.current_order().lstrip("-") == "category"
                       and not model.is_loading, what="ordered by category")
    journey.settle(50)
    texts = [str(model.index(r, column).data()) for r in range(model.rowCount())]
    descending = model.current_order().startswith("-")
    return texts[::-1] if descending else texts


def test_the_category_column_sorts_by_the_names_shown(journey: Journey) -> None:
    from pypinyin import lazy_pinyin

    journey.start()
    journey.sign_in("clerk1")
    for lang, section, header in (("zh", "工单", "类别"), ("en", "Tickets", "Category")):
        if lang == "en":
            journey.restart("--lang", "en")
        page = journey.go_to(section)
        view = page.findChild(TicketsView)
        assert view is not None
        journey.click_row(view.queue_list,
                          view.queue_list.row(view.queue_list.item_for("all")))
        table = journey.by_name("tickets_table", QTableView, within=view)
        journey.wait_until(lambda t=table: t.model().rowCount() > 10,  # type: ignore[misc]
                           what="tickets listed")
        names = _sort_by_header(journey, view, header)
        assert len(set(names)) >= 3, names
        read = ["".join(lazy_pinyin(n)).lower() for n in names]
        assert read == sorted(read), f"{lang}: not in the order the names read: {names}"
        journey.shot(f"the tickets by category ({lang})")


def _group_names_not_cut(journey: Journey, groups: QListWidget) -> None:
    """Each group's title is shown whole (on one line or wrapped), never elided."""
    from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

    for row in range(groups.count()):
        item = groups.item(row)
        rect = groups.visualItemRect(item)
        option = QStyleOptionViewItem()
        groups.initViewItemOption(option)
        option.rect = rect
        delegate = groups.itemDelegateForIndex(groups.indexFromItem(item))
        delegate.initStyleOption(option, groups.indexFromItem(item))  # type: ignore[attr-defined]
        text_rect = groups.style().subElementRect(
            QStyle.SubElement.SE_ItemViewItemText, option, groups)
        metrics = QFontMetrics(option.font)
        needed = metrics.boundingRect(QRect(0, 0, text_rect.width() - 34, 10_000),
                                      int(Qt.TextFlag.TextWordWrap), item.text()).height()
        assert needed <= rect.height(), (
            f"{item.text()!r} is cut at {journey.size}: {rect.height()} px high, needs {needed}")


def test_the_inbox_groups_are_whole_and_their_list_grows_with_the_window(
        journey: Journey) -> None:
    from tests.journeys.test_inbox import _residents_post

    _residents_post(journey)
    journey.start()
    journey.sign_in("clerk1")
    page = journey.go_to("诉求收件箱")
    groups = journey.by_name("queue_list", QListWidget, within=page)
    journey.wait_until(lambda: groups.count() > 3, what="the groups listed")
    journey.settle(100)
    _group_names_not_cut(journey, groups)
    titles = [groups.item(r).text() for r in range(groups.count())]
    if journey.size[0] >= 1600:  # room for the whole names
        assert not any(t.startswith("…") for t in titles), titles
        assert groups.width() >= 210, groups.width()  # was 170: names cut at both ends
    journey.shot("the inbox's groups, whole")


def test_an_empty_queue_shows_no_ticket_beside_it(journey: Journey) -> None:
    """Choosing a queue with nothing in it (我的工单 of a clerk) empties the detail: the
    ticket chosen before in another queue is not shown as if it were in this one."""
    journey.start()
    journey.sign_in("clerk1")
    view = _tickets(journey)
    journey.wait_until(lambda: view.detail.pane is not None, what="a ticket shown")
    journey.click_row(view.queue_list, view.queue_list.row(view.queue_list.item_for("mine")))
    journey.wait_until(lambda: view.empty.isVisible(), what="the empty queue explained")
    journey.wait_until(lambda: view.detail.ticket_id() is None
                       and view.detail.currentWidget() is view.detail.empty,
                       what="the detail emptied")
    assert view.detail.empty.isVisible()
    journey.shot("an empty queue: no ticket beside it")
    # Back to a queue with tickets: its first one is shown again.
    journey.click_row(view.queue_list, view.queue_list.row(view.queue_list.item_for("all")))
    journey.wait_until(lambda: view.detail.pane is not None, what="a ticket shown again")


def test_the_follow_up_call_says_where_to_ask_when_there_is_no_phone(journey: Journey) -> None:
    """Most requests come from a WeChat group, with no household and no phone: the
    follow-up call read "请致电居民…" over "电话：没有登记电话", and left the clerk nothing
    to do. It names the group the request came from, where to ask."""
    held = journey.server.pull_as("clerk1")
    phones = {h["id"]: h.get("phone") for h in held.all("household")}
    messages = {m["id"]: m for m in held.all("inbox_message")}

    def first_message(ticket: dict[str, Any]) -> dict[str, Any] | None:
        ids = ticket.get("source_message_ids") or []
        return messages.get(ids[0]) if ids else None

    candidates = sorted((t for t in held.all("ticket") if t["status"] == "resolved"
                         and not phones.get(t.get("household_id") or "")
                         and (first_message(t) or {}).get("source") == "wechat"),
                        key=lambda t: t["number"])
    assert candidates, "the demo has a resolved WeChat request without a phone"
    ticket = candidates[0]
    group = first_message(ticket)["group_name"]  # type: ignore[index]
    journey.start()
    journey.sign_in("clerk1")
    view = _tickets(journey)
    journey.click_row(view.queue_list, view.queue_list.row(view.queue_list.item_for("all")))
    journey.type_into(view.search, ticket["number"])
    table = journey.by_name("tickets_table", QTableView, within=view)
    _only(journey, table, ticket["number"])
    journey.click_row(table, 0, 1)
    journey.wait_until(lambda: view.detail.ticket_id() == ticket["id"], what="shown")
    journey.click(journey.find("回访…", QPushButton, within=view))
    dialog = journey.dialog(kind=CloseDialog)
    assert journey.by_name("phone", QLabel, within=dialog).text() == "没有登记电话"
    ask_in = journey.by_name("ask_in", QLabel, within=dialog)
    assert ask_in.text() == group and ask_in.isVisible()
    assert ask_in.width() >= ask_in.sizeHint().width(), (ask_in.width(), ask_in.sizeHint())
    assert journey.find("可在群里询问", QLabel, within=dialog).isVisible()
    journey.shot("the follow-up call without a phone: where to ask")
