"""Journeys of administration (issue 18): an admin creates a social worker and gives
them grids, and the new worker signs in with the one-time password, chooses their own
and syncs their grids' households; an admin maps a WeChat group nobody knew, and its
waiting messages reach the grid; an admin publishes a new version of a visit form with
one more required question, and a worker fills it; an admin edits a category's SLA and
adds a canned reply, and a clerk's menus follow."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QWidget,
)
from shiboken6 import isValid

from gulou_desk.domain import sla
from server.demo_data import DEMO_PASSWORD
from sync.client import ApiClient
from sync.wire import Mutation
from tests.journeys.harness import Journey
from tests.journeys.test_household_detail import find_household, open_households
from tests.journeys.visit_steps import ROUTINE, field, open_household, pick, start_visit, submit
from ui.admin.catalogue import CannedReplyDialog
from ui.admin.forms import FormsTab, PreviewDialog
from ui.admin.view import AdminView, CoverDialog, GridsDialog, StaffDialog
from ui.households.dialogs import RecordDialog
from ui.inbox.dialogs import ReplyDialog
from ui.login_dialog import LoginDialog
from ui.shell.history import HistoryDialog
from ui.tickets.dialogs import NewTicketDialog
from ui.tickets.view import TicketsView

NEW_PASSWORD = "wang-own-pass-7"


def save_catalogue_and_send(journey: Journey, page: QWidget) -> None:
    """Save the catalogue tab's edits, sync, and wait until the server has them."""
    journey.click("保存目录", within=page)
    view = journey.by_name("admin_view", AdminView)
    journey.wait_until(lambda: "目录已保存" in view.notice.text(), what="saved")
    window = journey.window
    seen = journey.syncs_finished
    journey.click(window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)
    journey.wait_until(lambda: window.status_bar.pending_count == 0, what="the edits sent")


def test_an_admin_creates_a_worker_who_signs_in_and_syncs(journey: Journey) -> None:
    journey.start()
    window = journey.sign_in("admin")
    page = journey.go_to("管理")
    view = journey.by_name("admin_view", AdminView)
    table = journey.by_name("staff_table", QTableWidget, within=page)
    journey.row_of(table, "worker1")
    journey.shot("the staff list")

    journey.click("新增人员…", within=page)
    dialog = journey.dialog(kind=StaffDialog)
    journey.type_into("姓名", "王小明", within=dialog)
    journey.type_into("用户名", "wangxm", within=dialog)
    journey.type_into("电话", "13800138000", within=dialog)
    journey.press(Qt.Key.Key_Return, target=dialog.phone)
    journey.wait_until(lambda: view.last_password is not None, what="the one-time password")
    one_time = str(view.last_password)
    assert one_time in journey.find("一次性密码", within=page, exact=False).text()
    row = journey.row_of(table, "王小明")
    journey.shot("a new worker with a one-time password")

    journey.click_row(table, row)
    # Not signed in anywhere yet: the devices say so, and there is nothing to revoke.
    journey.wait_until(lambda: journey.find("还没有电脑", within=page).isVisible(),
                       what="the empty devices explained")
    assert not journey.by_name("revoke_device", QPushButton, within=page).isEnabled()
    journey.click("分配网格…", within=page)
    grids = journey.dialog(kind=GridsDialog)
    grid_list = journey.by_name("grid_list", QListWidget, within=grids)
    journey.wait_until(lambda: grid_list.count() > 0, what="the grids")
    journey.click_row(grid_list, 0)
    grid_name = grid_list.item(0).text()
    journey.press(Qt.Key.Key_Space, target=grid_list)
    assert grid_list.item(0).checkState() == Qt.CheckState.Checked
    journey.press(Qt.Key.Key_Return, target=grid_list)
    journey.wait_until(lambda: not isValid(grids) or grids.isHidden(),
                       what="the grids dialog closes")
    seen = journey.syncs_finished
    journey.click(window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)
    journey.wait_until(lambda: grid_name in journey.cells(
        table, journey.column(table, "网格"), [journey.row_of(table, "王小明")])[0],
        what="the grid in the list")
    held = journey.server.pull_as("admin")
    [staff] = held.where("staff", username="wangxm")
    assert staff["role"] == "social_worker" and staff["phone"] == "13800138000"
    [grid] = held.where("grid", name=grid_name)
    assert staff["id"] in grid["worker_ids"]
    journey.shot("the worker has a grid")

    journey.go_to("设置")
    journey.click("退出登录", within=window)
    login = journey.dialog(kind=LoginDialog)
    journey.type_into(login.username_edit, "wangxm")
    journey.type_into(login.password_edit, one_time)
    journey.press(Qt.Key.Key_Return, target=login.password_edit)
    journey.wait_until(login.new_password_edit.isVisible, what="asked for an own password")
    journey.shot("the one-time password must be changed")
    seen = journey.syncs_finished
    journey.type_into(login.new_password_edit, NEW_PASSWORD)
    journey.type_into(login.repeat_edit, NEW_PASSWORD)
    journey.press(Qt.Key.Key_Return, target=login.repeat_edit)
    journey.wait_for_sync(after=seen)
    households = journey.go_to("住户")
    listed = journey.by_name("households_table", QTableView, within=households)
    journey.wait_until(lambda: listed.model().rowCount() > 0, what="the grid's households")
    journey.shot("the new worker's households")
    mine = journey.server.pull_as("wangxm", NEW_PASSWORD).all("household")
    assert mine and {h["grid_id"] for h in mine} == {grid["id"]}


