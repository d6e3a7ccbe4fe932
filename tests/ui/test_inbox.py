"""The inbox view against the real server, with messages posted through the real signed
intake endpoint: groups and unread counts, making a ticket from a message, linking
several messages at once, dismissing, replying (the bot's outbound queue has it), the
new-message notice, canned replies and drafts."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from server.schema import RECORD_TABLES
from tests.bot import bot_request
from tests.conftest import LiveServer
from tests.ui.test_tickets import Desk, make_desks, server_ticket
from tests.world import World, build_world
from ui.inbox.canned import CannedReplies
from ui.inbox.dialogs import (
    CannedRepliesDialog,
    ConvertDialog,
    DismissDialog,
    LinkDialog,
    ReplyDialog,
)
from ui.inbox.model import InboxTableModel
from ui.inbox.seen import SeenMarkers
from ui.inbox.view import ALL_GROUPS, InboxView
from ui.settings import Settings
from ui.tickets.notifier import DeskNotifier

LIGHT = "3栋2单元301室门口的路灯坏了好几天了，晚上黑漆漆的"


def post(server: LiveServer, text: str, *, group: str = "wx-gridA",
         group_name: str = "颐和新村1群", sender: str = "老张", keyword: str = "路灯") -> str:
    """A group message through the signed intake endpoint, as the 鼓宝 bot sends it;
    returns the inbox message id."""
    message = {"message_id": str(uuid.uuid4()), "group_id": group, "group_name": group_name,
               "sender_id": f"wxid_{sender}", "sender_name": sender, "text": text,
               "sent_at": "2026-11-28T09:30:00+08:00", "keyword": keyword}
    body = json.dumps(message, ensure_ascii=False).encode()
    answer = bot_request(server.api, "POST", "/intake/wechat", body)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def outbound(server: LiveServer) -> list[dict[str, Any]]:
    """What the bot would post now (signed, as the bot reads it)."""
    answer = bot_request(server.api, "GET", "/intake/wechat/outbound")
    assert answer.status_code == 200, answer.text
    return list(answer.json()["messages"])


def server_message(server: LiveServer, message_id: str) -> dict[str, Any]:
    table = RECORD_TABLES["inbox_message"]
    with server.engine.connect() as conn:
        return dict(conn.execute(sa.select(table).where(table.c.id == message_id))
                    .mappings().one())


@pytest.fixture
def world(live_server: LiveServer) -> World:
    return build_world(live_server.engine)


@pytest.fixture
def desks(live_server: LiveServer, world: World, tmp_path: Path,
          settings: Settings) -> Iterator[Callable[..., Desk]]:
    yield from make_desks(live_server, tmp_path, settings)


def open_inbox(qtbot: QtBot, desk: Desk) -> InboxView:
    view = InboxView(desk.ctx)
    qtbot.addWidget(view)
    view.resize(1300, 800)
    view.show()
    qtbot.waitUntil(lambda: view.group_list.count() > 0 and not view.model.is_loading,
                    timeout=5000)
    return view


def choose(qtbot: QtBot, view: InboxView, ids: list[str]) -> None:
    qtbot.waitUntil(lambda: not view.model.is_loading
                    and all(view.model.row_of(i) is not None for i in ids), timeout=5000)
    view.select_messages(ids)
    qtbot.waitUntil(lambda: sorted(m.id for m in view.selected) == sorted(ids)
                    and len(view.steps) == len(ids), timeout=5000)


def activate(qtbot: QtBot, view: InboxView) -> None:
    """Shortcuts reach only the active window."""
    view.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view.window(), timeout=2000)
    view.table.setFocus()


def confirm(qtbot: QtBot, view: InboxView) -> None:
    with qtbot.waitSignal(view.runner.finished, timeout=5000) as outcome:
        qtbot.mouseClick(view.dialog.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    assert outcome.args[0].error is None, outcome.args[0].error


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen: no windows
def test_groups_unread_counts_and_the_new_message_notice(
        qtbot: QtBot, desks: Callable[..., Desk], live_server: LiveServer,
        qtmodeltester: Any) -> None:
    first = post(live_server, LIGHT)
    post(live_server, "楼道里堆了很多杂物", keyword="杂物")
    post(live_server, "7栋电梯又坏了", group="wx-gridC", group_name="颐和新村3群",
         sender="小王", keyword="电梯")
    clerk = desks("clerk1")
    view = open_inbox(qtbot, clerk)
    qtbot.waitUntil(lambda: view.unread_counts().get(ALL_GROUPS) == 3, timeout=5000)
    assert view.unread_counts() == {ALL_GROUPS: 3, "group:wx-gridA": 2, "group:wx-gridC": 1}
    assert view.group_list.item(1).text() == "颐和新村1群"
    assert "Grid gridA" in view.group_list.item(1).toolTip()
    qtmodeltester.check(view.model)
    assert view.model.rowCount() == 3

    # Looking at a message marks it read (here only); it is still to be handled.
    choose(qtbot, view, [first])
    assert view.text_label.text() == LIGHT
    assert view.unread_counts()["group:wx-gridA"] == 1
    font = view.model.index(view.model.row_of(first), 0).data(Qt.ItemDataRole.FontRole)  # type: ignore[arg-type]
    assert font is None  # read: no longer bold
    assert SeenMarkers.for_account(clerk.ctx.folder(), clerk.ctx.session.user_id).is_seen(first)

    # A new message after a sync is announced without a dialog.
    window = QMainWindow()
    window.setObjectName("main_window")
    window.setCentralWidget(view)
    window.sections = lambda: ["inbox", "tickets"]  # type: ignore[attr-defined]
    shown: list[str] = []
    window.show_section = shown.append  # type: ignore[attr-defined]
    qtbot.addWidget(window)
    window.show()
    notifier = DeskNotifier(clerk.ctx, window=lambda: window)
    qtbot.waitUntil(lambda: notifier._ready, timeout=3000)
    late = post(live_server, "小区门口的路面塌了一个坑", keyword="路面")
    with qtbot.waitSignal(notifier.messages_arrived, timeout=5000) as arrived:
        clerk.sync()
    assert arrived.args[0] == [late]
    toast = notifier.toast(window)
    assert toast.isVisible() and toast.text() == "1 new request from residents"
    qtbot.mouseClick(toast.action_button, Qt.MouseButton.LeftButton)
    assert shown == ["inbox"] and not toast.isVisible()
    qtbot.waitUntil(lambda: view.unread_counts().get(ALL_GROUPS) == 3, timeout=5000)
    # A sync that brings nothing new says nothing.
    with qtbot.assertNotEmitted(notifier.messages_arrived, wait=300):
        clerk.sync()
    view.mark_all_read()
    assert view.unread_counts()[ALL_GROUPS] == 0
    notifier.stop()


def test_long_group_names_keep_what_tells_them_apart(
        qtbot: QtBot, desks: Callable[..., Desk], live_server: LiveServer) -> None:
    """"汇林绿洲第1网格居民群" and "汇林绿洲第2网格居民群" once both read "汇林绿洲…" at
    1024x700 in English, when one group of another name (a building's group) stopped their
    shared start from being cut. Whatever the list's width, the grid's number shows: the
    whole name (the list grows with the window) or, where a name
    must be cut, the start it shares with its kin."""
    post(live_server, LIGHT, group="wx-gridA", group_name="汇林绿洲第1网格居民群")
    post(live_server, "楼道里堆了很多杂物", group="wx-gridB", group_name="汇林绿洲第2网格居民群")
    post(live_server, "7栋电梯又坏了", group="wx-gridC", group_name="颐和路7号院居民群")
    view = open_inbox(qtbot, desks("clerk1"))
    qtbot.waitUntil(lambda: view.group_list.count() >= 4, timeout=5000)
    titles = {view.group_list.item(r).toolTip().splitlines()[0]: view.group_list.item(r).text()
              for r in range(1, view.group_list.count())}
    first = [text for tip, text in titles.items() if "网格居民群" in text or "汇林" in tip]
    # What tells them apart shows: the list is wide enough now for the whole name (on one line
    # where it is), or the shared start is cut so that the grid's number comes first.
    assert len(first) == 2, titles
    assert {("1网格" in t, "2网格" in t) for t in first} == {(True, False), (False, True)}, titles
    assert all(t.endswith("居民群") and "…" not in t[1:] for t in first), titles
    assert "颐和路7号院居民群" in titles.values(), titles  # no kin: whole


def test_make_a_ticket_from_a_message(qtbot: QtBot, desks: Callable[..., Desk],
                                      live_server: LiveServer, world: World) -> None:
    message = post(live_server, LIGHT)
    clerk = desks("clerk1")
    view = open_inbox(qtbot, clerk)
    choose(qtbot, view, [message])
    activate(qtbot, view)
    qtbot.keyClick(view.table, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: isinstance(view.dialog, ConvertDialog)
                    and view.dialog.prefilled, timeout=5000)
    dialog = view.dialog
    assert isinstance(dialog, ConvertDialog)
    assert dialog.title_edit.text() == "3栋2单元301室门口的路灯坏了好几天了"
    assert dialog.category.currentData() == "municipal"  # from the keyword 路灯
    assert dialog.household.currentData() == world["hA1"]  # 3栋2单元301室 in grid A
    assert "address" in dialog.guess_note.text()
    confirm(qtbot, view)
    # Handled: it left the "to handle" list, and triage goes on (nothing else to handle).
    qtbot.waitUntil(lambda: view.model.row_of(message) is None and not view.selected,
                    timeout=5000)
    clerk.sync()
    ticket_id = server_message(live_server, message)["ticket_id"]
    assert ticket_id is not None
    ticket = server_ticket(live_server, ticket_id)
    assert ticket["source_message_ids"] == [message]
    assert ticket["household_id"] == world["hA1"] and ticket["grid_id"] == world["gridA"]
    assert ticket["category"] == "municipal" and ticket["source"] == "wechat"
    assert server_message(live_server, message)["status"] == "converted"


def test_link_several_messages_at_once_then_dismiss_and_reply(
        qtbot: QtBot, desks: Callable[..., Desk], live_server: LiveServer,
        world: World) -> None:
    neighbours = [post(live_server, f"{n}号楼前面的路灯不亮", sender=name)
                  for n, name in ((3, "老张"), (4, "李阿姨"))]
    chat = post(live_server, "今晚路灯下面好多人在下棋", sender="老刘")
    question = post(live_server, "社区活动室周末开放吗？", sender="王大爷", keyword="活动室")
    clerk = desks("clerk1")
    view = open_inbox(qtbot, clerk)

    choose(qtbot, view, neighbours)
    assert view.count_label.text() == "2 messages chosen; the steps apply to each."
    assert not view.reply_button.isEnabled()
    assert "one message at a time" in view.reply_button.toolTip()
    view.request_step("link")
    dialog = view.dialog
    assert isinstance(dialog, LinkDialog)
    qtbot.waitUntil(lambda: dialog.picker.results.count() > 0, timeout=3000)
    assert dialog.picker.chosen_id() == world["tA"]
    confirm(qtbot, view)

    choose(qtbot, view, [chat])
    view.request_step("dismiss")
    assert isinstance(view.dialog, DismissDialog)
    view.dialog.reason.setCurrentIndex(0)
    confirm(qtbot, view)

    choose(qtbot, view, [question])
    activate(qtbot, view)
    qtbot.keyClick(view.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(view.dialog, ReplyDialog), timeout=3000)
    reply = view.dialog
    assert isinstance(reply, ReplyDialog)
    reply.canned.itemClicked.emit(reply.canned.item(4))  # the service hall's hours
    assert "8:30" in reply.text.toPlainText()
    reply.text.setPlainText("您好，活动室周六上午开放。")
    reply.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is reply, timeout=2000)
    with qtbot.waitSignal(view.runner.finished, timeout=5000):
        qtbot.keyClick(reply.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    clerk.sync()
    ticket = server_ticket(live_server, world["tA"])
    assert set(neighbours) <= set(ticket["source_message_ids"])
    for mid in neighbours:
        assert server_message(live_server, mid)["status"] == "linked"
        assert server_message(live_server, mid)["ticket_id"] == world["tA"]
    dismissed = server_message(live_server, chat)
    assert dismissed["status"] == "dismissed"
    assert dismissed["reason"] == "Not a request: chat in the group"
    answered = server_message(live_server, question)
    assert answered["status"] == "answered"
    assert answered["reply_text"] == "您好，活动室周六上午开放。"
    [sent] = outbound(live_server)
    assert sent["group_id"] == "wx-gridA"
    assert sent["text"].endswith(" 您好，活动室周六上午开放。")
    assert sent["text"].startswith("@")  # the resident, by their name in the group


def test_a_message_that_is_handled_cannot_be_handled_again(
        qtbot: QtBot, desks: Callable[..., Desk], live_server: LiveServer) -> None:
    message = post(live_server, LIGHT)
    clerk = desks("clerk1")
    view = open_inbox(qtbot, clerk)
    choose(qtbot, view, [message])
    view.request_step("dismiss")
    confirm(qtbot, view)
    view.status_filter.setCurrentIndex(view.status_filter.findData("all"))
    choose(qtbot, view, [message])
    assert not view.convert_button.isEnabled()
    assert "“Dismissed”" in view.convert_button.toolTip()
    view.request_step("convert")
    assert view.dialog is None and "“Dismissed”" in view.notice.text()


def test_a_worker_sees_only_their_grids_messages(
        qtbot: QtBot, desks: Callable[..., Desk], live_server: LiveServer) -> None:
    mine = post(live_server, LIGHT)
    post(live_server, "7栋电梯又坏了", group="wx-gridC", group_name="颐和新村3群")
    worker = desks("worker1")
    view = open_inbox(qtbot, worker)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    choose(qtbot, view, [mine])
    assert view.convert_button.isEnabled()


def test_reply_draft_and_canned_replies_are_kept(
        qtbot: QtBot, desks: Callable[..., Desk], live_server: LiveServer) -> None:
    message = post(live_server, LIGHT)
    clerk = desks("clerk1")
    view = open_inbox(qtbot, clerk)
    choose(qtbot, view, [message])
    view.request_step("reply")
    dialog = view.dialog
    assert isinstance(dialog, ReplyDialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text().startswith("Write the reply first")
    dialog.text.setPlainText("您好，明天上午有人来修")
    dialog.reject()  # closed by mistake
    qtbot.waitUntil(lambda: view.dialog is None, timeout=2000)
    qtbot.wait(200)
    view.request_step("reply")
    again = view.dialog
    assert isinstance(again, ReplyDialog)
    qtbot.waitUntil(lambda: again.text.toPlainText() == "您好，明天上午有人来修", timeout=3000)

    qtbot.mouseClick(again.edit_canned, Qt.MouseButton.LeftButton)
    editor = again.canned_dialog
    assert isinstance(editor, CannedRepliesDialog)
    assert len(editor.texts()) == 5
    editor.list.item(0).setText("您好，收到，马上处理。")
    editor.list.setCurrentRow(4)
    qtbot.mouseClick(editor.findChild(type(again.edit_canned), "canned_remove"),
                     Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.ok_button, Qt.MouseButton.LeftButton)
    assert again.canned.count() == 4 and again.canned.item(0).text() == "您好，收到，马上处理。"
    kept = CannedReplies.in_folder(clerk.ctx.folder()).load()
    assert kept[0] == "您好，收到，马上处理。" and len(kept) == 4
    again.reject()


def test_canned_replies_file_problems_fall_back_to_the_defaults(tmp_path: Path) -> None:
    replies = CannedReplies.in_folder(tmp_path)
    assert len(replies.load()) == 5
    replies.path.write_text("{not json", encoding="utf-8")
    assert replies.load() == CannedReplies.defaults()
    assert replies.save(["  a  ", "", "b" * 2000]) == ["a", "b" * 1000]
    assert replies.load() == ["a", "b" * 1000]
    seen = SeenMarkers(tmp_path / "seen.json")
    seen.path.write_text("[]", encoding="utf-8")
    assert not SeenMarkers(tmp_path / "seen.json").is_seen("x")  # unreadable: afresh
    assert seen.mark(["a", "b"]) and not seen.mark(["a"])
    seen.keep_only(["b"])
    assert not SeenMarkers(tmp_path / "seen.json").is_seen("a")
    assert SeenMarkers(tmp_path / "seen.json").is_seen("b")


def test_inbox_model_alone(qtbot: QtBot, desks: Callable[..., Desk],
                           live_server: LiveServer, qtmodeltester: Any) -> None:
    for i in range(5):
        post(live_server, f"{i}栋路灯坏了")
    clerk = desks("clerk1")
    model = InboxTableModel(clerk.ctx.desk, lambda m: True, page_size=2)
    model.reload()
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=3000)
    assert model.total == 5 and model.canFetchMore()
    qtmodeltester.check(model)  # it may ask for more itself

    def fetch_all() -> bool:
        if model.canFetchMore():
            model.fetchMore()
        return model.rowCount() == 5 and not model.is_loading

    qtbot.waitUntil(fetch_all, timeout=5000)
    assert not model.canFetchMore()
    assert len({model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(5)}) == 5
    qtmodeltester.check(model)
    model.set_search("3栋")
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=3000)


def test_chinese(qtbot: QtBot, desks: Callable[..., Desk], live_server: LiveServer,
                 chinese: None) -> None:
    post(live_server, LIGHT)
    clerk = desks("clerk1")
    view = open_inbox(qtbot, clerk)
    assert view.group_list.item(0).text() == "全部群"
    assert view.convert_button.text() == "转为工单"
    assert view.model.headerData(3, Qt.Orientation.Horizontal) == "消息"


def test_the_backend_gives_the_window_these_views_badges_and_notices(
        qtbot: QtBot, settings: Settings, live_server: LiveServer, world: World,
        tmp_path: Path) -> None:
    import asyncio

    from tests.ui.test_backend import signed_in
    from ui.backend import SyncBackend, open_account
    from ui.main_window import MainWindow
    from ui.sync_bridge import SyncBridge
    from ui.tickets.view import TicketsView

    session, credentials, _keyring = signed_in(live_server, tmp_path, "clerk1")
    bridge = SyncBridge()
    opened = open_account(session, credentials, data_dir=tmp_path / "data")
    backend = SyncBackend(opened, bridge, settings)
    window = MainWindow(settings, bridge, session, views=backend.views, counts=backend.counts)
    qtbot.addWidget(window)
    post(live_server, LIGHT)
    with qtbot.waitSignal(backend.notifier.messages_arrived, timeout=10_000):
        backend.start()
    qtbot.waitUntil(lambda: window.navigation.badge("tickets") == 1, timeout=5000)  # tA
    assert window.navigation.badge("inbox") == 1
    inbox = window.page("inbox").findChild(InboxView)
    assert inbox is not None
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 1, timeout=5000)
    window.show_section("tickets")
    assert window.page("tickets").findChild(TicketsView) is not None
    backend.stop()
    done: list[bool] = []
    asyncio.get_running_loop().create_task(backend.wait_stopped()).add_done_callback(
        lambda _: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)


def test_a_grids_group_drops_the_start_it_shares_with_its_closest_kin() -> None:
    """A neighbourhood's group of the community ("汇林绿洲邻里群") beside its grids'
    groups made "汇林绿洲" the start they shared, and at 1024×700 a grid's group read
    "…第1网格…"; the grids drop "汇林绿洲第", which they share with each other."""
    from ui.inbox.view import _kin_start

    grids = [f"汇林绿洲第{n}网格居民群" for n in range(1, 8)]
    names = [*grids, "汇林绿洲邻里群", "1栋业主群", "1栋业主群二群"]
    assert _kin_start(grids[0], names) == "汇林绿洲第"
    assert _kin_start("汇林绿洲邻里群", names) == "汇林绿洲"
    assert _kin_start("1栋业主群", names) == ""  # never the whole name
    assert _kin_start("12345热线", names) == ""
