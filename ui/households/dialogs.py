"""Editing a household or a resident: forms with validation messages next to the field.

Saving goes through the account's desk (``Desk.create`` / ``Desk.update``, the store's use
cases) in the WRITE lane; they check the values with the same domain rules as the server and raise
``ValidationFailed`` with a ``Problem`` per field, which the dialog shows under that field
as a translated sentence (``ui.errors.describe_problem``). Nothing is written then.

A dialog closed with unsaved changes (Cancel, Escape, the window's close button) keeps
them as a draft (``gulou_desk.store.drafts``); opening the same form again restores them
and says so.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gulou_desk import records
from gulou_desk.desk import Desk
from gulou_desk.domain.ids import IdNumberError, parse_id_number
from gulou_desk.domain.problems import Problem
from gulou_desk.domain.validation import normalize_values, validate_record
from gulou_desk.store.changes import ChangeSet
from gulou_desk.store.drafts import DraftView
from gulou_desk.store.errors import ValidationFailed
from ui import palette
from ui.background import Lane, Op, OpError, OpHandle, Progress
from ui.errors import describe_problem
from ui.palette import qss
from ui.record_labels import (
    RELATIONS,
    choice_label,
    field_label,
    format_datetime,
    relation_label,
    relation_value,
    tag_label,
)

log = logging.getLogger(__name__)
translate = QCoreApplication.translate


INVALID_STYLE = f"border: 1px solid {palette.DANGER};"


class _Unreadable(Exception):
    """A field's text cannot become a value (a date that is not a date)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# -- field editors ---------------------------------------------------------------------


class FieldEditor:
    """One field of a form: its widget, how to read and write its value, and its raw
    state for drafts (text as typed, even when it does not parse yet)."""

    def __init__(self, name: str, widget: QWidget) -> None:
        self.name = name
        self.widget = widget

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def raw(self) -> Any:
        return self.value()

    def set_raw(self, raw: Any) -> None:
        self.set_value(raw)


class LineEditor(FieldEditor):
    def __init__(self, name: str, *, max_length: int | None = None,
                 placeholder: str = "") -> None:
        edit = QLineEdit()
        if max_length:
            edit.setMaxLength(max_length + 20)  # too long is said, not silently cut
        edit.setPlaceholderText(placeholder)
        super().__init__(name, edit)
        self.edit = edit

    def value(self) -> Any:
        return self.edit.text().strip() or None

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def raw(self) -> Any:
        return self.edit.text()


class DateEditor(LineEditor):
    """A date typed as ``1950-03-07`` (empty allowed)."""

    def value(self) -> Any:
        text = self.edit.text().strip().replace("/", "-").replace(".", "-")
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise _Unreadable("invalid_date") from None

    def set_value(self, value: Any) -> None:
        self.edit.setText(value.isoformat() if isinstance(value, dt.date) else str(value or ""))


class TextEditor(FieldEditor):
    def __init__(self, name: str) -> None:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(72)
        super().__init__(name, edit)
        self.edit = edit

    def value(self) -> Any:
        return self.edit.toPlainText().strip() or None

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))

    def raw(self) -> Any:
        return self.edit.toPlainText()


class ChoiceEditor(FieldEditor):
    """A fixed choice; ``allow_empty`` adds "not given"."""

    def __init__(self, name: str, choices: Sequence[str], *, allow_empty: bool,
                 empty_text: str = "") -> None:
        combo = QComboBox()
        combo.setMinimumWidth(160)
        if allow_empty:
            combo.addItem(empty_text, None)
        for choice in choices:
            combo.addItem(choice_label(name, choice), choice)
        super().__init__(name, combo)
        self.combo = combo

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value)
        if index < 0 and value is not None:
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(max(index, 0))


class SuggestEditor(FieldEditor):
    """Free text with suggestions (a resident's relation). The suggestions are stored
    values read through ``label`` (in the UI's language) and ``value`` (back to what is
    stored); what is typed by hand is stored as typed."""

    def __init__(self, name: str, suggestions: Sequence[str],
                 label: Callable[[str], str] = str,
                 value: Callable[[str], str] = str) -> None:
        combo = QComboBox()
        combo.setMinimumWidth(160)
        combo.setEditable(True)
        combo.addItems(["", *(label(s) for s in suggestions)])
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        super().__init__(name, combo)
        self.combo = combo
        self._label, self._value = label, value

    def value(self) -> Any:
        text = self.combo.currentText().strip()
        return self._value(text) if text else None

    def set_value(self, value: Any) -> None:
        self.combo.setEditText("" if value is None else self._label(str(value)))


