"""The visit form designer (走访表单) of the administration section.

On the left, every form with its versions (the current one first). Choosing a version
puts a copy of its questions in the designer on the right: add, remove and reorder
questions of the field types the visit forms support, with their Chinese and English
labels, required flag, options, limits and show-if condition. 预览 shows the questions
with the very widgets a social worker's visit form uses (:class:`ui.visits.form.VisitForm`);
发布 sends them as the form's next version (a ``visit_template`` create, numbered and
checked again by the server, which retires the earlier versions; they stay, so visits
filled with them still read). The definitions are checked as they are edited with the
validator the server runs (:func:`gulou_desk.domain.forms.validate_template`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gulou_desk import records
from gulou_desk.domain import forms
from gulou_desk.domain.forms import FIELD_TYPES, template_title
from gulou_desk.domain.problems import Problem
from gulou_desk.store import ChangeSet
from gulou_desk.store.admin_queries import FormVersion
from ui.background import Lane, Op, OpError, Progress
from ui.i18n import QT_TRANSLATE_NOOP
from ui.palette import qss
from ui.shell.context import DeskContext
from ui.shell.steps import describe_step_error
from ui.visits.form import VisitForm, label_of
from ui.workflow_labels import fill

CONTEXT = "FormDesigner"
TYPE_LABELS = {
    "text": QT_TRANSLATE_NOOP("FormDesigner", "Short text"),
    "long_text": QT_TRANSLATE_NOOP("FormDesigner", "Long text"),
    "number": QT_TRANSLATE_NOOP("FormDesigner", "Number"),
    "choice": QT_TRANSLATE_NOOP("FormDesigner", "One choice"),
    "multi_choice": QT_TRANSLATE_NOOP("FormDesigner", "Several choices"),
    "date": QT_TRANSLATE_NOOP("FormDesigner", "Date"),
    "yes_no": QT_TRANSLATE_NOOP("FormDesigner", "Yes / no"),
    "photo": QT_TRANSLATE_NOOP("FormDesigner", "Photos"),
}
PROBLEMS = {
    "invalid_key": QT_TRANSLATE_NOOP(
        "FormDesigner", "the key is lower-case letters, digits and _, starting with a letter"),
    "duplicate_key": QT_TRANSLATE_NOOP("FormDesigner", "another question has this key"),
    "invalid_label": QT_TRANSLATE_NOOP("FormDesigner",
                                       "give the label in Chinese and in English"),
    "invalid_type": QT_TRANSLATE_NOOP("FormDesigner", "choose a type"),
    "options_missing": QT_TRANSLATE_NOOP(
        "FormDesigner", "give the options, one a line: value | 中文 | English"),
    "invalid_range": QT_TRANSLATE_NOOP("FormDesigner", "the lowest is above the highest"),
    "invalid_max_length": QT_TRANSLATE_NOOP("FormDesigner", "the length limit is not valid"),
    "invalid_show_if": QT_TRANSLATE_NOOP(
        "FormDesigner", "the condition does not fit the question it depends on"),
    "show_if_unknown_field": QT_TRANSLATE_NOOP(
        "FormDesigner", "a condition depends on a question above it"),
    "empty": QT_TRANSLATE_NOOP("FormDesigner", "a form has at least one question"),
}
_TRUE, _FALSE = ("true", "yes", "是", "1"), ("false", "no", "否", "0")
_WHERE = re.compile(r"fields\[(\d+)\](?:\.(\w+))?")


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def problem_text(problem: Problem, fields: list[dict[str, Any]]) -> str:
    """A problem of the definitions in words, naming the question ("问题 3（受访人）：…")."""
    words = _tr(PROBLEMS.get(problem.code, QT_TRANSLATE_NOOP(
        "FormDesigner", "this part of the question is not valid")))
    match = _WHERE.match(problem.field)
    if match is None:
        return words
    index = int(match.group(1))
    label = ""
    if index < len(fields):
        label = label_of(fields[index].get("label"), QLocale().name())
    return fill(QCoreApplication.translate("FormDesigner", "Question %1 (%2): %3"),
                str(index + 1), label or "—", words)


def parse_options(text: str) -> list[dict[str, Any]]:
    """Options from lines ``value | 中文 | English`` (English defaults to the Chinese)."""
    out = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not parts[0]:
            continue
        zh = parts[1] if len(parts) > 1 and parts[1] else parts[0]
        en = parts[2] if len(parts) > 2 and parts[2] else zh
        out.append({"value": parts[0], "label": {"zh": zh, "en": en}})
    return out


def _label(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def options_text(options: Any) -> str:
    lines = []
    for o in options if isinstance(options, list) else []:
        if isinstance(o, dict):
            label = _label(o.get("label"))
            lines.append(f"{o.get('value')} | {label.get('zh', '')} | {label.get('en', '')}")
    return "\n".join(lines)


def condition_values(text: str, controller: dict[str, Any] | None) -> list[Any]:
    """The values a show-if condition waits for, typed as the controlling answer is."""
    out: list[Any] = []
    kind = controller.get("type") if controller is not None else None
    for raw in re.split(r"[,，、]", text):
        value = raw.strip()
        if not value:
            continue
        if kind == "yes_no":
            if value.lower() in _TRUE:
                out.append(True)
            elif value.lower() in _FALSE:
                out.append(False)
            else:
                out.append(value)
        elif kind == "number":
            try:
                number = float(value)
                out.append(int(number) if number.is_integer() else number)
            except ValueError:
                out.append(value)
        else:
            out.append(value)
    return out


def condition_text(condition: Any) -> str:
    if not isinstance(condition, dict):
        return ""
    values = [condition["equals"]] if "equals" in condition else condition.get("in") or []
    return ", ".join(("true" if v else "false") if isinstance(v, bool) else str(v)
                     for v in values)


def next_key(fields: list[dict[str, Any]]) -> str:
    taken = {str(d.get("key")) for d in fields}
    n = len(fields) + 1
    while f"q{n}" in taken:
        n += 1
    return f"q{n}"


class FormsTab(QWidget):
    """The forms and their versions, and the designer of the next version."""

    def __init__(self, ctx: DeskContext, notify: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.notify = notify
        self.versions: list[FormVersion] = []
        self.base: FormVersion | None = None
        """The version the designer started from (``None``: a new form)."""
        self.fields: list[dict[str, Any]] = []
        self.current = -1
        self.problems: list[Problem] = []
        self.published: str | None = None
        """The id of the version published last from here (the tests follow it)."""

        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        outer.addWidget(split)

        left = QWidget(split)
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        lbox.addWidget(QLabel(self.tr("Forms and their versions"), left))
        self.version_list = QListWidget(left)
        self.version_list.setObjectName("form_versions")
        self.version_list.setWordWrap(True)
        self.version_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.version_list.currentRowChanged.connect(self._version_chosen)
        lbox.addWidget(self.version_list, 1)
        self.new_form_button = QPushButton(self.tr("New form"), left)
        self.new_form_button.setObjectName("new_form")
        self.new_form_button.clicked.connect(self.start_new_form)
        lbox.addWidget(self.new_form_button)
        split.addWidget(left)

        right = QWidget(split)
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(right)
        self.heading.setObjectName("form_heading")
        self.heading.setWordWrap(True)
        rbox.addWidget(self.heading)
        names = QFormLayout()
        self.name_zh = QLineEdit(right)
        self.name_zh.setObjectName("form_name_zh")
        self.name_zh.setMaxLength(64)
        self.name_en = QLineEdit(right)
        self.name_en.setObjectName("form_name_en")
        self.name_en.setMaxLength(64)
        names.addRow(self.tr("Name (Chinese)"), self.name_zh)
        names.addRow(self.tr("Name (English)"), self.name_en)
        rbox.addLayout(names)

        middle = QHBoxLayout()
        column = QVBoxLayout()
        self.field_list = QListWidget(right)
        self.field_list.setObjectName("form_fields")
        # A long question wraps onto a second line: at 1024×700 "3. Knows the community
        # service number" ran off the list, which then scrolled sideways.
        self.field_list.setWordWrap(True)
        self.field_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.field_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.field_list.currentRowChanged.connect(self._field_chosen)
        column.addWidget(self.field_list, 1)
        moves = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add"), right)
        self.add_button.setObjectName("add_field")
        self.add_button.clicked.connect(self.add_field)
        self.remove_button = QPushButton(self.tr("Remove"), right)
        self.remove_button.setObjectName("remove_field")
        self.remove_button.clicked.connect(self.remove_field)
        self.up_button = QPushButton("↑", right)
        self.up_button.setObjectName("field_up")
        self.up_button.setToolTip(self.tr("Move up"))
        self.up_button.clicked.connect(lambda: self.move_field(-1))
        self.down_button = QPushButton("↓", right)
        self.down_button.setObjectName("field_down")
        self.down_button.setToolTip(self.tr("Move down"))
        self.down_button.clicked.connect(lambda: self.move_field(1))
        for button in (self.add_button, self.remove_button, self.up_button,
                       self.down_button):
            moves.addWidget(button)
        column.addLayout(moves)
        middle.addLayout(column, 2)
        middle.addWidget(self._build_editor(right), 3)
        rbox.addLayout(middle, 1)

        self.problem_label = QLabel(right)
        self.problem_label.setObjectName("form_problems")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(qss("QLabel { color: @danger; }"))
        rbox.addWidget(self.problem_label)
        bar = QHBoxLayout()
        bar.addStretch(1)
        self.preview_button = QPushButton(self.tr("Preview…"), right)
        self.preview_button.setObjectName("preview_form")
        self.preview_button.clicked.connect(self.open_preview)
        self.publish_button = QPushButton(self.tr("Publish"), right)
        self.publish_button.setObjectName("publish_form")
        self.publish_button.clicked.connect(self.publish)
        bar.addWidget(self.preview_button)
        bar.addWidget(self.publish_button)
        rbox.addLayout(bar)
        split.addWidget(right)
        left.setMinimumWidth(190)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([240, 760])
        self.name_zh.textEdited.connect(lambda _t: self._check())
        self.name_en.textEdited.connect(lambda _t: self._check())
        self._show_fields()

    def _build_editor(self, parent: QWidget) -> QWidget:
        box = QGroupBox(self.tr("Question"), parent)
        scroll = QScrollArea(parent)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        inner = QWidget()
        form = QFormLayout(inner)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.label_zh = QLineEdit(inner)
        self.label_zh.setObjectName("field_label_zh")
        self.label_en = QLineEdit(inner)
        self.label_en.setObjectName("field_label_en")
        self.type_combo = QComboBox(inner)
        self.type_combo.setObjectName("field_type")
        for type_ in FIELD_TYPES:
            self.type_combo.addItem(_tr(TYPE_LABELS[type_]), type_)
        self.required = QCheckBox(self.tr("Required"), inner)
        self.required.setObjectName("field_required")
        self.key_edit = QLineEdit(inner)
        self.key_edit.setObjectName("field_key")
        self.key_edit.setToolTip(self.tr(
            "The answer's name in the data: lower-case letters, digits and _"))
        self.options = QPlainTextEdit(inner)
        self.options.setObjectName("field_options")
        self.options.setPlaceholderText(self.tr("One option a line: value | 中文 | English"))
        self.options.setFixedHeight(84)
        self.low = QDoubleSpinBox(inner)
        self.low.setObjectName("field_min")
        self.high = QDoubleSpinBox(inner)
        self.high.setObjectName("field_max")
        for spin in (self.low, self.high):
            spin.setRange(-1_000_000, 1_000_000)
            spin.setDecimals(0)
            spin.setSpecialValueText("—")
        self.low.setValue(self.low.minimum())
        self.high.setValue(self.high.minimum())
        self.max_length = QSpinBox(inner)
        self.max_length.setObjectName("field_max_length")
        self.max_length.setRange(0, 4000)
        self.max_length.setSpecialValueText("—")
        self.show_field = QComboBox(inner)
        self.show_field.setObjectName("field_show_if")
        for combo in (self.type_combo, self.show_field):
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.show_values = QLineEdit(inner)
        self.show_values.setObjectName("field_show_values")
        self.show_values.setPlaceholderText(self.tr("when the answer is (values, comma between)"))
        self.rows: dict[str, QWidget] = {}
        for name, label, widget in (
                ("label_zh", self.tr("Label (Chinese)"), self.label_zh),
                ("label_en", self.tr("Label (English)"), self.label_en),
                ("type", self.tr("Type"), self.type_combo),
                ("required", "", self.required),
                ("key", self.tr("Key"), self.key_edit),
                ("options", self.tr("Options"), self.options),
                ("min", self.tr("Lowest"), self.low),
                ("max", self.tr("Highest"), self.high),
                ("max_length", self.tr("At most (characters)"), self.max_length),
                ("show_if", self.tr("Show only if"), self.show_field),
                ("show_values", "", self.show_values)):
            form.addRow(label, widget)
            self.rows[name] = widget
        self._form = form
        scroll.setWidget(inner)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroll)
        for edit in (self.label_zh, self.label_en, self.key_edit, self.show_values):
            edit.textEdited.connect(lambda _t: self._edited())
        self.options.textChanged.connect(self._edited)
        self.type_combo.currentIndexChanged.connect(lambda _i: self._edited())
        self.show_field.currentIndexChanged.connect(lambda _i: self._edited())
        self.required.toggled.connect(lambda _c: self._edited())
        for spin in (self.low, self.high):
            spin.valueChanged.connect(lambda _v: self._edited())
        self.max_length.valueChanged.connect(lambda _v: self._edited())
        return box

    # -- the versions -----------------------------------------------------------------

    def show_versions(self, versions: list[FormVersion]) -> None:
        chosen = self.base.id if self.base is not None else None
        fresh = self.published if any(v.id == self.published for v in versions) else None
        if fresh is not None and fresh != chosen:
            chosen, self.base, self.fields = fresh, None, []
        self.versions = versions
        lang = self.ctx.lang
        with QSignalBlocker(self.version_list):
            self.version_list.clear()
            for v in versions:
                state = self.tr("current") if v.active else self.tr("retired")
                item = QListWidgetItem(fill(self.tr("%1 · version %2 (%3)"),
                                            template_title(v.name, v.name_en, lang),
                                            str(v.version), state))
                item.setData(Qt.ItemDataRole.UserRole, v.id)
                if not v.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.version_list.addItem(item)
                if v.id == chosen:
                    self.version_list.setCurrentItem(item)
        if self.base is None and not self.fields and versions:
            row = next((i for i, v in enumerate(versions) if v.id == chosen), 0)
            self.version_list.setCurrentRow(row)
            self._version_chosen(row)

    def choose_form(self, name: str) -> None:
        """Start from the current version of the form called ``name`` (either language)."""
        for row, v in enumerate(self.versions):
            if v.active and name in (v.name, v.name_en):
                self.version_list.setCurrentRow(row)
                return

    def _version_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.versions):
            return
        self.base = self.versions[row]
        self.name_zh.setText(self.base.name)
        self.name_en.setText(self.base.name_en or "")
        self.fields = [copy.deepcopy(d) for d in self.base.fields]
        self.current = 0 if self.fields else -1
        self._show_fields()

    def latest(self) -> FormVersion | None:
        """The newest version of the form the designer started from."""
        if self.base is None:
            return None
        same = [v for v in self.versions if v.form_id == self.base.form_id]
        return max(same, key=lambda v: v.version) if same else self.base

    def start_new_form(self) -> None:
        self.base = None
        self.version_list.clearSelection()
        self.name_zh.clear()
        self.name_en.clear()
        self.fields = []
        self.current = -1
        self.add_field()

    # -- the questions ----------------------------------------------------------------

    def add_field(self) -> None:
        key = next_key(self.fields)
        self.fields.insert(self.current + 1, {
            "key": key, "type": "text", "required": False,
            "label": {"zh": "", "en": ""}})
        self.current += 1
        self._show_fields()
        self.label_zh.setFocus()

    def remove_field(self) -> None:
        if not 0 <= self.current < len(self.fields):
            return
        del self.fields[self.current]
        self.current = min(self.current, len(self.fields) - 1)
        self._show_fields()

    def move_field(self, step: int) -> None:
        i, j = self.current, self.current + step
        if not (0 <= i < len(self.fields) and 0 <= j < len(self.fields)):
            return
        self.fields[i], self.fields[j] = self.fields[j], self.fields[i]
        self.current = j
        self._show_fields()

    def _field_chosen(self, row: int) -> None:
        if row != self.current and 0 <= row < len(self.fields):
            self.current = row
            self._load_editor()
            self._check()

    def _item_text(self, i: int, d: dict[str, Any]) -> str:
        label = label_of(d.get("label"), self.ctx.lang) or self.tr("(no label)")
        text = f"{i + 1}. {label}"
        if d.get("required"):
            text += " *"
        if d.get("show_if"):
            text += "  ⤷"
        return text

    def _show_fields(self) -> None:
        with QSignalBlocker(self.field_list):
            self.field_list.clear()
            for i, d in enumerate(self.fields):
                self.field_list.addItem(self._item_text(i, d))
            if 0 <= self.current < len(self.fields):
                self.field_list.setCurrentRow(self.current)
        self._load_editor()
        self._check()

    def _load_editor(self) -> None:
        d = self.fields[self.current] if 0 <= self.current < len(self.fields) else None
        editors: list[QWidget] = [self.label_zh, self.label_en, self.type_combo,
                                  self.required, self.key_edit, self.options, self.low,
                                  self.high, self.max_length, self.show_field,
                                  self.show_values]
        blockers = [QSignalBlocker(w) for w in editors]
        for w in editors:
            w.setEnabled(d is not None)
        self.remove_button.setEnabled(d is not None)
        self.up_button.setEnabled(d is not None and self.current > 0)
        self.down_button.setEnabled(d is not None and self.current < len(self.fields) - 1)
        d = d or {}
        label = _label(d.get("label"))
        self.label_zh.setText(str(label.get("zh", "")))
        self.label_en.setText(str(label.get("en", "")))
        self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(d.get("type"))))
        self.required.setChecked(bool(d.get("required")))
        self.key_edit.setText(str(d.get("key", "")))
        self.options.setPlainText(options_text(d.get("options")))
        for spin, name in ((self.low, "min"), (self.high, "max")):
            value = d.get(name)
            spin.setValue(float(value) if isinstance(value, int | float)
                          else spin.minimum())
        limit = d.get("max_length")
        self.max_length.setValue(limit if isinstance(limit, int) else 0)
        self.show_field.clear()
        self.show_field.addItem(self.tr("(always shown)"), None)
        for earlier in self.fields[:max(self.current, 0)]:
            if earlier.get("type") != "photo":
                self.show_field.addItem(label_of(earlier.get("label"), self.ctx.lang)
                                        or str(earlier.get("key")), earlier.get("key"))
        shown_if = d.get("show_if")
        condition: dict[str, Any] = shown_if if isinstance(shown_if, dict) else {}
        self.show_field.setCurrentIndex(max(0, self.show_field.findData(
            condition.get("field")) if condition else 0))
        self.show_values.setText(condition_text(condition))
        del blockers
        self._show_rows(str(d.get("type") or "text"))

    def _show_rows(self, type_: str) -> None:
        visible = {
            "options": type_ in forms.CHOICE_TYPES,
            "min": type_ == "number", "max": type_ == "number",
            "max_length": type_ in forms.TEXT_TYPES,
            "show_values": self.show_field.currentData() is not None,
        }
        for name, shown in visible.items():
            self._form.setRowVisible(self.rows[name], shown)

    def _edited(self) -> None:
        """The editor's values into the chosen question."""
        if not 0 <= self.current < len(self.fields):
            return
        d = self.fields[self.current]
        type_ = str(self.type_combo.currentData())
        out: dict[str, Any] = {
            "key": self.key_edit.text().strip(), "type": type_,
            "label": {"zh": self.label_zh.text().strip(), "en": self.label_en.text().strip()},
            "required": self.required.isChecked(),
        }
        if isinstance(d.get("help"), dict):
            out["help"] = d["help"]
        if type_ in forms.CHOICE_TYPES:
            out["options"] = parse_options(self.options.toPlainText())
        if type_ == "number":
            for spin, name in ((self.low, "min"), (self.high, "max")):
                if spin.value() > spin.minimum():
                    out[name] = int(spin.value())
            if "integer" in d:
                out["integer"] = d["integer"]
        if type_ in forms.TEXT_TYPES:
            if self.max_length.value() > 0:
                out["max_length"] = self.max_length.value()
            if d.get("pattern") and d.get("type") == type_:
                out["pattern"] = d["pattern"]
        controller_key = self.show_field.currentData()
        if controller_key is not None:
            controller = next((f for f in self.fields if f.get("key") == controller_key), None)
            values = condition_values(self.show_values.text(), controller)
            if len(values) == 1:
                out["show_if"] = {"field": controller_key, "equals": values[0]}
            else:
                out["show_if"] = {"field": controller_key, "in": values}
        self.fields[self.current] = out
        item = self.field_list.item(self.current)
        if item is not None:
            item.setText(self._item_text(self.current, out))
        self._show_rows(type_)
        self._check()

    # -- checking, preview, publishing --------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The next version as a ``visit_template`` record's fields."""
        latest = self.latest()
        return {"name": self.name_zh.text().strip(),
                "name_en": self.name_en.text().strip() or None,
                "form_id": latest.form_id if latest is not None else None,
                "version": latest.version + 1 if latest is not None else 1,
                "fields": copy.deepcopy(self.fields)}

    def _check(self) -> list[Problem]:
        problems = forms.validate_template(self.fields)
        if not self.fields:
            problems.append(Problem("fields", "empty", "a form has at least one question"))
        words = [problem_text(p, self.fields) for p in problems[:3]]
        if not self.name_zh.text().strip():
            words.insert(0, self.tr("Give the form a Chinese name."))
        self.problems = problems
        self.problem_label.setText("\n".join(words))
        latest = self.latest()
        if latest is None:
            self.heading.setText(self.tr("A new form: it is published as version 1."))
        else:
            self.heading.setText(fill(self.tr(
                "Editing a copy of version %1. Publishing makes it version %2; visits "
                "filled with earlier versions keep theirs."),
                str(self.base.version if self.base else latest.version),
                str(latest.version + 1)))
        ok = not words
        self.publish_button.setEnabled(ok)
        self.preview_button.setEnabled(not problems)
        return problems

    def open_preview(self) -> None:
        dialog = PreviewDialog(self.fields, self.ctx.lang, self.values()["name"], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def publish(self) -> None:
        if self._check() or not self.name_zh.text().strip():
            return
        desk, now = self.ctx.desk, self.ctx.now()
        values = self.values()
        record_id = records.new_id()
        if values["form_id"] is None:
            values["form_id"] = record_id

        def work(progress: Progress) -> ChangeSet:
            return desk.create("visit_template", values, record_id=record_id, now=now)[1]

        def done(changes: ChangeSet) -> None:
            self.published = record_id
            self.ctx.wrote(changes)
            self.notify(fill(self.tr("Published %1, version %2: social workers receive it "
                                     "at their next sync."),
                             template_title(values["name"], values["name_en"], self.ctx.lang),
                             str(values["version"])))

        def failed(error: OpError) -> None:
            self.notify(describe_step_error(error.exception))

        self.publish_button.setEnabled(False)
        Op(self, work, lane=Lane.WRITE, name="publish_form").success(done).failure(
            failed).run()


class PreviewDialog(QDialog):
    """The questions as a social worker sees them (the visit form's own widgets)."""

    def __init__(self, fields: list[dict[str, Any]], lang: str, name: str,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("form_preview")
        self.setWindowTitle(fill(self.tr("Preview: %1"), name))
        box = QVBoxLayout(self)
        note = QLabel(self.tr("Try the answers: conditions and checks work as on a visit. "
                              "Nothing is saved."), self)
        note.setWordWrap(True)
        box.addWidget(note)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        self.form = VisitForm(fields, lang, None, scroll)
        scroll.setWidget(self.form)
        box.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        top = parent.window()
        self.resize(min(720, top.width() - 40), min(640, top.height() - 40))
