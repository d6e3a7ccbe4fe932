"""The 鼓宝 console's editors as people use them: a clerk changes and retires a knowledge
entry and dismisses a question not worth an answer; drafts, changes, schedules and cancels
announcements and approves a social worker's; writes an alert rule, looking at its dry run
before saving it, and turns it off; adds a service to the catalogue and changes it. A
supervisor sees the urgent alerts still open in each community of the street."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QBrush, QFontMetrics
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QWidget,
)

from gulou_desk.records import SHANGHAI
from server.tools.bot_simulator import DEMO_URGENT
from tests.journeys.harness import Journey
from tests.journeys.test_gubao import _bot, _closed, _group_of, _sync
from ui import palette
from ui.gubao.dialogs import (
    AnnouncementDialog,
    CancelAnnouncementDialog,
    EntryDialog,
    RuleDialog,
    ServiceDialog,
)
from ui.gubao.urgent import UrgentBanner
from ui.gubao.view import GubaoView
from ui.participation.dialogs import GridChecks
from ui.performance.dashboard import DashboardView
from ui.settings import LANGUAGE, Settings


def _open(journey: Journey, username: str, section: str = "鼓宝") -> GubaoView:
    journey.start()
    journey.sign_in(username)
    page = journey.go_to(section)
    view = page if isinstance(page, GubaoView) else page.findChild(GubaoView)
    assert isinstance(view, GubaoView)
    return view


def _save(journey: Journey, dialog: QLabel | object) -> None:
    journey.click("保存", within=dialog)  # type: ignore[arg-type]
    journey.wait_until(lambda: _closed(dialog), what="the dialog saved")  # type: ignore[arg-type]


def _button(journey: Journey, text: str, view: GubaoView) -> QPushButton:
    return journey.find(text, QPushButton, within=view)


def test_a_clerk_edits_retires_and_dismisses_in_the_knowledge_base(journey: Journey) -> None:
    view = _open(journey, "clerk1")
    table = journey.by_name("knowledge_table", QTableWidget, within=view)
    journey.wait_until(lambda: table.rowCount() >= 30, what="the knowledge base")
    # The seeded entries are the district's: a clerk reads them, changes none.
    journey.click_row(table, 0)
    assert not _button(journey, "编辑…", view.knowledge).isEnabled()

    journey.click("新建问答", within=view.knowledge)
    dialog = journey.dialog(kind=EntryDialog)
    journey.type_into("问题", "社区图书室几点开门？", within=dialog)
    journey.type_into("关键词", "图书室 阅览室", within=dialog)
    answer = dialog.findChild(QPlainTextEdit)
    assert answer is not None
    journey.type_into(answer, "社区图书室每天9:00-17:00开放。")
    size = journey.by_name("message_size", QLabel, within=dialog)
    assert size.text() == "40 / 2048 字节（一条群消息）"
    _save(journey, dialog)
    row = journey.row_of(table, "社区图书室几点开门？")
    assert journey.cells(table, journey.column(table, "适用范围"), [row]) == ["本社区"]

    # Changed: a synonym more, a longer answer (its size shown as it is typed, refused
    # once it no longer fits one group message), a period of validity.
    journey.click_row(table, row, double=True)
    dialog = journey.dialog(kind=EntryDialog)
    keywords = journey.field("关键词", within=dialog)
    assert isinstance(keywords, QLineEdit) and keywords.text() == "图书室 阅览室"
    journey.type_into(keywords, "图书室 阅览室 借书", within=dialog)
    answer = dialog.findChild(QPlainTextEdit)
    assert answer is not None
    journey.type_into(answer, "开" * 700)
    size = journey.by_name("message_size", QLabel, within=dialog)
    assert size.text().startswith("2100 / 2048")
    journey.click("保存", within=dialog)
    journey.wait_until(lambda: "太长" in journey.by_name("error_label", QLabel,
                                                          within=dialog).text(),
                       what="too long for one message")
    journey.type_into(answer, "社区图书室每天9:00-17:00开放，周一闭馆。")
    journey.click("止", within=dialog)  # the date it offers: in 90 days
    until = (dt.datetime.now(SHANGHAI).date() + dt.timedelta(days=90)).isoformat()
    journey.shot("a knowledge entry changed: keywords, answer and its size, validity")
    _save(journey, dialog)
    journey.wait_until(lambda: journey.cells(table, journey.column(table, "有效期"), [
        journey.row_of(table, "社区图书室几点开门？")]) == [f"至 {until}"],
        what="the validity shown")

    # Retired: 鼓宝 no longer answers with it.
    journey.click_row(table, journey.row_of(table, "社区图书室几点开门？"))
    journey.click("停用", within=view.knowledge)
    journey.wait_until(lambda: journey.cells(table, journey.column(table, "有效期"), [
        journey.row_of(table, "社区图书室几点开门？")]) == ["已停用"], what="retired")
    assert _button(journey, "恢复使用", view.knowledge).isEnabled()

    # A question not worth an answer leaves the list.
    unanswered = journey.by_name("unanswered_list", QListWidget, within=view)
    journey.wait_until(lambda: unanswered.count() > 1, what="the unanswered questions")
    before = unanswered.count()
    dismissed = unanswered.item(before - 1).text().split("（")[0]
    journey.click_row(unanswered, before - 1)
    journey.click("无需回答", within=view)
    journey.wait_until(lambda: unanswered.count() == before - 1, what="the question dismissed")
    journey.shot("knowledge base: an entry retired, a question dismissed")
    _sync(journey)

    held = journey.server.pull_as("supervisor1")
    [entry] = held.where("knowledge_entry", question="社区图书室几点开门？")
    assert entry["keywords"] == ["图书室", "阅览室", "借书"]
    assert entry["answer"] == "社区图书室每天9:00-17:00开放，周一闭馆。"
    assert entry["valid_to"] == until and entry["active"] is False
    assert entry["scope"] == "community" and entry["community_id"]
    assert any(q["status"] == "dismissed" and q["text"].startswith(dismissed[:8])
               for q in held.all("bot_question"))


def test_a_clerk_drafts_schedules_and_cancels_announcements(journey: Journey) -> None:
    view = _open(journey, "clerk1")
    journey.tab("群公告", within=view)
    table = journey.by_name("announcements_table", QTableWidget, within=view)
    journey.row_of(table, "楼道清理通知")

    # A social worker's draft waits for the clerk's approval.
    row = journey.row_of(table, "楼道清理通知")
    assert journey.cells(table, journey.column(table, "状态"), [row]) == ["待审批"]
    journey.click_row(table, row)
    journey.click("批准发送", within=view)
    journey.wait_until(lambda: journey.cells(table, journey.column(table, "状态"), [
        journey.row_of(table, "楼道清理通知")]) == ["待发送"], what="approved")

    journey.click("新建公告", within=view)
    dialog = journey.dialog(kind=AnnouncementDialog)
    # A welcome message has no time to go (each newcomer gets it as they join): the
    # dialog says so, and takes it away again for a notice.
    kind = journey.by_name("announcement_kind", QComboBox, within=dialog)
    journey.choose(kind, "入群欢迎语")
    assert dialog.windowTitle() == "新建欢迎语"
    assert not dialog.form.isRowVisible(dialog.send_at)
    journey.choose(kind, "活动预告")
    assert dialog.windowTitle() == "新建公告" and dialog.form.isRowVisible(dialog.send_at)
    journey.type_into("标题", "欢迎新邻居", within=dialog)
    journey.type_into(journey.by_name("announcement_text", QPlainTextEdit, within=dialog),
                      "本周六上午新邻居见面会，欢迎参加！有事请@鼓宝。")
    checks = dialog.findChild(GridChecks)
    assert checks is not None
    journey.click(checks.boxes[0][1])
    tomorrow = dt.datetime.now(SHANGHAI).date() + dt.timedelta(days=1)
    send_at = journey.by_name("announcement_send_at", QDateTimeEdit, within=dialog)
    assert send_at.text() == f"{tomorrow.isoformat()} 08:00"  # what it offers
    journey.choose(journey.by_name("announcement_recurrence", QComboBox, within=dialog),
                   "每周同一天同一时间")
    journey.shot("a new announcement")
    _save(journey, dialog)
    row = journey.row_of(table, "欢迎新邻居")
    assert journey.cells(table, journey.column(table, "状态"), [row]) == ["草稿"]

    # Changed, then scheduled.
    journey.click_row(table, row, double=True)
    dialog = journey.dialog(kind=AnnouncementDialog)
    journey.type_into("标题", "欢迎新邻居入群", within=dialog)
    _save(journey, dialog)
    journey.click_row(table, journey.row_of(table, "欢迎新邻居入群"))
    journey.click("排期发送", within=view)
    journey.wait_until(lambda: journey.cells(table, journey.column(table, "状态"), [
        journey.row_of(table, "欢迎新邻居入群")]) == ["待发送"], what="scheduled")

    # The calendar: the day it goes, and that day's announcements only.
    journey.click_row(table, journey.row_of(table, "欢迎新邻居入群"))
    calendar = journey.by_name("announcement_calendar", QCalendarWidget, within=view)
    assert calendar.selectedDate().toString("yyyy-MM-dd") == tomorrow.isoformat()
    days = calendar.findChild(QTableView)
    assert days is not None
    current = days.currentIndex()
    journey.click_row(days, current.row(), current.column())
    journey.wait_until(lambda: journey.by_name("announcements_day", QLabel, within=view)
                       .text() == tomorrow.isoformat(), what="the day's announcements")
    goes = journey.cells(table, journey.column(table, "发送时间"), range(table.rowCount()))
    assert goes and all(at.startswith(tomorrow.isoformat()) for at in goes)
    journey.row_of(table, "欢迎新邻居入群")
    journey.shot("the announcements calendar on one day")
    journey.click("显示全部日期", within=view)
    journey.wait_until(lambda: table.rowCount() > 1, what="every date again")

    # The clerk's own draft is cancelled.
    journey.click_row(table, journey.row_of(table, "防诈骗讲座"))
    journey.click("取消公告", within=view)
    dialog = journey.dialog(kind=CancelAnnouncementDialog)  # it cannot be undone
    journey.type_into("原因", "讲座改期", within=dialog)
    journey.click("取消这条公告", within=dialog)
    journey.wait_until(lambda: _closed(dialog), what="the cancelling confirmed")
    journey.wait_until(lambda: journey.cells(table, journey.column(table, "状态"), [
        journey.row_of(table, "防诈骗讲座")]) == ["已取消"], what="cancelled")
    # What went is listed with when it went.
    journey.click_row(table, journey.row_of(table, "停水通知"))
    assert journey.find("已发送", QLabel, within=view, exact=False).isVisible()
    journey.shot("announcements: sent history")

    # A group's own welcome message, starting from what every group gets.
    welcomes = journey.by_name("welcome_list", QListWidget, within=view)
    last = welcomes.count() - 1
    group = welcomes.item(last).text().split("：", 1)[0]
    journey.click_row(welcomes, last)
    journey.click("编辑欢迎语…", within=view)
    dialog = journey.dialog(kind=AnnouncementDialog)
    assert journey.by_name("announcement_kind", QComboBox, within=dialog).currentText() \
        == "入群欢迎语"
    assert journey.field("标题", within=dialog).text() == f"欢迎加入{group}"  # type: ignore[attr-defined]
    journey.type_into(journey.by_name("announcement_text", QPlainTextEdit, within=dialog),
                      f"欢迎加入{group}！物业电话和办事指南请@鼓宝。")
    _save(journey, dialog)
    journey.wait_until(lambda: welcomes.item(last).text()
                       == f"{group}：欢迎加入{group}！物业电话和办事指南请@鼓宝。"
                       "（草稿：排期发送后才欢迎新成员）",
                       what="the group's own welcome message, a draft")
    journey.shot("a group's own welcome message")
    _sync(journey)

    held = journey.server.pull_as("supervisor1")
    [meeting] = held.where("announcement", title="欢迎新邻居入群")
    assert meeting["status"] == "scheduled" and meeting["kind"] == "activity"
    assert meeting["recurrence"] == "weekly" and len(meeting["grid_ids"]) == 1
    assert meeting["send_at"] == f"{tomorrow.isoformat()}T08:00:00+08:00"
    [lecture] = held.where("announcement", title="防诈骗讲座")
    assert lecture["status"] == "cancelled"
    assert lecture["history"][-1]["action"] == "cancel"
    assert lecture["history"][-1]["reason"] == "讲座改期"
    [own_welcome] = held.where("announcement", title=f"欢迎加入{group}")
    assert own_welcome["kind"] == "welcome" and own_welcome["status"] == "draft"
    [grid] = held.where("grid", name=group)
    assert own_welcome["grid_ids"] == [grid["id"]]
    [stairs] = held.where("announcement", title="楼道清理通知")
    assert stairs["status"] == "scheduled" and stairs["approved_by_id"]


def _reads_whole(table: QTableWidget, row: int, column: int) -> bool:
    """Whether a cell's text fits its cell (on lines of their own when it wraps)."""
    item = table.item(row, column)
    room = table.visualItemRect(item).adjusted(3, 0, -3, 0)  # Qt's text margins
    metrics = table.fontMetrics()
    if metrics.horizontalAdvance(item.text()) <= room.width():
        return True
    needed = metrics.boundingRect(QRect(0, 0, room.width(), 10_000),
                                  Qt.TextFlag.TextWordWrap, item.text())
    return table.wordWrap() and needed.height() <= room.height()


