"""Journey: the visit form's ticket box names the form's own fields, in the language shown.

Ticking 发现问题：生成工单 on a form that asks for the problem itself says where the
ticket's category and description come from. In English it read "… from 问题类别 and
问题描述 above." under fields labelled "Problem category" and "Problem description": the
sentence carried the Chinese labels written into it, not the form's.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QTreeView

from tests.journeys.harness import Journey, plain
from tests.journeys.visit_steps import tick
from ui.visits.dialog import VisitDialog


def _open_visit(journey: Journey, workbench: str, row: int) -> VisitDialog:
    """The plan's household on ``row``, Enter: its visit form (常规走访, the default)."""
    page = journey.go_to(workbench)
    tree = page.findChild(QTreeView)
    assert tree is not None
    model = tree.model()
    journey.wait_until(lambda: model.rowCount() > 0, what="the plan listed")
    first = model.index(row, 0, model.index(0, 0, model.index(0, 0)))
    tree.setFocus()
    tree.setCurrentIndex(first)
    journey.press(Qt.Key.Key_Return)
    dialog = journey.dialog(kind=VisitDialog)
    journey.wait_until(lambda: dialog.is_loaded and dialog.problem_in_form(),
                       what="a form that asks for the problem")
    return dialog


def _from_form(journey: Journey, dialog: VisitDialog) -> str:
    tick(journey, journey.by_name("foundProblem", QGroupBox, within=dialog))
    said = journey.by_name("problemFromForm", QLabel, within=dialog)
    journey.wait_until(said.isVisible, what="the box says where the ticket's words come from")
    return plain(said.text())


def test_the_ticket_box_names_the_forms_fields_in_the_language_shown(
        journey: Journey) -> None:
    journey.start()
    journey.sign_in("worker1")
    dialog = _open_visit(journey, "工作台", 0)
    assert _from_form(journey, dialog) == "工单的类别和描述取自上面的“问题类别”和“问题描述”。"
    journey.find("问题类别", within=dialog, exact=False)  # the fields it names
    journey.find("问题描述", within=dialog, exact=False)
    journey.shot("Chinese: 问题类别 and 问题描述")
    journey.press(Qt.Key.Key_Escape)  # kept as a draft of that household's visit

    journey.restart("--lang", "en")
    dialog = _open_visit(journey, "Workbench", 1)
    said = _from_form(journey, dialog)
    journey.shot("English: the form's English labels")
    assert said == ("The ticket takes its category and description from “Problem category” "
                    "and “Problem description” above."), said
    journey.find("Problem category", within=dialog, exact=False)
    journey.find("Problem description", within=dialog, exact=False)