def test_an_admin_maps_an_unknown_group_and_its_messages_reach_the_grid(
    journey: Journey, tmp_path: Path
) -> None:
    answer = journey.server.bot_posts("wx-unknown-301", "3栋电梯又坏了，老人下不了楼",
                                      group_name="颐和新村3栋住户群", sender="老陈")
    assert answer["status"] == "unrouted"
    journey.start()
    window = journey.sign_in("admin")
    page = journey.go_to("管理")
    journey.tab("微信群", within=page)
    groups = journey.by_name("group_table", QTableWidget, within=page)
    row = journey.row_of(groups, "颐和新村3栋住户群")
    journey.click_row(groups, row)
    waiting = journey.by_name("waiting_table", QTableWidget, within=page)
    journey.row_of(waiting, "电梯又坏了")
    combo = journey.by_name("map_grid", QComboBox, within=page)
    journey.wait_until(lambda: combo.count() > 0, what="the grids to choose")
    grid_name = combo.itemText(min(1, combo.count() - 1))
    journey.choose(combo, grid_name)
    journey.shot("an unmapped group with a waiting message")
    journey.click("对应到此网格", within=page)
    journey.find(f"已对应到{grid_name}", QLabel, within=window, exact=False)  # the toast
    seen = journey.syncs_finished
    journey.click(window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)
    journey.wait_until(lambda: grid_name in journey.cells(
        groups, journey.column(groups, "网格"), [journey.row_of(groups, "颐和新村3栋住户群")])[0],
        what="the group mapped")
    # The sync read the list anew: the group is still the one chosen, and no message of
    # it waits any more (the empty state says so instead of an empty table).
    [chosen] = groups.selectionModel().selectedRows()
    assert groups.item(chosen.row(), 0).text() == "颐和新村3栋住户群"
    journey.find("没有待处理的消息", within=page)
    assert not waiting.isVisible()
    journey.shot("the group mapped to its grid")
    held = journey.server.pull_as("admin")
    [grid] = held.where("grid", name=grid_name)
    [message] = held.where("inbox_message", id=answer["id"])
    assert message["grid_id"] == grid["id"]
    [group] = held.where("wechat_group", group_id="wx-unknown-301")
    assert group["grid_id"] == grid["id"] and group["waiting"] == 0

    # The mapping is in the audit log, by the admin, and goes to Excel for an inspection.
    journey.tab("审计日志", within=page)
    view = journey.by_name("admin_view", AdminView)
    admin_name = held.where("staff", username="admin")[0]["display_name"]
    journey.choose(journey.by_name("audit_person", QComboBox, within=page), admin_name)
    journey.click("查询", within=page)
    audit = journey.by_name("audit_table", QTableWidget, within=page)
    mapped_row = journey.row_of(audit, "群对应网格")
    assert journey.cells(audit, journey.column(audit, "人员"), [mapped_row]) == [admin_name]
    journey.shot("the audit log of the admin")
    path = tmp_path / "审计日志.xlsx"

    journey.save_as(path)
    journey.click("导出 Excel…", within=page)
    journey.wait_until(lambda: "已保存" in view.notice.text(), what="the export saved")
    sheet = load_workbook(path).active
    assert sheet is not None
    rows = [[str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["时间", "人员", "操作"]
    assert any(r[1] == admin_name and r[2] == "群对应网格" for r in rows[1:])


def test_a_worker_opens_a_residents_history(journey: Journey) -> None:
    mine = journey.server.pull_as("worker1")
    households = {h["id"]: h for h in mine.all("household")}
    heads = Counter(h["head_name"] for h in households.values())
    resident = next(r for r in sorted(mine.all("resident"), key=lambda r: r["id"])
                    if heads[households[r["household_id"]]["head_name"]] == 1
                    and r["status"] == "active")
    head = households[resident["household_id"]]["head_name"]
    supervisor = ApiClient(journey.server.url, retries=0)  # set up: an edit from elsewhere
    supervisor.login("supervisor1", DEMO_PASSWORD, "supervisor-desk", "supervisor desk")
    [edited] = supervisor.push("supervisor-desk", [Mutation(
        mutation_id=str(uuid.uuid4()), entity="resident", id=resident["id"], op="update",
        base_version=resident["version"], fields={"phone": "13912340000"})])
    assert edited.status == "applied"

    journey.start()
    journey.sign_in("worker1")
    table = open_households(journey)
    detail = find_household(journey, table, head)
    residents = journey.by_name("residents_table", QTableView, within=detail)
    journey.click_row(residents, journey.row_of(residents, resident["name"]))
    journey.click(detail.resident_history_button)
    dialog = journey.dialog(kind=HistoryDialog)
    history = journey.by_name("history_table", QTableWidget, within=dialog)
    row = journey.row_of(history, "13912340000")
    person, field = (journey.cells(history, journey.column(history, name), [row])[0]
                     for name in ("人员", "字段"))
    assert field == "电话" and person != "系统"
    journey.shot("a resident's history")
    reads = [e for e in supervisor.audit(record_id=resident["id"]) if e["op"] == "read"]
    worker1 = mine.where("staff", username="worker1")[0]["id"]
    assert [e["staff_id"] for e in reads] == [worker1] and "phone" in reads[0]["fields"]


def test_a_cover_brings_a_grid_to_a_worker_and_takes_it_away_when_it_ends(
    journey: Journey
) -> None:
    admin_view = journey.server.pull_as("admin")
    staff = {s["username"]: s for s in admin_view.all("staff")}
    worker3, worker1 = staff["worker3"]["id"], staff["worker1"]["id"]
    grid = next(g for g in sorted(admin_view.all("grid"), key=lambda g: g["name"])
                if worker1 in g["worker_ids"] and worker3 not in g["worker_ids"])
    theirs = journey.server.pull_as("worker3").all("household")
    covered = [h for h in admin_view.all("household") if h["grid_id"] == grid["id"]]
    heads = Counter(h["head_name"] for h in [*theirs, *covered])
    household = next(h for h in sorted(covered, key=lambda h: h["id"])
                     if heads[h["head_name"]] == 1 and h["room"])

    journey.start()
    window = journey.sign_in("admin")
    page = journey.go_to("管理")
    table = journey.by_name("staff_table", QTableWidget, within=page)
    journey.click_row(table, journey.row_of(table, "worker3"))
    journey.click("临时顶岗…", within=page)
    dialog = journey.dialog(kind=CoverDialog)
    journey.choose(journey.by_name("cover_grid", QComboBox, within=dialog), grid["name"])
    journey.type_into("备注", "worker1 休假", within=dialog)
    journey.press(Qt.Key.Key_Return, target=dialog.note)
    seen = journey.syncs_finished
    journey.click(window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)
    journey.tab("临时顶岗", within=page)
    covers = journey.by_name("cover_table", QTableWidget, within=page)
    journey.row_of(covers, "worker1 休假")
    journey.wait_until(lambda: window.status_bar.pending_count == 0, what="the cover sent")
    journey.shot("a cover arranged")
    [cover] = [c for c in journey.server.pull_as("admin").all("cover")
               if c["staff_id"] == worker3]
    assert cover["grid_id"] == grid["id"] and cover["status"] == "active"

    journey.go_to("设置")
    journey.click("退出登录", within=window)
    window = journey.sign_in("worker3")
    households = open_households(journey)
    find_household(journey, households, household["head_name"])
    journey.click("编辑住户", within=window)
    edit = journey.dialog(kind=RecordDialog)
    journey.type_into("室", "909", within=edit)
    journey.click("保存", within=edit)
    journey.wait_until(lambda: not isValid(edit) or not edit.isVisible(), what="saved")
    seen = journey.syncs_finished
    journey.click(window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)
    journey.wait_until(lambda: window.status_bar.pending_count == 0, what="the edit sent")
    journey.shot("the covering worker edits a household of the grid")
    held = journey.server.pull_as("supervisor1").get("household", household["id"])
    assert held is not None and held["room"] == "909"

    admin = ApiClient(journey.server.url, retries=0)  # the cover ends (the admin, elsewhere)
    admin.login("admin", DEMO_PASSWORD, "admin-desk", "admin desk")
    [ended] = admin.push("admin-desk", [Mutation(
        mutation_id=str(uuid.uuid4()), entity="cover", id=cover["id"], op="action",
        action="end", args={})])
    assert ended.status == "applied"
    seen = journey.syncs_finished
    journey.click(window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)
    model = households.model()
    head_column = journey.column(households, "户主")
    journey.wait_until(lambda: household["head_name"] not in {
        model.index(r, head_column).data() for r in range(model.rowCount())},
        what="the covered grid's household gone from the list")
    journey.shot("the cover ended: the grid's households are gone")
    assert household["id"] not in {h["id"] for h in journey.server.pull_as("worker3")
                                    .all("household")}


def test_a_supervisor_administers_only_their_streets_workers_and_clerks(
    journey: Journey
) -> None:
    journey.start()
    journey.sign_in("supervisor1")
    page = journey.go_to("管理")
    view = journey.by_name("admin_view", AdminView)
    table = journey.by_name("staff_table", QTableWidget, within=page)
    journey.row_of(table, "worker1")
    streets = {s.street_id for s in view.staff}
    assert len(streets) == 1 and "admin" not in {s.username for s in view.staff}
    journey.shot("a supervisor's staff list")
    # Ctrl+F finds a person from the list; a search that matches nobody says so.
    journey.click_row(table, journey.row_of(table, "worker1"))
    journey.press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier, target=table)
    assert view.search.hasFocus()
    journey.type_into(view.search, "无此人zz")
    journey.find("没有相符的人员", within=page)
    journey.type_into(view.search, "")
    journey.row_of(table, "worker1")
    journey.click("新增人员…", within=page)
    dialog = journey.dialog(kind=StaffDialog)
    roles = [dialog.role.itemData(i) for i in range(dialog.role.count())]
    assert roles == ["social_worker", "clerk"]
    journey.type_into("姓名", "赵敏", within=dialog)
    journey.type_into("用户名", "zhaomin", within=dialog)
    journey.press(Qt.Key.Key_Return, target=dialog.username)
    journey.wait_until(lambda: view.last_password is not None, what="the one-time password")
    journey.row_of(table, "赵敏")
    window = journey.window
    seen = journey.syncs_finished
    journey.click(window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)
    [made] = journey.server.pull_as("admin").where("staff", username="zhaomin")
    assert made["street_id"] in streets and made["role"] == "social_worker"


def test_an_admin_publishes_a_form_version_that_a_worker_fills(journey: Journey) -> None:
    journey.start()
    window = journey.sign_in("admin")
    page = journey.go_to("管理")
    journey.tab("走访表单", within=page)
    designer = journey.by_name("forms_tab", FormsTab, within=page)
    versions = journey.by_name("form_versions", QListWidget, within=page)
    journey.click_row(versions, journey.row_of(versions, "常规走访 · 第 2 版（当前）"))
    journey.row_of(versions, "常规走访 · 第 1 版（已停用）")
    questions = journey.by_name("form_fields", QListWidget, within=page)
    journey.click_row(questions, journey.row_of(questions, "受访人"))
    journey.click("添加", within=page)
    journey.type_into("标题（中文）", "居民签字确认", within=page)
    journey.type_into("标题（英文）", "Resident signed", within=page)
    journey.choose(journey.by_name("field_type", QComboBox, within=page), "是 / 否")
    journey.click("必填", within=page)
    journey.type_into("字段名", "resident_signed", within=page)
    journey.row_of(questions, "2. 居民签字确认 *")
    assert "发布后成为第 3 版" in journey.by_name("form_heading", QLabel, within=page).text()
    assert not journey.by_name("form_problems", QLabel, within=page).text()
    journey.shot("the form designer with a new required question")

    journey.click("预览…", within=page)
    preview = journey.dialog(kind=PreviewDialog)
    journey.find("居民签字确认", within=preview, exact=False)
    journey.find("是", within=journey.by_name("field_resident_signed", QWidget,
                                              within=preview))
    journey.shot("the preview, with the visit form's own widgets")
    journey.press(Qt.Key.Key_Escape, target=preview)

    journey.click("发布", within=page)
    view = journey.by_name("admin_view", AdminView)
    journey.wait_until(lambda: "第 3 版" in view.notice.text(), what="published")
    seen = journey.syncs_finished
    journey.click(window.status_bar.sync_button)
    journey.wait_for_sync(after=seen)
    journey.row_of(versions, "常规走访 · 第 3 版（当前）")
    journey.wait_until(lambda: journey.row_of(versions, "常规走访 · 第 2 版（已停用）") >= 0,
                       what="version 2 retired")
    held = journey.server.pull_as("worker1")
    [v3] = held.where("visit_template", version=3)
    assert v3["id"] == designer.published and v3["active"] is True
    assert [f["key"] for f in v3["fields"]][:3] == ["interviewee", "resident_signed",
                                                    "people_at_home"]

    journey.go_to("设置")
    journey.click("退出登录", within=window)
    journey.sign_in("worker1")
    _head, detail = open_household(journey, row=1)
    dialog = start_visit(journey, detail, ROUTINE)
    assert dialog.template().get("version") == 3
    journey.type_into(field(journey, dialog, "interviewee"), "钱秀英")
    journey.type_into(field(journey, dialog, "people_at_home"), "1")
    pick(journey, dialog, "living_situation", "良好")
    pick(journey, dialog, "problem_found", "否")
    pick(journey, dialog, "follow_up_needed", "否")
    journey.click("提交走访", within=dialog)
    journey.settle(200)
    assert not dialog.is_submitted, "the new required question is asked"
    pick(journey, dialog, "resident_signed", "是")
    journey.shot("a worker fills the new version")
    submit(journey, dialog)
    journey.wait_for_sync(timeout=60_000)
    [visit] = [v for v in journey.server.pull_as("supervisor1").all("visit")
               if v["answers"].get("interviewee") == "钱秀英"]
    assert (visit["template_id"], visit["template_version"]) == (v3["id"], 3)
    assert visit["answers"]["resident_signed"] is True


def test_the_form_designer_reads_in_english(journey: Journey) -> None:
    journey.start()
    window = journey.sign_in("admin")
    journey.choose(journey.by_name("language", QComboBox, within=journey.go_to("设置")),
                   "English")
    journey.wait_until(lambda: journey.window is not window, what="the window in English")
    page = journey.go_to("Administration")
    journey.tab("Visit forms", within=page)
    versions = journey.by_name("form_versions", QListWidget, within=page)
    journey.row_of(versions, "Care visit (elderly living alone) · version 1 (current)")
    journey.click_row(versions, journey.row_of(versions, "Routine visit · version 2 (current)"))
    questions = journey.by_name("form_fields", QListWidget, within=page)
    journey.row_of(questions, "Knows the community service number")
    # Every question reads whole in the list, without scrolling sideways ("3. Knows the
    # community service number" ran off the list at 1024×700).
    journey.settle(100)
    assert not questions.horizontalScrollBar().isVisible()
    shown = questions.viewport().rect()
    wide = [questions.item(r).text() for r in range(questions.count())
            if questions.fontMetrics().horizontalAdvance(questions.item(r).text())
            > shown.width() and questions.visualItemRect(questions.item(r)).height()
            < 2 * questions.fontMetrics().lineSpacing()]
    assert wide == [], wide  # a long one wraps onto a second line
    journey.click_row(versions, journey.row_of(versions, "Routine visit · version 1 (retired)"))
    questions = journey.by_name("form_fields", QListWidget, within=page)
    journey.click_row(questions, journey.row_of(questions, "Living situation"))
    assert journey.field("Label (English)", within=page).text() == "Living situation"  # type: ignore[attr-defined]
    journey.click("Add", within=page)
    journey.type_into("Label (Chinese)", "住房情况", within=page)
    journey.type_into("Label (English)", "Housing", within=page)
    journey.choose(journey.by_name("field_type", QComboBox, within=page), "One choice")
    problems = journey.by_name("form_problems", QLabel, within=page)
    journey.wait_until(lambda: "give the options" in problems.text(), what="options asked")
    assert not journey.find("Publish", within=page).isEnabled()
    journey.shot("the form designer in English, a choice without options")
    options = journey.type_into(journey.by_name("field_options", QWidget, within=page),
                                "own | 自有 | Owned")
    journey.press(Qt.Key.Key_Return, target=options)
    journey.type_into(options, "rent | 租住 | Rented", replace=False)
    journey.wait_until(lambda: not problems.text(), what="the question complete")
    journey.click("Preview…", within=page)
    preview = journey.dialog(kind=PreviewDialog)
    journey.find("Rented", within=preview)
    journey.shot("the preview in English")
    journey.press(Qt.Key.Key_Escape, target=preview)


NEW_REPLY = "您好，已转交物业处理，物业会电话联系您。"


def test_an_admin_edits_the_catalogue_and_a_clerk_follows_it(journey: Journey) -> None:
    journey.start()
    window = journey.sign_in("admin")
    page = journey.go_to("管理")
    journey.tab("目录", within=page)
    days = journey.by_name("sla_sanitation", QSpinBox, within=page)
    journey.wait_until(lambda: days.value() == 3, what="the SLA of 环境卫生")
    journey.type_into(days, "8")
    journey.click("添加…", within=page)
    dialog = journey.dialog(kind=CannedReplyDialog)
    journey.type_into(dialog.edit, NEW_REPLY)
    journey.click(dialog.ok)
    replies = journey.by_name("catalogue_replies", QListWidget, within=page)
    journey.row_of(replies, NEW_REPLY)
    journey.shot("the catalogues, edited")
    save_catalogue_and_send(journey, page)
    held = journey.server.pull_as("clerk1")
    [sanitation] = held.where("catalogue_entry", kind="category", code="sanitation")
    assert sanitation["sla_days"] == 8
    assert held.where("catalogue_entry", text=NEW_REPLY)

    journey.go_to("设置")
    journey.click("退出登录", within=window)
    journey.sign_in("clerk1")
    journey.wait_until(lambda: sla.sla_days("sanitation") == 8, what="the catalogue read")
    tickets = journey.go_to("工单")
    tickets_view = tickets.findChild(TicketsView)
    assert tickets_view is not None
    journey.click(tickets_view.new_button)
    new = journey.dialog(kind=NewTicketDialog)
    box = journey.field("类别", within=new)
    assert isinstance(box, QComboBox)
    journey.choose(box, box.itemText(box.findData("sanitation")))
    assert "8" in box.currentText()
    journey.shot("the new ticket's categories with the edited SLA")
    journey.press(Qt.Key.Key_Escape, target=new)

    inbox = journey.go_to("诉求收件箱")
    table = journey.by_name("inbox_table", QTableView, within=inbox)
    journey.click_row(table, 0, 3)
    journey.click("回复", within=inbox)
    reply = journey.dialog(kind=ReplyDialog)
    canned = reply.canned  # type: ignore[attr-defined]
    journey.click_row(canned, journey.row_of(canned, NEW_REPLY))
    journey.assert_text_fits(reply.preview)  # type: ignore[attr-defined]
    assert reply.text.toPlainText() == NEW_REPLY  # type: ignore[attr-defined]
    journey.shot("the district's new canned reply in the clerk's menu")


def test_the_catalogue_shows_the_category_names_whole_in_english(journey: Journey) -> None:
    """An administrator reading the categories' SLAs in English sees every name whole
    ("Certificates and docume…" was cut at 1024 px) and the table needs no scrolling."""
    from tests.journeys.harness import _shown_text

    journey.start("--lang", "en")
    journey.sign_in("admin")
    page = journey.go_to("Administration")
    journey.tab("Catalogues", within=page)
    categories = journey.by_name("catalogue_categories", QTableWidget, within=page)
    journey.row_of(categories, "Certificates and documents")
    journey.settle(100)
    journey.shot("the catalogue in English")
    for row in range(categories.rowCount()):
        index = categories.model().index(row, 0)
        text = str(index.data())
        assert _shown_text(categories, index) == text, (
            f"{text!r} is cut to {_shown_text(categories, index)!r} at {journey.size}")
    journey.cells(categories, 2)  # the status column inside the table


def test_a_supervisor_reads_the_staff_list_not_an_empty_devices_pane(journey: Journey) -> None:
    """At 1024×700 a supervisor's staff list showed four people: the devices of the chosen
    person (none yet) took most of the page for an icon and two lines. The list keeps
    the room (at least eight people at 1024×700), the devices' empty state says its line
    compactly."""
    journey.start()
    journey.sign_in("supervisor1")
    page = journey.go_to("管理")
    table = journey.by_name("staff_table", QTableWidget, within=page)
    journey.row_of(table, "worker1")
    journey.settle(100)
    viewport = table.viewport().rect()
    whole = [r for r in range(table.rowCount())
             if viewport.contains(table.visualRect(table.model().index(r, 0)))]
    assert len(whole) >= min(8, table.rowCount()), (len(whole), table.rowCount(),
                                                    table.height())
    journey.shot("a supervisor's staff list has the room")


def test_the_audit_log_says_who_did_what_the_bot_and_the_server_did(journey: Journey) -> None:
    """An admin reading the audit log saw an empty 人员 cell beside every request the bot
    brought in and every alert count the server kept: nobody, as if the person were lost.
    Those entries read 系统 (the system)."""
    grid = next(g for g in journey.server.pull_as("admin").all("grid")
                if g.get("wechat_group_id"))
    journey.server.bot_posts(grid["wechat_group_id"], "楼下的路灯又坏了",
                             group_name="汇林绿洲第1网格居民群", sender="王阿姨")
    journey.start()
    journey.sign_in("admin")
    page = journey.go_to("管理")
    journey.tab("审计日志", within=page)
    journey.click("查询", within=page)
    audit = journey.by_name("audit_table", QTableWidget, within=page)
    journey.wait_until(lambda: audit.rowCount() > 0, what="the audit log")
    people = journey.cells(audit, journey.column(audit, "人员"), range(audit.rowCount()))
    assert "" not in people, people[:10]
    assert "系统" in people, sorted(set(people))
    journey.shot("the audit log: the system's entries say so")