def test_a_clerk_writes_an_alert_rule_after_its_dry_run_and_turns_it_off(
        journey: Journey) -> None:
    view = _open(journey, "clerk1")
    journey.tab("智慧告警", within=view)
    table = journey.by_name("alert_rules_table", QTableWidget, within=view)
    journey.wait_until(lambda: table.rowCount() > 0, what="the rules")
    # The keywords have the room: each rule's list reads whole (wrapped), not cut.
    name_column, words_column = 0, journey.column(table, "关键词")
    assert table.columnWidth(words_column) > table.columnWidth(name_column)
    for row in range(table.rowCount()):
        assert _reads_whole(table, row, words_column), table.item(row, words_column).text()
        assert _reads_whole(table, row, name_column), table.item(row, name_column).text()
    journey.shot("the alert rules with their whole keyword lists")
    journey.click("新建规则", within=view)
    dialog = journey.dialog(kind=RuleDialog)
    journey.type_into("名称", "楼道堆物", within=dialog)
    journey.type_into("关键词", "堆放 杂物", within=dialog)
    journey.click("用近30天消息试运行", within=dialog)
    summary = journey.find("按当前填写", QLabel, within=dialog, exact=False)
    journey.wait_until(lambda: "会触发" in summary.text(), what="the dry run")
    fired = int(re.findall(r"触发 (\d+) 次", summary.text())[0])
    dry_list = journey.by_name("rule_dry_run_list", QListWidget, within=dialog)
    assert dry_list.count() == fired
    journey.choose(journey.by_name("rule_level", QComboBox, within=dialog), "关注")
    journey.click("街道值班人员", within=dialog)
    journey.shot("the rule editor with its dry run")
    _save(journey, dialog)
    row = journey.row_of(table, "楼道堆物")
    assert journey.cells(table, journey.column(table, "级别"), [row]) == ["关注"]

    # Changed: only with 楼道; the dry run of the edited rule before saving.
    journey.click_row(table, row, double=True)
    dialog = journey.dialog(kind=RuleDialog)
    journey.type_into("同时出现", "楼道", within=dialog)
    journey.click("用近30天消息试运行", within=dialog)
    journey.wait_until(lambda: "会触发" in journey.find(
        "按当前填写", QLabel, within=dialog, exact=False).text(), what="the dry run again")
    dry_list = journey.by_name("rule_dry_run_list", QListWidget, within=dialog)
    assert all("楼道" in dry_list.item(i).text() for i in range(dry_list.count()))
    _save(journey, dialog)
    journey.click_row(table, journey.row_of(table, "楼道堆物"))
    journey.click("停用", within=view.rules)
    journey.wait_until(lambda: journey.cells(table, journey.column(table, "启用"), [
        journey.row_of(table, "楼道堆物")]) == ["停用"], what="turned off")
    _sync(journey)

    held = journey.server.pull_as("supervisor1")
    [rule] = held.where("alert_rule", name="楼道堆物")
    assert rule["keywords"] == ["堆放", "杂物"] and rule["with_words"] == ["楼道"]
    assert rule["level"] == "watch" and rule["active"] is False
    assert rule["notify"] == ["grid_worker", "community_clerks", "street_duty"]
    assert rule["scope"] == "community"



