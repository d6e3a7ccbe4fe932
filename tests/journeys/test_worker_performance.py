"""Journey: a month returned by the supervisor is brought to the social worker.

The supervisor returns a worker's month with a comment (退回). The worker signs in: the
sidebar's 绩效考核 counts the record waiting for them, as 工单 counts their tickets, and
the section opens on it, the comment in view — it used to open on this month's draft,
the returned month third in the list with nothing in the sidebar. The worker answers and
submits again; the count goes; the server holds the new self-assessment.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QScrollArea, QWidget

from tests.journeys.harness import Journey
from tests.journeys.test_supervisor import (
    _approval_queue,
    _decide_on,
    _month_label,
    _sync,
)
from ui.login_dialog import LoginDialog
from ui.performance.record_panel import RecordPanel
from ui.performance.worker_view import MyPerformanceView

ASKED = "走访记录不全，请补充3栋独居老人的走访后再提交"
ANSWER = "已补充3栋独居老人的走访，共4户。"


def _sign_in_as(journey: Journey, username: str) -> None:
    """设置 → 退出登录, then sign in as ``username`` and wait for the first sync."""
    window = journey.window
    journey.go_to("设置")
    journey.click("退出登录", within=window)
    login = journey.dialog(kind=LoginDialog)
    journey.type_into(login.username_edit, username)
    journey.type_into(login.password_edit, "demo1234")
    seen = journey.syncs_finished
    journey.press(Qt.Key.Key_Return, target=login.password_edit)
    journey.wait_for_sync(after=seen, timeout=60_000)


def _on_screen(widget: QWidget) -> bool:
    """Whole within the scroll area it lies in, as it is scrolled now."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is None:
        return True
    viewport = parent.viewport()
    return viewport.rect().contains(QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size()))


def _returned_record(journey: Journey, name: str, period: str) -> dict[str, Any]:
    held = journey.server.pull_as("supervisor1")
    [staff] = held.where("staff", display_name=name)
    [record] = [r for r in held.all("performance_record")
                if r["worker_id"] == staff["id"] and r["period"] == period]
    record["username"] = staff["username"]
    record["returned_count"] = sum(1 for r in held.all("performance_record")
                                   if r["worker_id"] == staff["id"]
                                   and r["status"] == "returned")
    return record


def test_a_returned_month_is_counted_in_the_sidebar_and_opened_first(
        journey: Journey) -> None:
    journey.start()
    journey.sign_in("supervisor1")
    _page, queue, table = _approval_queue(journey)
    panel = journey.by_name("record_panel", RecordPanel, within=queue)
    name = _decide_on(journey, panel, table, 0)
    assert panel.detail is not None
    period = panel.detail.record.period
    comment = journey.type_into("给社工的意见（通过时可不填，退回时必填）", ASKED)
    journey.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier, target=comment)
    journey.wait_until(lambda: name not in [str(table.model().index(r, 0).data())
                                            for r in range(table.model().rowCount())],
                       what="the returned record gone from the queue")
    _sync(journey)
    record = _returned_record(journey, name, period)
    assert record["status"] == "returned"

    _sign_in_as(journey, record["username"])
    window = journey.window
    journey.wait_until(lambda: window.navigation.badge("performance")
                       == record["returned_count"], what="绩效考核 counts the returned month")
    journey.shot("signed in: 绩效考核 counts the returned month")

    page = journey.go_to("绩效考核")
    view = page if isinstance(page, MyPerformanceView) else page.findChild(MyPerformanceView)
    assert view is not None
    journey.wait_until(lambda: view.current_key() == record["id"],
                       what="the returned month chosen first")
    mine = view.panel
    journey.wait_until(lambda: mine.title_label.text().endswith(_month_label(period)),
                       what="the returned month shown")
    said = journey.find(f"“{ASKED}”", QLabel, within=mine, exact=False)
    assert _on_screen(said), "the supervisor's comment is read without scrolling"
    journey.shot("the returned month opened first, the comment in view")

    text = next(w for w in mine.findChildren(QPlainTextEdit) if w.isVisible()
                and not w.isReadOnly())
    journey.type_into(text, ANSWER)
    journey.click("提交", within=mine)
    journey.wait_until(lambda: window.navigation.badge("performance")
                       == record["returned_count"] - 1, what="the count goes down")
    journey.shot("submitted again: nothing waits any more")
    _sync(journey)
    held = _returned_record(journey, name, period)
    assert held["status"] == "submitted"
    assert held["self_assessment"] == ANSWER



def test_after_a_visit_is_synced_this_months_draft_agrees_with_the_live_preview(
        journey: Journey) -> None:
    """A worker records a visit and syncs: "My performance" listed this month twice, the
    live preview counting the visit (已访 14) and the server's draft not (13), because the
    server recomputed drafts once an hour (found by a new user's pass). The push that
    brings the visit refreshes the worker's draft: both read the same."""
    from tests.journeys.visit_steps import (
        ELDERLY,
        fill_elderly_care,
        open_household,
        start_visit,
        submit,
    )

    journey.start()
    journey.sign_in("worker1")
    _head, detail = open_household(journey)
    dialog = start_visit(journey, detail, ELDERLY)
    fill_elderly_care(journey, dialog)
    submit(journey, dialog)
    _sync(journey)
    journey.wait_until(lambda: journey.window.status_bar.pending_count == 0,
                       what="the visit sent")
    page = journey.go_to("绩效考核")
    mine = journey.by_name("my_performance", MyPerformanceView, within=page)
    journey.wait_until(lambda: mine.data is not None and mine.data.preview is not None,
                       what="this month's preview")
    assert mine.data is not None and mine.data.preview is not None
    period = mine.data.preview.period
    [draft] = [r for r in mine.data.records if r.period == period]
    panel = journey.by_name("record_panel", RecordPanel, within=mine)

    def visits_shown(key: str) -> str:
        mine.select(key)
        journey.wait_until(lambda: not panel.loading and panel.tiles.isVisible(),
                           what="the figures shown")
        journey.settle(100)
        return panel.tiles.tiles["visits_done"].value_label.text()

    live = visits_shown("preview")
    journey.shot("this month's live preview after the visit")
    assert visits_shown(draft.id) == live
    journey.shot("this month's draft, the same")
