"""The question editor of a draft questionnaire: its title, introduction and questions
(single choice, multiple choice, a 1–5 score, a short text; required or not; their
options), added, changed, moved up and down or removed, with the message residents will
read in their WeChat group beside it, redrawn at every keystroke.

Questions keep their ``id`` while they are edited and moved (answers are keyed by it); a
new one gets the next free ``q<n>``. The questions are checked as the server checks them
(:func:`gulou_desk.domain.participation.question_problems`) before the dialog closes.
Once a questionnaire is published its questions no longer change (the section offers
the editor for drafts only, and the store and the server refuse it).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QPoint, QRect, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.domain import participation
from gulou_desk.domain.problems import Problem
from ui.participation import labels as L
from ui.participation.pane import preview_page, wechat_bubble
from ui.shell.context import DeskContext
from ui.shell.step_dialog import StepDialog
from ui.workflow_labels import fill

QUESTION_TEXT_LIMIT = participation.MAX_QUESTION_CHARS


def next_question_id(taken: Sequence[str]) -> str:
    """The first ``q<n>`` not among ``taken``."""
    n = 1
    while f"q{n}" in taken:
        n += 1
    return f"q{n}"


class QuestionCard(QFrame):
    """One question: its kind, whether it must be answered, its text and, for a choice,
    its options (one a line); buttons to move it up or down and to remove it.

    Signals:
        changed(): anything of the question changed.
        move_requested(int): up (-1) or down (+1).
        remove_requested().
    """

    changed = Signal()
    move_requested = Signal(int)
    remove_requested = Signal()

    def __init__(self, question: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("question_card")
        self.question_id = str(question.get("id") or "")
        self.number = QLabel()
        self.number.setObjectName("section_title")
        self.kind = QComboBox()
        self.kind.setObjectName("question_kind")
        for code in participation.QUESTION_KINDS:
            self.kind.addItem(L.kind_label(code), code)
        self.kind.setCurrentIndex(max(self.kind.findData(question.get("kind")), 0))
        self.required = QCheckBox(self.tr("Must be answered"))
        self.required.setObjectName("question_required")
        self.required.setChecked(bool(question.get("required")))
        self.up = QToolButton()
        self.up.setText("↑")
        self.up.setAccessibleName(self.tr("Move up"))
        self.up.setToolTip(self.tr("Move up"))
        self.down = QToolButton()
        self.down.setText("↓")
        self.down.setAccessibleName(self.tr("Move down"))
        self.down.setToolTip(self.tr("Move down"))
        self.remove = QToolButton()
        self.remove.setText(self.tr("Remove"))
        self.remove.setToolTip(self.tr("Remove this question"))
        self.text = QLineEdit(str(question.get("text") or ""))
        self.text.setObjectName("question_text")
        self.text.setMaxLength(QUESTION_TEXT_LIMIT)
        self.text.setPlaceholderText(self.tr("The question, as residents will read it"))
        self.options = QPlainTextEdit("\n".join(str(o) for o in question.get("options") or []))
        self.options.setObjectName("question_options")
        self.options.setPlaceholderText(self.tr("The options, one a line (2 to 10)"))
        self.options.setFixedHeight(72)
        self.options.setTabChangesFocus(True)

        head = QHBoxLayout()
        head.setSpacing(6)
        head.addWidget(self.number)
        head.addWidget(self.kind)
        head.addWidget(self.required)
        head.addStretch(1)
        for button in (self.up, self.down, self.remove):
            head.addWidget(button)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 6, 8, 8)
        column.setSpacing(4)
        column.addLayout(head)
        column.addWidget(self.text)
        column.addWidget(self.options)
        # As tall as its content: the list scrolls rather than squeezing a question.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.required.toggled.connect(lambda _on: self.changed.emit())
        self.text.textChanged.connect(lambda _t: self.changed.emit())
        self.options.textChanged.connect(self.changed.emit)
        self.up.clicked.connect(lambda: self.move_requested.emit(-1))
        self.down.clicked.connect(lambda: self.move_requested.emit(1))
        self.remove.clicked.connect(self.remove_requested.emit)
        self._kind_changed(emit=False)

    def kind_code(self) -> str:
        return str(self.kind.currentData())

    def _kind_changed(self, *, emit: bool = True) -> None:
        self.options.setVisible(self.kind_code() in participation.CHOICE_KINDS)
        if emit:
            self.changed.emit()

    def set_place(self, index: int, count: int) -> None:
        """Its number (1-based ``index + 1``) and which moves make sense."""
        self.number.setText(fill("%1.", str(index + 1)))
        self.up.setEnabled(index > 0)
        self.down.setEnabled(index < count - 1)

    def value(self) -> dict[str, Any]:
        """The question as the record holds it."""
        question: dict[str, Any] = {"id": self.question_id, "kind": self.kind_code(),
                                    "text": self.text.text().strip(),
                                    "required": self.required.isChecked()}
        if question["kind"] in participation.CHOICE_KINDS:
            question["options"] = [line.strip() for line in
                                   self.options.toPlainText().splitlines() if line.strip()]
        return question


class QuestionEditorDialog(StepDialog):
    """A draft questionnaire's title, introduction and questions, with the WeChat
    preview beside them (see the module docstring). :meth:`collect` gives ``title``,
    ``intro`` and ``questions`` for an update of the draft."""

    def __init__(self, ctx: DeskContext, questionnaire: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Edit the questions"), self.tr(
            "Write the questions residents will answer. The preview on the right is the "
            "message the groups will get when you publish it; after that the questions "
            "no longer change."), draft_kind="questionnaire_questions",
            record_id=str(questionnaire["id"]), ok_text=self.tr("Save the questions"),
            parent=parent)
        self.setObjectName("question_editor")
        self._record = dict(questionnaire)
        self.cards: list[QuestionCard] = []
        self._scroll_to: QuestionCard | None = None

        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("questionnaire_title_edit")
        self.intro = QPlainTextEdit()
        self.intro.setObjectName("questionnaire_intro")
        self.intro.setFixedHeight(48)
        self.intro.setTabChangesFocus(True)
        self.form.addRow(self.tr("Title"), self.title_edit)
        self.form.addRow(self.tr("Introduction"), self.intro)

        self.list_body = QWidget()
        self.list_body.setObjectName("detail_body")
        self.list_layout = QVBoxLayout(self.list_body)
        self.list_layout.setContentsMargins(4, 4, 4, 4)
        self.list_layout.setSpacing(6)
        self.empty = QLabel(self.tr("No questions yet: choose a kind and add one."))
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        self.list_layout.addWidget(self.empty)
        self.list_layout.addStretch(1)
        self.question_list = QScrollArea()
        self.question_list.setObjectName("question_list")
        self.question_list.setWidgetResizable(True)
        self.question_list.setWidget(self.list_body)
        self.add_kind = QComboBox()
        self.add_kind.setObjectName("add_question_kind")
        for code in participation.QUESTION_KINDS:
            self.add_kind.addItem(L.kind_label(code), code)
        self.add_button = QPushButton(self.tr("Add a question"))
        self.add_button.setObjectName("add_question")
        self.add_button.clicked.connect(lambda: self.add_question(
            str(self.add_kind.currentData())))
        adding = QHBoxLayout()
        adding.addWidget(self.add_kind)
        adding.addWidget(self.add_button)
        adding.addStretch(1)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.question_list, 1)
        left.addLayout(adding)

        self.bubble = wechat_bubble("")
        preview = preview_page(self.bubble, self.tr("Gu Bao (as residents see it)"))
        preview.setObjectName("question_preview")
        preview.setMinimumWidth(260)
        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 3)
        row.addWidget(preview, 2)
        body.setMinimumHeight(300)
        self.form.addRow(body)
        self.setMinimumWidth(760)
        self.resize(900, 620)

        self.title_edit.textChanged.connect(lambda _t: self.refresh_preview())
        self.intro.textChanged.connect(self.refresh_preview)
        self._fill(questionnaire)
        self._as_given = self._values()

    # -- the questions ---------------------------------------------------------------

    def _fill(self, values: dict[str, Any]) -> None:
        self.title_edit.setText(str(values.get("title") or ""))
        self.intro.setPlainText(str(values.get("intro") or ""))
        for card in list(self.cards):
            self._drop(card)
        for question in values.get("questions") or []:
            if isinstance(question, dict):
                self._add_card(copy.deepcopy(question))
        self._renumber()

    def add_question(self, kind: str) -> QuestionCard:
        """A new, empty question of ``kind`` at the end (given a free id)."""
        card = self._add_card({"id": next_question_id([c.question_id for c in self.cards]),
                               "kind": kind, "text": "", "required": True})
        self._renumber()
        card.text.setFocus()
        self.list_layout.activate()  # the list grows to hold it now, not a moment later
        self._scroll_to = card
        self._scroll_to_new(tries=20)
        return card

    def _scroll_to_new(self, tries: int) -> None:
        card = self._scroll_to
        if card is None or card not in self.cards:
            return
        self.question_list.ensureWidgetVisible(card)
        if self.in_view(card):
            self._scroll_to = None
        elif tries > 0:
            QTimer.singleShot(10, lambda: self._scroll_to_new(tries - 1))

    def in_view(self, card: QuestionCard) -> bool:
        """Whether the whole card shows in the list (not scrolled away)."""
        viewport = self.question_list.viewport()
        top = card.mapTo(viewport, QPoint(0, 0))
        return viewport.rect().contains(QRect(top, card.size()))

    def _add_card(self, question: dict[str, Any]) -> QuestionCard:
        card = QuestionCard(question)
        card.changed.connect(self.refresh_preview)
        card.move_requested.connect(lambda step, c=card: self.move_question(c, step))
        card.remove_requested.connect(lambda c=card: self.remove_question(c))
        self.list_layout.insertWidget(len(self.cards), card)
        self.cards.append(card)
        return card

    def move_question(self, card: QuestionCard, step: int) -> None:
        index = self.cards.index(card)
        target = index + step
        if not 0 <= target < len(self.cards):
            return
        self.cards.insert(target, self.cards.pop(index))
        self.list_layout.removeWidget(card)
        self.list_layout.insertWidget(target, card)
        self._renumber()

    def remove_question(self, card: QuestionCard) -> None:
        self._drop(card)
        self._renumber()

    def _drop(self, card: QuestionCard) -> None:
        self.cards.remove(card)
        self.list_layout.removeWidget(card)
        card.hide()
        card.deleteLater()

    def _renumber(self) -> None:
        for i, card in enumerate(self.cards):
            card.set_place(i, len(self.cards))
        self.empty.setVisible(not self.cards)
        self.refresh_preview()

    def questions(self) -> list[dict[str, Any]]:
        return [card.value() for card in self.cards]

    def refresh_preview(self) -> None:
        """The group message as it reads with what is typed now."""
        self.bubble.setText(participation.questionnaire_message({
            **self._record, "title": self.title_edit.text().strip(),
            "intro": self.intro.toPlainText().strip(), "questions": self.questions()}))

    # -- the dialog ------------------------------------------------------------------

    def problem_text(self, problem: Problem) -> str:
        """A problem of the questions in words, naming the question by its number."""
        where = problem.field.split(".")[0]
        number = where.removeprefix("questions[").removesuffix("]")
        key = problem.field.split(".")[-1]
        n = str(int(number) + 1) if number.isdigit() else ""
        if key == "options":
            return fill(self.tr("Question %1 needs 2 to 10 options, each a text of at "
                                "most %2 characters."), n, str(participation.MAX_OPTION_CHARS))
        if key == "text":
            return fill(self.tr("Question %1 needs its text."), n)
        if problem.code == "too_many":
            return fill(self.tr("At most %1 questions."), str(participation.MAX_QUESTIONS))
        return fill(self.tr("Please check question %1."), n)

    def collect(self) -> dict[str, Any] | None:
        title = self.title_edit.text().strip()
        if not title:
            self.show_error(self.tr("Give it a title."))
            return None
        questions = self.questions()
        if not questions:
            self.show_error(self.tr("Add at least one question."))
            return None
        problems = participation.question_problems(questions)
        if problems:
            self.show_error(self.problem_text(problems[0]))
            return None
        return {"title": title, "intro": self.intro.toPlainText().strip(),
                "questions": questions}

    def _values(self) -> dict[str, Any]:
        return {"title": self.title_edit.text(), "intro": self.intro.toPlainText(),
                "questions": self.questions()}

    def draft_payload(self) -> dict[str, Any]:
        values = self._values()
        return {} if values == self._as_given else values

    def apply_draft(self, payload: dict[str, Any]) -> None:
        self._fill(payload if payload else self._record)
