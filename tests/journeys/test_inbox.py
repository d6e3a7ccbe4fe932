"""Journeys of the clerk's inbox (issue 11, clerk journeys 1, 2 and 4): triage from the
keyboard that keeps going, a reply that does not end triage, a dismissal undone the same
day, and a handled message's ticket number that opens the ticket.

The clerk (``clerk1``) works on the demo's new messages from the residents' groups, on
the real server; what the server ends up holding is pulled as the street's supervisor.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTableView, QWidget

from gulou_desk.records import REPLY_MAX_LENGTH
from tests.journeys.harness import Journey
from ui.inbox.dialogs import ConvertDialog, DismissDialog, LinkDialog, ReplyDialog
from ui.inbox.view import InboxView
from ui.tickets.view import TicketsView

REQUESTS = (
    "3栋楼道的路灯坏了，晚上很黑", "小区东门的井盖松了，走上去晃", "楼上漏水到我家卫生间了",
    "垃圾桶两天没人清了，味道很大", "电梯又停了，老人上不去楼", "谢谢社区上周帮忙修水管",
    "有人在绿化带里种菜", "5栋门口电动车乱停，消防通道堵了", "请问老年卡在哪里办",
    "夜里广场舞音乐太吵", "单元门禁坏了关不上", "2栋有人高空抛物，很危险",
)
"""Twelve requests residents post in their groups this morning."""


def _residents_post(journey: Journey) -> list[str]:
    """Twelve new messages arrive from clerk1's groups through the bot, a minute apart
    (newest last). Returns the groups' names."""
    import datetime as dt

    grids = [g for g in journey.server.pull_as("clerk1").all("grid") if g.get("wechat_group_id")]
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=30)
    names = []
    for k, text in enumerate(REQUESTS):
        grid = grids[k % len(grids)]
        name = f"{grid['name']}居民群"
        names.append(name)
        journey.server.bot_posts(grid["wechat_group_id"], text, group_name=name,
                                 sender=("王阿姨", "老李", "张师傅", "小陈")[k % 4],
                                 sent_at=(start + dt.timedelta(minutes=k)).isoformat())
    return names


def _inbox(journey: Journey) -> tuple[InboxView, QTableView]:
    page = journey.go_to("诉求收件箱")
    view = page.findChild(InboxView)
    assert view is not None
    table = journey.by_name("inbox_table", QTableView, within=page)
    journey.wait_until(lambda: table.model().rowCount() >= 10,
                       what="ten new messages listed")
    return view, table


def _shown_id(view: InboxView) -> str | None:
    return view.selected[0].id if view.selected else None


def _row_id(view: InboxView, row: int) -> str:
    message = view.model.row_at(row)
    assert message is not None
    return message.id


def _closed(widget: QWidget) -> bool:
    try:
        return not widget.isVisible()
    except RuntimeError:  # deleted once closed
        return True


