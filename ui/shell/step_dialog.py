"""The base of the inbox and ticket dialogs: a title, a short explanation, a form, a clear
error line, OK/Cancel — and a draft that survives closing by mistake.

Ctrl+Enter confirms, from any field: in a text box Enter is a new line (a resolution, a
reason may run to several), so without it a step could only be confirmed with the mouse.

A dialog closed without submitting keeps what was typed as a local draft
(:mod:`gulou_desk.store.drafts`, kind + record id); the next time the same dialog opens
for the same record, the text is back (with a line that says so and a way to clear it).
Submitting discards the draft. Drafts are read and written in the background.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.background import Lane, Op, Progress
from ui.shell.context import DeskContext

log = logging.getLogger(__name__)


class StepDialog(QDialog):
    """Asks for what a step needs.

    Subclasses build their fields into :attr:`form`, and implement :meth:`collect`
    (the values, or ``None`` after :meth:`show_error`), :meth:`draft_payload` and
    :meth:`apply_draft`.

    Signals:
        submitted(dict): the user confirmed; carries :meth:`collect`'s values.
    """

    submitted = Signal(dict)

    def __init__(self, ctx: DeskContext | None, title: str, intro: str, *,
                 draft_kind: str | None = None, record_id: str | None = None,
                 ok_text: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("step_dialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self._ctx = ctx
        self._draft_kind = draft_kind
        self._record_id = record_id
        self._draft_id: str | None = None
        self._submitting = False

        title_label = QLabel(title)
        title_label.setObjectName("dialog_title")
        self.intro_label = QLabel(intro)
        self.intro_label.setObjectName("dialog_intro")
        self.intro_label.setWordWrap(True)
        self.intro_label.setVisible(bool(intro))
        self.restored_label = QLabel(self.tr("Your unsent text from before is back."))
        self.restored_label.setObjectName("dialog_intro")
        self.clear_draft_button = QPushButton(self.tr("Start afresh"))
        self.clear_draft_button.setObjectName("clear_draft")
        self.clear_draft_button.clicked.connect(self._start_afresh)
        restored = QHBoxLayout()
        restored.addWidget(self.restored_label, 1)
        restored.addWidget(self.clear_draft_button)
        self._restored_row = QWidget()
        self._restored_row.setLayout(restored)
        restored.setContentsMargins(0, 0, 0, 0)
        self._restored_row.hide()

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setProperty("primary", True)
        self.ok_button.setObjectName("dialog_ok")
        if ok_text:
            self.ok_button.setText(ok_text)
        self.ok_button.setToolTip(self.tr("Or press Ctrl+Enter"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self).activated.connect(lambda: self.accept())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(title_label)
        layout.addWidget(self.intro_label)
        layout.addWidget(self._restored_row)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    # -- for subclasses --------------------------------------------------------------

    def collect(self) -> dict[str, Any] | None:
        return {}

    def draft_payload(self) -> dict[str, Any]:
        """What to keep if the dialog is closed by mistake (empty: nothing to keep)."""
        return {}

    def apply_draft(self, payload: dict[str, Any]) -> None:
        """Put a kept draft back into the fields."""

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    # -- drafts ----------------------------------------------------------------------

    def load_draft(self) -> None:
        """Look for a kept draft of this dialog and record (in the background)."""
        if self._draft_kind is None or self._ctx is None:
            return
        desk, kind, record_id = self._ctx.desk, self._draft_kind, self._record_id

        def read(progress: Progress) -> tuple[str, dict[str, Any]] | None:
            drafts = desk.drafts(kind, record_id=record_id)
            return (drafts[0].id, drafts[0].payload) if drafts else None

        # On the WRITE lane (one thread): a draft kept a moment ago by a dialog closed by
        # mistake is written before this read looks for it.
        Op(self, read, lane=Lane.WRITE, name="load_dialog_draft").success(
            self._draft_loaded).failure(lambda error: None).run()

    def _draft_loaded(self, found: tuple[str, dict[str, Any]] | None) -> None:
        if found is None:
            return
        self._draft_id, payload = found
        if any(payload.values()):
            self.apply_draft(payload)
            self._restored_row.show()

    def _start_afresh(self) -> None:
        self.apply_draft({})
        self._restored_row.hide()
        self._drop_draft()

    def _drop_draft(self) -> None:
        draft_id, self._draft_id = self._draft_id, None
        if draft_id is None or self._ctx is None:
            return
        desk = self._ctx.desk

        def drop(progress: Progress) -> None:
            try:
                desk.discard_draft(draft_id)
            except Exception:  # already gone: nothing to do
                log.debug("draft %s was gone", draft_id)

        Op(None, drop, lane=Lane.WRITE, name="discard_dialog_draft").failure(
            lambda error: None).run()

    def _keep_draft(self) -> None:
        payload = self.draft_payload()
        if self._ctx is None or self._draft_kind is None or not any(payload.values()):
            self._drop_draft()
            return
        desk, kind, record_id, draft_id = (self._ctx.desk, self._draft_kind,
                                           self._record_id, self._draft_id)

        def keep(progress: Progress) -> None:
            desk.save_draft(kind, payload, draft_id=draft_id, record_id=record_id)

        Op(None, keep, lane=Lane.WRITE, name="keep_dialog_draft").failure(
            lambda error: log.warning("a dialog draft was not kept: %s", error.message)).run()

    # -- closing ---------------------------------------------------------------------

    def accept(self) -> None:
        values = self.collect()
        if values is None:
            return
        self.show_error("")
        self._submitting = True
        self._drop_draft()
        self.submitted.emit(values)
        super().accept()

    def reject(self) -> None:
        if not self._submitting:
            self._keep_draft()
        super().reject()