class CadenceEditor(FieldEditor):
    """Days between visits; 0 shows "as its tags say" and means no own cadence."""

    def __init__(self, name: str, standard_text: str, suffix: str) -> None:
        spin = QSpinBox()
        spin.setRange(0, 365)
        spin.setSpecialValueText(standard_text)
        spin.setSuffix(suffix)
        super().__init__(name, spin)
        self.spin = spin

    def value(self) -> Any:
        return self.spin.value() or None

    def set_value(self, value: Any) -> None:
        self.spin.setValue(int(value or 0))


class TagsEditor(FieldEditor):
    """The care tags as check boxes; tags this client does not know are kept, shown too."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        box = QWidget()
        self._grid = QGridLayout(box)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(14)
        super().__init__(name, box)
        self._checks: dict[str, QCheckBox] = {}
        for tag in known:
            self._add(tag)

    def _add(self, tag: str) -> QCheckBox:
        check = QCheckBox(tag_label(tag))
        check.setObjectName(f"tag_{len(self._checks)}")
        count = len(self._checks)
        self._grid.addWidget(check, count // 4, count % 4)
        self._checks[tag] = check
        return check

    def value(self) -> Any:
        return [tag for tag, check in self._checks.items() if check.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = list(value or [])
        for tag in chosen:
            if tag not in self._checks:
                self._add(tag)
        for tag, check in self._checks.items():
            check.setChecked(tag in chosen)


# -- the dialog ------------------------------------------------------------------------


class RecordDialog(QDialog):
    """Edits (or creates) one record with inline validation; see the module doc.

    Signals:
        saved(object, str): the record was written; carries the ``ChangeSet`` and its id.
    """

    saved = Signal(object, str)

    def __init__(
        self,
        desk: Desk,
        entity: str,
        editors: Sequence[FieldEditor],
        *,
        title: str,
        values: Mapping[str, Any] | None = None,
        record_id: str | None = None,
        fixed: Mapping[str, Any] | None = None,
        draft_key: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{entity}_dialog")
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(560)
        self._desk = desk
        self.entity = entity
        self.record_id = record_id
        self._fixed = dict(fixed or {})
        self._editors = {e.name: e for e in editors}
        self._initial: dict[str, Any] = {}
        self._draft_kind = f"{entity}_form"
        self._draft_key = draft_key or record_id
        self._draft_id: str | None = None
        self._saving: OpHandle | None = None
        self._saved = False
        self._errors: dict[str, QLabel] = {}

        heading = QLabel(title)
        heading.setObjectName("dialog_title")
        self.draft_banner = QWidget()
        self.draft_banner.setObjectName("draft_banner")
        banner_layout = QHBoxLayout(self.draft_banner)
        banner_layout.setContentsMargins(0, 0, 0, 0)
        self.draft_label = QLabel()
        self.draft_label.setObjectName("setting_warning")
        self.draft_label.setWordWrap(True)
        self.discard_draft_button = QPushButton(self.tr("Discard them"))
        self.discard_draft_button.setObjectName("discard_draft")
        self.discard_draft_button.clicked.connect(self._discard_draft_clicked)
        banner_layout.addWidget(self.draft_label, 1)
        banner_layout.addWidget(self.discard_draft_button)
        self.draft_banner.hide()

        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setVerticalSpacing(6)
        for editor in editors:
            editor.widget.setObjectName(f"field_{editor.name}")
            error = QLabel()
            error.setObjectName(f"error_{editor.name}")
            error.setProperty("field_error", True)
            error.setStyleSheet(f"color: {palette.DANGER};")
            error.setWordWrap(True)
            error.hide()
            self._errors[editor.name] = error
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(editor.widget)
            cell_layout.addWidget(error)
            label = QLabel(field_label(entity, editor.name))
            label.setBuddy(editor.widget)
            form.addRow(label, cell)
        form_widget.setObjectName("record_form")
        scroll = QScrollArea()
        scroll.setObjectName("record_scroll")
        scroll.setStyleSheet(qss("QScrollArea#record_scroll, QScrollArea#record_scroll > "
                                 "QWidget, QWidget#record_form { background: @white; }"))
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(form_widget)

        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.buttons = QDialogButtonBox()
        self.save_button: QPushButton = self.buttons.addButton(
            self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("save")
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        cancel = self.buttons.addButton(self.tr("Cancel"),
                                        QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("cancel")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(self.draft_banner)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        for name, editor in self._editors.items():
            editor.set_value((values or {}).get(name))
        self._initial = {name: editor.raw() for name, editor in self._editors.items()}
        first = editors[0].widget if editors else None
        if first is not None:
            first.setFocus()
        self._look_for_draft()

    # -- reading the form -------------------------------------------------------------

    def editor(self, name: str) -> FieldEditor:
        return self._editors[name]

    def error_label_for(self, name: str) -> QLabel:
        return self._errors[name]

    def shown_problems(self) -> dict[str, str]:
        """Field → the message shown under it (for tests and accessibility)."""
        return {name: label.text() for name, label in self._errors.items()
                if not label.isHidden()}

    def is_dirty(self) -> bool:
        return any(editor.raw() != self._initial[name]
                   for name, editor in self._editors.items())

    def _changed_values(self) -> tuple[dict[str, Any], list[Problem]]:
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for name, editor in self._editors.items():
            if self.record_id is not None and editor.raw() == self._initial[name]:
                continue  # an edit sends only what the user changed
            try:
                values[name] = editor.value()
            except _Unreadable as exc:
                problems.append(Problem(name, exc.code, "cannot be read"))
        return values, problems

    # -- saving -----------------------------------------------------------------------

    def submit(self) -> None:
        if self._saving is not None:
            return
        values, problems = self._changed_values()
        if problems:
            # Say everything at once: what the domain rules (pure, instant) find in the
            # fields that could be read, beside the ones that could not.
            unread = {p.field for p in problems}
            readable = normalize_values(self.entity, {**self._fixed, **values})
            problems += [p for p in validate_record(self.entity, readable, partial=True)
                         if p.field not in unread]
            self.show_problems(problems)
            return
        self.show_problems([])
        if self.record_id is not None and not values:
            self._saved = True
            self._forget_draft()
            self.accept()
            return
        desk, entity, record_id = self._desk, self.entity, self.record_id
        fields = {**values, **self._fixed} if record_id is None else values

        def work(progress: Progress) -> tuple[str, ChangeSet]:
            if record_id is None:
                return desk.create(entity, fields)
            return record_id, desk.update(entity, record_id, fields)

        self._set_busy(True)
        self._saving = (
            Op(self, work, lane=Lane.WRITE, name=f"save_{entity}")
            .success(self._save_succeeded)
            .failure(self._save_failed)
            .run()
        )

    def _save_succeeded(self, result: tuple[str, ChangeSet]) -> None:
        self._saving = None
        self._set_busy(False)
        record_id, changes = result
        self.record_id = record_id
        self._saved = True
        self._forget_draft()
        self.saved.emit(changes, record_id)
        self.accept()

    def _save_failed(self, error: OpError) -> None:
        self._saving = None
        self._set_busy(False)
        if isinstance(error.exception, ValidationFailed):
            self.show_problems(list(error.exception.problems))
        else:
            self.show_problems([])
            self._show_general(error.message)

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Put each problem's sentence under its field; others above the buttons."""
        for name, label in self._errors.items():
            label.hide()
            label.clear()
            self._editors[name].widget.setStyleSheet("")
        general: list[str] = []
        first: QWidget | None = None
        for problem in problems:
            error_label = self._errors.get(problem.field)
            message = self._describe(problem)
            if error_label is None:
                general.append(f"{field_label(self.entity, problem.field)}: {message}")
                continue
            error_label.setText(message if not error_label.text()
                                else f"{error_label.text()} {message}")
            error_label.show()
            editor = self._editors[problem.field]
            if not isinstance(editor, TagsEditor):
                editor.widget.setStyleSheet(INVALID_STYLE)
            first = first or editor.widget
        self._show_general("\n".join(general))
        if first is not None:
            first.setFocus()

    def _describe(self, problem: Problem) -> str:
        if problem.code == "invalid_date":
            return self.tr("Enter the date as year-month-day, e.g. 1950-03-07.")
        return describe_problem(problem.code, problem.params)

    def _show_general(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def _set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.save_button.setText(self.tr("Saving…") if busy else self.tr("Save"))

    # -- drafts -----------------------------------------------------------------------

    def _look_for_draft(self) -> None:
        if self._draft_key is None:
            return
        desk, kind, key = self._desk, self._draft_kind, self._draft_key

        def work(progress: Progress) -> DraftView | None:
            drafts = desk.drafts(kind, record_id=key)
            return drafts[0] if drafts else None

        # The write lane, not the read one: a draft kept when this form was closed a
        # moment ago is still queued there, and must be found.
        Op(self, work, lane=Lane.WRITE, name="find_draft").success(
            self._restore_draft).failure(lambda error: None).run()

    def _restore_draft(self, draft: DraftView | None) -> None:
        if draft is None or self.is_dirty():
            return
        self._draft_id = draft.id
        for name, raw in draft.payload.items():
            if name in self._editors:
                self._editors[name].set_raw(raw)
        self.draft_label.setText(
            self.tr("Your unsaved changes from %1 are back.").replace(
                "%1", format_datetime(draft.updated_at))
        )
        self.draft_banner.show()

    def _discard_draft_clicked(self) -> None:
        for name, editor in self._editors.items():
            editor.set_raw(self._initial[name])
        self.show_problems([])
        self._forget_draft()
        self.draft_banner.hide()

    def _forget_draft(self) -> None:
        draft_id, desk = self._draft_id, self._desk
        self._draft_id = None
        if draft_id is None:
            return
        # No parent: the dialog may be gone before the write lane gets to it.
        Op(None, lambda progress: desk.discard_draft(draft_id), lane=Lane.WRITE,
           name="discard_draft").failure(lambda error: None).run()

    def _keep_draft(self) -> None:
        if self._saved or self._draft_key is None or not self.is_dirty():
            return
        desk, kind, key = self._desk, self._draft_kind, self._draft_key
        payload = {name: editor.raw() for name, editor in self._editors.items()}
        draft_id = self._draft_id or records.new_id()
        self._draft_id = draft_id
        Op(None, lambda progress: desk.save_draft(kind, payload, draft_id=draft_id,
                                                  record_id=key),
           lane=Lane.WRITE, name="keep_draft").failure(
            lambda error: log.warning("draft not kept: %s", error.message)).run()

    def reject(self) -> None:
        if self._saving is not None:
            self._saving.cancel()
            self._saving = None
        self._keep_draft()
        super().reject()  # the close button and Escape come here too


# -- the two forms ---------------------------------------------------------------------


def household_dialog(desk: Desk, household: Mapping[str, Any],
                     parent: QWidget | None = None) -> RecordDialog:
    """Edit a household's own fields (its grid is changed by the district, not here)."""
    spec = records.entity("household")
    editors: list[FieldEditor] = [
        LineEditor("head_name", max_length=spec.field("head_name").max_length),
        LineEditor("phone", placeholder="13912345678 / 025-83331234"),
        LineEditor("estate", max_length=spec.field("estate").max_length),
        LineEditor("building"),
        LineEditor("unit"),
        LineEditor("room"),
        # No field for the full address: it follows the parts above (one fact, derived in
        # gulou_desk.domain.addresses, here and on the server).
        TagsEditor("tags", records.HOUSEHOLD_TAGS),
        CadenceEditor("visit_cadence_days", translate("RecordDialog", "As its care tags say"),
                      translate("RecordDialog", " days")),
        ChoiceEditor("status", spec.field("status").choices or (), allow_empty=False),
        TextEditor("notes"),
    ]
    title = translate("RecordDialog", "Household of %1").replace(
        "%1", str(household.get("head_name") or ""))
    return RecordDialog(desk, "household", editors, title=title, values=household,
                        record_id=str(household["id"]), parent=parent)


def resident_dialog(desk: Desk, household_id: str,
                    resident: Mapping[str, Any] | None = None,
                    parent: QWidget | None = None) -> RecordDialog:
    """Edit a resident, or add one to ``household_id`` (``resident`` is ``None``)."""
    spec = records.entity("resident")
    name = LineEditor("name", max_length=spec.field("name").max_length)
    id_number = LineEditor("id_number", placeholder="320106195003070020")
    gender = ChoiceEditor("gender", spec.field("gender").choices or (), allow_empty=True,
                          empty_text=translate("RecordDialog", "Not given"))
    birth = DateEditor("birth_date", placeholder=translate("RecordDialog", "e.g. 1950-03-07"))
    editors: list[FieldEditor] = [
        name, id_number, gender, birth,
        SuggestEditor("relation", RELATIONS, relation_label, relation_value),
        LineEditor("phone", placeholder="13912345678 / 025-83331234"),
        TagsEditor("tags", records.HOUSEHOLD_TAGS),
        ChoiceEditor("status", spec.field("status").choices or (), allow_empty=False),
    ]
    id_number.edit.editingFinished.connect(lambda: _fill_from_id(id_number, gender, birth))
    if resident is None:
        dialog = RecordDialog(desk, "resident", editors,
                              title=translate("RecordDialog", "Add a resident"),
                              values={"status": "active"}, fixed={"household_id": household_id},
                              draft_key=household_id, parent=parent)
        dialog.setObjectName("resident_dialog")
        return dialog
    title = translate("RecordDialog", "Resident %1").replace("%1", str(resident.get("name") or ""))
    return RecordDialog(desk, "resident", editors, title=title, values=resident,
                        record_id=str(resident["id"]), parent=parent)


def _fill_from_id(id_number: LineEditor, gender: ChoiceEditor, birth: DateEditor) -> None:
    """A valid ID number tells the birth date and gender: fill them in if still empty."""
    text = id_number.edit.text()
    if not text.strip():
        return
    try:
        info = parse_id_number(text)
    except IdNumberError:
        return  # said when saving, next to the field
    if not birth.edit.text().strip():
        birth.set_value(info.birth_date)
    if gender.value() is None:
        gender.set_value(info.gender)

