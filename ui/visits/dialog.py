"""The visit dialog: one household, one template, the form, "found a problem", submit.

* A draft (``gulou_desk.store.drafts``, kind ``"visit"``, ``record_id`` = the visit's id
  to be) is saved a moment after every change, on "Save draft" (Ctrl+S) and whenever the
  dialog closes without submitting — by Esc, the window's close button or by mistake —
  so nothing typed is lost, also across a restart.
* "Submit" (Ctrl+Return) checks the answers with the server's validator first; then, in
  one background write, the visit (``Desk.create``: visit + outbox) and, when "Found a
  problem" is ticked, a ticket linked to the household and the visit (source ``visit``);
  the draft goes. A form that asks for the problem itself (问题类别 and 问题描述, as
  常规走访 does) gives the ticket its category and description: the box then asks only
  for an optional title (the description's start otherwise), and ticking it answers 发现
  问题 with yes, so nothing is entered twice. The workbench's plan reads the visit at once
  (the store's search index counts it), and the context is told (``ctx.wrote``) so the
  sync engine pushes soon.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
import re
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gulou_desk import records
from gulou_desk.domain import sla
from gulou_desk.domain.addresses import household_line
from gulou_desk.domain.forms import template_title
from gulou_desk.domain.validation import visit_date_problem
from gulou_desk.store.changes import ChangeSet
from gulou_desk.store.errors import NotFound, ValidationFailed
from gulou_desk.store.visit_plan import VisitStart, visit_start
from ui import palette
from ui.background import Lane, Op, OpError, Progress
from ui.errors import describe_problem
from ui.shell.context import DeskContext
from ui.shell.date_fields import typeable
from ui.visits.form import VisitForm, label_of
from ui.visits.messages import describe_form_problem
from ui.workflow_labels import fill

log = logging.getLogger(__name__)

DRAFT_KIND = "visit"
PROBLEM_FOUND, PROBLEM_CATEGORY, PROBLEM_DETAIL = (
    "problem_found", "problem_category", "problem_detail")
"""The fields of a form that asks for the problem found (常规走访's 发现问题, 问题类别 and
问题描述): a ticket raised from the visit takes them."""
TITLE_CHARS = 30
WHEN_LEEWAY = dt.timedelta(minutes=5)
"""A visit entered a few minutes "ahead" is a clock set slightly fast, not the future."""
AUTOSAVE_MS = 800
ELDERLY_TAG = "独居老人"



def _takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value)


def _inside_editor(widget: QWidget, top: QWidget) -> bool:
    """A part of an editor that takes the focus itself (a spin box's or a combo box's
    line edit): Tab goes to the editor, not to its parts."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractSpinBox | QComboBox):
            return True
        parent = parent.parentWidget()
    return False