@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_rule_editors_buttons_lie_below_its_dry_run(journey: Journey, language: str
                                                        ) -> None:
    """The new-rule dialog was sized below what its rows need: the dry run's list lay
    over the top of 保存 and 取消 (9 px of them hidden), at both window sizes and in both
    languages. The list ends above the buttons, which show whole, before and after a
    dry run."""
    zh = language == "zh_CN"
    Settings().set(LANGUAGE, language)
    view = _open(journey, "clerk1", "鼓宝" if zh else "Gubao bot")
    journey.tab("智慧告警" if zh else "Alert rules", within=view)
    journey.click("新建规则" if zh else "New rule", within=view)
    dialog = journey.dialog(kind=RuleDialog)
    dry_list = journey.by_name("rule_dry_run_list", QListWidget, within=dialog)

    def apart() -> bool:
        bottom = dry_list.mapTo(dialog, dry_list.rect().bottomLeft()).y()
        for button in dialog.buttons.buttons():
            top = button.mapTo(dialog, button.rect().topLeft()).y()
            if not bottom < top or top + button.height() > dialog.height():
                return False
        return True

    journey.settle(100)
    assert apart(), (dry_list.geometry(), dialog.buttons.geometry(), dialog.size())
    journey.type_into("名称" if zh else "Name", "楼道堆物", within=dialog)
    journey.type_into("关键词" if zh else "Keywords", "堆放 杂物", within=dialog)
    journey.click("用近30天消息试运行" if zh else "Dry run over the last 30 days",
                  within=dialog)
    journey.wait_until(lambda: dry_list.count() > 0, what="the dry run")
    journey.settle(100)
    assert apart(), (dry_list.geometry(), dialog.buttons.geometry(), dialog.size())
    journey.shot(f"the rule editor's buttons below its dry run, in {language}")


