"""A visit form built at run time from a template's field definitions.

Every field type of :mod:`gulou_desk.domain.forms` has an editor: text (line edit), long
text (plain text edit), number (a line edit that keeps what is typed; out of the
template's range it is flagged, never changed), choice (radio buttons, a combo box when
there are many options), multi choice (check boxes), date (date edit; the earliest date
stands for "not answered"), yes/no (two radio buttons, neither chosen at first) and photo
(thumbnails, "Add photos…" through the store's photo import in the background, remove).

Labels are in the UI language (templates carry zh and en). ``show_if`` conditions are
evaluated by :func:`forms.visible_fields` after every change, so fields appear and
disappear as answers change; the answers are checked with the server's own validator
(:func:`forms.validate_answers`) as the user types, and the problems of fields the user
has touched (every field after :meth:`VisitForm.show_all_problems`) are shown in words
under the field.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QRegularExpression, QSize, Qt, Signal
from PySide6.QtGui import QPixmap, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gulou_desk.domain import forms
from gulou_desk.domain.problems import Problem
from gulou_desk.store import Store, photos
from ui import palette
from ui.background import Lane, Op, OpError, Progress
from ui.shell.date_fields import typeable
from ui.shell.photo_tile import removable_tile
from ui.visits.messages import describe_form_problem, describe_photo_error

log = logging.getLogger(__name__)
translate = QCoreApplication.translate  # lupdate reads translate("VisitForm", …)

RADIO_LIMIT = 4
"""A choice with more options than this is a combo box (radio buttons take room)."""
EMPTY_DATE = QDate(1900, 1, 1)
THUMB_PX = 72


def label_of(value: Any, lang: str) -> str:
    """The text of a ``{"zh", "en"}`` label in the UI language (``zh_CN`` → zh)."""
    if isinstance(value, Mapping):
        key = "en" if lang.startswith("en") else "zh"
        return str(value.get(key) or value.get("zh") or value.get("en") or "")
    return "" if value is None else str(value)


class _Editor:
    """One field's editor: a widget, its value as an answer, and a change hook."""

    def __init__(self, definition: Mapping[str, Any], widget: QWidget) -> None:
        self.definition = definition
        self.widget = widget

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus(self) -> None:
        self.widget.setFocus(Qt.FocusReason.OtherFocusReason)


class _TextEditor(_Editor):
    def __init__(self, d: Mapping[str, Any], changed: Callable[[], None]) -> None:
        edit = QLineEdit()
        limit = d.get("max_length") or forms.DEFAULT_MAX_LENGTH["text"]
        edit.setMaxLength(int(limit) + 20)  # over the limit shows a message, not a wall
        edit.textChanged.connect(changed)
        super().__init__(d, edit)
        self.edit = edit

    def value(self) -> Any:
        text = self.edit.text().strip()
        return text or None

    def set_value(self, value: Any) -> None:
        self.edit.setText(value if isinstance(value, str) else "")


class _LongTextEditor(_Editor):
    def __init__(self, d: Mapping[str, Any], changed: Callable[[], None]) -> None:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(64)
        edit.textChanged.connect(changed)
        super().__init__(d, edit)
        self.edit = edit

    def value(self) -> Any:
        text = self.edit.toPlainText().strip()
        return text or None

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText(value if isinstance(value, str) else "")