class VisitDialog(QDialog):
    """A new visit for one household (see the module doc).

    Signals:
        submitted(str): the visit's id, once it is written here (and queued for the
            server).
        draft_saved(str): the draft's id after each save.
    """

    submitted = Signal(str)
    draft_saved = Signal(str)
    loaded = Signal()

    def __init__(self, ctx: DeskContext, *, household_id: str | None = None,
                 draft_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.household_id = household_id
        self.draft_id = draft_id
        self.visit_id = records.new_id()
        self.household: dict[str, Any] = {}
        self.templates: list[dict[str, Any]] = []
        self.form: VisitForm | None = None
        self.is_loaded = False
        self.is_submitted = False
        self._dirty = False
        self._closing = False
        self.setWindowTitle(self.tr("New visit"))
        self.setObjectName("visitDialog")
        # As tall as the window behind allows (a small laptop's is 700 px): the buttons
        # must stay on the screen; the form scrolls.
        behind = parent.window().height() if parent is not None else 820
        self.resize(760, max(480, min(820, behind)))

        self.header = QLabel()
        self.header.setObjectName("visitHousehold")
        self.header.setStyleSheet("font-size: 15px; font-weight: 600;")
        self.template_combo = QComboBox()
        self.template_combo.setObjectName("visitTemplate")
        self.template_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.template_combo.currentIndexChanged.connect(self._template_chosen)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(QLabel(self.tr("Form:")))
        top.addWidget(self.template_combo)

        # When the visit took place: now, unless the worker enters one made earlier.
        self.when_edit = typeable(QDateTimeEdit())
        self.when_edit.setObjectName("visitedAt")
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when_edit.setDateTime(_shown_time(records.now()))
        self.when_edit.dateTimeChanged.connect(self._when_changed)
        self.when_error = QLabel()
        self.when_error.setObjectName("visitedAtError")
        self.when_error.setStyleSheet(f"color: {palette.DANGER_DEEP};")
        self.when_error.hide()
        self._when_chosen = False
        when_label = QLabel(self.tr("Visited at:"))
        when_label.setBuddy(self.when_edit)
        when_row = QHBoxLayout()
        when_row.addWidget(when_label)
        when_row.addWidget(self.when_edit)
        when_row.addWidget(self.when_error)
        when_row.addStretch(1)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab: into the questions
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.scroll_area.setWidget(self.body)

        self.problem_box = QGroupBox(self.tr("Found a problem: raise a ticket"))
        self.problem_box.setObjectName("foundProblem")
        self.problem_box.setCheckable(True)
        self.problem_box.setChecked(False)
        self.problem_category = QComboBox()
        for c in sla.categories():
            self.problem_category.addItem(c.zh if not ctx.lang.startswith("en") else c.en,
                                          c.code)
        self.problem_title = QLineEdit()
        self.problem_title.setMaxLength(128)
        self.problem_title.setPlaceholderText(self.tr("What is wrong, in a few words"))
        self.problem_description = QPlainTextEdit()
        self.problem_description.setFixedHeight(60)
        self.problem_description.setTabChangesFocus(True)
        self.problem_error = QLabel()
        self.problem_error.setStyleSheet(f"color: {palette.DANGER_DEEP};")
        self.problem_error.hide()
        self.problem_from_form = QLabel()  # names the form's fields: _show_problem_fields
        self.problem_from_form.setObjectName("problemFromForm")
        self.problem_from_form.setWordWrap(True)
        problem_form = QFormLayout(self.problem_box)
        problem_form.addRow(self.problem_from_form)
        problem_form.addRow(self.tr("Category"), self.problem_category)
        problem_form.addRow(self.tr("Title"), self.problem_title)
        problem_form.addRow(self.tr("Description"), self.problem_description)
        problem_form.addRow("", self.problem_error)
        self.problem_form = problem_form
        self.problem_box.toggled.connect(self._problem_ticked)
        for signal in (self.problem_box.toggled, self.problem_category.currentIndexChanged,
                       self.problem_title.textChanged, self.problem_description.textChanged):
            signal.connect(self._something_changed)

        self.status = QLabel()
        self.status.setObjectName("visitStatus")
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save draft"))
        self.save_button.setToolTip(self.tr("Keep what is typed; continue later (Ctrl+S)"))
        self.save_button.clicked.connect(lambda: self.save_now())
        self.discard_button = QPushButton(self.tr("Discard draft"))
        self.discard_button.clicked.connect(self.discard)
        self.submit_button = QPushButton(self.tr("Submit visit"))
        self.submit_button.setDefault(True)
        self.submit_button.setToolTip(self.tr("Record the visit (Ctrl+Enter)"))
        self.submit_button.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.submit_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(when_row)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(buttons)

        QShortcut(QKeySequence.StandardKey.Save, self, lambda: self.save_now())
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit)

        self.autosave = QTimer(self)
        self.autosave.setSingleShot(True)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_now)
        self._set_enabled(False)
        self._load()

    # -- loading -----------------------------------------------------------------------

    def _set_enabled(self, on: bool) -> None:
        for w in (self.save_button, self.submit_button, self.template_combo):
            w.setEnabled(on)
        self.discard_button.setEnabled(on and self.draft_id is not None)

    def _load(self) -> None:
        desk, household_id, draft_id = self.ctx.desk, self.household_id, self.draft_id

        def work(progress: Progress) -> VisitStart:
            start = desk.read(visit_start, DRAFT_KIND, household_id, draft_id)
            if start is None:
                raise NotFound("household", household_id or "")
            return start

        Op(self, work).success(self._loaded).failure(self._load_failed).run()

    def _load_failed(self, error: OpError) -> None:
        self.status.setText(error.message)

    def _loaded(self, data: VisitStart) -> None:
        self.household = data.household
        self.household_id = data.household["id"]
        self.templates = data.templates
        self.draft_id = data.draft_id
        payload = data.payload
        if payload.get("visit_id"):
            self.visit_id = str(payload["visit_id"])
        self.header.setText(household_line(self.household))
        self.setWindowTitle(self.tr("Visit: %1").replace("%1", household_line(self.household)))
        wanted = payload.get("template_id") or self._default_template()
        self.template_combo.blockSignals(True)
        for t in self.templates:
            self.template_combo.addItem(
                template_title(t.get("name"), t.get("name_en"), self.ctx.lang), t["id"])
        index = max(self.template_combo.findData(wanted), 0)
        self.template_combo.setCurrentIndex(index)
        self.template_combo.blockSignals(False)
        if not self.templates:
            self.status.setText(self.tr(
                "No visit form is on this computer yet. Sync, then try again."))
            return
        self._build_form(payload.get("answers") or {})
        chosen = _parse_time(payload.get("visited_at"))
        if chosen is not None:
            self.when_edit.blockSignals(True)
            self.when_edit.setDateTime(_shown_time(chosen))
            self.when_edit.blockSignals(False)
            self._when_chosen = True
            self._check_when(show=True)
        problem = payload.get("problem") or {}
        if problem:
            self.problem_box.setChecked(bool(problem.get("on")))
            i = self.problem_category.findData(problem.get("category"))
            if i >= 0:
                self.problem_category.setCurrentIndex(i)
            self.problem_title.setText(str(problem.get("title") or ""))
            self.problem_description.setPlainText(str(problem.get("description") or ""))
        self._dirty = False
        self.is_loaded = True
        self._set_enabled(True)
        self._focus_first_question()
        if self.draft_id is not None:
            self.status.setText(self.tr("Continuing the draft saved before."))
        self.loaded.emit()

    def _default_template(self) -> str | None:
        tags = self.household.get("tags") or []
        for t in self.templates:
            if ELDERLY_TAG in tags and ELDERLY_TAG in str(t.get("name")):
                return str(t["id"])
        for t in self.templates:
            if ELDERLY_TAG not in str(t.get("name")):
                return str(t["id"])
        return str(self.templates[0]["id"]) if self.templates else None

    def template(self) -> dict[str, Any]:
        template_id = self.template_combo.currentData()
        return next((t for t in self.templates if t["id"] == template_id), {})

    def _build_form(self, answers: dict[str, Any]) -> None:
        if self.form is not None:
            self.form.setParent(None)
            self.form.deleteLater()
        while self.body_layout.count():
            self.body_layout.takeAt(0)
        template = self.template()
        fields = template.get("fields") or []
        keys = {d.get("key") for d in fields if isinstance(d, dict)}
        self.form = VisitForm(fields, self.ctx.lang, self.ctx.store, self.body)
        self.form.set_answers({k: v for k, v in answers.items() if k in keys})
        self.form.answers_changed.connect(self._something_changed)
        self.form.answers_changed.connect(self._form_problem_changed)
        self._show_problem_fields()
        self.body_layout.addWidget(self.form)
        self.body_layout.addWidget(self.problem_box)
        self.body_layout.addStretch(1)
        self._order_tabs()

    def _order_tabs(self) -> None:
        """Tab from the visit's time into the questions in their order, then the ticket
        box, the buttons last. (The form is built after the buttons, and Tab follows the
        order widgets were made in: it went to 保存草稿 and 提交走访 before 受访人.)"""
        chain: list[QWidget] = [self.template_combo, self.when_edit]
        for part in (self.form, self.problem_box):
            if part is None:
                continue
            chain += [part] if _takes_tab(part) else []
            chain += [w for w in part.findChildren(QWidget)
                      if _takes_tab(w) and not _inside_editor(w, part)]
        chain += [self.discard_button, self.save_button, self.submit_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _focus_first_question(self) -> None:
        """The focus in the form's first question: the time is already "now"."""
        if self.form is None:
            return
        first = next((w for w in self.form.findChildren(QWidget)
                      if _takes_tab(w) and not _inside_editor(w, self.form)
                      and w.isEnabled()), None)
        if first is not None:
            first.setFocus(Qt.FocusReason.TabFocusReason)

    def _template_chosen(self) -> None:
        if self.form is None:
            return
        self._build_form(self.form.answers())
        self._something_changed()

    # -- drafts ------------------------------------------------------------------------

    def payload(self) -> dict[str, Any]:
        template = self.template()
        return {
            "household_id": self.household_id,
            "visit_id": self.visit_id,
            "template_id": template.get("id"),
            "template_version": template.get("version"),
            "answers": self.form.answers() if self.form is not None else {},
            "problem": {
                "on": self.problem_box.isChecked(),
                "category": self.problem_category.currentData(),
                "title": self.problem_title.text(),
                "description": self.problem_description.toPlainText(),
            },
            "household_label": household_line(self.household),
            "visited_at": self.visited_at().isoformat() if self._when_chosen else None,
        }

    def _something_changed(self, *_: Any) -> None:
        if not self.is_loaded or self.is_submitted:
            return
        self._dirty = True
        self._check_problem_section(show=False)
        self.autosave.start()

    def has_unsaved(self) -> bool:
        """Answers typed since the last draft save."""
        return self.is_loaded and not self.is_submitted and (
            self._dirty or self.autosave.isActive())

    def save_now(self, *, quiet: bool = False) -> None:
        """Save the draft in the background (the WRITE lane keeps saves in order)."""
        if not self.is_loaded or self.is_submitted:
            return
        self.autosave.stop()
        ctx, payload = self.ctx, self.payload()
        draft_id = self.draft_id or records.new_id()
        self.draft_id = draft_id
        visit_id = self.visit_id
        self._dirty = False

        def work(progress: Progress) -> ChangeSet:
            return ctx.desk.save_draft(DRAFT_KIND, payload, draft_id=draft_id,
                                       record_id=visit_id)[1]

        def saved(changes: ChangeSet) -> None:
            if not quiet:  # on close the dialog may be gone: only the context hears
                self.status.setText(self.tr("Draft saved at %1.").replace(
                    "%1", records.now().astimezone(records.SHANGHAI).strftime("%H:%M")))
                self.discard_button.setEnabled(True)
                self.draft_saved.emit(draft_id)
            ctx.wrote(changes)

        # Parented to the window behind (if any): a save on close still reports back.
        parent = self if not quiet else (self.parent() or None)
        Op(parent, work, lane=Lane.WRITE).success(saved) \
            .failure(lambda e: self.status.setText(e.message) if not quiet else None).run()

    def discard(self) -> None:
        draft_id, ctx = self.draft_id, self.ctx
        self.is_submitted = True  # nothing more to keep
        self.autosave.stop()
        if draft_id is None:
            self.reject()
            return

        def work(progress: Progress) -> ChangeSet:
            try:
                return ctx.desk.discard_draft(draft_id)
            except NotFound:
                return ChangeSet()

        Op(self.parent() or None, work, lane=Lane.WRITE).success(ctx.wrote).run()
        super().reject()

    def reject(self) -> None:
        """Esc, the close button, a window closed by mistake: keep a draft first."""
        if self.is_loaded and not self.is_submitted and (self._dirty or self.draft_id
                                                          or self.autosave.isActive()):
            self.save_now(quiet=True)
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.reject()
        event.accept()

    # -- submitting --------------------------------------------------------------------

    # -- the problem found: a ticket -----------------------------------------------------

    def problem_in_form(self) -> bool:
        """The template asks for the problem itself (问题类别, 问题描述)."""
        keys = {d.get("key") for d in self.template().get("fields") or []}
        return {PROBLEM_CATEGORY, PROBLEM_DETAIL} <= keys

    def _show_problem_fields(self) -> None:
        """The box's own category and description only where the form has none."""
        in_form = self.problem_in_form()
        self.problem_from_form.setVisible(in_form)
        if in_form:  # the fields by their labels in the form, in the language shown
            labels = {d.get("key"): label_of(d.get("label"), self.ctx.lang)
                      for d in self.template().get("fields") or []}
            self.problem_from_form.setText(fill(self.tr(
                "The ticket takes its category and description from “%1” and “%2” above."),
                labels[PROBLEM_CATEGORY], labels[PROBLEM_DETAIL]))
        for editor in (self.problem_category, self.problem_description):
            self.problem_form.setRowVisible(editor, not in_form)
        self.problem_title.setPlaceholderText(
            self.tr("Optional: the description's start otherwise") if in_form
            else self.tr("What is wrong, in a few words"))

    def _problem_ticked(self, on: bool) -> None:
        """Ticking the box answers 发现问题 with yes: its 问题类别 and 问题描述 show."""
        form = self.form
        if on and form is not None and form.answers().get(PROBLEM_FOUND) is not True:
            form.set_answer(PROBLEM_FOUND, True)

    def _form_problem_changed(self) -> None:
        """发现问题 answered no: no ticket about it either."""
        form = self.form
        if form is not None and self.problem_box.isChecked() \
                and form.answers().get(PROBLEM_FOUND) is False:
            self.problem_box.setChecked(False)

    def ticket_fields(self, answers: dict[str, Any]) -> dict[str, Any]:
        """Title, description and category of the ticket the box raises."""
        title = self.problem_title.text().strip()
        if self.problem_in_form():
            detail = str(answers.get(PROBLEM_DETAIL) or "").strip()
            return {"title": title or _title_from(detail),
                    "description": detail or None,
                    "category": answers.get(PROBLEM_CATEGORY) or "other"}
        return {"title": title,
                "description": self.problem_description.toPlainText().strip() or None,
                "category": self.problem_category.currentData()}

    # -- when ----------------------------------------------------------------------------

    def visited_at(self) -> dt.datetime:
        """When the visit took place: the time entered (Shanghai), else now."""
        if not self._when_chosen:
            return records.now().replace(microsecond=0)
        shown = self.when_edit.dateTime().toPython()
        assert isinstance(shown, dt.datetime)
        return shown.replace(second=0, microsecond=0, tzinfo=records.SHANGHAI)

    def _when_changed(self) -> None:
        self._when_chosen = True
        self._check_when(show=True)
        self._something_changed()

    def _check_when(self, *, show: bool) -> bool:
        """A visit took place: not later than now, nor before the day its household was
        registered (the server refuses both too)."""
        when = self.visited_at()
        too_early = visit_date_problem(when, self.household)
        if when > records.now() + WHEN_LEEWAY:
            message = self.tr("A visit cannot be in the future.")
        elif too_early is not None:
            message = describe_problem(too_early.code, too_early.params)
        else:
            if self.when_error.isVisible():
                self.status.clear()  # what a refused submit said is answered now
            self.when_error.hide()
            return True
        if show:
            self.when_error.setText(message)
            self.when_error.show()
        return False

    def _check_problem_section(self, *, show: bool) -> bool:
        if not self.problem_box.isChecked() or self.problem_title.text().strip() \
                or self.problem_in_form():
            self.problem_error.hide()
            return True
        if show:
            self.problem_error.setText(
                self.tr("Give the problem a title, so the ticket can be found."))
            self.problem_error.show()
        return False

    def submit(self) -> None:
        form = self.form
        if not self.is_loaded or form is None or self.is_submitted:
            return
        problems = form.show_all_problems()
        problem_ok = self._check_problem_section(show=True)
        when_ok = self._check_when(show=True)
        if problems or not problem_ok or not when_ok:
            count = len(problems) + (0 if problem_ok else 1) + (0 if when_ok else 1)
            self.status.setText(self.tr("%n answer(s) need attention.", "", count))
            return
        template = self.template()
        answers = form.answers(visible_only=True)
        visit = {
            "household_id": self.household_id,
            "template_id": template["id"],
            "visited_at": self.visited_at(),
            "answers": answers,
            "follow_up": bool(answers.get("follow_up_needed", False)),
            "photos": form.photo_shas(),
        }
        ticket = None
        if self.problem_box.isChecked():
            ticket = {
                **self.ticket_fields(answers),
                "household_id": self.household_id,
                "grid_id": self.household.get("grid_id"),
                "source": "visit",
            }
        desk, visit_id, draft_id = self.ctx.desk, self.visit_id, self.draft_id
        self.autosave.stop()
        self._set_enabled(False)

        def work(progress: Progress) -> ChangeSet:
            actor = desk.actor()
            _, changes = desk.create("visit", visit, actor=actor, record_id=visit_id)
            if ticket is not None:
                _, more = desk.create("ticket", {**ticket, "visit_id": visit_id}, actor=actor)
                changes = changes | more
            if draft_id is not None:
                with contextlib.suppress(NotFound):  # discarded meanwhile: fine
                    changes = changes | desk.discard_draft(draft_id)
            return changes

        Op(self, work, lane=Lane.WRITE).success(self._submitted) \
            .failure(self._submit_failed).with_progress(self.tr("Saving the visit…")).run()

    def _submitted(self, changes: ChangeSet) -> None:
        self.is_submitted = True
        self.ctx.wrote(changes)
        self.submitted.emit(self.visit_id)
        self.accept()

    def _submit_failed(self, error: OpError) -> None:
        self._set_enabled(True)
        exc = error.exception
        if isinstance(exc, ValidationFailed):
            lines = []
            for p in exc.problems:
                key = p.field.removeprefix("answers.")
                where = next((label_of(d.get("label"), self.ctx.lang)
                              for d in self.template().get("fields") or []
                              if d.get("key") == key), "")
                sentence = describe_form_problem(p.code, p.params)
                lines.append(f"{where}: {sentence}" if where else sentence)
            self.status.setText("\n".join(lines))
        else:
            self.status.setText(error.message)


def _shown_time(at: dt.datetime) -> QDateTime:
    """A time as the worker reads it (Shanghai), for the date-time field."""
    local = at.astimezone(records.SHANGHAI)
    return QDateTime(QDate(local.year, local.month, local.day),
                     QTime(local.hour, local.minute))


def _parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=records.SHANGHAI)


def _title_from(detail: str) -> str:
    """A ticket's title from a problem's description: its first clause (up to the first
    comma or full stop, when that says something), at most :data:`TITLE_CHARS`."""
    line = detail.strip().splitlines()[0].strip() if detail.strip() else ""
    clause = re.split(r"[，。；！？,.;!?]", line, maxsplit=1)[0].strip()
    title = clause if len(clause) >= 4 else line
    return title if len(title) <= TITLE_CHARS else title[:TITLE_CHARS - 1] + "…"


__all__ = ["DRAFT_KIND", "VisitDialog"]