def test_a_clerk_adds_a_service_and_changes_it(journey: Journey) -> None:
    view = _open(journey, "clerk1")
    journey.tab("便民服务目录", within=view)
    table = journey.by_name("services_table", QTableWidget, within=view)
    journey.wait_until(lambda: table.rowCount() > 0, what="the catalogue")
    journey.click("新建便民服务", within=view)
    dialog = journey.dialog(kind=ServiceDialog)
    journey.choose(journey.by_name("service_category", QComboBox, within=dialog), "便民维修")
    journey.type_into("服务", "社区磨刀修伞", within=dialog)
    journey.type_into("地点", "社区服务中心门口", within=dialog)
    journey.type_into("办理时间", "每月第一个周六 9:00-11:30", within=dialog)
    journey.type_into("电话", "025-83300000", within=dialog)
    journey.type_into("所需材料", "雨伞 刀具", within=dialog)
    journey.type_into(journey.by_name("service_steps", QPlainTextEdit, within=dialog),
                      "带上要修的物品到现场排队即可。")
    journey.type_into("网上办理", "www.example.cn", within=dialog)
    journey.click("保存", within=dialog)
    error = journey.by_name("error_label", QLabel, within=dialog)
    journey.wait_until(lambda: "http" in error.text(), what="the link refused")
    journey.type_into("网上办理", "https://example.cn/fix", within=dialog)
    journey.shot("a new service")
    _save(journey, dialog)
    row = journey.row_of(table, "社区磨刀修伞")
    journey.click_row(table, row, double=True)
    dialog = journey.dialog(kind=ServiceDialog)
    journey.type_into("办理时间", "每月第一个周六 9:00-12:00", within=dialog)
    _save(journey, dialog)
    journey.wait_until(lambda: journey.cells(table, journey.column(table, "办理时间"), [
        journey.row_of(table, "社区磨刀修伞")]) == ["每月第一个周六 9:00-12:00"],
        what="the hours changed")
    _sync(journey)

    held = journey.server.pull_as("supervisor1")
    [item] = held.where("service_item", name="社区磨刀修伞")
    assert item["category"] == "便民维修" and item["documents"] == ["雨伞", "刀具"]
    assert item["hours"] == "每月第一个周六 9:00-12:00"
    assert item["online_link"] == "https://example.cn/fix" and item["scope"] == "community"


def test_in_english_a_service_is_filed_under_a_category_read_in_english(
        journey: Journey) -> None:
    """The catalogue's categories are the district's, stored in Chinese: in English the
    dialog offers them in English, the table reads them in English, and the server holds
    the Chinese value as before (the dialog saves what is stored, not what is shown)."""
    journey.start("--lang", "en")
    journey.sign_in("clerk1")
    page = journey.go_to("Gubao bot")
    view = page if isinstance(page, GubaoView) else page.findChild(GubaoView)
    assert isinstance(view, GubaoView)
    journey.tab("Service catalogue", within=view)
    table = journey.by_name("services_table", QTableWidget, within=view)
    journey.wait_until(lambda: table.rowCount() > 0, what="the catalogue")
    journey.click("New service", within=view)
    dialog = journey.dialog(kind=ServiceDialog)
    category = journey.by_name("service_category", QComboBox, within=dialog)
    offered = [category.itemText(i) for i in range(category.count())]
    assert "Repairs" in offered and not [t for t in offered if re.search("[一-鿿]", t)]
    journey.choose(category, "Repairs")
    journey.type_into(journey.by_name("service_name", QLineEdit, within=dialog),
                      "Knife and umbrella repair")
    journey.shot("a new service, its category in English")
    journey.click("Save", within=dialog)
    journey.wait_until(lambda: _closed(dialog), what="the dialog saved")
    journey.wait_until(lambda: journey.cells(table, journey.column(table, "Category"), [
        journey.row_of(table, "Knife and umbrella repair")]) == ["Repairs"],
        what="the category read in English")
    _sync(journey)
    held = journey.server.pull_as("clerk1")
    [item] = held.where("service_item", name="Knife and umbrella repair")
    assert item["category"] == "便民维修"