class _NumberEditor(_Editor):
    """A line edit that takes what is typed as typed: a validator lets only what can be
    a number in (digits, a sign, a decimal point), and never changes it to fit the
    template's range. A value out of range stays as typed and the form says the allowed
    range under it (the validator reports, it does not clamp: a spin box turned a typed
    ``300`` into ``30`` and a ``25`` it could not take into nothing). An empty field is
    "not answered"."""

    def __init__(self, d: Mapping[str, Any], changed: Callable[[], None]) -> None:
        self.integer = bool(d.get("integer"))
        edit = QLineEdit()
        pattern = r"[-+]?\d{0,12}" if self.integer else r"[-+]?\d{0,12}([.,]\d{0,6})?"
        edit.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), edit))
        low, high = d.get("min"), d.get("max")
        if forms._is_number(low) and forms._is_number(high):
            edit.setPlaceholderText(f"{_plain_number(low)}–{_plain_number(high)}")
        edit.setMaximumWidth(160)
        edit.setMinimumWidth(110)
        edit.textChanged.connect(changed)
        super().__init__(d, edit)
        self.edit = edit

    def value(self) -> Any:
        text = self.edit.text().strip().replace(",", ".")
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            return text  # "-" or "." alone: the validator says "Enter a number."
        if self.integer or (number.is_integer() and "." not in text):
            return int(number) if number.is_integer() else number
        return number

    def set_value(self, value: Any) -> None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.edit.setText(_plain_number(value))
        else:
            self.edit.setText("")


def _plain_number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _ButtonRow(QWidget):
    def __init__(self, columns: int = 4) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(16)
        self.columns = columns

    def add(self, button: QAbstractButton) -> None:
        n = self.grid.count()
        self.grid.addWidget(button, n // self.columns, n % self.columns)


class _RadioEditor(_Editor):
    """Radio buttons, none chosen at first (choice with few options, and yes/no)."""

    def __init__(self, d: Mapping[str, Any], options: Sequence[tuple[Any, str]],
                 changed: Callable[[], None]) -> None:
        row = _ButtonRow()
        self.group = QButtonGroup(row)
        self.values: list[Any] = []
        for i, (value, text) in enumerate(options):
            button = QRadioButton(text)
            self.group.addButton(button, i)
            self.values.append(value)
            row.add(button)
        self.group.buttonToggled.connect(lambda _b, on: changed() if on else None)
        super().__init__(d, row)

    def value(self) -> Any:
        i = self.group.checkedId()
        return None if i < 0 else self.values[i]

    def set_value(self, value: Any) -> None:
        for i, v in enumerate(self.values):
            if forms._same(v, value):
                self.group.button(i).setChecked(True)
                return
        checked = self.group.checkedButton()
        if checked is not None:
            self.group.setExclusive(False)
            checked.setChecked(False)
            self.group.setExclusive(True)

    def focus(self) -> None:
        button = self.group.checkedButton() or self.group.button(0)
        if button is not None:
            button.setFocus(Qt.FocusReason.OtherFocusReason)


class _ComboEditor(_Editor):
    def __init__(self, d: Mapping[str, Any], options: Sequence[tuple[Any, str]],
                 changed: Callable[[], None]) -> None:
        combo = QComboBox()
        combo.addItem("", None)
        for value, text in options:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(changed)
        super().__init__(d, combo)
        self.combo = combo

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        i = self.combo.findData(value) if value is not None else 0
        self.combo.setCurrentIndex(max(i, 0))


class _MultiEditor(_Editor):
    def __init__(self, d: Mapping[str, Any], options: Sequence[tuple[Any, str]],
                 changed: Callable[[], None]) -> None:
        row = _ButtonRow()
        self.boxes: list[tuple[Any, QCheckBox]] = []
        for value, text in options:
            box = QCheckBox(text)
            box.toggled.connect(changed)
            self.boxes.append((value, box))
            row.add(box)
        super().__init__(d, row)

    def value(self) -> Any:
        ticked = [v for v, box in self.boxes if box.isChecked()]
        return ticked or None

    def set_value(self, value: Any) -> None:
        wanted = set(value) if isinstance(value, list) else set()
        for v, box in self.boxes:
            box.setChecked(v in wanted)

    def focus(self) -> None:
        if self.boxes:
            self.boxes[0][1].setFocus(Qt.FocusReason.OtherFocusReason)


class _DateEditor(_Editor):
    """A date edit whose earliest date means "not answered" (shown blank), and a "Today"
    button (so the calendar does not open in 1900)."""

    def __init__(self, d: Mapping[str, Any], changed: Callable[[], None],
                 today_text: str) -> None:
        box = QWidget()
        edit = typeable(QDateEdit())
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(EMPTY_DATE)
        edit.setSpecialValueText(" ")
        edit.setDate(EMPTY_DATE)
        edit.setMinimumWidth(130)
        edit.dateChanged.connect(changed)
        today = QToolButton()
        today.setText(today_text)
        today.clicked.connect(lambda: edit.setDate(QDate.currentDate()))
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit)
        row.addWidget(today)
        row.addStretch(1)
        super().__init__(d, box)
        self.edit = edit

    def focus(self) -> None:
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def value(self) -> Any:
        date = self.edit.date()
        return None if date == EMPTY_DATE else date.toString("yyyy-MM-dd")

    def set_value(self, value: Any) -> None:
        date = QDate.fromString(value, "yyyy-MM-dd") if isinstance(value, str) else QDate()
        self.edit.setDate(date if date.isValid() else EMPTY_DATE)