def test_triage_with_the_keyboard_goes_on_to_the_next_message(journey: Journey) -> None:
    _residents_post(journey)
    journey.start()
    journey.sign_in("clerk1")
    view, table = _inbox(journey)
    journey.click_row(table, 0, 3)
    journey.wait_until(lambda: _shown_id(view) == _row_id(view, 0), what="the first shown")
    journey.shot("the inbox, first message chosen")

    # J and K walk the list; the detail follows.
    for row in (1, 2, 3):
        journey.press(Qt.Key.Key_J)

        journey.wait_until(lambda r=row: _shown_id(view) == _row_id(view, r),  # type: ignore[misc]
                           what=f"message {row} shown")
    journey.press(Qt.Key.Key_K)
    journey.wait_until(lambda: _shown_id(view) == _row_id(view, 2), what="back to message 2")

    # T: make a ticket (Enter takes the prefilled dialog); the next message is chosen.
    converted, following = _row_id(view, 2), _row_id(view, 3)
    journey.press(Qt.Key.Key_T)
    dialog = journey.dialog(kind=ConvertDialog)
    journey.wait_until(lambda: dialog.prefilled, what="the ticket prefilled")  # type: ignore[attr-defined]
    journey.shot("T: make a ticket, prefilled")
    journey.press(Qt.Key.Key_Return, target=dialog.title_edit)  # type: ignore[attr-defined]
    journey.wait_until(lambda: _closed(dialog), what="the ticket made")
    journey.wait_until(lambda: _shown_id(view) == following,
                       what="the next message chosen after making a ticket")
    assert converted not in [_row_id(view, r) for r in range(view.model.rowCount())]
    assert table.currentIndex().row() == 2
    journey.shot("made a ticket: the next message is chosen")

    # Escape closes a dialog and nothing happens.
    journey.press(Qt.Key.Key_D)
    dismiss = journey.dialog(kind=DismissDialog)
    journey.press(Qt.Key.Key_Escape, target=dismiss)
    journey.wait_until(lambda: _closed(dismiss), what="the dismiss dialog closed")
    assert _shown_id(view) == following

    # D: dismiss with the first reason; again the next one is chosen.
    after = _row_id(view, 3)
    journey.press(Qt.Key.Key_D)
    dismiss = journey.dialog(kind=DismissDialog)
    journey.press(Qt.Key.Key_Return, target=dismiss)
    journey.wait_until(lambda: _closed(dismiss), what="the message dismissed")
    journey.wait_until(lambda: _shown_id(view) == after,
                       what="the next message chosen after dismissing")
    journey.shot("dismissed: the next message is chosen")

    # L: link to the ticket just made (found by its title's words).
    linked = after
    journey.press(Qt.Key.Key_L)
    link = journey.dialog(kind=LinkDialog)
    picker = link.picker  # type: ignore[attr-defined]
    journey.wait_until(lambda: picker.results.count() > 0, what="tickets offered")
    journey.click_row(picker.results, 0)
    journey.press(Qt.Key.Key_Return, target=picker.results)
    journey.wait_until(lambda: _closed(link), what="the message linked")
    journey.wait_until(lambda: _shown_id(view) not in (None, linked),
                       what="the next message chosen after linking")

    # R: reply; the message stays chosen, with its steps.
    replied = _shown_id(view)
    journey.press(Qt.Key.Key_R)
    reply = journey.dialog(kind=ReplyDialog)
    journey.type_into(reply.text, "收到，马上安排")  # type: ignore[attr-defined]
    journey.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier,
                  target=reply.text)  # type: ignore[attr-defined]
    journey.wait_until(lambda: _closed(reply), what="the reply sent")
    journey.wait_until(lambda: view.thread_label.isVisible(), what="the reply under it")
    assert _shown_id(view) == replied
    journey.shot("replied: still chosen, its steps still there")

    journey.send_now()
    held = journey.server.pull_as("supervisor1")
    assert held.get("inbox_message", converted)["status"] == "converted"
    ticket_id = held.get("inbox_message", converted)["ticket_id"]
    assert held.get("ticket", ticket_id) is not None
    assert held.get("inbox_message", following)["status"] == "dismissed"
    assert held.get("inbox_message", linked)["status"] == "linked"
    assert held.get("inbox_message", replied)["status"] == "answered"