def test_a_supervisor_sees_the_open_urgent_alerts_per_community(journey: Journey) -> None:
    view = _open(journey, "supervisor1")
    journey.tab("智慧告警", within=view)
    counts = journey.by_name("urgent_counts", QLabel, within=view)
    journey.wait_until(lambda: counts.text() != "", what="the urgent counts")
    before = counts.text()
    answer = _bot(journey).ask(DEMO_URGENT, _group_of(journey, "worker1"))
    assert answer["answered"] is False
    _sync(journey)
    journey.wait_until(lambda: counts.text() != before and "未处理的紧急告警" in counts.text(),
                       what="the count of the worker's community")
    # Only the communities with an open alert are in the red line (no "清江花苑社区 0").
    assert all(int(n) > 0 for n in re.findall(r" (\d+)", counts.text())), counts.text()
    journey.shot("a supervisor's urgent counts per community")
    # The urgent banner across the window's top covers none of the section.
    banner = journey.window.findChild(UrgentBanner)
    assert banner is not None and banner.isVisible()
    banner_bottom = banner.mapToGlobal(banner.rect().bottomLeft()).y()
    assert counts.mapToGlobal(counts.rect().topLeft()).y() > banner_bottom

    # The supervisor's dashboard counts them too, a click away from the counts above.
    journey.go_to("绩效考核")
    journey.tab("统计看板")
    board = journey.by_name("dashboard", DashboardView)
    urgent = journey.by_name("dashboard_urgent", QPushButton, within=board)
    open_now = sum(int(n) for n in re.findall(r" (\d+)", counts.text()))
    assert open_now > 0
    journey.wait_until(lambda: urgent.isVisible()
                       and urgent.text() == f"未处理的紧急告警：{open_now} 条 ›",
                       what="the dashboard's urgent count")
    journey.shot("the supervisor's dashboard counts the open urgent alerts")
    journey.click(urgent)
    journey.wait_until(lambda: journey.window.current_section() == "gubao"
                       and view.tabs.currentWidget() is view.rules and counts.isVisible(),
                       what="the 鼓宝 section's urgent counts")
    numbers = [int(n) for n in re.findall(r" (\d+)", counts.text())]
    assert sum(numbers) >= 1
    held = journey.server.pull_as("supervisor1")
    [message] = held.where("inbox_message", text=DEMO_URGENT)
    assert message["urgent"] is True


def test_a_social_worker_drafts_an_announcement_for_a_clerks_approval(
        journey: Journey) -> None:
    view = _open(journey, "worker1")
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == ["群公告"]
    table = journey.by_name("announcements_table", QTableWidget, within=view)
    journey.click("新建公告", within=view)
    dialog = journey.dialog(kind=AnnouncementDialog)
    checks = dialog.findChild(GridChecks)
    assert checks is not None and checks.boxes  # only the worker's own grids
    journey.type_into("标题", "周六义诊", within=dialog)
    journey.type_into(journey.by_name("announcement_text", QPlainTextEdit, within=dialog),
                      "【活动预告】本周六上午社区卫生服务站义诊，欢迎老人参加。")
    if not checks.boxes[0][1].isChecked():
        journey.click(checks.boxes[0][1])
    _save(journey, dialog)
    journey.click_row(table, journey.row_of(table, "周六义诊"))
    journey.click("提交审批", within=view)
    journey.wait_until(lambda: journey.cells(table, journey.column(table, "状态"), [
        journey.row_of(table, "周六义诊")]) == ["待审批"], what="waiting for the clerk")
    assert not view.announcements.approve_button.isVisible()  # approving is a clerk's
    journey.shot("a social worker's announcement waits for a clerk's approval")
    _sync(journey)

    held = journey.server.pull_as("clerk1")
    [mine] = held.where("announcement", title="周六义诊")
    assert mine["status"] == "pending" and mine["approved_by_id"] is None
    assert [h["action"] for h in mine["history"]] == ["submit"]


def test_a_supervisor_writes_an_entry_for_one_community_of_the_street(
        journey: Journey) -> None:
    view = _open(journey, "supervisor1")
    table = journey.by_name("knowledge_table", QTableWidget, within=view)
    journey.wait_until(lambda: table.rowCount() >= 30, what="the knowledge base")
    journey.click("新建问答", within=view.knowledge)
    dialog = journey.dialog(kind=EntryDialog)
    place = journey.by_name("content_place", QComboBox, within=dialog)
    offered = [place.itemText(i) for i in range(place.count())]
    assert offered[0].startswith("街道：") and len(offered) > 2  # the street, its communities
    community = offered[1]
    journey.choose(place, community)
    journey.type_into("问题", "社区食堂周末开吗？", within=dialog)
    journey.type_into("关键词", "食堂 周末", within=dialog)
    journey.type_into(dialog.findChild(QPlainTextEdit), "社区食堂周末照常营业，11:00-13:00。")
    journey.shot("a supervisor chooses where an entry applies")
    _save(journey, dialog)
    row = journey.row_of(table, "社区食堂周末开吗？")
    # Which community of the street, by its name.
    assert journey.cells(table, journey.column(table, "适用范围"), [row]) == [
        community.split("：", 1)[1]]
    _sync(journey)

    held = journey.server.pull_as("admin")
    [entry] = held.where("knowledge_entry", question="社区食堂周末开吗？")
    [chosen] = held.where("community", name=community.split("：", 1)[1])
    assert entry["scope"] == "community" and entry["community_id"] == chosen["id"]