class _PhotoEditor(_Editor):
    """Thumbnails of the photos picked for this field, "Add photos…", and remove."""

    def __init__(self, d: Mapping[str, Any], form: VisitForm) -> None:
        box = QWidget()
        self.strip = QHBoxLayout()
        self.strip.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton(translate("VisitForm", "Add photos…"))
        self.add_button.setObjectName("addPhotos")
        self.add_button.clicked.connect(self._pick)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.strip)
        layout.addWidget(self.add_button)
        layout.addStretch(1)
        super().__init__(d, box)
        self.form = form
        self.shas: list[str] = []
        self.tiles: dict[str, QWidget] = {}

    def value(self) -> Any:
        return list(self.shas) or None

    def set_value(self, value: Any) -> None:
        for sha in list(self.shas):
            self._drop(sha)
        for sha in value if isinstance(value, list) else []:
            if isinstance(sha, str):
                self._add(sha)

    def _pick(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self.widget, translate("VisitForm", "Add photos"), str(Path.home()),
            translate("VisitForm", "Pictures (*.jpg *.jpeg *.png *.webp);;All files (*)"))
        if names:
            self.form.import_photos(str(self.definition.get("key")), [Path(n) for n in names])

    def _add(self, sha: str) -> None:
        if sha in self.shas:
            return
        self.shas.append(sha)
        picture = QLabel()
        picture.setFixedSize(QSize(THUMB_PX, THUMB_PX))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        picture.setToolTip(sha[:12])
        self.form.load_thumbnail(sha, picture)
        tile = removable_tile(picture, translate("VisitForm", "Remove"),
                              translate("VisitForm", "Remove this photo from the visit"),
                              lambda: self._remove(sha))
        self.strip.addWidget(tile)
        self.tiles[sha] = tile

    def _remove(self, sha: str) -> None:
        self._drop(sha)
        self.form._changed(str(self.definition.get("key")))

    def _drop(self, sha: str) -> None:
        if sha in self.shas:
            self.shas.remove(sha)
        tile = self.tiles.pop(sha, None)
        if tile is not None:
            tile.setParent(None)
            tile.deleteLater()

    def add_shas(self, shas: Sequence[str]) -> None:
        for sha in shas:
            self._add(sha)

    def focus(self) -> None:
        self.add_button.setFocus(Qt.FocusReason.OtherFocusReason)


