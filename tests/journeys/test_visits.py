"""Journeys of a visit (issue 10 items 4, 5, 8 and 14): a visit started from the household
screen; number fields that keep what was typed and say the allowed range; a submitted
visit opened to read, from the household and from 我的走访, and printed to PDF; a problem
found on the visit raised as a ticket from the form's own answers; a visit made earlier
entered with its own date, never a future one nor one before the household was
registered.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)

from gulou_desk.records import SHANGHAI
from tests.journeys.harness import Journey
from tests.journeys.visit_steps import (
    ELDERLY,
    ROUTINE,
    error_under,
    field,
    fill_elderly_care,
    open_household,
    pick,
    shown,
    start_visit,
    submit,
    tick,
)
from ui.shell.history import HistoryDialog
from ui.visits.record import VisitRecordDialog


def test_number_fields_keep_what_was_typed_and_say_the_allowed_range(
    journey: Journey
) -> None:
    journey.start()
    journey.sign_in("worker1")
    head, detail = open_household(journey)
    dialog = start_visit(journey, detail, ELDERLY)

    systolic = field(journey, dialog, "systolic_bp")
    assert isinstance(systolic, QLineEdit)
    journey.type_into(systolic, "300")
    journey.press(Qt.Key.Key_Tab)  # on to the next field: nothing is changed behind the back
    assert systolic.text() == "300", "the typed value is kept, never cut to fit"
    error = error_under(journey, dialog, "systolic_bp")
    journey.wait_until(error.isVisible, what="the range said")
    assert error.text() == "超出允许范围 60–260，请核对。"
    journey.type_into(field(journey, dialog, "diastolic_bp"), "25")
    journey.press(Qt.Key.Key_Tab)
    assert field(journey, dialog, "diastolic_bp").text() == "25"  # type: ignore[attr-defined]
    assert error_under(journey, dialog, "diastolic_bp").text() == "超出允许范围 30–160，请核对。"
    journey.settle(100)
    systolic.setFocus()
    journey.shot("out-of-range values kept and flagged")

    # Submitting is refused while they are out of range; the values stay as typed.
    fill_elderly_care(journey, dialog)
    journey.click("提交走访", within=dialog)
    status = journey.by_name("visitStatus", QLabel, within=dialog)
    journey.wait_until(lambda: "需要处理" in status.text(), what="the refusal said")
    assert not dialog.is_submitted
    assert systolic.text() == "300"

    # Closed by Esc and opened again: the draft has the values as typed.
    journey.press(Qt.Key.Key_Escape, target=systolic)
    journey.wait_until(lambda: not shown(dialog), what="the dialog closed")
    again = start_visit(journey, detail, ELDERLY)
    journey.wait_until(lambda: field(journey, again, "systolic_bp").text() == "300",  # type: ignore[attr-defined]
                       what="the draft's 300 back in the field")
    journey.type_into(field(journey, again, "systolic_bp"), "145")
    journey.type_into(field(journey, again, "diastolic_bp"), "90")
    assert not again.findChild(QLabel, "error_systolic_bp").isVisible()
    submit(journey, again)
    journey.wait_for_sync(timeout=60_000)

    held = journey.server.pull_as("supervisor1")
    [household] = held.where("household", head_name=head)
    visits = [v for v in held.where("visit", household_id=household["id"])
              if v["answers"].get("systolic_bp") is not None]
    assert [(v["answers"]["systolic_bp"], v["answers"]["diastolic_bp"]) for v in visits] == [
        (145, 90)]


def test_a_submitted_visit_opens_to_read_and_prints_to_pdf(
    journey: Journey, tmp_path: Path
) -> None:
    journey.start()
    journey.sign_in("worker1")
    head, detail = open_household(journey, row=1)
    dialog = start_visit(journey, detail, ELDERLY)
    fill_elderly_care(journey, dialog)
    journey.type_into(field(journey, dialog, "systolic_bp"), "150")
    pick(journey, dialog, "chronic_conditions", "高血压")
    submit(journey, dialog)

    # In the household's 走访记录: the newest visit, opened with a double click.
    history = journey.by_name("visitHistory", QListWidget, within=detail)
    journey.row_of(history, ELDERLY)
    journey.click_row(history, 0, double=True)
    record = journey.dialog(kind=VisitRecordDialog)
    journey.wait_until(lambda: record.record is not None, what="the visit read")
    texts = [w.text() for w in record.findChildren(QLabel) if w.isVisible()]
    assert head in record.title.text()
    assert "150" in texts and "高血压" in texts and "王芳" in texts and "13912345678" in texts
    assert "走访人" in texts and f"{ELDERLY} · 第 1 版" in texts  # the form and its version
    journey.find("尚未发送：下次同步时发送", within=record)
    assert not record.findChildren(QLineEdit), "nothing can be changed here"
    journey.shot("a submitted visit opened to read")

    # Printed to PDF.
    target = tmp_path / "visit.pdf"

    def save_as(box: QFileDialog) -> None:
        box.selectFile(str(target))
        box.accept()

    journey.when_dialog_opens(QFileDialog, save_as)
    journey.click("导出 PDF…", within=record)
    journey.wait_until(target.exists, what="the PDF written")
    assert target.read_bytes().startswith(b"%PDF")
    journey.click("关闭", within=record)

    # Synced: 我的走访 lists it; a double click opens it, now on the server.
    journey.wait_for_sync(timeout=60_000)
    page = journey.go_to("走访")
    recent = journey.by_name("recentVisits", QListWidget, within=page)
    row = journey.row_of(recent, head)
    journey.click_row(recent, row, double=True)
    record = journey.dialog(kind=VisitRecordDialog)
    journey.find("已同步到服务器", within=record)
    journey.shot("the visit opened from my visits, on the server")
    # 历史: every change to the visit, read from the server (its creation, by the worker).
    journey.click("历史", within=record)
    history = journey.dialog(kind=HistoryDialog)
    table = journey.by_name("history_table", QTableWidget, within=history)
    journey.row_of(table, "150")
    worker = journey.server.pull_as("worker1").where("staff", username="worker1")[0]
    assert worker["display_name"] in journey.cells(table, journey.column(table, "人员"))
    journey.shot("the visit's history")
    journey.press(Qt.Key.Key_Escape, target=history)
    held = journey.server.pull_as("supervisor1")
    [household] = held.where("household", head_name=head)
    [visit] = [v for v in held.where("visit", household_id=household["id"])
               if v["answers"].get("systolic_bp") == 150]
    assert visit["answers"]["chronic_conditions"] == ["hypertension"]


def test_a_problem_found_on_a_visit_becomes_a_ticket_from_the_forms_own_answers(
    journey: Journey
) -> None:
    journey.start()
    journey.sign_in("worker1")
    head, detail = open_household(journey, row=2)
    dialog = start_visit(journey, detail, ROUTINE)
    journey.type_into(field(journey, dialog, "interviewee"), "张桂英")
    journey.type_into(field(journey, dialog, "people_at_home"), "1")
    pick(journey, dialog, "living_situation", "一般")
    pick(journey, dialog, "follow_up_needed", "否")

    # Ticking the box answers 发现问题 with yes; the category and the description are
    # asked once, in the form.
    box = journey.by_name("foundProblem", QGroupBox, within=dialog)
    tick(journey, box)
    assert box.isChecked()
    yes = journey.find("是", within=field(journey, dialog, "problem_found"))
    assert isinstance(yes, QAbstractButton) and yes.isChecked()
    journey.find("问题类别", within=dialog, exact=False)
    assert not [w for w in box.findChildren(QComboBox) if w.isVisible()]
    assert not [w for w in box.findChildren(QPlainTextEdit) if w.isVisible()]
    journey.choose(journey.by_name("field_problem_category", QComboBox, within=dialog),
                   "市政设施")
    description = "3栋2单元楼道灯不亮，老人夜间上下楼不便，需报修"
    journey.type_into(field(journey, dialog, "problem_detail"), description)
    journey.shot("a problem found: the ticket takes the form's category and description")
    submit(journey, dialog)

    # The household's tickets list it, and the server holds it as the form said.
    history = journey.by_name("householdHistory", QWidget, within=detail)
    journey.tab("工单", within=history)
    tickets = journey.by_name("householdTickets", QListWidget, within=history)
    journey.row_of(tickets, "3栋2单元楼道灯不亮")
    journey.shot("the ticket in the household's tickets")
    journey.wait_for_sync(timeout=60_000)
    held = journey.server.pull_as("supervisor1")
    [household] = held.where("household", head_name=head)
    [ticket] = [t for t in held.where("ticket", household_id=household["id"])
                if t.get("source") == "visit"]
    assert ticket["category"] == "municipal"
    assert ticket["description"] == description
    assert ticket["title"] == "3栋2单元楼道灯不亮"
    [visit] = held.where("visit", id=ticket["visit_id"])
    assert visit["answers"]["problem_detail"] == description
    assert visit["answers"]["problem_found"] is True


def type_time(journey: Journey, edit: QWidget, text: str) -> None:
    """Type a date and time into a date-time field as a person does: the year selected,
    then its digits (the field moves on from one part to the next as each is full; a
    separator typed after a full part would skip the next one)."""
    journey.assert_reachable(edit)
    edit.setFocus()  # as a click would: offscreen, a click on a date-time field with a
    # calendar button steps its year down (the style's hit test), which no screen does
    journey.press(Qt.Key.Key_Home, target=edit)
    for _ in range(4):  # the year selected: typed over the cursor, a year is not taken
        journey.qtbot.keyClick(edit, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    journey.qtbot.keyClicks(edit, "".join(c for c in text if c.isdigit()))
    journey.press(Qt.Key.Key_Tab, target=edit)


def test_a_visit_made_earlier_is_entered_with_its_own_time_never_a_future_one(
    journey: Journey
) -> None:
    journey.start()
    journey.sign_in("worker1")
    head, detail = open_household(journey, row=3)
    dialog = start_visit(journey, detail, ROUTINE)
    journey.type_into(field(journey, dialog, "interviewee"), "赵兰")
    journey.type_into(field(journey, dialog, "people_at_home"), "2")
    pick(journey, dialog, "living_situation", "良好")
    pick(journey, dialog, "problem_found", "否")
    pick(journey, dialog, "follow_up_needed", "否")

    when = journey.field("走访时间：", within=dialog)
    today = dt.datetime.now(SHANGHAI).date()
    tomorrow = today + dt.timedelta(days=1)
    type_time(journey, when, f"{tomorrow:%Y-%m-%d} 09:30")
    error = journey.by_name("visitedAtError", QLabel, within=dialog)
    assert error.text() == "走访时间不能晚于现在。"
    journey.click("提交走访", within=dialog)
    journey.settle(200)
    assert not dialog.is_submitted, "a visit in the future is not recorded"

    # Nor one before the household was registered (the server says when it was).
    household = journey.server.pull_as("supervisor1").get("household", dialog.household_id)
    assert household is not None
    registered = dt.datetime.fromisoformat(household["created_at"]).astimezone(SHANGHAI)
    type_time(journey, when, f"{registered.year - 1}-{registered:%m-%d} 09:30")
    journey.wait_until(lambda: error.text() == f"该户于 {registered:%Y-%m-%d} 登记，"
                       "走访时间不能早于该日。", what="the registration day said")
    journey.shot("a visit dated before the household was registered, refused")
    journey.click("提交走访", within=dialog)
    journey.settle(200)
    assert not dialog.is_submitted, "a visit before the household existed is not recorded"

    earlier = today - dt.timedelta(days=3)
    type_time(journey, when, f"{earlier:%Y-%m-%d} 09:30")
    journey.wait_until(lambda: not error.isVisible(), what="the time accepted")
    journey.shot("a visit made three days ago, entered with its time")
    submit(journey, dialog)

    history = journey.by_name("visitHistory", QListWidget, within=detail)
    journey.row_of(history, f"{earlier:%Y-%m-%d} 09:30")
    journey.shot("the earlier visit in the household's visits")
    journey.wait_for_sync(timeout=60_000)
    held = journey.server.pull_as("supervisor1")
    [visit] = [v for v in held.all("visit") if v["answers"].get("interviewee") == "赵兰"]
    assert held.get("household", visit["household_id"])["head_name"] == head  # type: ignore[index]
    at = dt.datetime.fromisoformat(visit["visited_at"]).astimezone(SHANGHAI)
    assert (at.date(), at.hour, at.minute) == (earlier, 9, 30)
    assert visit["household_id"] == household["id"]
