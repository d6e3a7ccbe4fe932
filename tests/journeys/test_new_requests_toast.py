"""Journey: the notice of new residents' requests leaves the search box and the buttons
free, can be closed, and stacks into one notice instead of piling up at every sync
(issue 10 item 10).

Today the notice sits at the top right, over the households' search box; each sync that
brings requests replaces it with the count of that sync alone.
"""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QLineEdit, QWidget

from server.demo_data import DEMO_PASSWORD
from sync.client import ApiClient
from sync.wire import Mutation
from tests.journeys.harness import Journey
from ui.main_window import MainWindow
from ui.shell.toast import Toast


def _phone_requests(journey: Journey, grid_id: str, count: int) -> list[str]:
    """The office takes ``count`` phone calls for the grid (pushed as clerk1, over HTTP)."""
    clerk = ApiClient(journey.server.url, retries=0)
    clerk.login("clerk1", DEMO_PASSWORD, "clerk-desk", "clerk desk")
    ids = [str(uuid.uuid4()) for _ in range(count)]
    sent = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    results = clerk.push("clerk-desk", [
        Mutation(mutation_id=str(uuid.uuid4()), entity="inbox_message", id=i, op="create",
                 fields={"source": "phone", "grid_id": grid_id, "sender_name": "来电居民",
                         "text": "楼道灯坏了，请尽快修理。", "sent_at": sent})
        for i in ids])
    assert [r.status for r in results] == ["applied"] * count, results
    return ids


