"""Steps of a visit that several journeys take: find a household, start a visit from
its screen, answer fields by what a person reads, submit."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QLabel,
    QStyle,
    QStyleOptionGroupBox,
    QTableView,
    QWidget,
)

from tests.journeys.harness import Journey
from ui.visits.dialog import VisitDialog

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


def tick(journey: Journey, box: QGroupBox) -> None:
    """Tick (or untick) a checkable group box by its title's check box."""
    journey.assert_reachable(box)
    option = QStyleOptionGroupBox()
    box.initStyleOption(option)
    rect = box.style().subControlRect(QStyle.ComplexControl.CC_GroupBox, option,
                                      QStyle.SubControl.SC_GroupBoxCheckBox, box)
    journey.qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=rect.center())
    journey.settle(20)