def test_the_test_box_asks_for_a_question_before_it_asks(journey: Journey) -> None:
    """问一问 with nothing typed did nothing and said nothing. It is greyed out until a
    question is typed, and says so; typed, it asks, and the bot's answer shows."""
    view = _open(journey, "clerk1")
    ask = journey.find("问一问", QPushButton, within=view)
    box = journey.by_name("bot_test_input", QLineEdit, within=view)
    assert box.text() == ""
    assert not ask.isEnabled() and ask.toolTip() == "请先输入一个问题。", ask.toolTip()
    journey.shot("the test box, empty: 问一问 says what to do")
    journey.type_into(box, "电动车在哪里充电")
    assert ask.isEnabled() and ask.toolTip() == ""
    journey.click(ask)
    answer = journey.by_name("bot_answer", QLabel, within=view)
    journey.wait_until(lambda: "电动车" in answer.text(), what="the bot's answer")
    journey.type_into(box, "   ")
    assert not ask.isEnabled()



def test_a_question_dismissed_by_mistake_comes_back(journey: Journey) -> None:
    """无需回答 took a resident's question (one asked six times, say) off the list at one
    click, with no way back. The notice that says so offers 撤销, which brings it back,
    on this desk and on the server."""
    from ui.shell.toast import Toast

    view = _open(journey, "clerk1")
    unanswered = journey.by_name("unanswered_list", QListWidget, within=view)
    journey.wait_until(lambda: unanswered.count() > 0, what="the unanswered questions")
    before = [unanswered.item(i).text() for i in range(unanswered.count())]
    journey.click_row(unanswered, 0)
    journey.click("无需回答", within=view)
    journey.wait_until(lambda: unanswered.count() == len(before) - 1,
                       what="the question dismissed")
    question = before[0].split("（")[0]
    toast = next(t for t in journey.window.findChildren(Toast) if t.isVisible()
                 and question in t.text_label.text())
    journey.shot("a question dismissed: 撤销 in the notice")
    journey.click("撤销", within=toast)
    journey.wait_until(lambda: [unanswered.item(i).text() for i in range(
        unanswered.count())] == before, what="the question back in the list")
    journey.send_now()
    held = journey.server.pull_as("supervisor1")
    [asked] = [q for q in held.all("bot_question") if q["text"].startswith(question[:10])]
    assert asked["status"] == "open", asked


def test_a_disabled_button_says_what_to_do(journey: Journey) -> None:
    """The alert rules' 编辑…/停用 and the welcome message's button are greyed out until
    something is chosen, and say so; a district rule says who may change it."""
    rules = journey.server.pull_as("clerk1").all("alert_rule")
    district = next(r for r in rules if r["scope"] != "community")
    view = _open(journey, "clerk1")
    journey.tab("智慧告警", within=view)
    table = journey.by_name("alert_rules_table", QTableWidget, within=view)
    journey.wait_until(lambda: table.rowCount() > 0, what="the rules")
    edit, toggle = view.rules.edit_button, view.rules.toggle_button
    for button in (edit, toggle, view.rules.dry_run_button):
        assert not button.isEnabled()
        assert button.toolTip() == "请先在表格中选择一条规则。", button.toolTip()
    journey.shot("the alert rules: nothing chosen, the buttons say so")
    journey.click_row(table, journey.row_of(table, district["name"]))
    assert view.rules.dry_run_button.isEnabled()
    for button in (edit, toggle):
        assert not button.isEnabled() and "只有他们能修改" in button.toolTip(), button.toolTip()
    journey.shot("a district rule: who may change it")

    journey.tab("群公告", within=view)
    welcomes = journey.by_name("welcome_list", QListWidget, within=view)
    journey.wait_until(lambda: welcomes.count() > 0, what="the groups' welcome messages")
    welcome = journey.find("编辑欢迎语…", QPushButton, within=view)
    assert not welcome.isEnabled() and welcome.toolTip() == "请先在上面的列表中选择一个群。"
    journey.click_row(welcomes, 0)
    assert welcome.isEnabled() and not welcome.toolTip()
    journey.shot("the welcome message: a group chosen, the button enabled")


def test_a_greyed_out_announcement_step_says_why(journey: Journey) -> None:
    """编辑…/排期发送/批准发送/取消公告 are greyed out until an announcement is chosen, and
    then whenever its state does not allow the step; each says why in its tooltip."""
    view = _open(journey, "clerk1")
    journey.tab("群公告", within=view)
    a = view.announcements
    table = journey.by_name("announcements_table", QTableWidget, within=view)
    journey.row_of(table, "停水通知")
    steps = (a.edit_button, a.schedule_button, a.approve_button, a.cancel_button)
    for button in steps:
        assert not button.isEnabled()
        assert button.toolTip() == "请先在表格中选择一条公告。", button.toolTip()
    journey.shot("announcements: nothing chosen, the steps say so")

    journey.click_row(table, journey.row_of(table, "停水通知"))  # sent
    assert [b.isEnabled() for b in steps] == [False] * 4
    assert [b.toolTip() for b in steps] == [
        "已发送：不能再修改。", "已发送：只有草稿才能排期发送。",
        "已发送：只有待审批的才能批准。", "已发送：不能再取消。"]
    journey.shot("a sent announcement: why each step is greyed out")

    journey.click_row(table, journey.row_of(table, "楼道清理通知"))  # pending
    assert a.edit_button.isEnabled() and a.approve_button.isEnabled()
    assert a.cancel_button.isEnabled() and not a.approve_button.toolTip()
    assert not a.schedule_button.isEnabled()
    assert a.schedule_button.toolTip() == "待审批：只有草稿才能排期发送。"



