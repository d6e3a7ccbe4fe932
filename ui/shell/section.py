"""What the desk's sections do alike around their own content: take steps through one
:class:`~ui.shell.steps.StepRunner`, open one step dialog at a time, tell what went wrong
in their notice line, and refresh when a local step or a sync changed what they show
(the context's one ``changes_applied`` signal). See "How to build a section" in
``docs/architecture.md``."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from gulou_desk.store import ChangeSet
from ui.shell.context import DeskContext
from ui.shell.paged_list import NoticeLabel
from ui.shell.step_dialog import StepDialog
from ui.shell.steps import StepRunner
from ui.shell.toast import Toast


class DeskSection(QWidget):
    """The base of a desk section (see the module docstring).

    A subclass sets :attr:`notice` (its list pane's), implements :meth:`changes_applied`
    and calls :meth:`follow_changes` once it is built.
    """

    notice: NoticeLabel

    def __init__(self, ctx: DeskContext, name: str, style: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setStyleSheet(style)
        self._ctx = ctx
        self.runner = StepRunner(ctx, self)
        self.dialog: StepDialog | None = None
        """The step dialog open now (``None`` once it closed)."""
        self.toast: Toast | None = None
        """The section's toast in its window (made at the first :meth:`tell`)."""

    def open_dialog(self, dialog: StepDialog) -> None:
        """Open ``dialog`` window-modal (deleted once closed), with the draft left in it
        last time; it is :attr:`dialog` until it closes."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.open()
        dialog.load_draft()

    def _dialog_closed(self, dialog: StepDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def show_notice(self, text: str) -> None:
        self.notice.show_text(text)

    def tell(self, text: str) -> None:
        """Say that a step was taken (a toast in a free corner of the window)."""
        if self.toast is None:
            self.toast = Toast(self.window())
        self.toast.show_message(text)

    def follow_changes(self) -> None:
        """Hear of every local step and every finished sync (:meth:`changes_applied`)."""
        self._ctx.changes.changes_applied.connect(self.changes_applied)

    def changes_applied(self, changes: ChangeSet) -> None:
        """A local step or a sync changed these records: refresh what concerns the
        section."""
        raise NotImplementedError