def test_a_reply_keeps_the_message_to_triage_and_shows_the_thread(journey: Journey) -> None:
    _residents_post(journey)
    journey.start()
    journey.sign_in("clerk1")
    view, table = _inbox(journey)
    journey.click_row(table, 0, 3)
    journey.wait_until(lambda: _shown_id(view) == _row_id(view, 0), what="the first shown")
    message = view.selected[0]

    # A canned reply, then one too long: the dialog says so and sends nothing.
    journey.click("回复", within=view)
    reply = journey.dialog(kind=ReplyDialog)
    canned = reply.canned  # type: ignore[attr-defined]
    journey.click_row(canned, 0)
    first = canned.item(0).text()
    assert reply.text.toPlainText() == first  # type: ignore[attr-defined]
    if message.sender_name:
        assert reply.preview.text() == f"@{message.sender_name} {first}"  # type: ignore[attr-defined]
    journey.assert_text_fits(reply.preview)  # type: ignore[attr-defined]
    journey.shot("a canned reply, as the group will read it")
    # A longer answer: the group's view of it is read whole, not squeezed into one line.
    journey.type_into(reply.text, first + "如仍未解决，请在群里告诉我们楼栋和门牌号。" * 3)  # type: ignore[attr-defined]
    journey.assert_text_fits(reply.preview)  # type: ignore[attr-defined]
    journey.type_into(reply.text, first)  # type: ignore[attr-defined]
    journey.click("发送", within=reply)
    journey.wait_until(lambda: _closed(reply), what="the reply sent")
    journey.wait_until(lambda: view.thread_label.isVisible(), what="the thread shown")
    assert first in view.thread_label.text()

    # Triage goes on: make a ticket, link and dismiss are all still there.
    for name in ("转为工单", "关联工单", "忽略"):
        button = journey.find(name, QPushButton, within=view)
        assert button.isEnabled(), name
    journey.click("回复", within=view)
    reply = journey.dialog(kind=ReplyDialog)
    journey.type_into(reply.text, "好" * (REPLY_MAX_LENGTH + 1))  # type: ignore[attr-defined]
    count = journey.by_name("reply_count", QLabel, within=reply)
    assert count.text().startswith(f"{REPLY_MAX_LENGTH + 1} / {REPLY_MAX_LENGTH}")
    journey.click("发送", within=reply)
    error = journey.by_name("error_label", QLabel, within=reply)
    assert str(REPLY_MAX_LENGTH) in error.text()
    journey.shot("a reply too long is refused in the dialog")
    journey.type_into(reply.text, "已联系物业，明天上午来修。")  # type: ignore[attr-defined]
    journey.click("发送", within=reply)
    journey.wait_until(lambda: _closed(reply), what="the second reply sent")
    journey.wait_until(lambda: "明天上午来修" in view.thread_label.text(), what="both replies")
    assert view.thread_label.text().index(first) < view.thread_label.text().index("明天上午")
    journey.shot("two replies in the thread, steps still there")

    # Then the ticket is made from it.
    journey.click("转为工单", within=view)
    dialog = journey.dialog(kind=ConvertDialog)
    journey.wait_until(lambda: dialog.prefilled, what="the ticket prefilled")  # type: ignore[attr-defined]
    journey.click("生成工单", within=dialog)
    journey.wait_until(lambda: _closed(dialog), what="the ticket made")

    journey.send_now()
    held = journey.server.pull_as("supervisor1")
    record = held.get("inbox_message", message.id)
    assert record is not None and record["status"] == "converted"
    assert [r["text"] for r in record["replies"]] == [first, "已联系物业，明天上午来修。"]
    assert held.get("ticket", record["ticket_id"]) is not None