def _clerk_drafts_for_two_grids(journey: Journey, title: str) -> None:
    """clerk1, at her own desk, drafts an announcement for one of worker1's grids and a
    grid of another worker (pushed as her desk pushes it)."""
    import uuid

    from sync.client import ApiClient
    from sync.wire import Mutation

    held = journey.server.pull_as("clerk1")
    [worker] = held.where("staff", username="worker1")
    grids = held.all("grid")
    mine = {g["id"] for g in grids if worker["id"] in (g.get("worker_ids") or [])}
    own = next(g for g in grids if g["id"] in mine)
    other = next(g for g in grids if g["id"] not in mine
                 and g["community_id"] == own["community_id"])
    client = ApiClient(journey.server.url, retries=0)
    client.login("clerk1", "demo1234", device_id="clerk1-desk", device_name="clerk's desk")
    [result] = client.push("clerk1-desk", [Mutation(
        mutation_id=str(uuid.uuid4()), entity="announcement", id=str(uuid.uuid4()),
        op="create", fields={
            "community_id": own["community_id"], "grid_ids": [own["id"], other["id"]],
            "kind": "notice", "title": title, "text": f"【通知】{title}", "recurrence": "none",
            "status": "draft", "sent_count": 0, "history": []})])
    assert result.status == "applied", result


def test_a_social_worker_sees_why_a_communitys_announcement_is_not_theirs(
        journey: Journey) -> None:
    """A social worker lists the announcements that go to their grids; one that goes beyond
    them too (a clerk's, to two grids) is a clerk's to change: every step is greyed out and
    says so. Their own (to one of their grids) keeps the steps its state allows."""
    _clerk_drafts_for_two_grids(journey, "两个网格的停电通知")
    view = _open(journey, "worker1")
    a = view.announcements
    table = journey.by_name("announcements_table", QTableWidget, within=view)
    steps = (a.edit_button, a.schedule_button, a.cancel_button)
    journey.click_row(table, journey.row_of(table, "两个网格的停电通知"))  # the clerk's
    assert not a.approve_button.isVisible()  # approving is a clerk's
    assert a.schedule_button.text() == "提交审批"
    assert [b.isEnabled() for b in steps] == [False] * 3
    assert {b.toolTip() for b in steps} == {"它发往您网格以外的群，由社区办事员修改。"}, [
        b.toolTip() for b in steps]
    journey.shot("a social worker: a community-wide announcement is a clerk's")

    journey.click_row(table, journey.row_of(table, "楼道清理通知"))  # theirs, pending
    assert a.cancel_button.isEnabled() and not a.cancel_button.toolTip()
    assert not a.edit_button.isEnabled()
    assert a.edit_button.toolTip() == "待审批：现在只有社区办事员能修改。", a.edit_button.toolTip()
    assert not a.schedule_button.isEnabled()
    assert a.schedule_button.toolTip() == "待审批：只有草稿才能提交审批。", (
        a.schedule_button.toolTip())
    journey.shot("a social worker's own announcement, waiting for approval")


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_announcements_titles_have_the_room(journey: Journey, language: str) -> None:
    """At 1024×700 in English the announcements' titles were 65 px wide, broken three
    characters a line (每周一 / 安全提 / 示): kind, time, repeats and status fitted their
    words first. The repeats go under the time (most announcements do not repeat), and the
    title keeps at least eight characters a line."""
    Settings().set(LANGUAGE, language)  # chosen in 设置 on an earlier day
    view = _open(journey, "clerk1", "鼓宝" if language == "zh_CN" else "Gubao bot")
    journey.tab("群公告" if language == "zh_CN" else "Announcements", within=view)
    table = journey.by_name("announcements_table", QTableWidget, within=view)
    journey.row_of(table, "每周一安全提示")
    journey.settle(100)
    title = table.columnWidth(0)
    glyph = QFontMetrics(table.font()).horizontalAdvance("汉")
    widths = [table.columnWidth(c) for c in range(table.columnCount())]
    assert title >= 8 * glyph + 12, (title, widths)
    weekly = journey.row_of(table, "每周一安全提示")
    repeats = "每周" if language == "zh_CN" else "Every week"
    goes = journey.cells(table, journey.column(
        table, "发送时间" if language == "zh_CN" else "Goes at"), [weekly])[0]
    assert repeats in goes, goes  # still said, under the time
    journey.shot(f"the announcements in {language}: the titles read")


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_calendars_colours_say_only_what_its_legend_says(journey: Journey,
                                                             language: str) -> None:
    """The calendar's legend reads "red: something goes that day; grey: sent", but Qt drew
    every Saturday and Sunday red (a clerk read each weekend as one with an announcement
    going) and the days of the months before and after grey (as if sent). Weekends now
    take the weekdays' ink, sent days are green, and the legend says so."""
    Settings().set(LANGUAGE, language)
    view = _open(journey, "clerk1", "鼓宝" if language == "zh_CN" else "Gubao bot")
    journey.tab("群公告" if language == "zh_CN" else "Announcements", within=view)
    table = journey.by_name("announcements_table", QTableWidget, within=view)
    sent_word, cancelled = ("已发送", "已取消") if language == "zh_CN" else ("Sent", "Cancelled")
    journey.row_of(table, "每周一安全提示")
    status, goes_at = (journey.column(table, h) for h in (
        ("状态", "发送时间") if language == "zh_CN" else ("Status", "Goes at")))
    rows = range(table.rowCount())
    # (A welcome message has no time: it goes to each newcomer as they join.)
    when = [(dt.date.fromisoformat(t[:10]), s) for t, s in zip(
        journey.cells(table, goes_at, rows), journey.cells(table, status, rows), strict=True)
        if t]
    sent = {day for day, s in when if s == sent_word}
    goes = {day for day, s in when if s not in (sent_word, cancelled)}  # drafts too
    assert sent and goes, when
    calendar = journey.by_name("announcement_calendar", QCalendarWidget, within=view)
    cells = calendar.findChild(QTableView)
    assert cells is not None
    model = cells.model()

    def ink(day: dt.date) -> str:
        """The colour the calendar draws ``day`` in (the month it is in shown)."""
        while (calendar.yearShown(), calendar.monthShown()) > (day.year, day.month):
            journey.click(journey.by_name("qt_calendar_prevmonth", QWidget, within=calendar))
        while (calendar.yearShown(), calendar.monthShown()) < (day.year, day.month):
            journey.click(journey.by_name("qt_calendar_nextmonth", QWidget, within=calendar))
        # Row 0 is the weekdays' names; the month starts at the first "1".
        cells = [model.index(r, c) for r in range(1, model.rowCount())
                 for c in range(model.columnCount())]
        start = next(i for i, index in enumerate(cells) if str(model.data(index)) == "1")
        index = cells[start + day.day - 1]
        assert str(model.data(index)) == str(day.day), (day, model.data(index))
        return str(QBrush(model.data(index, Qt.ItemDataRole.ForegroundRole)).color().name())

    marked = sent | goes
    today = dt.datetime.now(SHANGHAI).date()
    plain = [today + dt.timedelta(days=n) for n in range(-20, 21)
             if today + dt.timedelta(days=n) not in marked]
    weekend = {ink(d) for d in plain if d.weekday() >= 5}
    weekday = {ink(d) for d in plain if d.weekday() < 5}
    assert weekend == weekday and len(weekday) == 1, (weekend, weekday)
    assert {ink(d) for d in sent} == {palette.SUCCESS}
    assert {ink(d) for d in goes} == {palette.DANGER}
    assert view.announcements.legend.text() == (
        "红色：当天有待发公告；绿色：已发送。" if language == "zh_CN"
        else "Red: something goes that day; green: sent.")
    journey.shot(f"the announcements calendar in {language}: weekends plain, sent green")