def _rect(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _sync(journey: Journey, window: MainWindow) -> None:
    journey.wait_until(window.status_bar.sync_button.isEnabled, what="no sync running")
    seen = journey.syncs_finished
    journey.click(window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)


def _assert_covers_nothing(toast: Toast, window: QWidget, where_text: str) -> None:
    where = _rect(toast, window)
    covered = [w for w in window.findChildren(QWidget)
               if isinstance(w, QLineEdit | QAbstractButton) and w.isVisible()
               and not toast.isAncestorOf(w) and where.intersects(_rect(w, window))]
    assert covered == [], f"in {where_text} the notice covers " + ", ".join(
        w.objectName() or w.text() if isinstance(w, QAbstractButton) else w.objectName()
        or type(w).__name__ for w in covered)


def _toasts(window: QWidget) -> list[Toast]:
    return [t for t in window.findChildren(Toast) if t.isVisible()]


def test_the_new_requests_notice_covers_no_control_stacks_and_closes(
    journey: Journey
) -> None:
    journey.start()
    window = journey.sign_in("worker1")
    journey.go_to("住户")
    grid_id = journey.server.pull_as("worker1").all("household")[0]["grid_id"]
    # The requests waiting at the first sign-in are told first; the person closes that.
    journey.wait_until(lambda: _toasts(window), what="the notice of the waiting requests")
    journey.click(_toasts(window)[0].close_button)
    assert _toasts(window) == []

    first = _phone_requests(journey, grid_id, 2)
    _sync(journey, window)
    journey.wait_until(lambda: _toasts(window), what="the notice of new requests")
    [toast] = _toasts(window)
    assert toast.text() == "居民新诉求 2 条"
    journey.shot("two new requests: the notice leaves the search box free")
    for section in ("住户", "工单", "诉求收件箱", "工作台"):
        journey.go_to(section)
        journey.settle(100)
        _assert_covers_nothing(toast, window, section)
    journey.shot("the notice in a free corner of the workbench")

    _phone_requests(journey, grid_id, 1)
    _sync(journey, window)
    journey.wait_until(lambda: toast.text() == "居民新诉求 3 条",
                       what="the notice counting all three")
    assert _toasts(window) == [toast]  # one notice, not one per sync
    journey.shot("a third request: still one notice, counting three")

    journey.click(toast.close_button)
    assert _toasts(window) == []
    _sync(journey, window)  # nothing new: the closed notice stays closed
    journey.settle(200)
    assert _toasts(window) == []
    journey.shot("closed")

    held = journey.server.pull_as("worker1")
    assert {m["id"] for m in held.all("inbox_message") if m["status"] == "new"} >= set(first)


def test_the_notice_covers_no_button_of_the_tab_a_person_turns_to(journey: Journey) -> None:
    """The administration's tabs each put their buttons elsewhere (新增人员… at the top
    right, a tab's own at the bottom): whichever tab the person turns to, the notice of
    the requests waiting moves off its buttons."""
    journey.start()
    window = journey.sign_in("admin")
    page = journey.go_to("管理")
    journey.wait_until(lambda: _toasts(window), what="the notice of the waiting requests")
    [toast] = _toasts(window)
    for tab in ("人员", "临时顶岗", "微信群", "走访表单", "审计日志", "人员"):
        journey.tab(tab, within=page)
        journey.settle(600)
        _assert_covers_nothing(toast, window, f"the tab {tab}")
    journey.shot("the notice beside the staff list, off its buttons")


def _texts_under(toast: Toast, window: QWidget) -> list[str]:
    """The texts a person reads that the notice lies over."""
    from PySide6.QtWidgets import QLabel

    where = _rect(toast, window)
    return [w.text() for w in window.findChildren(QLabel)
            if w.isVisible() and w.text().strip() and not toast.isAncestorOf(w)
            and where.intersects(_rect(w, window))]


def test_the_notice_hides_no_text_being_read(journey: Journey) -> None:
    """New requests arrive while the clerk reads who came to a meeting, or an empty
    queue's explanation: the notice goes where it hides neither."""
    from tests.journeys.test_participation import _page
    from ui.participation.meeting import MeetingDialog
    from ui.tickets.view import TicketsView

    journey.start()
    window = journey.sign_in("clerk1")
    grid_id = journey.server.pull_as("clerk1").all("grid")[0]["id"]
    journey.wait_until(lambda: _toasts(window), what="the notice of the waiting requests")
    journey.click(_toasts(window)[0].close_button)

    # A meeting of a topic under discussion, who came to it shown below its row.
    view = _page(journey)
    journey.tab("民主协商", within=view)
    discussing = view.board.lists["discussing"]
    journey.wait_until(lambda: discussing.count() > 0, what="a topic under discussion")
    journey.click_row(discussing, 0)
    pane = view.consultation
    journey.wait_until(lambda: pane.detail is not None, what="the topic shown")
    journey.click("记录协商会", within=pane)
    meeting = journey.dialog(kind=MeetingDialog)
    journey.type_into(meeting.place, "社区议事厅")
    for name in ("王阿姨", "李大爷", "张师傅"):
        journey.type_into(meeting.attendee_name, name)
        journey.click(meeting.add_attendee_button)
    journey.click(meeting.ok_button)
    journey.tab("协商会", within=pane)
    journey.click_row(pane.meetings, journey.row_of(pane.meetings, "社区议事厅"))
    journey.wait_until(lambda: "王阿姨" in pane.meeting_people.text(), what="who came")
    _phone_requests(journey, grid_id, 1)
    _sync(journey, window)
    journey.wait_until(lambda: _toasts(window), what="the notice of a new request")
    journey.settle(100)
    [toast] = _toasts(window)
    journey.shot("a new request while reading who came to the meeting")
    assert _texts_under(toast, window) == [], _texts_under(toast, window)
    _assert_covers_nothing(toast, window, "the meeting")

    # An empty queue: its explanation stays readable.
    page = journey.go_to("工单")
    tickets = page.findChild(TicketsView)
    assert tickets is not None
    journey.click_row(tickets.queue_list,
                      tickets.queue_list.row(tickets.queue_list.item_for("mine")))
    journey.wait_until(lambda: tickets.empty.isVisible(), what="the empty queue explained")
    journey.settle(600)
    if not _toasts(window):  # it went by itself meanwhile: another request
        _phone_requests(journey, grid_id, 1)
        _sync(journey, window)
        journey.wait_until(lambda: _toasts(window), what="the notice again")
    [toast] = _toasts(window)
    journey.settle(100)
    journey.shot("a notice beside an empty queue's explanation")
    assert _texts_under(toast, window) == [], _texts_under(toast, window)


def test_in_the_inbox_the_notice_offers_no_way_to_the_inbox(journey: Journey) -> None:
    """A clerk triaging in the inbox was told "居民新诉求 1 条 · 打开诉求箱": a button that
    opens what is open (nothing happens). There the notice says the count only; elsewhere
    it keeps its way to the inbox."""
    journey.start()
    window = journey.sign_in("clerk1")
    journey.go_to("诉求收件箱")
    grid_id = next(g["id"] for g in journey.server.pull_as("clerk1").all("grid")
                   if g.get("wechat_group_id"))
    journey.wait_until(lambda: _toasts(window), what="the notice of the waiting requests")
    journey.click(_toasts(window)[0].close_button)

    _phone_requests(journey, grid_id, 1)
    _sync(journey, window)
    journey.wait_until(lambda: _toasts(window), what="the notice of the new request")
    [toast] = _toasts(window)
    assert toast.text() == "居民新诉求 1 条"
    assert not toast.action_button.isVisible(), toast.action_button.text()
    journey.shot("in the inbox: the count, no button to the inbox")
    journey.click(toast.close_button)

    journey.go_to("工单")
    _phone_requests(journey, grid_id, 1)
    _sync(journey, window)
    journey.wait_until(lambda: _toasts(window), what="the notice in the tickets")
    [toast] = _toasts(window)
    assert toast.action_button.isVisible() and toast.action_button.text() == "打开诉求箱"
    journey.shot("in the tickets: the notice opens the inbox")


def test_the_notices_way_to_the_inbox_follows_the_section_shown(journey: Journey) -> None:
    """The notice's button was decided when the notice came: told in the tickets, it
    still offered "打开诉求箱" once the clerk had gone to the inbox herself (a button that
    does nothing); told in the inbox, it offered no way there after she left. While it is
    shown, the button is there exactly when the inbox is not."""
    journey.start()
    window = journey.sign_in("clerk1")
    journey.go_to("工单")
    journey.wait_until(lambda: _toasts(window), what="the notice of the waiting requests")
    [toast] = _toasts(window)
    journey.wait_until(toast.action_button.isVisible, what="the way to the inbox")
    assert toast.action_button.text() == "打开诉求箱"

    journey.go_to("诉求收件箱")
    journey.wait_until(lambda: not toast.action_button.isVisible(),
                       what="no way to the inbox in the inbox")
    assert toast.isVisible() and toast.text().startswith("居民新诉求")
    journey.shot("gone to the inbox: the notice's count alone")

    journey.go_to("工单")
    journey.wait_until(toast.action_button.isVisible, what="the way to the inbox again")
    assert toast.action_button.text() == "打开诉求箱"
    journey.shot("back in the tickets: the notice opens the inbox")
    journey.click(toast.action_button)
    journey.wait_until(lambda: window.current_section() == "inbox", what="the inbox open")
    assert _toasts(window) == []


def test_the_notice_counts_what_the_inbox_lists(journey: Journey) -> None:
    """At a clerk's first sign-in the notice said "居民新诉求 10 条" and the inbox listed 8:
    two messages wait in a WeChat group not yet mapped to a grid (listed under 未归属的群,
    not in the inbox, nor in its badge). The notice counts what the inbox lists."""
    journey.start()
    window = journey.sign_in("clerk1")
    journey.go_to("工单")
    waiting = [m for m in journey.server.pull_as("clerk1").all("inbox_message")
               if m["status"] == "new" and not m.get("grid_id")]
    assert waiting  # the demo's unmapped group has messages waiting
    journey.wait_until(lambda: _toasts(window), what="the notice of the waiting requests")
    [toast] = _toasts(window)
    journey.wait_until(lambda: window.navigation.badge("inbox") > 0, what="the inbox badge")
    badge = window.navigation.badge("inbox")
    assert toast.text() == f"居民新诉求 {badge} 条", (toast.text(), badge, len(waiting))
    journey.shot("the notice counts what the inbox lists")


def test_a_mapped_groups_waiting_messages_are_announced(journey: Journey) -> None:
    """Messages that came while their WeChat group was unmapped wait under 未归属的群, not
    in the inbox. A clerk who opened the desk with them waiting (a restart) maps the group:
    they reach the inbox, and the notice tells them as new requests; it said nothing, the
    notifier had counted them as known when the window opened."""
    from PySide6.QtWidgets import QComboBox, QPushButton, QTableWidget

    from ui.inbox.unassigned import UnassignedGroupsDialog

    journey.start()
    journey.sign_in("clerk1")
    journey.restart()  # the same computer: the messages waiting are in the store already
    window = journey.window
    journey.wait_for_sync(after=0)
    page = journey.go_to("诉求收件箱")
    button = journey.by_name("unassigned_groups", QPushButton, within=page)
    journey.wait_until(button.isVisible, what="an unassigned group offered")
    journey.settle(300)
    for toast in _toasts(window):
        journey.click(toast.close_button)
    assert _toasts(window) == []

    journey.click(button)
    dialog = journey.dialog(kind=UnassignedGroupsDialog)
    groups = journey.by_name("unassigned_table", QTableWidget, within=dialog)
    journey.wait_until(lambda: groups.rowCount() > 0, what="the group listed")
    [waiting] = journey.cells(groups, 1, [0])
    assert int(waiting) > 0
    journey.click_row(groups, 0)
    target = journey.by_name("unassigned_target", QComboBox, within=dialog)
    journey.wait_until(lambda: target.count() > 1, what="the community's grids offered")
    journey.choose(target, target.itemText(1))
    journey.click("归属", within=dialog)
    journey.wait_until(lambda: groups.rowCount() == 0, what="the group no longer waits")
    journey.click("关闭", within=dialog)
    _sync(journey, window)
    if not _toasts(window):  # the step's own push may have ended before the button's sync
        _sync(journey, window)
    journey.wait_until(lambda: _toasts(window), what="the notice of the mapped group's messages")
    [toast] = _toasts(window)
    assert toast.text() == f"居民新诉求 {waiting} 条", (toast.text(), waiting)
    journey.shot("the mapped group's waiting messages announced")



def _notice_free_of(journey: Journey, kind: type[QWidget], where: str) -> None:
    window = journey.window
    journey.wait_until(lambda: _toasts(window), what="the notice of the waiting requests")
    journey.settle(100)  # it moves when what is under it changes
    [toast] = _toasts(window)
    place = _rect(toast, window)
    under = [w for w in window.findChildren(kind) if w.isVisible()
             and place.intersects(_rect(w, window))]
    assert under == [], f"in {where} the notice lies over {under}"


def test_the_notice_leaves_the_self_assessment_box_free(journey: Journey) -> None:
    """The notice kept clear of line edits and buttons but not of a many-line text box
    (a social worker's 自评, a supervisor's comment: ``QPlainTextEdit``): at 1024×700 it
    lay over the bottom of the 自评 box being typed into. It leaves it free."""
    from PySide6.QtWidgets import QPlainTextEdit

    journey.start()
    journey.sign_in("worker1")
    journey.go_to("绩效考核")
    box = journey.by_name("assessment_edit", QPlainTextEdit, within=journey.window)
    journey.wait_until(box.isVisible, what="the month's 自评 to write")
    _notice_free_of(journey, QPlainTextEdit, "绩效考核")
    journey.shot("the notice beside the self-assessment box")


def test_the_notice_leaves_the_dashboards_tabs_free(journey: Journey) -> None:
    """On a clerk's dashboard the notice lay over the tab 按网格 (and the first column of
    the table under it): tabs are clicked, as buttons are. It leaves them free."""
    from PySide6.QtWidgets import QTabBar

    journey.start()
    journey.sign_in("clerk1")
    page = journey.go_to("绩效考核")
    journey.wait_until(lambda: any(t.isVisible() for t in page.findChildren(QTabBar)),
                       what="the dashboard's tables")
    _notice_free_of(journey, QTabBar, "the dashboard")
    journey.shot("the notice beside the dashboard's tabs")