def test_a_dismissal_is_undone_and_the_ticket_number_opens_the_ticket(journey: Journey
                                                                      ) -> None:
    _residents_post(journey)
    journey.start()
    journey.sign_in("clerk1")
    view, table = _inbox(journey)
    journey.click_row(table, 0, 3)
    journey.wait_until(lambda: _shown_id(view) == _row_id(view, 0), what="the first shown")
    dismissed = view.selected[0].id

    journey.click("忽略", within=view)
    dialog = journey.dialog(kind=DismissDialog)
    journey.click("忽略", within=dialog)
    journey.wait_until(lambda: _closed(dialog), what="dismissed")
    journey.wait_until(lambda: _shown_id(view) not in (None, dismissed), what="next chosen")

    # The clerk sees the mistake: the handled list, the message, 撤销忽略.
    journey.choose(view.status_filter, "已处理")
    journey.row_of(table, "已忽略")
    rows = [r for r in range(view.model.rowCount()) if _row_id(view, r) == dismissed]
    assert rows, "the dismissed message is listed as handled"
    journey.click_row(table, rows[0], 3)
    journey.wait_until(lambda: _shown_id(view) == dismissed, what="the dismissed one shown")
    restore = journey.find("撤销忽略", QPushButton, within=view)
    journey.shot("a dismissed message offers to undo the dismissal")
    journey.click(restore)
    journey.wait_until(lambda: view.selected and view.selected[0].status == "new",
                       what="the message back to handle")

    # A converted message's ticket number opens the ticket.
    journey.choose(view.status_filter, "全部")
    number_row = None
    journey.wait_until(lambda: any(
        (m := view.model.row_at(r)) is not None and m.status == "converted"
        for r in range(view.model.rowCount())), what="a converted message listed")
    for r in range(view.model.rowCount()):
        m = view.model.row_at(r)
        if m is not None and m.status == "converted" and m.ticket_number:
            number_row = r
            break
    assert number_row is not None
    message = view.model.row_at(number_row)
    assert message is not None
    journey.click_row(table, number_row, 3)
    journey.wait_until(lambda: _shown_id(view) == message.id, what="the converted one shown")
    link = journey.find(f"工单 {message.ticket_number}", QPushButton, within=view,
                        exact=False)
    journey.click(link)
    tickets = journey.window.page("tickets").findChild(TicketsView)
    assert tickets is not None
    journey.wait_until(lambda: tickets.isVisible() and tickets.detail.ticket_id()
                       == message.ticket_id, what="the ticket opened")
    # and it stays once the section's first queue (待分派: not this ticket's) is read; it
    # was shown a moment, then replaced by that queue's first ticket
    journey.wait_until(lambda: not tickets.model.is_loading and not tickets.detail_loading,
                       what="the tickets section read")
    journey.settle(200)
    assert tickets.detail.ticket_id() == message.ticket_id
    journey.shot("the ticket number opened the ticket")

    journey.send_now()
    held = journey.server.pull_as("supervisor1")
    record = held.get("inbox_message", dismissed)
    assert record is not None and record["status"] == "new" and record["reason"] is None


def _needs(table: QTableView, row: int, column: int) -> int:
    """The width a cell's text needs (its font: bold while unread), with Qt's margins."""
    from PySide6.QtGui import QFont, QFontMetrics

    index = table.model().index(row, column)
    font = index.data(Qt.ItemDataRole.FontRole)
    metrics = QFontMetrics(font if isinstance(font, QFont) else table.font())
    return metrics.horizontalAdvance(str(index.data() or "")) + 12


def test_the_group_and_the_sender_are_whole_and_the_message_keeps_its_room(
        journey: Journey) -> None:
    """The 群 and 发送人 columns are as wide as their names (up to a cap), the message has
    the rest: at 1600 px nothing of a group's or a sender's name is cut; at 1024 px the
    message keeps half the list (the sender gives its place)."""
    import datetime as dt

    names = _residents_post(journey)
    [grid] = [g for g in journey.server.pull_as("clerk1").all("grid")
              if f"{g['name']}居民群" == names[0]]
    journey.server.bot_posts(grid["wechat_group_id"], "我家楼下的路灯坏了",
                             group_name=names[0], sender="汇林绿洲3栋王阿姨",
                             sent_at=dt.datetime.now(dt.UTC).isoformat())
    journey.start()
    journey.sign_in("clerk1")
    _view, table = _inbox(journey)
    journey.settle(100)
    rows = range(table.model().rowCount())
    group, sender, message = (table.columnWidth(c) for c in (1, 2, 3))
    if journey.size[0] >= 1600:
        for column in (1, 2):
            cut = [table.model().index(r, column).data() for r in rows
                   if _needs(table, r, column) > table.columnWidth(column)]
            assert not cut, f"cut at {table.columnWidth(column)} px: {cut}"
        assert message >= 0.4 * table.viewport().width(), (message, group, sender)
    else:
        # The message keeps its room: the group at its start width, the sender gives its
        # place (the detail says who sent the chosen message).
        assert message >= 0.5 * table.viewport().width(), (message, group, sender)
        assert group >= 96 and table.isColumnHidden(2), (group, sender)
    journey.shot("the inbox: group and sender whole, the message the rest")