def test_a_supervisors_unanswered_questions_say_which_community_asked(
        journey: Journey) -> None:
    """A street's supervisor reads the questions 鼓宝 could not answer in every community
    of the street; the same question asked in two read twice, "小区东门的路什么时候修好？
    （问过 6 次）" and "（问过 1 次）", and none said where. Each names its community."""
    # A resident of another community of the street asks what 汇林绿洲's residents asked.
    answer = _bot(journey).ask("小区东门的路什么时候修好？", _group_of(journey, "worker5"))
    assert not answer.get("answered"), answer
    view = _open(journey, "supervisor1")
    questions = journey.by_name("unanswered_list", QListWidget, within=view)
    held = journey.server.pull_as("supervisor1")
    names = {c["id"]: c["name"] for c in held.all("community")}
    asked = [q for q in held.all("bot_question") if q["status"] == "open"]
    assert len({q["community_id"] for q in asked}) >= 2, asked  # the street's communities
    journey.wait_until(lambda: questions.count() == len(asked), what="the open questions")
    shown = [questions.item(i).text() for i in range(questions.count())]
    for q in asked:
        expected = f"{q['text']}（{names[q['community_id']]} · 问过 {q['count'] or 1} 次）"
        assert expected in shown, (expected, shown)
    journey.shot("a supervisor's unanswered questions, each with its community")


def test_a_social_worker_is_never_offered_approval_not_even_while_it_loads(
        journey: Journey) -> None:
    """A social worker opening 鼓宝 saw 批准发送 (and 定时发送, a clerk's word) beside the
    announcements until they had loaded: a button offered what the role cannot do. From
    the first moment the page is shown, the steps are the worker's."""
    journey.start()
    window = journey.sign_in("worker1")
    nav = window.navigation
    [row] = [r for r in range(nav.count()) if nav.item(r).text().startswith("鼓宝")]
    # The sidebar clicked, the page looked at before anything it reads can have come back.
    journey.qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton,
                             pos=nav.visualItemRect(nav.item(row)).center())
    view = window.page(nav.current_key() or "").findChild(GubaoView)
    assert view is not None and view.isVisible()
    a = view.announcements
    assert not a.approve_button.isVisible(), a.approve_button.text()
    assert a.schedule_button.text() == "提交审批", a.schedule_button.text()
    journey.shot("鼓宝 for a social worker as it opens")
    table = journey.by_name("announcements_table", QTableWidget, within=view)
    journey.wait_until(lambda: table.rowCount() > 0, what="the announcements")
    assert not a.approve_button.isVisible()
    assert a.schedule_button.text() == "提交审批"
