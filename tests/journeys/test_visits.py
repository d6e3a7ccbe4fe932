"""Journeys of a visit (issue 10 items 4, 5, 8 and 14): a visit started from the household
screen; number fields that keep what was typed and say the allowed range; a submitted
visit opened to read, from the household and from 我的走访, and printed to PDF; a problem
found on the visit raised as a ticket from the form's own answers; a visit made earlier
entered with its own date.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableView,
    QWidget,
)

from tests.journeys.harness import Journey
from ui.visits.dialog import VisitDialog
from ui.visits.record import VisitRecordDialog

ELDERLY = "独居老人关爱走访"
ROUTINE = "常规走访"


def open_household(journey: Journey, row: int = 0) -> tuple[str, QWidget]:
    """住户 → click the household on ``row``; returns its head's name and the detail pane."""
    page = journey.go_to("住户")
    table = journey.by_name("households_table", QTableView, within=page)
    journey.wait_until(lambda: table.model().rowCount() > row, what="the households listed")
    head_column = journey.column(table, "户主")
    [head] = journey.cells(table, head_column, [row])
    journey.click_row(table, row, head_column)
    detail = journey.by_name("household_detail", QWidget, within=page)
    journey.wait_until(lambda: head in detail.title_label.text(),  # type: ignore[attr-defined]
                       what=f"{head}'s household shown")
    return head, detail


def start_visit(journey: Journey, detail: QWidget, template: str) -> VisitDialog:
    """"新建走访…" in the household's 走访记录, then the form chosen in 表单."""
    journey.click("新建走访…", within=detail)
    dialog = journey.dialog(kind=VisitDialog)
    journey.wait_until(lambda: dialog.is_loaded, what="the visit form loaded")
    combo = journey.by_name("visitTemplate", QComboBox, within=dialog)
    if combo.currentText() != template:
        journey.choose(combo, template)
    journey.wait_until(lambda: dialog.form is not None and dialog.template().get("name")
                       == template, what=f"the form {template}")
    return dialog


def field(journey: Journey, dialog: VisitDialog, key: str) -> QWidget:
    return journey.by_name(f"field_{key}", QWidget, within=dialog)


def pick(journey: Journey, dialog: VisitDialog, key: str, option: str) -> None:
    """Click the radio button (or tick the box) ``option`` of the field ``key``."""
    journey.click(journey.find(option, within=field(journey, dialog, key)))


def error_under(journey: Journey, dialog: VisitDialog, key: str) -> QLabel:
    return journey.by_name(f"error_{key}", QLabel, within=dialog)


def fill_elderly_care(journey: Journey, dialog: VisitDialog) -> None:
    """The required answers of 独居老人关爱走访 (the blood pressure is typed apart)."""
    pick(journey, dialog, "health_status", "一般")
    pick(journey, dialog, "mobility", "自理")
    pick(journey, dialog, "takes_medication", "否")
    pick(journey, dialog, "gas_check", "正常")
    pick(journey, dialog, "electric_check", "正常")
    pick(journey, dialog, "smoke_alarm", "正常")
    pick(journey, dialog, "fall_risk", "低")
    pick(journey, dialog, "meal_needs", "无")
    journey.type_into(field(journey, dialog, "emergency_contact_name"), "王芳")
    journey.type_into(field(journey, dialog, "emergency_contact_phone"), "13912345678")
    pick(journey, dialog, "mood", "良好")


def shown(widget: QWidget) -> bool:
    try:
        return widget.isVisible()
    except RuntimeError:  # closed and deleted
        return False


def submit(journey: Journey, dialog: VisitDialog) -> None:
    journey.click("提交走访", within=dialog)
    journey.wait_until(lambda: dialog.is_submitted, what="the visit submitted")


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
    assert "走访人" in texts and ELDERLY in texts
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
    held = journey.server.pull_as("supervisor1")
    [household] = held.where("household", head_name=head)
    [visit] = [v for v in held.where("visit", household_id=household["id"])
               if v["answers"].get("systolic_bp") == 150]
    assert visit["answers"]["chronic_conditions"] == ["hypertension"]
