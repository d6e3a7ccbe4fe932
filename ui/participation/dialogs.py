"""The section's dialogs: a new questionnaire from a template, a household's answers (on a
visit, by phone), a consultation's decision and announcement, a ticket from a decision.

Each is a :class:`~ui.shell.step_dialog.StepDialog`: what was typed survives closing by
mistake; :meth:`collect` gives the values (or says what is missing). The choices (grids,
households) are read by the section beforehand and passed in: no dialog reads the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.domain import participation, sla
from gulou_desk.domain.participation_templates import (
    CONSULTATION_TEMPLATES,
    QUESTIONNAIRE_TEMPLATES,
    Template,
)
from gulou_desk.records import SHANGHAI, TICKET_PRIORITIES
from gulou_desk.store.participation_queries import GridChoice, HouseholdChoice, SignedUp
from ui.participation import labels as L
from ui.shell.context import DeskContext
from ui.shell.date_fields import typeable
from ui.shell.step_dialog import StepDialog
from ui.workflow_labels import category_label, fill, priority_label

DEFAULT_DAYS_OPEN = 7


class GridChecks(QScrollArea):
    """The grids as check boxes (the groups to post to), scrolled when they are many."""

    def __init__(self, grids: Sequence[GridChoice], checked: Sequence[str] = ()) -> None:
        super().__init__()
        self.setObjectName("target_grids")
        self.setWidgetResizable(True)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(4, 2, 4, 2)
        column.setSpacing(2)
        self.boxes: list[tuple[str, QCheckBox]] = []
        for grid in grids:
            box = QCheckBox(grid.name)
            box.setChecked(grid.id in checked)
            column.addWidget(box, 0, Qt.AlignmentFlag.AlignLeft)  # a click on it toggles it
            self.boxes.append((grid.id, box))
        self.setWidget(body)
        self.setFixedHeight(min(150, 26 * max(len(grids), 2) + 8))

    def checked(self) -> list[str]:
        return [gid for gid, box in self.boxes if box.isChecked()]


class NewQuestionnaireDialog(StepDialog):
    """A draft questionnaire from a template: its title and introduction, the groups it
    goes to, how long it stays open, whether residents see the results."""

    def __init__(self, ctx: DeskContext, community_id: str, grids: Sequence[GridChoice],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("New questionnaire"), self.tr(
            "Start from a template or from a blank page; you can edit the questions. It is "
            "kept as a draft until you publish it, so you can look at it as residents "
            "will."),
            draft_kind="new_questionnaire", ok_text=self.tr("Create draft"), parent=parent)
        self._community_id = community_id
        self._now = ctx.now()
        self.template = QComboBox()
        self.template.setObjectName("questionnaire_template")
        for t in QUESTIONNAIRE_TEMPLATES:
            self.template.addItem(L.template_label(t.key), t.key)
        self.template.addItem(L.tr(L.BLANK_TEMPLATE), None)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("questionnaire_title_edit")
        self.intro = QPlainTextEdit()
        self.intro.setObjectName("questionnaire_intro")
        self.intro.setFixedHeight(60)
        self.questions = QLabel()
        self.questions.setObjectName("muted")
        self.questions.setWordWrap(True)
        self.grids = GridChecks(grids, [g.id for g in grids] if len(grids) == 1 else ())
        self.days = QSpinBox()
        self.days.setObjectName("days_open")
        self.days.setRange(1, 90)
        self.days.setValue(DEFAULT_DAYS_OPEN)
        self.days.setSuffix(self.tr(" days"))
        self.public = QCheckBox(self.tr("Post the results to the groups when it closes"))
        self.public.setObjectName("results_public")
        self.form.addRow(self.tr("Template"), self.template)
        self.form.addRow(self.tr("Title"), self.title_edit)
        self.form.addRow(self.tr("Introduction"), self.intro)
        self.form.addRow(self.tr("Questions"), self.questions)
        self.form.addRow(self.tr("Groups"), self.grids)
        self.form.addRow(self.tr("Open for"), self.days)
        self.form.addRow("", self.public)
        self.template.currentIndexChanged.connect(lambda _i: self._use_template())
        self._use_template()

    def chosen(self) -> Template | None:
        """The template, or ``None`` for a blank questionnaire."""
        index = max(self.template.currentIndex(), 0)
        return QUESTIONNAIRE_TEMPLATES[index] if index < len(QUESTIONNAIRE_TEMPLATES) \
            else None

    def _use_template(self) -> None:
        t = self.chosen()
        if t is None:
            self.title_edit.clear()
            self.intro.clear()
            self.questions.setText(self.tr("None yet: write them with “Edit questions” once "
                                           "the draft is made."))
            return
        self.title_edit.setText(t.title)
        self.intro.setPlainText(t.intro)
        self.questions.setText("\n".join(
            fill("%1. %2 (%3)", str(i), str(q["text"]), L.kind_label(str(q["kind"])))
            for i, q in enumerate(t.questions, start=1)))

    def collect(self) -> dict[str, Any] | None:
        title = self.title_edit.text().strip()
        grids = self.grids.checked()
        if not title:
            self.show_error(self.tr("Give it a title."))
            return None
        if not grids:
            self.show_error(self.tr("Choose at least one group to post to."))
            return None
        t = self.chosen()
        fields = t.questionnaire_fields() if t is not None else {
            "template": None, "questions": []}
        fields.update(community_id=self._community_id, title=title, grid_ids=grids,
                      intro=self.intro.toPlainText().strip(),
                      closes_at=self._now + dt.timedelta(days=self.days.value()),
                      results_visibility="public" if self.public.isChecked() else "staff")
        return fields

    def draft_payload(self) -> dict[str, Any]:
        return {"title": self.title_edit.text() if self.title_edit.isModified() else ""}

    def apply_draft(self, payload: dict[str, Any]) -> None:
        if payload.get("title"):
            self.title_edit.setText(str(payload["title"]))
        else:
            self._use_template()


class NewConsultationDialog(StepDialog):
    """A topic to consult residents on, from a template: kept as a draft in 征集意见
    until it is posted to the groups."""

    def __init__(self, ctx: DeskContext, community_id: str, grids: Sequence[GridChoice],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("New topic"), self.tr(
            "Start from a template. Residents reply in their groups with its code "
            "(支持 / 反对 / 意见) once you post it."), draft_kind="new_consultation",
            ok_text=self.tr("Create topic"), parent=parent)
        self._community_id = community_id
        self.template = QComboBox()
        self.template.setObjectName("consultation_template")
        for t in CONSULTATION_TEMPLATES:
            self.template.addItem(L.template_label(t.key), t.key)
        self.topic = QLineEdit()
        self.topic.setObjectName("consultation_topic")
        self.background = QPlainTextEdit()
        self.background.setObjectName("consultation_background")
        self.background.setFixedHeight(60)
        self.options = QLabel()
        self.options.setObjectName("muted")
        self.options.setWordWrap(True)
        self.grids = GridChecks(grids, [g.id for g in grids] if len(grids) == 1 else ())
        self.form.addRow(self.tr("Template"), self.template)
        self.form.addRow(self.tr("Topic"), self.topic)
        self.form.addRow(self.tr("Background"), self.background)
        self.form.addRow(self.tr("Options"), self.options)
        self.form.addRow(self.tr("Groups"), self.grids)
        self.template.currentIndexChanged.connect(lambda _i: self._use_template())
        self._use_template()

    def chosen(self) -> Template:
        return CONSULTATION_TEMPLATES[max(self.template.currentIndex(), 0)]

    def _use_template(self) -> None:
        t = self.chosen()
        self.topic.setText(t.title)
        self.background.setPlainText(t.intro)
        self.options.setText("\n".join(f"{participation.letter(i)}. {o}"
                                       for i, o in enumerate(t.options))
                             or self.tr("Support or oppose"))

    def collect(self) -> dict[str, Any] | None:
        topic = self.topic.text().strip()
        grids = self.grids.checked()
        if not topic:
            self.show_error(self.tr("Give the topic a name."))
            return None
        if not grids:
            self.show_error(self.tr("Choose at least one group to post to."))
            return None
        fields = self.chosen().consultation_fields()
        fields.update(community_id=self._community_id, topic=topic, grid_ids=grids,
                      background=self.background.toPlainText().strip(),
                      proposer_kind="staff")
        return fields


class NewActivityDialog(StepDialog):
    """A volunteer activity: when, where, how many are needed, which groups hear of it."""

    def __init__(self, ctx: DeskContext, community_id: str, grids: Sequence[GridChoice],
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("New volunteer activity"), self.tr(
            "Kept as a draft until you publish it; residents then sign up in their groups "
            "by replying “报名” and its code."), draft_kind="new_activity",
            ok_text=self.tr("Create activity"), parent=parent)
        self._community_id = community_id
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("activity_title")
        self.place = QLineEdit()
        self.place.setObjectName("activity_place")
        self.starts = typeable(QDateTimeEdit())
        self.starts.setObjectName("activity_starts")
        self.starts.setCalendarPopup(True)
        self.starts.setDisplayFormat("yyyy-MM-dd HH:mm")
        start = (ctx.now() + dt.timedelta(days=3)).astimezone(SHANGHAI).replace(
            hour=9, minute=0, second=0, microsecond=0)
        self.starts.setDateTime(QDateTime(QDate(start.year, start.month, start.day),
                                          QTime(start.hour, start.minute)))
        self.needed = QSpinBox()
        self.needed.setObjectName("activity_needed")
        self.needed.setRange(1, participation.MAX_VOLUNTEERS_NEEDED)
        self.needed.setValue(10)
        self.description = QPlainTextEdit()
        self.description.setObjectName("activity_description")
        self.description.setFixedHeight(60)
        self.grids = GridChecks(grids, [g.id for g in grids] if len(grids) == 1 else ())
        self.form.addRow(self.tr("Activity"), self.title_edit)
        self.form.addRow(self.tr("Place"), self.place)
        self.form.addRow(self.tr("Starts"), self.starts)
        self.form.addRow(self.tr("Volunteers needed"), self.needed)
        self.form.addRow(self.tr("Description"), self.description)
        self.form.addRow(self.tr("Groups"), self.grids)

    def collect(self) -> dict[str, Any] | None:
        title = self.title_edit.text().strip()
        grids = self.grids.checked()
        if not title:
            self.show_error(self.tr("Give the activity a name."))
            return None
        if not grids:
            self.show_error(self.tr("Choose at least one group to post to."))
            return None
        when = self.starts.dateTime()
        d, t = when.date(), when.time()
        starts = dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(),
                             tzinfo=SHANGHAI)
        return {"community_id": self._community_id, "grid_ids": grids, "title": title,
                "place": self.place.text().strip() or None, "starts_at": starts,
                "needed": self.needed.value(),
                "description": self.description.toPlainText().strip() or None}

    def draft_payload(self) -> dict[str, Any]:
        return {"title": self.title_edit.text(), "place": self.place.text()}

    def apply_draft(self, payload: dict[str, Any]) -> None:
        self.title_edit.setText(str(payload.get("title") or ""))
        self.place.setText(str(payload.get("place") or ""))


class AttendanceDialog(StepDialog):
    """Who came to an activity and their hours: it is then done, and the hours count."""

    def __init__(self, ctx: DeskContext, activity_title: str,
                 signed_up: Sequence[SignedUp], parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Record who came"), fill(self.tr(
            "“%1” is then done; the hours count for each volunteer."), activity_title),
            ok_text=self.tr("Done"), parent=parent)
        self.rows: list[tuple[str, QCheckBox, QDoubleSpinBox]] = []
        for person in signed_up:
            came = QCheckBox(person.name)
            came.setChecked(True)
            hours = QDoubleSpinBox()
            hours.setObjectName(f"hours_{person.volunteer_id}")
            hours.setRange(0.5, 24)
            hours.setSingleStep(0.5)
            hours.setDecimals(1)
            hours.setValue(2.0)
            hours.setSuffix(self.tr(" h"))
            self.form.addRow(came, hours)
            self.rows.append((person.volunteer_id, came, hours))
        if not signed_up:
            self.form.addRow(QLabel(self.tr("Nobody signed up.")))

    def collect(self) -> dict[str, Any] | None:
        return {"attendance": [{"volunteer_id": vid, "hours": hours.value()}
                               for vid, came, hours in self.rows if came.isChecked()]}


class HouseholdAnswersDialog(StepDialog):
    """A household's answers, question by question, as the household gave them."""

    def __init__(self, ctx: DeskContext, questionnaire: dict[str, Any],
                 households: Sequence[HouseholdChoice], parent: QWidget | None = None
                 ) -> None:
        super().__init__(ctx, self.tr("Enter a household's answers"), fill(self.tr(
            "“%1”: the answers a household gave you on a visit or by phone. They are kept "
            "on this computer and sent with the next sync; answering again replaces the "
            "earlier answers."), str(questionnaire.get("title") or "")),
            ok_text=self.tr("Keep the answers"), parent=parent)
        self.questions: list[dict[str, Any]] = list(questionnaire.get("questions") or [])
        self.household = QComboBox()
        self.household.setObjectName("answer_household")
        self.household.setEditable(True)
        self.household.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for h in households:
            self.household.addItem(fill("%1 %2", h.address, h.head_name).strip(), h.id)
        self.household.setCurrentIndex(-1)
        self.channel = QComboBox()
        self.channel.setObjectName("answer_channel")
        for code in ("visit", "phone", "walk_in"):
            self.channel.addItem(L.channel_label(code), code)
        self.form.addRow(self.tr("Household"), self.household)
        self.form.addRow(self.tr("How"), self.channel)
        self.inputs: dict[str, Any] = {}
        for i, q in enumerate(self.questions, start=1):
            label = fill("%1. %2", str(i), str(q.get("text") or ""))
            if q.get("required"):
                label += " *"
            self.form.addRow(self._question_label(label), self._input(q))

    def _question_label(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setMaximumWidth(260)
        return label

    def _input(self, q: dict[str, Any]) -> QWidget:
        kind, qid = str(q.get("kind")), str(q.get("id"))
        options = [str(o) for o in q.get("options") or []]
        if kind == participation.MULTIPLE:
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            checks = []
            for j, option in enumerate(options):
                check = QCheckBox(f"{participation.letter(j)}. {option}")
                check.setObjectName(f"answer_{qid}_{j}")
                column.addWidget(check)
                checks.append(check)
            self.inputs[qid] = checks
            return box
        if kind == participation.TEXT:
            edit = QLineEdit()
            edit.setObjectName(f"answer_{qid}")
            self.inputs[qid] = edit
            return edit
        combo = QComboBox()
        combo.setObjectName(f"answer_{qid}")
        combo.addItem(self.tr("(no answer)"), None)
        if kind == participation.SCALE:
            low, high = participation.SCALE_RANGE
            for n in range(low, high + 1):
                combo.addItem(fill(L.tr(L.POINTS), str(n)), n)
        else:
            for j, option in enumerate(options):
                combo.addItem(f"{participation.letter(j)}. {option}", j)
        self.inputs[qid] = combo
        return combo

    def answers(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for qid, widget in self.inputs.items():
            if isinstance(widget, list):
                chosen = [j for j, check in enumerate(widget) if check.isChecked()]
                if chosen:
                    out[qid] = chosen
            elif isinstance(widget, QLineEdit):
                if widget.text().strip():
                    out[qid] = widget.text().strip()
            elif widget.currentData() is not None:
                out[qid] = widget.currentData()
        return out

    def collect(self) -> dict[str, Any] | None:
        index = self.household.findText(self.household.currentText())
        if index < 0:
            self.show_error(self.tr("Choose the household from the list."))
            return None
        answers = self.answers()
        problems = participation.answer_problems(self.questions, answers)
        if problems:
            numbers = [str(i) for i, q in enumerate(self.questions, start=1)
                       if any(p.field == f"answers.{q.get('id')}" for p in problems)]
            self.show_error(fill(self.tr("Please answer question(s) %1."), "、".join(numbers)))
            return None
        return {"household_id": self.household.itemData(index),
                "channel": self.channel.currentData(), "answers": answers}


class ConsultationTextDialog(StepDialog):
    """One text a consultation step needs (the decision, the announcement)."""

    def __init__(self, ctx: DeskContext, record_id: str, *, field: str, title: str,
                 intro: str, label: str, text: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, title, intro, draft_kind=f"consultation_{field}",
                         record_id=record_id, parent=parent)
        self._field = field
        self.edit = QPlainTextEdit(text)
        self.edit.setObjectName(f"consultation_{field}")
        self.edit.setFixedHeight(90)
        self.form.addRow(label, self.edit)

    def collect(self) -> dict[str, Any] | None:
        text = self.edit.toPlainText().strip()
        if not text:
            self.show_error(self.tr("This cannot be empty."))
            return None
        return {self._field: text}

    def draft_payload(self) -> dict[str, Any]:
        return {"text": self.edit.toPlainText()}

    def apply_draft(self, payload: dict[str, Any]) -> None:
        self.edit.setPlainText(str(payload.get("text") or ""))




class DecisionTicketDialog(StepDialog):
    """The work a decision asks for, as a ticket linked to the consultation."""

    def __init__(self, ctx: DeskContext, consultation: dict[str, Any],
                 grids: Sequence[GridChoice], parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Create a ticket from the decision"), self.tr(
            "The ticket is linked to the consultation; its progress shows in the "
            "announcement re-posted to the groups."), draft_kind="decision_ticket",
            record_id=str(consultation["id"]), ok_text=self.tr("Create ticket"),
            parent=parent)
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("decision_ticket_title")
        self.category = QComboBox()
        self.category.setObjectName("decision_ticket_category")
        for code in (c.code for c in sla.categories()):
            self.category.addItem(category_label(code), code)
        self.priority = QComboBox()
        self.priority.setObjectName("decision_ticket_priority")
        for code in TICKET_PRIORITIES:
            self.priority.addItem(priority_label(code), code)
        self.priority.setCurrentIndex(1)
        self.grid = QComboBox()
        self.grid.setObjectName("decision_ticket_grid")
        for g in grids:
            self.grid.addItem(g.name, g.id)
        self.description = QPlainTextEdit(str(consultation.get("decision") or ""))
        self.description.setObjectName("decision_ticket_description")
        self.description.setFixedHeight(70)
        self.form.addRow(self.tr("Title"), self.title_edit)
        self.form.addRow(self.tr("Category"), self.category)
        self.form.addRow(self.tr("Priority"), self.priority)
        self.form.addRow(self.tr("Grid"), self.grid)
        self.form.addRow(self.tr("Description"), self.description)

    def collect(self) -> dict[str, Any] | None:
        title = self.title_edit.text().strip()
        if not title:
            self.show_error(self.tr("Give the ticket a title."))
            return None
        if self.grid.currentData() is None:
            self.show_error(self.tr("Choose the grid where the work is done."))
            return None
        return {"title": title, "category": self.category.currentData(),
                "priority": self.priority.currentData(), "grid_id": self.grid.currentData(),
                "description": self.description.toPlainText().strip()}

    def draft_payload(self) -> dict[str, Any]:
        return {"title": self.title_edit.text()}

    def apply_draft(self, payload: dict[str, Any]) -> None:
        self.title_edit.setText(str(payload.get("title") or ""))