class VisitForm(QWidget):
    """The fields of one template (see the module doc).

    Signals:
        answers_changed(): any answer changed (the dialog saves a draft after a pause).
        photo_failed(str): a picked file could not be added; the sentence says why.
    """

    answers_changed = Signal()
    photo_failed = Signal(str)
    photos_imported = Signal(list)

    def __init__(self, fields: Sequence[Mapping[str, Any]], lang: str,
                 store: Store | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields = [dict(d) for d in fields if isinstance(d, Mapping)]
        self.lang = lang
        self.store = store
        self.editors: dict[str, _Editor] = {}
        self.rows: dict[str, int] = {}
        self.errors: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        self._show_all = False
        self._loading = False
        self.problems: list[Problem] = []
        self.layout_ = QFormLayout(self)
        self.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.layout_.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for definition in self.fields:
            self._add_row(definition)
        self._refresh()

    # -- building ----------------------------------------------------------------------

    def _options(self, d: Mapping[str, Any]) -> list[tuple[Any, str]]:
        return [(o.get("value"), label_of(o.get("label"), self.lang))
                for o in d.get("options") or [] if isinstance(o, Mapping)]

    def _make_editor(self, d: Mapping[str, Any]) -> _Editor:
        key = str(d.get("key"))

        def changed() -> None:
            self._changed(key)

        type_ = d.get("type")
        if type_ == "long_text":
            return _LongTextEditor(d, changed)
        if type_ == "number":
            return _NumberEditor(d, changed)
        if type_ == "choice":
            options = self._options(d)
            if len(options) > RADIO_LIMIT:
                return _ComboEditor(d, options, changed)
            return _RadioEditor(d, options, changed)
        if type_ == "multi_choice":
            return _MultiEditor(d, self._options(d), changed)
        if type_ == "date":
            return _DateEditor(d, changed, self.tr("Today"))
        if type_ == "yes_no":
            return _RadioEditor(d, [(True, self.tr("Yes")), (False, self.tr("No"))], changed)
        if type_ == "photo":
            return _PhotoEditor(d, self)
        return _TextEditor(d, changed)

    def _add_row(self, d: Mapping[str, Any]) -> None:
        key = str(d.get("key"))
        editor = self._make_editor(d)
        editor.widget.setObjectName(f"field_{key}")
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(editor.widget)
        help_text = label_of(d.get("help"), self.lang) if d.get("help") else ""
        if help_text:
            hint = QLabel(help_text)
            hint.setObjectName("fieldHint")
            hint.setWordWrap(True)
            hint.setStyleSheet("color: palette(mid);")
            column.addWidget(hint)
        error = QLabel()
        error.setObjectName(f"error_{key}")
        error.setWordWrap(True)
        error.setStyleSheet(f"color: {palette.DANGER_DEEP};")
        error.hide()
        column.addWidget(error)
        text = label_of(d.get("label"), self.lang)
        label = QLabel(f"{text} <span style='color:{palette.DANGER_DEEP}'>*</span>"
                       if d.get("required") else text)
        label.setTextFormat(Qt.TextFormat.RichText if d.get("required")
                            else Qt.TextFormat.PlainText)
        label.setBuddy(editor.widget)
        label.setWordWrap(True)
        label.setMinimumWidth(120)
        self.layout_.addRow(label, cell)
        self.rows[key] = self.layout_.rowCount() - 1
        self.editors[key] = editor
        self.errors[key] = error

    # -- answers -----------------------------------------------------------------------

    def answers(self, *, visible_only: bool = False) -> dict[str, Any]:
        """The answers given (empty fields left out); ``visible_only`` drops the answers of
        fields hidden by a condition (what is submitted)."""
        out = {key: v for key, editor in self.editors.items()
               if (v := editor.value()) is not None}
        if visible_only:
            shown = {str(d.get("key")) for d in forms.visible_fields(self.fields, out)}
            out = {k: v for k, v in out.items() if k in shown}
        return out

    def set_answers(self, answers: Mapping[str, Any]) -> None:
        """Fill the form (a draft); fields with an answer count as touched."""
        self._loading = True
        try:
            for key, editor in self.editors.items():
                editor.set_value(answers.get(key))
        finally:
            self._loading = False
        self.touched |= {k for k in answers if k in self.editors}
        self._refresh()

    def set_answer(self, key: str, value: Any) -> None:
        """Answer one field as the user would: it counts as touched, conditions follow."""
        editor = self.editors.get(key)
        if editor is not None:
            editor.set_value(value)
            self._changed(key)

    def photo_shas(self) -> list[str]:
        """Every photo of the visible photo fields (a visit's ``photos``)."""
        answers = self.answers(visible_only=True)
        out: list[str] = []
        for d in self.fields:
            if d.get("type") == "photo":
                for sha in answers.get(str(d.get("key"))) or []:
                    if sha not in out:
                        out.append(sha)
        return out

    def visible_keys(self) -> list[str]:
        return [str(d.get("key")) for d in forms.visible_fields(self.fields, self.answers())]

    def is_shown(self, key: str) -> bool:
        return key in self.visible_keys()

    def error_text(self, key: str) -> str:
        label = self.errors[key]
        return label.text() if not label.isHidden() else ""

    def show_all_problems(self) -> list[Problem]:
        """Show every problem (before a submit); returns them, the first field focused."""
        self._show_all = True
        self._refresh()
        if self.problems:
            first = self.problems[0].field
            if first in self.editors:
                self.editors[first].focus()
        return self.problems

    # -- reacting ----------------------------------------------------------------------

    def _changed(self, key: str) -> None:
        if self._loading:
            return
        self.touched.add(key)
        self._refresh()
        self.answers_changed.emit()

    def _refresh(self) -> None:
        answers = self.answers()
        shown = {str(d.get("key")) for d in forms.visible_fields(self.fields, answers)}
        for key, row in self.rows.items():
            self.layout_.setRowVisible(row, key in shown)
        self.problems = forms.validate_answers(self.fields, answers)
        by_field: dict[str, Problem] = {}
        for p in self.problems:
            by_field.setdefault(p.field, p)
        for key, label in self.errors.items():
            problem = by_field.get(key)
            if problem is not None and (self._show_all or key in self.touched):
                label.setText(describe_form_problem(problem.code, problem.params))
                label.show()
            else:
                label.clear()
                label.hide()

    # -- photos ------------------------------------------------------------------------

    def import_photos(self, key: str, paths: Sequence[Path]) -> None:
        """Import the files in the background; good ones appear, bad ones are told."""
        store = self.store
        if store is None:
            return

        def work(progress: Progress) -> tuple[list[str], list[tuple[str, str, int | None]]]:
            added: list[str] = []
            failed: list[tuple[str, str, int | None]] = []
            for path in paths:
                progress.check_cancelled()
                try:
                    added.append(photos.import_photo(store, path).sha256)
                except photos.PhotoError as exc:
                    # Not the file's name: it may be a person's.
                    log.info("a photo file was refused: %s", exc.code)
                    failed.append((path.name, exc.code, exc.limit))
            return added, failed

        def done(result: tuple[list[str], list[tuple[str, str, int | None]]]) -> None:
            added, failed = result
            editor = self.editors.get(key)
            if isinstance(editor, _PhotoEditor) and added:
                editor.add_shas(added)
                self._changed(key)
            if failed:
                message = "\n".join(f"{name}: {describe_photo_error(code, limit)}"
                                    for name, code, limit in failed)
                label = self.errors[key]
                label.setText(message)
                label.show()
                self.photo_failed.emit(message)
            self.photos_imported.emit(added)

        def broke(error: OpError) -> None:
            self.errors[key].setText(error.message)
            self.errors[key].show()
            self.photo_failed.emit(error.message)

        Op(self, work, lane=Lane.WRITE).success(done).failure(broke) \
            .with_progress(self.tr("Adding photos…")).run()

    def load_thumbnail(self, sha: str, target: QLabel) -> None:
        store = self.store
        if store is None:
            target.setText("📷")
            return

        def work(progress: Progress) -> bytes | None:
            return photos.thumbnail(store, sha)

        def show(data: bytes | None) -> None:
            pixmap = QPixmap()
            if data and pixmap.loadFromData(data):
                target.setPixmap(pixmap.scaled(
                    THUMB_PX, THUMB_PX, Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation))
            else:
                target.setText(self.tr("Not here yet"))

        Op(target, work).success(show).failure(lambda _e: None).run()


def today_iso() -> str:
    return dt.date.today().isoformat()
