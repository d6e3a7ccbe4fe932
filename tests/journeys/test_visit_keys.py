"""Journey: a visit form filled from the keyboard starts at its first question.

From the visit plan the worker presses Enter on a household: the form opens. The focus
used to sit in 走访时间 (already "now"), and Tab went on to the scroll area, 保存草稿 and
提交走访 before the first question (the form is built after the buttons, and Tab followed
the order the widgets were made in): seven presses to reach 受访人. Now the focus starts
in the first question, Tab walks the questions in their order, then the ticket box, and
the buttons last; Shift+Tab from the first question reaches the visit's time.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QTreeView, QWidget

from tests.journeys.harness import Journey
from ui.visits.dialog import VisitDialog


def _where(widget: QWidget | None) -> str:
    """The question (``field_<key>``) or the named control the focus is in."""
    focused, named = widget, ("visitedAt", "visitTemplate", "foundProblem")
    while widget is not None:
        if widget.objectName().startswith("field_") or widget.objectName() in named:
            return widget.objectName()
        widget = widget.parentWidget()
    return f"button:{focused.text()}" if isinstance(focused, QPushButton) else "?"


def test_the_form_starts_at_its_first_question_and_tab_walks_it_in_order(
        journey: Journey) -> None:
    journey.start()
    journey.sign_in("worker1")
    page = journey.go_to("工作台")
    tree = page.findChild(QTreeView)
    assert tree is not None
    model = tree.model()
    journey.wait_until(lambda: model.rowCount() > 0, what="the plan listed")
    tree.setFocus()
    tree.setCurrentIndex(model.index(0, 0, model.index(0, 0, model.index(0, 0))))
    journey.press(Qt.Key.Key_Return)
    dialog = journey.dialog(kind=VisitDialog)
    journey.wait_until(lambda: dialog.is_loaded, what="the form loaded")
    journey.wait_until(lambda: _where(QApplication.focusWidget()) == "field_interviewee",
                       what="the focus in the first question (受访人)")
    journey.shot("the form opens at its first question")

    walked = [_where(QApplication.focusWidget())]
    while not walked[-1].startswith("button:") and len(walked) < 40:
        journey.press(Qt.Key.Key_Tab)
        walked.append(_where(QApplication.focusWidget()))
    questions = [w for w in walked if w.startswith("field_")]
    order = [f"field_{d['key']}" for d in dialog.template()["fields"]]
    assert questions[:2] == ["field_interviewee", "field_people_at_home"], walked
    assert [order.index(q) for q in questions] == sorted(order.index(q) for q in questions), \
        f"the questions in the form's order: {walked}"
    assert "field_remarks" in questions, " ".join(walked)  # the last question
    assert walked[-2] == "foundProblem", walked  # then the ticket box
    assert walked[-1] in ("button:保存草稿", "button:放弃草稿"), walked
    journey.shot("Tab: the questions, the ticket box, then the buttons")

    journey.type_into(dialog.findChild(QWidget, "field_interviewee"), "张文斌")
    journey.press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert _where(QApplication.focusWidget()) == "visitedAt"
